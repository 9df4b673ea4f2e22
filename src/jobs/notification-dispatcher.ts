/**
 * The notification dispatcher: delivers staff notifications whose instant has come (now, or the start of
 * the recipient's duty). Several app nodes may run one each: a batch is claimed with `FOR UPDATE SKIP
 * LOCKED`, marked delivered, announced (`notification.created`, which the live stream forwards to the
 * recipient — on other nodes through LISTEN/NOTIFY) and e-mailed through the outbox, all in one transaction,
 * so each notification is delivered once. Like the clock watcher it sleeps until the earliest pending
 * instant, wakes early when notifications are scheduled anywhere (`notifications.scheduled`), and re-checks
 * at least every `maxSleepMs`.
 *
 * A later step of a chain (params `afterMinutes`, e.g. the manager two hours after a breach) is delivered only
 * if its reason still holds when it falls due (see `stillHolds`): otherwise it is dropped — deleted in the
 * same claiming transaction. It was never shown, so the unread counts and the lists are unaffected, and the
 * audit log already holds why it was not needed (the result delivered, the archive, the acknowledgement).
 */
import { and, asc, eq, inArray, isNull, lte, min } from 'drizzle-orm';
import { systemCtx, transact, type App, type TxCtx } from '../core/context.js';
import { isLocale, type Locale } from '../core/i18n.js';
import { enqueue } from '../core/outbox.js';
import { notificationEmail } from '../modules/notifications/messages.js';
import { stillHolds, type NotificationKind } from '../modules/notifications/recipients.js';
import { presentNotification, SCHEDULED_EVENT } from '../modules/notifications/service.js';
import { organizations, staff } from '../modules/org/schema.js';
import { clocks } from '../modules/clocks/schema.js';
import { notifications, requestEvents, requests } from '../modules/requests/schema.js';
import { TimedWorker, type TimedWorkerOptions } from './timed-worker.js';

type NotificationRow = typeof notifications.$inferSelect;

/** A later step of a chain: written with the occasion, delivered only if its reason still holds. */
function isLaterStep(row: NotificationRow): boolean {
  return typeof row.params.afterMinutes === 'number' && row.params.afterMinutes > 0;
}

/** The later steps among the claimed rows whose reason is gone (the request closed, the clock met, the escalation acknowledged). */
async function notNeeded(t: TxCtx, rows: readonly NotificationRow[]): Promise<Set<string>> {
  const later = rows.filter(isLaterStep);
  const out = new Set<string>();
  if (later.length === 0) return out;
  const requestIds = [...new Set(later.map((r) => r.requestId).filter((id): id is string => id !== null))];
  const clockIds = [...new Set(later.map((r) => r.params.clockId).filter((id): id is string => typeof id === 'string'))];
  const escalated = [...new Set(later.filter((r) => r.kind === 'escalated' && r.requestId).map((r) => r.requestId!))];
  const [reqs, clockRows, acks] = await Promise.all([
    requestIds.length ? t.tx.select({ id: requests.id, state: requests.state }).from(requests).where(inArray(requests.id, requestIds)) : [],
    clockIds.length ? t.tx.select({ id: clocks.id, state: clocks.state, breachedAt: clocks.breachedAt }).from(clocks).where(inArray(clocks.id, clockIds)) : [],
    escalated.length
      ? t.tx.select({ requestId: requestEvents.requestId, at: requestEvents.at }).from(requestEvents).where(and(inArray(requestEvents.requestId, escalated), eq(requestEvents.kind, 'escalation_ack')))
      : [],
  ]);
  const stateOf = new Map(reqs.map((r) => [r.id, r.state]));
  const clockOf = new Map(clockRows.map((c) => [c.id, c]));
  for (const row of later) {
    const clock = typeof row.params.clockId === 'string' ? clockOf.get(row.params.clockId) : undefined;
    // The occasion: the step's instant (createdAt) less its delay; an acknowledgement since then ends it.
    const occasion = row.createdAt.getTime() - (row.params.afterMinutes as number) * 60_000;
    const holds = stillHolds({
      kind: row.kind,
      requestState: row.requestId ? (stateOf.get(row.requestId) ?? null) : null,
      clockState: clock?.state ?? null,
      clockBreached: clock?.breachedAt != null,
      acknowledged: acks.some((a) => a.requestId === row.requestId && a.at.getTime() >= occasion),
    });
    if (!holds) out.add(row.id);
  }
  return out;
}

export type DispatcherOptions = TimedWorkerOptions;

const NO_ORG = '00000000-0000-0000-0000-000000000000';

/** The caller's transaction acting in one organization (a batch spans organizations). */
function inOrg(t: TxCtx, orgId: string): TxCtx {
  return {
    ...t,
    orgId,
    actor: { kind: 'system', orgId, name: 'notifications' },
    emit: (type, event = {}) => t.emit(type, { ...event, orgId: event.orgId ?? orgId }),
  };
}

export class NotificationDispatcher extends TimedWorker {
  constructor(app: App, options: DispatcherOptions = {}) {
    super(app, SCHEDULED_EVENT, options);
  }

  protected async runBatch(): Promise<number> {
    const now = this.now();
    const app = this.app;
    return transact(systemCtx(app, NO_ORG, { now: () => now }), async (t) => {
      let rows = await t.tx
        .select()
        .from(notifications)
        .where(and(isNull(notifications.deliveredAt), lte(notifications.deliverAt, now)))
        .orderBy(asc(notifications.deliverAt))
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
      const claimed = rows.length;
      const dropped = await notNeeded(t, rows);
      if (dropped.size > 0) {
        await t.tx.delete(notifications).where(inArray(notifications.id, [...dropped]));
        rows = rows.filter((r) => !dropped.has(r.id));
        if (rows.length === 0) return claimed;
      }
      const ids = rows.map((r) => r.id);
      await t.tx.update(notifications).set({ deliveredAt: now }).where(inArray(notifications.id, ids));
      const people = await t.tx
        .select({ id: staff.id, displayName: staff.displayName, email: staff.email, locale: staff.locale, active: staff.active })
        .from(staff)
        .where(inArray(staff.id, [...new Set(rows.map((r) => r.recipientId))]));
      const orgs = await t.tx
        .select({ id: organizations.id, name: organizations.name, timeZone: organizations.timeZone, defaultLocale: organizations.defaultLocale })
        .from(organizations)
        .where(inArray(organizations.id, [...new Set(rows.map((r) => r.orgId))]));
      const personOf = new Map(people.map((p) => [p.id, p]));
      const orgOf = new Map(orgs.map((o) => [o.id, o]));
      for (const row of rows) {
        const person = personOf.get(row.recipientId);
        const org = orgOf.get(row.orgId);
        // Someone deactivated since is no longer told; the row stays delivered so it is not tried again.
        if (!person?.active || !org) continue;
        const tOrg = inOrg(t, row.orgId);
        const view = presentNotification({ ...row, deliveredAt: now });
        await tOrg.emit('notification.created', { entityType: 'notification', entityId: row.id, data: { recipientId: row.recipientId, ...view } });
        if (!person.email) continue;
        const locale: Locale = isLocale(person.locale) ? person.locale : isLocale(org.defaultLocale) ? org.defaultLocale : 'zh-CN';
        const actionId = typeof row.params.actionId === 'string' ? row.params.actionId : null;
        const feedbackId = typeof row.params.feedbackId === 'string' ? row.params.feedbackId : null;
        const link = row.requestId
          ? `${app.config.publicUrl}/requests/${row.requestId}`
          : actionId
            ? `${app.config.publicUrl}/corrective-actions/${actionId}`
            : feedbackId
              ? `${app.config.publicUrl}/feedback?item=${feedbackId}`
              : null;
        const mail = notificationEmail(locale, row.kind as NotificationKind, row.params, row.urgent, { orgName: org.name, recipientName: person.displayName, timeZone: org.timeZone, link });
        await enqueue(tOrg, {
          kind: 'email',
          payload: { to: person.email, subject: mail.subject, text: mail.text, headers: { 'X-Pledge-Notification': row.kind, 'Auto-Submitted': 'auto-generated' } },
          notBefore: row.deliverAt,
          dedupeKey: `notification:${row.id}`,
        });
      }
      return claimed;
    });
  }

  /** The earliest instant a pending notification is due, or null. */
  async nextInstant(): Promise<Date | null> {
    const [row] = await this.app.database.db.select({ at: min(notifications.deliverAt) }).from(notifications).where(isNull(notifications.deliveredAt));
    return row?.at instanceof Date ? row.at : null;
  }
}

