/**
 * Webhooks: an organization's endpoints for request events. Each delivery goes through the outbox (retried
 * with backoff, visible to administrators) and is signed: X-Pledge-Signature = sha256=HMAC-SHA256(secret,
 * raw body). The secret is generated here, shown once, and stored encrypted.
 */
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx } from '../../core/context.js';
import { encrypt, randomToken } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { webhookUrlProblem } from '../../core/net-guard.js';
import { parse } from '../../core/validate.js';
import * as C from './contracts.js';
import { webhooks } from './schema.js';

type WebhookRow = typeof webhooks.$inferSelect;

function present(row: WebhookRow) {
  return { id: row.id, name: row.name, url: row.url, events: row.events, active: row.active, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

async function load(exec: Executor, orgId: string, id: string): Promise<WebhookRow> {
  const [row] = await exec.select().from(webhooks).where(and(eq(webhooks.id, id), eq(webhooks.orgId, orgId))).for('update');
  if (!row) throw new AppError('not_found', { entity: 'webhook' });
  return row;
}

export async function listWebhooks(ctx: Ctx) {
  authorize(ctx, 'webhook.manage');
  const rows = await ctx.app.database.db.select().from(webhooks).where(eq(webhooks.orgId, ctx.orgId)).orderBy(asc(webhooks.createdAt));
  return rows.map(present);
}

/** Refuses addresses the server must not call (see src/core/net-guard.ts). */
function checkUrl(ctx: Ctx, url: string): void {
  const problem = webhookUrlProblem(url, ctx.app.config.webhookAllowPrivate);
  if (problem) throw new AppError('webhook.invalid_url', { why: problem }, { field: 'url', why: problem });
}

export async function createWebhook(ctx: Ctx, input: unknown) {
  authorize(ctx, 'webhook.manage');
  const data = parse(C.WebhookInput, input);
  checkUrl(ctx, data.url);
  const secret = `whsec_${randomToken(24)}`;
  return transact(ctx, async (t) => {
    const now = t.now();
    const [row] = await t.tx
      .insert(webhooks)
      .values({ orgId: t.orgId, name: data.name, url: data.url, events: [...new Set(data.events)], active: data.active, secretEnc: encrypt(t.app.keys, secret), createdAt: now, updatedAt: now })
      .returning();
    const view = present(row!);
    await audit(t, { action: 'webhook.create', entityType: 'webhook', entityId: row!.id, after: view });
    await t.emit('webhook.created', { entityType: 'webhook', entityId: row!.id });
    return { ...view, secret };
  });
}

export async function updateWebhook(ctx: Ctx, id: string, input: unknown) {
  authorize(ctx, 'webhook.manage');
  const data = parse(C.WebhookInput, input);
  checkUrl(ctx, data.url);
  return transact(ctx, async (t) => {
    const before = present(await load(t.tx, t.orgId, id));
    const [row] = await t.tx.update(webhooks).set({ name: data.name, url: data.url, events: [...new Set(data.events)], active: data.active, updatedAt: t.now() }).where(eq(webhooks.id, id)).returning();
    const view = present(row!);
    await audit(t, { action: 'webhook.update', entityType: 'webhook', entityId: id, before, after: view });
    await t.emit('webhook.updated', { entityType: 'webhook', entityId: id });
    return view;
  });
}

/** A new secret (the old one stops working at once); shown once. */
export async function rotateWebhookSecret(ctx: Ctx, id: string) {
  authorize(ctx, 'webhook.manage');
  const secret = `whsec_${randomToken(24)}`;
  return transact(ctx, async (t) => {
    await load(t.tx, t.orgId, id);
    const [row] = await t.tx.update(webhooks).set({ secretEnc: encrypt(t.app.keys, secret), updatedAt: t.now() }).where(eq(webhooks.id, id)).returning();
    await audit(t, { action: 'webhook.rotate_secret', entityType: 'webhook', entityId: id });
    await t.emit('webhook.updated', { entityType: 'webhook', entityId: id });
    return { ...present(row!), secret };
  });
}

export async function deleteWebhook(ctx: Ctx, id: string) {
  authorize(ctx, 'webhook.manage');
  return transact(ctx, async (t) => {
    const before = present(await load(t.tx, t.orgId, id));
    await t.tx.delete(webhooks).where(eq(webhooks.id, id));
    await audit(t, { action: 'webhook.delete', entityType: 'webhook', entityId: id, before });
    await t.emit('webhook.deleted', { entityType: 'webhook', entityId: id });
    return { ok: true as const };
  });
}
