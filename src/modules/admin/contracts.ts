/** Administration views: the audit log and the outbox deliveries. */
import { z } from 'zod';
import { Id, PageQuery, Timestamp } from '../shared/contracts.js';

export const AuditQuery = PageQuery.extend({
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
  actorId: Id.optional(),
  action: z.string().trim().max(80).optional().describe('exact action, or a prefix ending in "." (e.g. "staff.")'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  requestId: z.string().trim().max(100).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: Timestamp,
  actorKind: z.string(),
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  diff: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const OutboxStatus = z.enum(['pending', 'sending', 'delivered', 'failed']);
export const OutboxQuery = PageQuery.extend({ status: OutboxStatus.optional(), kind: z.enum(['email', 'webhook', 'sms']).optional() });
export type OutboxQuery = z.infer<typeof OutboxQuery>;
export const OutboxMessage = z.object({
  id: z.number().int(),
  kind: z.string(),
  status: OutboxStatus,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  recipient: z.string().nullable(),
  subject: z.string().nullable(),
  nextAttemptAt: Timestamp,
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;
export const OutboxSummary = z.object({ pending: z.number().int(), sending: z.number().int(), delivered: z.number().int(), failed: z.number().int() });
