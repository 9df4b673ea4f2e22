/**
 * The heat map of registrations by hour and weekday (docs/figures.md): the daily rollups count each day's
 * registrations per local hour; the weekday is the local day's, ISO numbered (1 = Monday … 7 = Sunday, the Chinese
 * week). Pure: service.ts reads the rows.
 */

export interface HeatmapCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local hour, 0 = 00:00–00:59. */
  hour: number;
  count: number;
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a local date `YYYY-MM-DD`. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  if (Number.isNaN(d)) throw new RangeError(`not a day: ${day}`);
  return d === 0 ? 7 : d;
}

/**
 * All 168 cells (weekday-major, then hour) summed from (local day, registrations per hour) rows, with the largest
 * count (0 when there is none) and the total.
 */
export function heatmapOf(rows: Iterable<{ day: string; byHour: readonly number[] | undefined }>): { cells: HeatmapCell[]; max: number; total: number } {
  const counts = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const r of rows) {
    if (!r.byHour) continue;
    const w = counts[isoWeekday(r.day) - 1]!;
    for (let h = 0; h < 24; h++) w[h]! += r.byHour[h] ?? 0;
  }
  const cells: HeatmapCell[] = [];
  let max = 0;
  let total = 0;
  for (let w = 0; w < 7; w++) {
    for (let h = 0; h < 24; h++) {
      const count = counts[w]![h]!;
      cells.push({ weekday: w + 1, hour: h, count });
      max = Math.max(max, count);
      total += count;
    }
  }
  return { cells, max, total };
}
