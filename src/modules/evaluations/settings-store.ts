/**
 * The organization's evaluation settings live in one jsonb row, one section per concern (`surveys`,
 * `callbacks`, `corrective`, `feedback`), so each module reads and writes only its own section. A section is
 * parsed with its module's zod schema, whose defaults apply until an administrator saves it.
 */
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { TxCtx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { evaluationSettings } from './schema.js';

export type SettingsSection = 'surveys' | 'callbacks' | 'corrective' | 'feedback';

/** One section of the organization's settings, parsed with its schema (its defaults fill what is missing). */
export async function readSection<S extends z.ZodType>(exec: Executor, orgId: string, section: SettingsSection, schema: S): Promise<z.infer<S>> {
  const [row] = await exec.select({ settings: evaluationSettings.settings }).from(evaluationSettings).where(eq(evaluationSettings.orgId, orgId));
  const stored = row?.settings[section];
  const parsed = schema.safeParse(stored ?? {});
  // A section saved by an older version that no longer parses falls back to the defaults rather than failing.
  return parsed.success ? parsed.data : schema.parse({});
}

/** Replaces one section inside the caller's transaction (the other sections are left as they are). */
export async function writeSectionTx(t: TxCtx, section: SettingsSection, value: unknown): Promise<void> {
  const at = t.now();
  const patch = { [section]: value };
  await t.tx
    .insert(evaluationSettings)
    .values({ orgId: t.orgId, settings: patch, updatedAt: at })
    .onConflictDoUpdate({ target: evaluationSettings.orgId, set: { settings: sql`${evaluationSettings.settings} || ${JSON.stringify(patch)}::jsonb`, updatedAt: at } });
}
