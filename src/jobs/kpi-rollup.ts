/**
 * The rollup job (docs/figures.md): claims the (organization, local day) pairs the triggers marked dirty
 * (`FOR UPDATE SKIP LOCKED`, so several nodes share the work), recomputes their kpi_daily rows with the same
 * function `pledge kpi rebuild` runs, and deletes the marks it claimed, all in one transaction. Marks are
 * appended (drizzle/0013): a write never waits for the job, and a mark written during a recompute is not among
 * the claimed ones, so it survives and its day is recomputed by the next run. Nothing is lost.
 */
import { inArray, sql } from 'drizzle-orm';
import type { App } from '../core/context.js';
import { Drainer } from '../core/drain.js';
import { tryLockDaysTx } from '../modules/figures/day-locks.js';
import { recomputeDaysTx } from '../modules/figures/rollup.js';
import { kpiDirtyDays } from '../modules/figures/schema.js';
import { IntervalLoop } from './interval-loop.js';

/** Marks claimed per day of a batch, on average (a busy day collects one mark per writing statement). */
const MARKS_PER_DAY = 40;

export interface KpiRollupOptions {
  /** Days claimed per transaction. */
  batchSize?: number;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export class KpiRollupWorker {
  private readonly batchSize: number;
  private readonly loop: IntervalLoop;
  private readonly drainer = new Drainer(() => this.runBatch());

  constructor(
    private readonly app: App,
    private readonly options: KpiRollupOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.loop = new IntervalLoop(() => this.runOnce(), options.intervalMs ?? 5_000, options.onError);
  }

  /**
   * Recomputes one batch of dirty days in one transaction: claims the oldest marks nobody holds, takes the
   * days' locks that are free (a day another node is recomputing is left for later, marks and all), recomputes
   * those days and deletes exactly the marks it claimed for them. Returns the days recomputed, and whether more
   * marks may be waiting.
   */
  async runBatch(): Promise<{ handled: number; more: boolean }> {
    return this.app.database.db.transaction(async (tx) => {
      const window = this.batchSize * MARKS_PER_DAY;
      const marks = await tx
        .select({ id: kpiDirtyDays.id, orgId: kpiDirtyDays.orgId, day: kpiDirtyDays.day })
        .from(kpiDirtyDays)
        .orderBy(kpiDirtyDays.id)
        .limit(window)
        .for('update', { skipLocked: true });
      const days = new Map<string, { orgId: string; day: string; ids: number[] }>();
      let left = marks.length === window;
      for (const m of marks) {
        const key = `${m.orgId}|${m.day}`;
        let d = days.get(key);
        if (!d) {
          if (days.size >= this.batchSize) {
            left = true;
            continue;
          }
          days.set(key, (d = { orgId: m.orgId, day: m.day, ids: [] }));
        }
        d.ids.push(m.id);
      }
      const byOrg = new Map<string, string[]>();
      for (const d of days.values()) byOrg.set(d.orgId, [...(byOrg.get(d.orgId) ?? []), d.day]);
      let handled = 0;
      const done: number[] = [];
      for (const [orgId, wanted] of byOrg) {
        const taken = new Set(await tryLockDaysTx(tx, orgId, wanted));
        if (taken.size === 0) continue;
        await recomputeDaysTx(tx, orgId, [...taken]);
        handled += taken.size;
        for (const day of taken) done.push(...days.get(`${orgId}|${day}`)!.ids);
      }
      for (let i = 0; i < done.length; i += 5_000) await tx.delete(kpiDirtyDays).where(inArray(kpiDirtyDays.id, done.slice(i, i + 5_000)));
      // Stop when nothing could be taken (the days are another node's now) rather than spin on its marks.
      return { handled, more: handled > 0 && left };
    });
  }

  /** Recomputes every dirty day; returns how many. */
  runOnce(): Promise<number> {
    return this.drainer.run();
  }

  /** How many (organization, day) pairs wait to be recomputed. */
  async pending(): Promise<number> {
    const [row] = await this.app.database.db.select({ n: sql<number>`count(DISTINCT (${kpiDirtyDays.orgId}, ${kpiDirtyDays.day}))::int` }).from(kpiDirtyDays);
    return Number(row?.n ?? 0);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.drainer.current?.catch(() => 0);
  }
}
