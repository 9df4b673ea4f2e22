/**
 * The audit log: every write appends who, when, which entity, the before/after difference, the request id
 * and the client IP, inside the writer's transaction. The table refuses UPDATE and DELETE (migration 0001).
 */
import { auditLog } from './db/schema.js';
import { actorId, type Ctx, type TxCtx } from './context.js';

const SECRET_KEY = /password|secret|token|hash|enc$/i;

export type AuditRecord = Record<string, unknown>;

/** Replaces secret and encrypted fields by a marker, so the log never holds them. */
export function redact(record: AuditRecord | null | undefined): AuditRecord | null {
  if (!record) return null;
  const out: AuditRecord = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = SECRET_KEY.test(key) && value !== null && value !== undefined ? '[redacted]' : normalize(value);
  }
  return out;
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a) ?? null) === JSON.stringify(normalize(b) ?? null);
}

/**
 * The fields that differ between two versions of a record: `{ field: [before, after] }`.
 * Secret fields show as `[redacted]` on both sides, so a password change is visible but not its value.
 */
export function diffRecords(before: AuditRecord | null | undefined, after: AuditRecord | null | undefined): Record<string, [unknown, unknown]> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const diff: Record<string, [unknown, unknown]> = {};
  for (const key of keys) {
    if (key === 'updatedAt') continue;
    const a = before?.[key];
    const b = after?.[key];
    if (same(a, b)) continue;
    diff[key] = SECRET_KEY.test(key) ? ['[redacted]', '[redacted]'] : [normalize(a) ?? null, normalize(b) ?? null];
  }
  return diff;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: AuditRecord | null;
  after?: AuditRecord | null;
}

function actorName(ctx: Ctx): string {
  return ctx.actor.name;
}

type AuditRow = typeof auditLog.$inferInsert;
const AUDIT_BUFFER = Symbol('audit');

/**
 * Appends one entry to the audit log inside the caller's transaction. The entry is taken now (actor, time,
 * request id) and written with the transaction's other entries in one INSERT just before the commit, so a
 * rollback still takes it away.
 */
export async function audit(t: TxCtx, entry: AuditEntry): Promise<void> {
  const before = redact(entry.before);
  const after = redact(entry.after);
  const rows = t.buffer<AuditRow>(AUDIT_BUFFER, async (items, tx) => {
    // Bounded statements (PostgreSQL allows 65,535 parameters; an entry has 14).
    for (let i = 0; i < items.length; i += 1000) await tx.insert(auditLog).values(items.slice(i, i + 1000));
  });
  rows.push({
    orgId: t.orgId,
    at: t.now(),
    actorKind: t.actor.kind === 'staff' ? (t.actor.tokenId ? 'token' : 'staff') : t.actor.kind,
    actorId: actorId(t.actor),
    actorName: actorName(t),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    before,
    after,
    diff: before || after ? diffRecords(entry.before, entry.after) : null,
    requestId: t.requestId,
    ip: t.ip,
  });
}
