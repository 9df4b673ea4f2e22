/**
 * The notification dispatcher: delivers staff notifications whose instant has come (now, or the start of
 * the recipient's duty). Several app nodes may run one each: a batch is claimed with `FOR UPDATE SKIP
 * LOCKED`, marked delivered, announced (`notification.created`, which the live stream forwards to the
 * recipient — on other nodes through LISTEN/NOTIFY) and e-mailed through the outbox, all in one transaction,
 * so each notification is delivered once. Like the clock watcher it sleeps until the earliest pending
 * instant, wakes early when notifications are scheduled anywhere (`notifications.scheduled`), and re-checks
 * at least every `maxSleepMs`.
 */
import { and, asc, inArray, isNull, lte, min } from 'drizzle-orm';
import { systemCtx, transact, type App, type TxCtx } from '../core/context.js';
import { Drainer } from '../core/drain.js';
import { isLocale, type Locale } from '../core/i18n.js';
import { enqueue } from '../core/outbox.js';
import { notificationEmail } from '../modules/notifications/messages.js';
import type { NotificationKind } from '../modules/notifications/recipients.js';
import { presentNotification, SCHEDULED_EVENT } from '../modules/notifications/service.js';
import { organizations, staff } from '../modules/org/schema.js';
import { notifications } from '../modules/requests/schema.js';

export interface DispatcherOptions {
  now?: () => Date;
  batchSize?: number;
  maxSleepMs?: number;
  onError?: (error: unknown) => void;
}

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

export class NotificationDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private wakeAt: number | null = null;
  private readonly drainer = new Drainer(async () => {
    const handled = await this.deliverBatch();
    return { handled, more: handled >= this.batchSize };
  });
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  private readonly now: () => Date;
  private readonly batchSize: number;
  private readonly maxSleepMs: number;

  constructor(
    private readonly app: App,
    private readonly options: DispatcherOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 200;
    this.maxSleepMs = options.maxSleepMs ?? 30_000;
  }

  /** Delivers every notification that is due now; returns how many it delivered. */
  runOnce(): Promise<number> {
    return this.drainer.run();
  }

  private async deliverBatch(): Promise<number> {
    const now = this.now();
    const app = this.app;
    return transact(systemCtx(app, NO_ORG, { now: () => now }), async (t) => {
      const rows = await t.tx
        .select()
        .from(notifications)
        .where(and(isNull(notifications.deliveredAt), lte(notifications.deliverAt, now)))
        .orderBy(asc(notifications.deliverAt))
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
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
        const link = row.requestId ? `${app.config.publicUrl}/requests/${row.requestId}` : null;
        const mail = notificationEmail(locale, row.kind as NotificationKind, row.params, row.urgent, { orgName: org.name, recipientName: person.displayName, timeZone: org.timeZone, link });
        await enqueue(tOrg, {
          kind: 'email',
          payload: { to: person.email, subject: mail.subject, text: mail.text, headers: { 'X-Pledge-Notification': row.kind, 'Auto-Submitted': 'auto-generated' } },
          notBefore: row.deliverAt,
          dedupeKey: `notification:${row.id}`,
        });
      }
      return rows.length;
    });
  }

  /** The earliest instant a pending notification is due, or null. */
  async nextInstant(): Promise<Date | null> {
    const [row] = await this.app.database.db.select({ at: min(notifications.deliverAt) }).from(notifications).where(isNull(notifications.deliveredAt));
    return row?.at instanceof Date ? row.at : null;
  }

  private schedule(at: number) {
    if (this.stopped) return;
    const now = this.now().getTime();
    const target = Math.min(at, now + this.maxSleepMs);
    if (this.timer && this.wakeAt !== null && this.wakeAt <= target) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = target;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wakeAt = null;
      void this.cycle();
    }, Math.max(0, target - now));
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.runOnce();
      const next = await this.nextInstant();
      this.schedule(next ? next.getTime() : Number.POSITIVE_INFINITY);
    } catch (error) {
      this.options.onError?.(error);
      this.schedule(this.now().getTime() + 1000);
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.app.bus.subscribe(SCHEDULED_EVENT, (event) => {
      const at = typeof event.data?.at === 'string' ? Date.parse(event.data.at) : NaN;
      if (!Number.isNaN(at)) this.schedule(at);
    });
    void this.cycle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.drainer.current?.catch(() => 0);
  }
}

