/**
 * The configuration a request registration reads, cached per organization and configuration generation
 * (src/core/org-cache.ts): the commitment versions in force, the request settings, the active routing
 * rules, the active webhooks, the category tree and the branches. Each section is read inside the
 * caller's transaction when it is not current, so a change committed before a registration starts is
 * always seen by it, on any app node.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { TxCtx } from '../../core/context.js';
import { decrypt } from '../../core/crypto.js';
import { cached, defineOrgCache } from '../../core/org-cache.js';
import type { VersionForMatching } from '../commitments/matching.js';
import { versionsInForce } from '../commitments/service.js';
import { branches } from '../org/schema.js';
import { requestCategories, routingRules, webhooks } from './schema.js';
import { settingsOf, type RequestSettings } from './settings-of.js';

export type RoutingRuleRow = typeof routingRules.$inferSelect;

export interface OrgBranches {
  ids: ReadonlySet<string>;
  headOfficeId: string | null;
}

export interface Webhook {
  id: string;
  url: string;
  events: readonly string[];
  /** Decrypted once when the section is loaded (it never leaves the process). */
  secret: string;
}

const versionsSection = defineOrgCache<readonly VersionForMatching[]>('commitment versions in force', (t) => versionsInForce(t.tx, t.orgId));
const settingsSection = defineOrgCache<RequestSettings>('request settings', (t) => settingsOf(t.tx, t.orgId));
/** Active rules in order. `lastAssignedId` changes with every routed request and is read fresh where needed. */
const rulesSection = defineOrgCache<readonly RoutingRuleRow[]>('routing rules', (t) =>
  t.tx.select().from(routingRules).where(and(eq(routingRules.orgId, t.orgId), eq(routingRules.active, true))).orderBy(asc(routingRules.position), asc(routingRules.createdAt)),
);
const webhooksSection = defineOrgCache<readonly Webhook[]>('webhooks', async (t) => {
  const rows = await t.tx.select().from(webhooks).where(and(eq(webhooks.orgId, t.orgId), eq(webhooks.active, true))).orderBy(asc(webhooks.createdAt));
  return rows.map((h) => ({ id: h.id, url: h.url, events: h.events, secret: decrypt(t.app.keys, h.secretEnc) }));
});
/** Category id → parent id (null for a top-level category). */
const categoriesSection = defineOrgCache<ReadonlyMap<string, string | null>>('categories', async (t) => {
  const rows = await t.tx.select({ id: requestCategories.id, parentId: requestCategories.parentId }).from(requestCategories).where(eq(requestCategories.orgId, t.orgId));
  return new Map(rows.map((r) => [r.id, r.parentId]));
});
/** Categories no longer in use: a new request may not be filed under them. */
const inactiveCategoriesSection = defineOrgCache<ReadonlySet<string>>('inactive categories', async (t) => {
  const rows = await t.tx.select({ id: requestCategories.id }).from(requestCategories).where(and(eq(requestCategories.orgId, t.orgId), eq(requestCategories.active, false)));
  return new Set(rows.map((r) => r.id));
});
const branchesSection = defineOrgCache<OrgBranches>('branches', async (t) => {
  const rows = await t.tx.select({ id: branches.id, kind: branches.kind }).from(branches).where(eq(branches.orgId, t.orgId));
  return { ids: new Set(rows.map((r) => r.id)), headOfficeId: rows.find((r) => r.kind === 'head_office')?.id ?? null };
});

export const versionsInForceOf = (t: TxCtx) => cached(t, versionsSection);
export const requestSettingsOf = (t: TxCtx) => cached(t, settingsSection);
export const routingRulesOf = (t: TxCtx) => cached(t, rulesSection);
export const categoriesOf = (t: TxCtx) => cached(t, categoriesSection);
export const branchesOf = (t: TxCtx) => cached(t, branchesSection);
export const inactiveCategoriesOf = (t: TxCtx) => cached(t, inactiveCategoriesSection);

/** The active webhooks subscribed to an event type (or to every event with '*'). */
export async function webhooksFor(t: TxCtx, type: string): Promise<Webhook[]> {
  return (await cached(t, webhooksSection)).filter((h) => h.events.includes(type) || h.events.includes('*'));
}

/** A category and its ancestors, nearest first (routing rules naming a parent cover its children). */
export function lineageOf(categories: ReadonlyMap<string, string | null>, categoryId: string | null): string[] {
  const out: string[] = [];
  for (let id: string | null | undefined = categoryId; id && out.length < 20; id = categories.get(id)) out.push(id);
  return out;
}
