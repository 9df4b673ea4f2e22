/**
 * Pure helpers of the dashboards: how figures read (percent with one decimal, durations in words, counts with
 * separators), the change against the previous period, and the calendar arithmetic on local days (months,
 * the last twelve months, the days of a weekday in a range). No I/O, no clock: the caller passes "today".
 * Local days are 'YYYY-MM-DD' strings in the organization's zone; the arithmetic here never converts zones.
 */

/** The words of durations in the UI language (from the dashboards namespace). */
export interface DurationUnits {
  day: string;
  hour: string;
  minute: string;
  second: string;
}

/** A percent figure with one decimal: 93.4%. Null (nothing to measure) reads as an em dash. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${roundTo(value, 1).toFixed(1)}%`;
}

/** Rounds half away from zero to `digits` decimals (toFixed alone rounds 0.05 down on some values). */
export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * f + Number.EPSILON * f)) / f;
}

/**
 * A duration in words, with its two largest units: "45 秒", "4 分 5 秒", "2 小时 15 分", "3 天 4 小时".
 * Under a minute: whole seconds (tenths under 10 s). Null reads as an em dash.
 */
export function humanizeSeconds(seconds: number | null | undefined, units: DurationUnits): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.abs(seconds);
  if (abs < 10) return `${sign}${roundTo(abs, 1)} ${units.second}`;
  if (abs < 60) return `${sign}${Math.round(abs)} ${units.second}`;
  const whole = Math.round(abs);
  const parts: [number, string][] = [
    [Math.floor(whole / 86_400), units.day],
    [Math.floor((whole % 86_400) / 3600), units.hour],
    [Math.floor((whole % 3600) / 60), units.minute],
    [whole % 60, units.second],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  const shown = parts.slice(first, first + 2).filter(([n], i) => i === 0 || n > 0);
  return sign + shown.map(([n, u]) => `${n} ${u}`).join(' ');
}

/** A count with the locale's thousands separators (12,345). */
export function formatCount(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** Any figure by its unit (the units of GET /kpis/definitions). */
export function formatFigure(value: number | null | undefined, unit: string, units: DurationUnits, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return formatPercent(value);
    case 'seconds':
      return humanizeSeconds(value, units);
    case 'minutes':
      return humanizeSeconds(value * 60, units);
    case 'hours':
      return humanizeSeconds(value * 3600, units);
    case 'working_days':
    case 'days':
      return `${roundTo(value, 1)} ${units.day}`;
    case 'score5':
      return roundTo(value, 2).toFixed(2);
    case 'score100':
      return roundTo(value, 1).toFixed(1);
    default:
      return formatCount(value, locale);
  }
}

export type Direction = 'up' | 'down' | 'flat';

export interface Change {
  /** Percent figures: the difference in percentage points; other figures: the relative change in percent. */
  delta: number;
  /** 'points' for percent figures, 'relative' for the others. */
  kind: 'points' | 'relative';
  direction: Direction;
  /** Whether the change is for the better (by the indicator's better direction); null when flat. */
  good: boolean | null;
}

/**
 * The change of a figure against the previous period, or null when either side has nothing to measure (or a
 * relative change from 0, which has no size). Percent figures change by percentage points, the others by a
 * relative percent.
 */
export function changeOf(current: number | null | undefined, previous: number | null | undefined, unit: string, better: 'higher' | 'lower'): Change | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return null;
  let delta: number;
  let kind: Change['kind'];
  if (unit === 'percent') {
    delta = roundTo(current - previous, 1);
    kind = 'points';
  } else {
    if (previous === 0) return null;
    delta = roundTo(((current - previous) / Math.abs(previous)) * 100, 1);
    kind = 'relative';
  }
  const direction: Direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const good = direction === 'flat' ? null : (direction === 'up') === (better === 'higher');
  return { delta, kind, direction, good };
}

/** A change as text: "+1.2 pp", "−3.5%" (points in the UI's word for them). */
export function formatChange(change: Change, pointsWord: string): string {
  const sign = change.delta > 0 ? '+' : change.delta < 0 ? '−' : '±';
  const size = Math.abs(change.delta).toFixed(1);
  return change.kind === 'points' ? `${sign}${size} ${pointsWord}` : `${sign}${size}%`;
}

// ---------- local days and months ----------

const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function parseMonth(key: string): { y: number; m: number } {
  const match = MONTH.exec(key);
  if (!match) throw new RangeError(`not a month: ${key}`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  if (m < 1 || m > 12) throw new RangeError(`not a month: ${key}`);
  return { y, m };
}

export function isMonthKey(key: string): boolean {
  try {
    parseMonth(key);
    return true;
  } catch {
    return false;
  }
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The month `delta` months after `key` (negative: before): addMonths('2026-01', -1) = '2025-12'. */
export function addMonths(key: string, delta: number): string {
  const { y, m } = parseMonth(key);
  const index = y * 12 + (m - 1) + delta;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** The first and last local day of a month: '2026-02' → 2026-02-01 … 2026-02-28. */
export function monthRange(key: string): { from: string; to: string } {
  const { y, m } = parseMonth(key);
  return { from: `${key}-01`, to: `${key}-${pad(daysInMonth(y, m))}` };
}

/** The month a local day falls in. */
export function monthOfDay(day: string): string {
  const match = DAY.exec(day);
  if (!match) throw new RangeError(`not a day: ${day}`);
  return `${match[1]}-${match[2]}`;
}

/** The `count` months ending with `key`, oldest first. */
export function monthsEndingWith(key: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(key, i - count + 1));
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local day. */
export function isoWeekday(day: string): number {
  const match = DAY.exec(day);
  if (!match) throw new RangeError(`not a day: ${day}`);
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDay();
  return d === 0 ? 7 : d;
}

function dayAfter(day: string): string {
  const match = DAY.exec(day)!;
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The local days from `from` to `to` (inclusive) that fall on the ISO weekday (the days of a heat-map row). */
export function daysOfWeekday(from: string, to: string, weekday: number): string[] {
  if (!DAY.test(from) || !DAY.test(to)) throw new RangeError(`not a day: ${from} / ${to}`);
  const days: string[] = [];
  let day = from;
  const shift = (weekday - isoWeekday(from) + 7) % 7;
  for (let i = 0; i < shift; i++) day = dayAfter(day);
  while (day <= to) {
    days.push(day);
    for (let i = 0; i < 7; i++) day = dayAfter(day);
  }
  return days;
}

/** Whether a figure meets a threshold (null when either is missing), as the server's targets view decides it. */
export function meets(figure: number | null | undefined, comparator: '>=' | '<=', threshold: number | null | undefined): boolean | null {
  if (figure === null || figure === undefined || threshold === null || threshold === undefined) return null;
  return comparator === '>=' ? figure >= threshold : figure <= threshold;
}
