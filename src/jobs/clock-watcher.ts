/**
 * The clock watcher: records warnings and breaches as their instants pass. Several app nodes may run one
 * each; they claim due clocks with `FOR UPDATE SKIP LOCKED`, so each warning and breach is recorded once.
 * It sleeps until the earliest pending instant (asked of two partial indexes), wakes early when a clock
 * with an earlier instant is scheduled anywhere (the `clock.scheduled` event, which reaches every node
 * through LISTEN/NOTIFY), and re-checks at least every `maxSleepMs` as a safety net.
 */
import { and, eq, isNotNull, isNull, lte, min, or } from 'drizzle-orm';
import { TimedWorker, type TimedWorkerOptions } from './timed-worker.js';
import { audit } from '../core/audit.js';
import { systemCtx, transact, type App, type TxCtx } from '../core/context.js';
import { clocks } from '../modules/clocks/schema.js';
import { tickClock } from '../modules/clocks/clock-state.js';
import { toRecord } from '../modules/clocks/service.js';
import { notifyClockTx } from '../modules/notifications/service.js';
import { correctiveAfterClockTx } from '../modules/corrective-actions/findings.js';

export type WatcherOptions = TimedWorkerOptions;

export class ClockWatcher extends TimedWorker {
  constructor(app: App, options: WatcherOptions = {}) {
    super(app, 'clock.scheduled', options);
  }

  /**
   * One batch in one transaction: the clocks' new state, their audit entries and their events (which go out
   * with the commit, by NOTIFY on PostgreSQL) are written together. Clocks of several organizations may be
   * in one batch, so each audit entry and event names the clock's own organization.
   */
  protected async runBatch(): Promise<number> {
    const now = this.now();
    const app = this.app;
    // The claim runs as the system; events are emitted per clock inside the transaction.
    return transact(systemCtx(app, '00000000-0000-0000-0000-000000000000', { now: () => now }), async (t) => {
      const rows = await t.tx
        .select()
        .from(clocks)
        .where(
          and(
            eq(clocks.state, 'running'),
            or(and(isNull(clocks.breachedAt), lte(clocks.dueAt, now)), and(isNull(clocks.warnedAt), isNotNull(clocks.warningAt), lte(clocks.warningAt, now))),
          ),
        )
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      for (const row of rows) {
        const tick = tickClock(toRecord(row), now);
        if (!tick.warned && !tick.breached) continue;
        await t.tx.update(clocks).set({ state: tick.clock.state, warnedAt: tick.clock.warnedAt, breachedAt: tick.clock.breachedAt, updatedAt: now }).where(eq(clocks.id, row.id));
        const inOrg = { ...t, orgId: row.orgId, actor: { kind: 'system' as const, orgId: row.orgId, name: 'clock watcher' } };
        const data = { subjectType: row.subjectType, subjectId: row.subjectId, kind: row.kind, dueAt: row.dueAt.toISOString() };
        if (tick.warned) {
          await audit(inOrg, { action: 'clock.warn', entityType: 'clock', entityId: row.id, after: { warnedAt: tick.clock.warnedAt, ...data } });
          await emitIn(t, row.orgId, 'clock.warning', row.id, data);
        }
        if (tick.breached) {
          await audit(inOrg, { action: 'clock.breach', entityType: 'clock', entityId: row.id, after: { breachedAt: tick.clock.breachedAt, ...data } });
          await emitIn(t, row.orgId, 'clock.breached', row.id, data);
          // A breached request clock may raise a corrective action; an action's own clock marks it overdue.
          await correctiveAfterClockTx(inOrg, row, 'breached');
        }
        // Notifications are written in this transaction (the clock is claimed by this watcher only), so each
        // warning and breach notifies once; a clock found warned and breached at once notifies its breach.
        await notifyClockTx(inOrg, row, tick.breached ? 'breached' : 'warning');
      }
      return rows.length;
    });
  }

  /** The earliest pending warning or due instant of any running clock, or null. */
  async nextInstant(): Promise<Date | null> {
    const db = this.app.database.db;
    const [dueRow] = await db.select({ at: min(clocks.dueAt) }).from(clocks).where(and(eq(clocks.state, 'running'), isNull(clocks.breachedAt)));
    const [warnRow] = await db
      .select({ at: min(clocks.warningAt) })
      .from(clocks)
      .where(and(eq(clocks.state, 'running'), isNull(clocks.warnedAt), isNotNull(clocks.warningAt)));
    const candidates = [dueRow?.at, warnRow?.at].filter((d): d is Date => d instanceof Date);
    return candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
  }
}

async function emitIn(t: TxCtx, orgId: string, type: string, clockId: string, data: Record<string, unknown>) {
  await t.emit(type, { orgId, entityType: 'clock', entityId: clockId, data });
}
