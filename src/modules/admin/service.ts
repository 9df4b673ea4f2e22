/** Reading the audit log, and watching and retrying outgoing deliveries. */
import { and, count, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { maskPhone } from '../../core/crypto.js';
import { transact, type Ctx } from '../../core/context.js';
import { escapeLike } from '../../core/db/like.js';
import { auditLog, outbox } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import type { EmailPayload, OutboxRow, SmsPayload, WebhookPayload } from '../../core/outbox.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import * as C from './contracts.js';

export async function listAudit(ctx: Ctx, query: unknown) {
  authorize(ctx, 'audit.read');
  const q = parse(C.AuditQuery, query);
  const conditions: SQL[] = [eq(auditLog.orgId, ctx.orgId)];
  if (q.entityType) conditions.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) conditions.push(eq(auditLog.entityId, q.entityId));
  if (q.actorId) conditions.push(eq(auditLog.actorId, q.actorId));
  if (q.requestId) conditions.push(eq(auditLog.requestId, q.requestId));
  if (q.action) conditions.push(q.action.endsWith('.') ? like(auditLog.action, `${escapeLike(q.action)}%`) : eq(auditLog.action, q.action));
  if (q.from) conditions.push(gte(auditLog.at, new Date(q.from)));
  if (q.to) conditions.push(lt(auditLog.at, new Date(q.to)));
  const where = and(...conditions);
  const db = ctx.app.database.db;
  const [rows, [total]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return {
    items: rows.map((r): C.AuditEntry => ({ ...r, id: Number(r.id), at: r.at.toISOString() })),
    total: total?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

function presentOutbox(row: OutboxRow): C.OutboxMessage {
  let recipient: string | null = null;
  let subject: string | null = null;
  if (row.kind === 'email') {
    const p = row.payload as EmailPayload;
    recipient = Array.isArray(p.to) ? p.to.join(', ') : p.to;
    subject = p.subject;
  } else if (row.kind === 'webhook') {
    recipient = (row.payload as WebhookPayload).url;
  } else if (row.kind === 'sms') {
    // A phone number shows masked (the message itself stays in the outbox row).
    recipient = maskPhone((row.payload as SmsPayload).to ?? '');
  }
  return {
    id: Number(row.id), kind: row.kind, status: row.status as C.OutboxMessage['status'], attempts: row.attempts,
    maxAttempts: row.maxAttempts, recipient, subject, nextAttemptAt: row.nextAttemptAt.toISOString(), lastError: row.lastError,
    createdAt: row.createdAt.toISOString(), deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

export async function listOutbox(ctx: Ctx, query: unknown) {
  authorize(ctx, 'outbox.read');
  const q = parse(C.OutboxQuery, query);
  const conditions: SQL[] = [eq(outbox.orgId, ctx.orgId)];
  if (q.status) conditions.push(eq(outbox.status, q.status));
  if (q.kind) conditions.push(eq(outbox.kind, q.kind));
  const where = and(...conditions);
  const db = ctx.app.database.db;
  const [rows, [total], byStatus] = await Promise.all([
    db.select().from(outbox).where(where).orderBy(desc(outbox.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(outbox).where(where),
    db.select({ status: outbox.status, n: count() }).from(outbox).where(eq(outbox.orgId, ctx.orgId)).groupBy(outbox.status),
  ]);
  const summary = { pending: 0, sending: 0, delivered: 0, failed: 0 };
  for (const r of byStatus) if (r.status in summary) summary[r.status as keyof typeof summary] = r.n;
  return { items: rows.map(presentOutbox), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize, summary };
}

/** Puts a failed message back in the queue for a fresh round of attempts. */
export async function retryOutbox(ctx: Ctx, id: number) {
  authorize(ctx, 'outbox.retry');
  return transact(ctx, async (t) => {
    const [row] = await t.tx.select().from(outbox).where(and(eq(outbox.id, id), eq(outbox.orgId, t.orgId))).for('update');
    if (!row) throw new AppError('not_found', { entity: 'outbox' });
    if (row.status !== 'failed') throw new AppError('outbox.not_retryable', {}, { status: row.status });
    const [updated] = await t.tx.update(outbox).set({ status: 'pending', attempts: 0, nextAttemptAt: t.now() }).where(eq(outbox.id, id)).returning();
    await audit(t, { action: 'outbox.retry', entityType: 'outbox', entityId: String(id), before: { status: row.status, attempts: row.attempts }, after: { status: 'pending', attempts: 0 } });
    await t.emit('outbox.enqueued', { entityType: 'outbox', entityId: String(id) });
    return presentOutbox(updated!);
  });
}
