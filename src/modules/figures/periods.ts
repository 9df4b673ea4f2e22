/**
 * Reporting periods in the organization's time zone: day, ISO week (Monday first, as in China), month,
 * quarter and year. A period has a key (`2026-11-23`, `2026-W48`, `2026-11`, `2026-Q4`, `2026`) and the UTC
 * instants [start, end) it covers, so "November in Asia/Shanghai" starts at 2026-10-31T16:00Z. Daily rollups
 * are keyed by local date; larger periods are unions of whole local days. No I/O.
 */
import { DateTime } from 'luxon';

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

export interface Period {
  grain: Grain;
  key: string;
  /** First instant (inclusive). */
  start: Date;
  /** First instant of the next period (exclusive). */
  end: Date;
  /** First and last local dates, `YYYY-MM-DD`. */
  firstDay: string;
  lastDay: string;
}

function zoned(instant: Date, zone: string): DateTime {
  const dt = DateTime.fromJSDate(instant, { zone });
  if (!dt.isValid) throw new RangeError(`invalid time zone ${zone}`);
  return dt;
}

function startOfGrain(dt: DateTime, grain: Grain): DateTime {
  switch (grain) {
    case 'day':
      return dt.startOf('day');
    case 'week':
      return dt.startOf('week'); // luxon weeks are ISO weeks: Monday first
    case 'month':
      return dt.startOf('month');
    case 'quarter':
      return dt.startOf('quarter');
    case 'year':
      return dt.startOf('year');
  }
}

const STEP: Record<Grain, object> = { day: { days: 1 }, week: { weeks: 1 }, month: { months: 1 }, quarter: { quarters: 1 }, year: { years: 1 } };

function keyOf(start: DateTime, grain: Grain): string {
  switch (grain) {
    case 'day':
      return start.toFormat('yyyy-MM-dd');
    case 'week':
      return `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`;
    case 'month':
      return start.toFormat('yyyy-MM');
    case 'quarter':
      return `${start.year}-Q${start.quarter}`;
    case 'year':
      return String(start.year);
  }
}

function periodFrom(start: DateTime, grain: Grain): Period {
  const next = start.plus(STEP[grain]);
  return {
    grain,
    key: keyOf(start, grain),
    start: start.toJSDate(),
    end: next.toJSDate(),
    firstDay: start.toFormat('yyyy-MM-dd'),
    lastDay: next.minus({ days: 1 }).toFormat('yyyy-MM-dd'),
  };
}

/** The period of the given grain that contains the instant, in the zone. */
export function periodOf(instant: Date, zone: string, grain: Grain): Period {
  return periodFrom(startOfGrain(zoned(instant, zone), grain), grain);
}

/** The local date (`YYYY-MM-DD`) of an instant in the zone. */
export function localDay(instant: Date, zone: string): string {
  return zoned(instant, zone).toFormat('yyyy-MM-dd');
}

const KEY_PATTERNS: Record<Grain, RegExp> = {
  day: /^(\d{4})-(\d{2})-(\d{2})$/,
  week: /^(\d{4})-W(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
  quarter: /^(\d{4})-Q([1-4])$/,
  year: /^(\d{4})$/,
};

/** The grain a period key is written in, or null. */
export function grainOfKey(key: string): Grain | null {
  return GRAINS.find((g) => KEY_PATTERNS[g].test(key)) ?? null;
}

/** The period a key names (`2026-Q4` …) in the zone; throws RangeError for a malformed or impossible key. */
export function parsePeriod(key: string, zone: string): Period {
  const grain = grainOfKey(key);
  if (!grain) throw new RangeError(`not a period key: ${key}`);
  const m = KEY_PATTERNS[grain].exec(key)!;
  const y = Number(m[1]);
  const n = Number(m[2] ?? 1);
  const d = Number(m[3] ?? 1);
  let start: DateTime;
  switch (grain) {
    case 'day':
      start = DateTime.fromObject({ year: y, month: n, day: d }, { zone });
      break;
    case 'week':
      start = DateTime.fromObject({ weekYear: y, weekNumber: n, weekday: 1 }, { zone });
      break;
    case 'month':
      start = DateTime.fromObject({ year: y, month: n, day: 1 }, { zone });
      break;
    case 'quarter':
      start = DateTime.fromObject({ year: y, month: (n - 1) * 3 + 1, day: 1 }, { zone });
      break;
    case 'year':
      start = DateTime.fromObject({ year: y, month: 1, day: 1 }, { zone });
      break;
  }
  if (!start.isValid) throw new RangeError(`not a valid period: ${key}`);
  const period = periodFrom(start.startOf('day'), grain);
  // Luxon normalizes overflow (week 54, month 13, 2026-02-30); the key must survive the round trip.
  if (period.key !== key) throw new RangeError(`not a valid period: ${key}`);
  return period;
}

/** The periods of a grain from the one containing `from` to the one containing `to` (inclusive), in order. */
export function periodsBetween(from: Date, to: Date, zone: string, grain: Grain, limit = 5000): Period[] {
  const out: Period[] = [];
  let start = startOfGrain(zoned(from, zone), grain);
  const last = startOfGrain(zoned(to, zone), grain);
  while (start <= last) {
    if (out.length >= limit) throw new RangeError(`more than ${limit} periods`);
    out.push(periodFrom(start, grain));
    start = start.plus(STEP[grain]);
  }
  return out;
}

/** The periods of a finer grain that make up a period (days of a month, months of a quarter…). */
export function subPeriods(period: Period, zone: string, grain: Grain): Period[] {
  return periodsBetween(period.start, new Date(period.end.getTime() - 1), zone, grain);
}
