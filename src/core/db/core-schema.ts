/** Tables of the shared mechanism: the audit log and the transactional outbox. */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: uuid().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorKind: text().notNull(), // staff | token | system | public
    actorId: uuid(),
    actorName: text(),
    action: text().notNull(), // e.g. staff.create, customer.pii_read
    entityType: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    diff: jsonb(),
    requestId: text(),
    ip: text(),
  },
  (t) => [
    index('audit_log_org_at_idx').on(t.orgId, t.at.desc()),
    index('audit_log_org_entity_idx').on(t.orgId, t.entityType, t.entityId),
    index('audit_log_org_actor_idx').on(t.orgId, t.actorId),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: uuid().notNull(),
    kind: text().notNull(), // email | webhook
    payload: jsonb().notNull(),
    status: text().notNull().default('pending'), // pending | sending | delivered | failed
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(8),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull(),
    leaseUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    deliveredAt: timestamp({ withTimezone: true }),
    dedupeKey: text(),
  },
  (t) => [
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('outbox_org_status_idx').on(t.orgId, t.status, t.id),
  ],
);
