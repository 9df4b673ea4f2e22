/**
 * Monthly rollups: kpi_monthly holds, per organization, local month, dimension and value, the sum of that
 * month's kpi_daily rows, so a month, quarter or year of figures reads one row per value instead of one per day.
 * `recomputeMonthsTx` is the only writer; it runs in the same transaction right after the days it sums are
 * recomputed (by the rollup job and by `pledge kpi rebuild`), under a per-month advisory lock, so the monthly
 * rows are always the exact sum of the daily ones (see monthly.test.ts).
 */
import { and, between, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../core/db/client.js';
import { lockDaysTx } from './day-locks.js';
import { addCountersInto, addSketchesInto, emptyCounters, emptySketches, type DailyCounters, type DailySketches } from './rollup-facts.js';
import { kpiDaily, kpiMonthly } from './schema.js';

const MONTH = /^\d{4}-\d{2}$/;

/** The months (`YYYY-MM`) the local days (`YYYY-MM-DD`) fall in, sorted, without repeats. */
export function monthsOf(days: readonly string[]): string[] {
  return [...new Set(days.map((d) => d.slice(0, 7)))].sort();
}

/** The first and last local day of a month `YYYY-MM`. */
export function daysOfMonth(month: string): { first: string; last: string } {
  if (!MONTH.test(month)) throw new RangeError(`not a month: ${month}`);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(last).padStart(2, '0')}` };
}

/** Replaces the kpi_monthly rows of these months with the sums of their kpi_daily rows; returns the rows written. */
export async function recomputeMonthsTx(t: Executor, orgId: string, months: readonly string[]): Promise<number> {
  const wanted = [...new Set(months)].sort();
  for (const m of wanted) if (!MONTH.test(m)) throw new RangeError(`not a month: ${m}`);
  if (wanted.length === 0) return 0;
  // Month keys (YYYY-MM) never collide with day keys (YYYY-MM-DD); days are always locked before months.
  await lockDaysTx(t, orgId, wanted);
  const sums = new Map<string, { month: string; dim: string; dimValue: string; counters: DailyCounters; sketches: DailySketches }>();
  for (const month of wanted) {
    const { first, last } = daysOfMonth(month);
    const rows = await t
      .select({ dim: kpiDaily.dim, dimValue: kpiDaily.dimValue, counters: kpiDaily.counters, sketches: kpiDaily.sketches })
      .from(kpiDaily)
      .where(and(eq(kpiDaily.orgId, orgId), between(kpiDaily.day, first, last)));
    for (const r of rows) {
      const key = `${month}|${r.dim}|${r.dimValue}`;
      let s = sums.get(key);
      if (!s) sums.set(key, (s = { month, dim: r.dim, dimValue: r.dimValue, counters: emptyCounters(), sketches: emptySketches() }));
      addCountersInto(s.counters, r.counters);
      addSketchesInto(s.sketches, r.sketches);
    }
  }
  await t.delete(kpiMonthly).where(and(eq(kpiMonthly.orgId, orgId), inArray(kpiMonthly.month, wanted)));
  const values = [...sums.values()].map((s) => ({ orgId, ...s }));
  for (let i = 0; i < values.length; i += 500) await t.insert(kpiMonthly).values(values.slice(i, i + 500));
  return values.length;
}
