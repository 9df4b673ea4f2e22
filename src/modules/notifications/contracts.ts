/** Staff notifications: shapes shared by the API and the web app. Imports nothing but zod. */
import { z } from 'zod';
import { Id, QueryBoolean, Timestamp } from '../shared/contracts.js';

export const NotificationKind = z.enum(['clock.warning', 'clock.breached', 'escalated', 'assigned', 'mention', 'corrective.raised', 'corrective.warning', 'corrective.overdue', 'feedback.warning', 'feedback.overdue']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/**
 * One notification. The text is rendered from `kind` and `params` in the reader's language: `number`,
 * `subject`, `type`, `priority`, `actorName` always; `clockKind`, `clockLabel`, `dueAt` for clocks;
 * `reason` for escalations; `excerpt`, `messageId` for mentions; `transfer` (1 or 0) for assignments;
 * `actionId`, `number` (ZG-…), `subject` (the finding), `dueAt` for corrective actions (requestId null).
 */
export const NotificationView = z.object({
  id: Id,
  kind: NotificationKind,
  requestId: Id.nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  urgent: z.boolean(),
  createdAt: Timestamp,
  deliveredAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  // A query string says "true"/"false"; the service, called again with the parsed query, gets a boolean.
  unread: QueryBoolean.optional().describe('only unread ones'),
});
export type NotificationQuery = z.infer<typeof NotificationQuery>;

/** My notifications, newest first, with how many are unread in all. */
export const NotificationPage = z.object({
  items: z.array(NotificationView),
  unreadCount: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

export const ReadAllResult = z.object({ updated: z.number().int() });
