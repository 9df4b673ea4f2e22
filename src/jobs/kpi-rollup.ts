/**
 * The rollup job (docs/figures.md): claims the (organization, local day) pairs the triggers marked dirty
 * (`FOR UPDATE SKIP LOCKED`, so several nodes share the work), recomputes their kpi_daily rows with the same
 * function `pledge kpi rebuild` runs, and deletes the marks, all in one transaction. A write that marks a day
 * while its mark is held waits for the job's commit and marks it anew (see the migration), so nothing is lost.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { App } from '../core/context.js';
import { Drainer } from '../core/drain.js';
import { recomputeDaysTx } from '../modules/figures/rollup.js';
import { kpiDirtyDays } from '../modules/figures/schema.js';

export interface KpiRollupOptions {
  /** Days claimed per transaction. */
  batchSize?: number;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export class KpiRollupWorker {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly drainer = new Drainer(async () => {
    const handled = await this.runBatch();
    return { handled, more: handled >= this.batchSize };
  });

  constructor(
    private readonly app: App,
    private readonly options: KpiRollupOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.intervalMs = options.intervalMs ?? 5_000;
  }

  /** Recomputes one batch of dirty days in one transaction; returns how many days. */
  async runBatch(): Promise<number> {
    return this.app.database.db.transaction(async (tx) => {
      const claimed = await tx
        .select({ orgId: kpiDirtyDays.orgId, day: kpiDirtyDays.day })
        .from(kpiDirtyDays)
        .orderBy(kpiDirtyDays.markedAt, kpiDirtyDays.orgId, kpiDirtyDays.day)
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      const byOrg = new Map<string, string[]>();
      for (const c of claimed) byOrg.set(c.orgId, [...(byOrg.get(c.orgId) ?? []), c.day]);
      for (const [orgId, days] of byOrg) {
        await recomputeDaysTx(tx, orgId, days);
        await tx.delete(kpiDirtyDays).where(and(eq(kpiDirtyDays.orgId, orgId), inArray(kpiDirtyDays.day, days)));
      }
      return claimed.length;
    });
  }

  /** Recomputes every dirty day; returns how many. */
  runOnce(): Promise<number> {
    return this.drainer.run();
  }

  /** How many days wait to be recomputed. */
  async pending(): Promise<number> {
    const [row] = await this.app.database.db.select({ n: sql<number>`count(*)::int` }).from(kpiDirtyDays);
    return Number(row?.n ?? 0);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.runOnce()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.drainer.current?.catch(() => 0);
  }
}
