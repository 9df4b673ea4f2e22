/**
 * Business-time arithmetic: how many working milliseconds lie between two instants, and when a commitment made at
 * one instant falls due. Pure: no I/O, no clock; time zone data comes from luxon (the platform's Intl database).
 *
 * Model. A calendar is an IANA time zone, weekly hours (intervals of local wall time per weekday) and date
 * overrides that replace one local date's hours (a holiday is `[]`; a make-up workday 调休 gives hours to a
 * weekend date). Each local interval becomes one interval of UTC instants, and the calendar's working time is
 * the union of those. A *working day* is a local date with some working time.
 *
 * Local wall time → instant (the "compatible" rule of TC39 Temporal, java.time and RFC 5545):
 * - a wall time that happens once is that instant;
 * - a wall time in a spring-forward gap does not exist; it is read with the offset in force before the gap,
 *   which moves it forward by the gap's length — 02:30 on a New York spring-forward date is 03:30 EDT. This is
 *   what luxon's `DateTime.fromObject` does. An interval that starts in the gap therefore starts after the
 *   gap ends (a 02:30–03:15 interval on that date holds no time at all);
 * - a wall time in a fall-back overlap happens twice; the earlier instant is taken (01:00 on a New York
 *   fall-back date is 01:00 EDT). luxon itself picks whichever offset is in force *now*, which would make
 *   results depend on the season they are computed in, so the resolution is done here with luxon's zone
 *   offsets rather than with `DateTime.fromObject`.
 * So a 00:00–24:00 day holds 23 hours on a spring-forward date and 25 hours on a fall-back date.
 *
 * Compiled form. {@link compileCalendar} keeps, for a contiguous range of local years compiled on demand, sorted
 * Float64Arrays of UTC interval starts/ends with prefix sums of business milliseconds, and per local day its
 * first instant, the end of its last working interval and a running count of working days. `elapsed` and
 * `due` are then two binary searches with no allocation and no zone conversion; the range grows (forwards or
 * backwards) the first time an instant outside it is asked about. Supported local years are
 * {@link MIN_YEAR}–{@link MAX_YEAR}. Years are computed from the weekly hours whether or not holiday data is
 * known for them: see `yearsWithoutHolidayData` in cn-holidays.ts for saying so.
 */
import { DateTime, IANAZone } from 'luxon';
import { dayHoursIssues, formatPath, parseTimeOfDay, WEEKDAYS, type CalendarIssue, type CalendarIssueCode, type DayHours, type Interval, type Weekday } from './day-hours.js';

export { dayHoursIssues, formatPath, parseTimeOfDay, WEEKDAYS } from './day-hours.js';
export type { CalendarIssue, CalendarIssueCode, DayHours, Interval, LocalIssue, Weekday } from './day-hours.js';

export interface CalendarSpec {
  readonly name?: string;
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  readonly timeZone: string;
  readonly week: Readonly<Record<Weekday, DayHours>>;
  /** `YYYY-MM-DD` (local date) → hours that replace the weekly hours of that date. */
  readonly overrides: Readonly<Record<string, DayHours>>;
}

/** First and last local years a calendar can be compiled for. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;

export type CalendarErrorCode =
  | 'calendar.invalid_spec'
  | 'calendar.invalid_duration'
  | 'calendar.unsupported_duration_unit'
  | 'calendar.mixed_duration'
  | 'calendar.invalid_date'
  | 'calendar.invalid_instant'
  | 'calendar.out_of_range'
  | 'calendar.no_working_time';

/** The calendar engine's one error type: a machine-readable `code`, an English message naming the offending value, and params for translated messages. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    readonly params: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Validation shared by compileCalendar and the calendar file schema
// ---------------------------------------------------------------------------------------------------------------


/** A problem with a time zone name, or null: it must be an IANA zone luxon knows, spelled as the database spells it. */
export function timeZoneIssue(zone: string): { code: CalendarIssueCode; message: string } | null {
  if (!IANAZone.isValidZone(zone)) return { code: 'zone.unknown', message: `unknown time zone ${JSON.stringify(zone)}` };
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  if (canonical !== zone && canonical.toLowerCase() === zone.toLowerCase()) {
    return { code: 'zone.spelling', message: `time zone ${JSON.stringify(zone)} should be spelled ${JSON.stringify(canonical)}` };
  }
  return null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Civil day number (days since 1970-01-01) of a valid `YYYY-MM-DD`, or null. */
function dayNumberOfDate(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const dn = civilDayNumber(y, mo, d);
  // Date.UTC rolls 02-30 over into March; a real date maps back to itself.
  return dateOfDayNumber(dn) === text ? dn : null;
}

/** A problem with a `YYYY-MM-DD` local date, or null. */
export function localDateIssue(text: string): { code: CalendarIssueCode; message: string } | null {
  if (!DATE_RE.test(text)) return { code: 'date.format', message: `${JSON.stringify(text)} is not a date in YYYY-MM-DD form` };
  if (dayNumberOfDate(text) === null) return { code: 'date.invalid', message: 'no such date' };
  const year = Number(text.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) return { code: 'date.range', message: `outside the supported years ${MIN_YEAR}–${MAX_YEAR}` };
  return null;
}

/** Every problem in a spec (empty when it can be compiled), each with a path and a message naming its entry. */
export function calendarSpecIssues(spec: CalendarSpec): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  const add = (path: (string | number)[], code: CalendarIssueCode, message: string) =>
    issues.push({ path, code, message: `${formatPath(path)}: ${message}` });
  const zone = timeZoneIssue(spec.timeZone);
  if (zone) add(['timeZone'], zone.code, zone.message);
  for (const day of WEEKDAYS) {
    const hours = spec.week[day] as DayHours | undefined;
    if (!hours) {
      add(['week', day], 'week.missing_day', 'missing; give [] for a day without working hours');
      continue;
    }
    for (const issue of dayHoursIssues(hours)) add(['week', day, ...issue.path], issue.code, issue.message);
  }
  for (const [date, hours] of Object.entries(spec.overrides)) {
    const dateIssue = localDateIssue(date);
    if (dateIssue) add(['overrides', date], dateIssue.code, dateIssue.message);
    for (const issue of dayHoursIssues(hours)) add(['overrides', date, ...issue.path], issue.code, issue.message);
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------------------------

/** `PT…H…M…S` counts business milliseconds; `P{n}D` counts whole working days after the day of receipt. */
export type Duration = { readonly kind: 'business'; readonly ms: number } | { readonly kind: 'workingDays'; readonly days: number };

const BUSINESS_RE = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,3}))?S)?$/;
const DAYS_RE = /^P(\d+)D$/;
const MAX_WORKING_DAYS = 100_000;

/**
 * Parses a commitment duration. Accepted: `PT#H#M#S` business time (hours and minutes whole numbers, seconds
 * with up to three decimals, each part optional but at least one present, e.g. `PT40H`, `PT1H30M`, `PT0.5S`,
 * `PT0S`), and `P{n}D` with n ≥ 1 working days. Everything else throws a {@link CalendarError} naming the
 * value: weeks, months and years (their length in business time is not defined), `P1DT2H` mixtures (days and
 * hours count different things), negative or fractional days, and malformed text.
 */
export function parseDuration(text: string): Duration {
  const cached = durationCache.get(text);
  if (cached) return cached;
  const parsed = parseDurationUncached(text);
  if (durationCache.size >= 1024) durationCache.clear();
  durationCache.set(text, parsed);
  return parsed;
}

const durationCache = new Map<string, Duration>();

function parseDurationUncached(text: string): Duration {
  const quoted = JSON.stringify(text);
  if (typeof text !== 'string') throw new CalendarError('calendar.invalid_duration', `duration ${String(quoted)} is not text`, { duration: String(text) });
  const business = BUSINESS_RE.exec(text);
  if (business && text !== 'PT') {
    const [, h, m, s, frac] = business;
    const ms = Number(h ?? 0) * HOUR_MS + Number(m ?? 0) * MINUTE_MS + Number(s ?? 0) * 1000 + Number((frac ?? '').padEnd(3, '0'));
    if (!Number.isSafeInteger(ms)) throw new CalendarError('calendar.invalid_duration', `duration ${quoted} is too long`, { duration: text });
    return Object.freeze({ kind: 'business', ms });
  }
  const days = DAYS_RE.exec(text);
  if (days) {
    const n = Number(days[1]);
    if (n < 1) throw new CalendarError('calendar.invalid_duration', `duration ${quoted}: a working-day duration needs at least 1 day`, { duration: text });
    if (n > MAX_WORKING_DAYS) throw new CalendarError('calendar.invalid_duration', `duration ${quoted} is too long (at most P${MAX_WORKING_DAYS}D)`, { duration: text });
    return Object.freeze({ kind: 'workingDays', days: n });
  }
  if (/^P\d+DT/.test(text)) {
    throw new CalendarError('calendar.mixed_duration', `duration ${quoted} mixes working days with hours; use either P{n}D (working days) or PT…H…M (business time)`, { duration: text });
  }
  if (/^P(?:[\d.,]+[YMWD])*[\d.,]+[YMW]/.test(text)) {
    throw new CalendarError('calendar.unsupported_duration_unit', `duration ${quoted} uses years, months or weeks; use P{n}D (working days) or PT…H…M (business time)`, { duration: text });
  }
  if (/^PT.*\d[.,]\d*[HM]/.test(text)) {
    throw new CalendarError('calendar.invalid_duration', `duration ${quoted}: hours and minutes must be whole numbers (write PT1H30M, not PT1.5H)`, { duration: text });
  }
  throw new CalendarError('calendar.invalid_duration', `duration ${quoted} is not P{n}D (working days) or PT#H#M#S (business time)`, { duration: text });
}

function toDuration(duration: string | Duration): Duration {
  return typeof duration === 'string' ? parseDuration(duration) : duration;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and local time
// ---------------------------------------------------------------------------------------------------------------

function civilDayNumber(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function dateOfDayNumber(dn: number): string {
  return new Date(dn * DAY_MS).toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6; day 0 (1970-01-01) was a Thursday. */
function weekdayIndex(dn: number): number {
  return (((dn + 3) % 7) + 7) % 7;
}

/**
 * The instant of a local wall time, given as "local milliseconds" (the wall time read as if it were UTC).
 * Assumes no two offset changes lie within a day of each other, which real zones keep to in practice.
 */
function resolveLocal(zone: IANAZone, local: number): number {
  const before = zone.offset(local - DAY_MS);
  const after = zone.offset(local + DAY_MS);
  const early = local - before * MINUTE_MS;
  const earlyOk = zone.offset(early) === before;
  if (before === after) return early;
  const late = local - after * MINUTE_MS;
  const lateOk = zone.offset(late) === after;
  if (earlyOk && lateOk) return Math.min(early, late); // fall-back overlap: the earlier instant
  if (lateOk) return late;
  return early; // earlyOk, or a spring-forward gap: read with the offset before the gap, i.e. moved forward
}

function toInstant(value: Date | number, what: string): number {
  const ms = typeof value === 'number' ? value : value.getTime();
  if (!Number.isInteger(ms) || Math.abs(ms) > 8.64e15) throw new CalendarError('calendar.invalid_instant', `${what} is not a valid instant: ${String(value)}`, { value: String(value) });
  return ms;
}

function requireDate(text: string): number {
  const dn = DATE_RE.test(text) ? dayNumberOfDate(text) : null;
  if (dn === null) throw new CalendarError('calendar.invalid_date', `${JSON.stringify(text)} is not a date (YYYY-MM-DD)`, { date: text });
  return dn;
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------------------------------

/** One local year: every day's first instant, its own working intervals (non-empty, in order) and last end. */
interface YearChunk {
  readonly days: number;
  /** days + 1 entries: the instant of each local midnight and of the next year's first midnight. */
  readonly dayStart: Float64Array;
  /** End of the day's last working interval, NaN for a day without working time. */
  readonly dayLastEnd: Float64Array;
  readonly starts: number[];
  readonly ends: number[];
}

interface PreparedSpec {
  readonly zone: IANAZone;
  /** Per weekday (mon = 0), flat [start, end, start, end, …] minutes after midnight. */
  readonly week: readonly (readonly number[])[];
  readonly overrides: ReadonlyMap<number, readonly number[]>;
  /** Whether the weekly hours hold any time; if not, no working time exists after the last override with hours. */
  readonly weeklyWork: boolean;
  readonly lastOverrideWorkYear: number;
}

function flatten(hours: DayHours): number[] {
  const out: number[] = [];
  for (const [s, e] of hours) out.push(parseTimeOfDay(s)!, parseTimeOfDay(e)!);
  return out;
}

function compileYear(p: PreparedSpec, year: number): YearChunk {
  const first = civilDayNumber(year, 1, 1);
  const days = civilDayNumber(year + 1, 1, 1) - first;
  const dayStart = new Float64Array(days + 1);
  const dayLastEnd = new Float64Array(days);
  const starts: number[] = [];
  const ends: number[] = [];
  const zone = p.zone;
  let m0 = resolveLocal(zone, first * DAY_MS);
  let off0 = zone.offset(m0);
  for (let i = 0; i < days; i++) {
    const dn = first + i;
    const local0 = dn * DAY_MS;
    // A plain day: midnight reads 00:00 with offset off0 and the same offset holds 24 hours later, so every wall
    // time of the day is midnight plus its minutes. Otherwise (a DST date) resolve each wall time on its own.
    let plain = false;
    if (m0 === local0 - off0 * MINUTE_MS && zone.offset(m0 + DAY_MS) === off0) plain = true;
    const m1 = plain ? m0 + DAY_MS : resolveLocal(zone, local0 + DAY_MS);
    const hours = p.overrides.get(dn) ?? p.week[weekdayIndex(dn)]!;
    let lastEnd = NaN;
    for (let j = 0; j < hours.length; j += 2) {
      const s = hours[j]!;
      const e = hours[j + 1]!;
      const start = plain ? m0 + s * MINUTE_MS : resolveLocal(zone, local0 + s * MINUTE_MS);
      const end = e === MINUTES_PER_DAY ? m1 : plain ? m0 + e * MINUTE_MS : resolveLocal(zone, local0 + e * MINUTE_MS);
      if (end > start) {
        starts.push(start);
        ends.push(end);
        if (!(end <= lastEnd)) lastEnd = end;
      }
    }
    dayStart[i] = m0;
    dayLastEnd[i] = lastEnd;
    m0 = m1;
    off0 = plain ? off0 : zone.offset(m1);
  }
  dayStart[days] = m0;
  return { days, dayStart, dayLastEnd, starts, ends };
}

const EMPTY_F64 = new Float64Array(1);
const EMPTY_I32 = new Int32Array(1);

/** The mutable, growing index behind a compiled calendar. Hot paths read its typed arrays and never allocate. */
class BusinessIndex {
  firstYear = 0;
  lastYear = -1;
  firstDay = 0;
  days = 0;
  /** Instant range covered: [rangeStart, rangeEnd). Empty until the first year is compiled. */
  rangeStart = Infinity;
  rangeEnd = -Infinity;
  dayStart: Float64Array = EMPTY_F64;
  dayLastEnd: Float64Array = EMPTY_F64;
  /** wdBefore[k]: working days among local days 0..k-1 of the range. */
  wdBefore: Int32Array = EMPTY_I32;
  /** Day numbers (within the range) of the working days, in order. */
  workingDays: Int32Array = EMPTY_I32;
  workingCount = 0;
  /** The union of all working intervals, sorted and disjoint, with cum[i] = business ms before interval i. */
  starts: Float64Array = EMPTY_F64;
  ends: Float64Array = EMPTY_F64;
  cum: Float64Array = EMPTY_F64;
  count = 0;
  private readonly chunks = new Map<number, YearChunk>();

  constructor(readonly prepared: PreparedSpec) {}

  /** Compiles the local years [from, to] (with whatever lies between them and the current range) and rebuilds. */
  include(from: number, to: number): void {
    if (from < MIN_YEAR || to > MAX_YEAR) {
      const year = from < MIN_YEAR ? from : to;
      throw new CalendarError('calendar.out_of_range', `year ${year} is outside the supported years ${MIN_YEAR}–${MAX_YEAR}`, { year });
    }
    const lo = this.lastYear < this.firstYear ? from : Math.min(from, this.firstYear);
    const hi = this.lastYear < this.firstYear ? to : Math.max(to, this.lastYear);
    if (lo === this.firstYear && hi === this.lastYear) return;
    for (let y = lo; y <= hi; y++) if (!this.chunks.has(y)) this.chunks.set(y, compileYear(this.prepared, y));
    this.rebuild(lo, hi);
  }

  private rebuild(lo: number, hi: number): void {
    let days = 0;
    let intervals = 0;
    for (let y = lo; y <= hi; y++) {
      const c = this.chunks.get(y)!;
      days += c.days;
      intervals += c.starts.length;
    }
    const dayStart = new Float64Array(days + 1);
    const dayLastEnd = new Float64Array(days);
    const wdBefore = new Int32Array(days + 1);
    const workingDays = new Int32Array(Math.max(days, 1));
    const starts = new Float64Array(Math.max(intervals, 1));
    const ends = new Float64Array(Math.max(intervals, 1));
    const cum = new Float64Array(intervals + 1);
    let k = 0;
    let w = 0;
    let n = 0;
    let reach = -Infinity; // union: an interval that starts before the running end is clipped to it
    for (let y = lo; y <= hi; y++) {
      const c = this.chunks.get(y)!;
      for (let i = 0; i < c.days; i++, k++) {
        dayStart[k] = c.dayStart[i]!;
        const last = c.dayLastEnd[i]!;
        dayLastEnd[k] = last;
        wdBefore[k] = w;
        if (!Number.isNaN(last)) workingDays[w++] = k;
      }
      dayStart[k] = c.dayStart[c.days]!;
      for (let i = 0; i < c.starts.length; i++) {
        const s = Math.max(c.starts[i]!, reach);
        const e = c.ends[i]!;
        if (e <= s) continue;
        starts[n] = s;
        ends[n] = e;
        cum[n + 1] = cum[n]! + (e - s);
        n++;
        reach = e;
      }
    }
    wdBefore[k] = w;
    this.firstYear = lo;
    this.lastYear = hi;
    this.firstDay = civilDayNumber(lo, 1, 1);
    this.days = days;
    this.dayStart = dayStart;
    this.dayLastEnd = dayLastEnd;
    this.wdBefore = wdBefore;
    this.workingDays = workingDays;
    this.workingCount = w;
    this.starts = starts;
    this.ends = ends;
    this.cum = cum;
    this.count = n;
    this.rangeStart = dayStart[0]!;
    this.rangeEnd = dayStart[days]!;
  }

  /** Makes sure the instant t lies in the compiled range. */
  cover(t: number): void {
    if (t >= this.rangeStart && t < this.rangeEnd) return;
    for (;;) {
      const year = new Date(t).getUTCFullYear();
      if (this.lastYear < this.firstYear) this.include(year, year);
      else if (t < this.rangeStart) this.include(Math.min(year, this.firstYear - 1), this.firstYear);
      else if (t >= this.rangeEnd) this.include(this.lastYear, Math.max(year, this.lastYear + 1));
      else return;
    }
  }

  /** Compiles `years` more years after the range, refusing when no working time can follow. */
  growForward(years: number): void {
    const p = this.prepared;
    if (!p.weeklyWork && this.lastYear >= p.lastOverrideWorkYear) {
      throw new CalendarError('calendar.no_working_time', 'the calendar has no working time after this instant (no weekly hours and no later override with hours)');
    }
    if (this.lastYear >= MAX_YEAR) {
      throw new CalendarError('calendar.out_of_range', `the due instant lies beyond ${MAX_YEAR}, the last supported year`, { year: MAX_YEAR + 1 });
    }
    this.include(this.lastYear, Math.min(MAX_YEAR, this.lastYear + years));
  }

  /** Index of the local day containing t (t covered). */
  dayOf(t: number): number {
    const a = this.dayStart;
    let lo = 0;
    let hi = this.days;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Business ms in [rangeStart, t) (t covered). */
  before(t: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    const i = lo - 1;
    const end = this.ends[i]!;
    return this.cum[i]! + (t < end ? t : end) - starts[i]!;
  }

  /** Index of the first working interval that ends after t. */
  firstEndingAfter(t: number): number {
    const ends = this.ends;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  elapsed(a: number, b: number): number {
    if (!(b > a)) return 0;
    this.cover(a);
    this.cover(b);
    return this.before(b) - this.before(a);
  }

  dueBusiness(a: number, ms: number): number {
    this.cover(a);
    if (ms <= 0) return a;
    for (let grow = 1; ; grow *= 2) {
      const target = this.before(a) + ms;
      const cum = this.cum;
      const n = this.count;
      if (target <= cum[n]!) {
        // Smallest j ≥ 1 with cum[j] ≥ target: the target is reached inside interval j - 1.
        let lo = 1;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cum[mid]! >= target) hi = mid;
          else lo = mid + 1;
        }
        const i = lo - 1;
        return this.starts[i]! + (target - cum[i]!);
      }
      this.growForward(grow);
    }
  }

  /** Index (within the range) of the n-th working day after day k, growing the range as needed. */
  nthWorkingDayAfter(k0: number, n: number): number {
    // Growing only appends, so day indices stay valid.
    for (let grow = 1; ; grow *= 2) {
      const m = this.wdBefore[k0 + 1]! + n - 1;
      if (m < this.workingCount) return this.workingDays[m]!;
      this.growForward(grow);
    }
  }

  dueWorkingDays(a: number, days: number): number {
    this.cover(a);
    const j = this.nthWorkingDayAfter(this.dayOf(a), days); // may grow the range: read the arrays afterwards
    return this.dayLastEnd[j]!;
  }

  /** Index of a local date (day number) within the range, compiling its year if needed. */
  dayIndex(dn: number): number {
    const year = Number(dateOfDayNumber(dn).slice(0, 4));
    if (year < this.firstYear || year > this.lastYear || this.lastYear < this.firstYear) this.include(year, year);
    return dn - this.firstDay;
  }
}

let indexOf!: (cal: CompiledCalendar) => BusinessIndex;

/** A calendar ready for arithmetic. Opaque: use the functions of this module. Compiles further years on demand. */
export class CompiledCalendar {
  readonly #index: BusinessIndex;
  static {
    indexOf = (cal) => cal.#index;
  }
  /** @internal Use {@link compileCalendar}. */
  constructor(
    readonly spec: CalendarSpec,
    readonly timeZone: string,
    index: BusinessIndex,
  ) {
    this.#index = index;
  }
}

/**
 * Validates and prepares a calendar. Throws a {@link CalendarError} `calendar.invalid_spec` (with `params.issues`)
 * for an invalid spec. Years are compiled lazily on first use and cached; pass `years` to compile a range now
 * (for example before a benchmark). The spec is copied, so later changes to it have no effect.
 */
export function compileCalendar(spec: CalendarSpec, options: { years?: readonly [from: number, to: number] } = {}): CompiledCalendar {
  const issues = calendarSpecIssues(spec);
  if (issues.length > 0) {
    throw new CalendarError('calendar.invalid_spec', `invalid calendar: ${issues.map((i) => i.message).join('; ')}`, { issues });
  }
  const copy = freezeSpec(spec);
  const overrides = new Map<number, readonly number[]>();
  let lastOverrideWorkYear = -Infinity;
  for (const [date, hours] of Object.entries(copy.overrides)) {
    overrides.set(dayNumberOfDate(date)!, flatten(hours));
    if (hours.length > 0) lastOverrideWorkYear = Math.max(lastOverrideWorkYear, Number(date.slice(0, 4)));
  }
  const week = WEEKDAYS.map((day) => flatten(copy.week[day]));
  const prepared: PreparedSpec = {
    zone: IANAZone.create(copy.timeZone),
    week,
    overrides,
    weeklyWork: week.some((h) => h.length > 0),
    lastOverrideWorkYear,
  };
  const index = new BusinessIndex(prepared);
  if (options.years) index.include(Math.min(...options.years), Math.max(...options.years));
  return new CompiledCalendar(copy, copy.timeZone, index);
}

function freezeSpec(spec: CalendarSpec): CalendarSpec {
  const hours = (h: DayHours): DayHours => Object.freeze(h.map(([s, e]) => Object.freeze([s, e] as const)));
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, hours(spec.week[d])])) as Record<Weekday, DayHours>;
  const overrides = Object.fromEntries(Object.entries(spec.overrides).map(([d, h]) => [d, hours(h)]));
  return Object.freeze({
    ...(spec.name === undefined ? {} : { name: spec.name }),
    timeZone: spec.timeZone,
    week: Object.freeze(week),
    overrides: Object.freeze(overrides),
  });
}

/** The local years compiled so far, or null before first use. */
export function compiledYears(cal: CompiledCalendar): readonly [number, number] | null {
  const index = indexOf(cal);
  return index.lastYear < index.firstYear ? null : [index.firstYear, index.lastYear];
}

// ---------------------------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------------------------

/** Business milliseconds inside [a, b); 0 when b ≤ a. O(log n), no allocation once the years are compiled. */
export function elapsed(cal: CompiledCalendar, a: Date | number, b: Date | number): number {
  return indexOf(cal).elapsed(toInstant(a, 'start'), toInstant(b, 'end'));
}

/**
 * When a duration started at `a` falls due, as epoch milliseconds (the allocation-free form of {@link due}).
 * - Business time `PT…`: the earliest t ≥ a with elapsed(a, t) ≥ duration. Time that runs out exactly when an
 *   interval ends is due at that end (18:00, not 09:00 the next working day); a zero duration is due at a.
 * - Working days `P{n}D`: the end of the last working interval of the n-th working day after the local date of
 *   a. The day of receipt never counts, even when a is before opening on a working day ("5 个工作日内").
 * Throws `calendar.no_working_time` if the calendar never works again, `calendar.out_of_range` past MAX_YEAR.
 */
export function dueMs(cal: CompiledCalendar, a: Date | number, duration: string | Duration): number {
  const d = toDuration(duration);
  const start = toInstant(a, 'start');
  const index = indexOf(cal);
  return d.kind === 'business' ? index.dueBusiness(start, d.ms) : index.dueWorkingDays(start, d.days);
}

/** When a duration started at `a` falls due; see {@link dueMs} for the rules. */
export function due(cal: CompiledCalendar, a: Date | number, duration: string | Duration): Date {
  return new Date(dueMs(cal, a, duration));
}

/** The local date (`YYYY-MM-DD`) of an instant in the calendar's zone. */
export function localDateOf(cal: CompiledCalendar, t: Date | number): string {
  const index = indexOf(cal);
  const ms = toInstant(t, 'instant');
  index.cover(ms);
  return dateOfDayNumber(index.firstDay + index.dayOf(ms));
}

/** Whether a local date (`YYYY-MM-DD`) has any working time. */
export function isWorkingDay(cal: CompiledCalendar, localDate: string): boolean {
  const index = indexOf(cal);
  const k = index.dayIndex(requireDate(localDate));
  return !Number.isNaN(index.dayLastEnd[k]!);
}

/** The first working date strictly after a local date. */
export function nextWorkingDay(cal: CompiledCalendar, localDate: string): string {
  const index = indexOf(cal);
  const k = index.dayIndex(requireDate(localDate));
  const j = index.nthWorkingDayAfter(k, 1);
  return dateOfDayNumber(index.firstDay + j);
}

/** A working interval of one local date: its instants and the local hours it was declared with. */
export interface WorkingInterval {
  readonly start: Date;
  readonly end: Date;
  readonly local: Interval;
}

/** The hours that apply to a local date and where they come from. */
export function hoursOn(cal: CompiledCalendar, localDate: string): { source: 'week' | 'override'; weekday: Weekday; hours: DayHours } {
  const dn = requireDate(localDate);
  const weekday = WEEKDAYS[weekdayIndex(dn)]!;
  const override = Object.hasOwn(cal.spec.overrides, localDate) ? cal.spec.overrides[localDate] : undefined;
  return override ? { source: 'override', weekday, hours: override } : { source: 'week', weekday, hours: cal.spec.week[weekday] };
}

/**
 * The working intervals of a local date as instants, in order. An interval that holds no time once placed in the
 * zone (one lying inside a spring-forward gap) is left out.
 */
export function workingIntervalsOn(cal: CompiledCalendar, localDate: string): WorkingInterval[] {
  const dn = requireDate(localDate);
  const { hours } = hoursOn(cal, localDate);
  const zone = indexOf(cal).prepared.zone;
  const local0 = dn * DAY_MS;
  const out: WorkingInterval[] = [];
  for (const interval of hours) {
    const start = resolveLocal(zone, local0 + parseTimeOfDay(interval[0])! * MINUTE_MS);
    const end = resolveLocal(zone, local0 + parseTimeOfDay(interval[1])! * MINUTE_MS);
    if (end > start) out.push({ start: new Date(start), end: new Date(end), local: interval });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Explanation for "when would it be due?" previews
// ---------------------------------------------------------------------------------------------------------------

/** One local date between receipt and due, and what it contributed. */
export interface ExplainedDay {
  readonly date: string;
  readonly weekday: Weekday;
  /** Where the day's hours come from: the weekly hours or an override (holiday, make-up workday…). */
  readonly source: 'week' | 'override';
  /** The day's declared hours. */
  readonly hours: DayHours;
  readonly working: boolean;
  /** The day the clock started on. For working-day durations it is never counted. */
  readonly receipt: boolean;
  /** Business durations: ms counted on this day, and the local spans they came from. */
  readonly countedMs: number;
  readonly counted: readonly Interval[];
  /** Working-day durations: 1…n for the days counted, null otherwise. */
  readonly workingDayNumber: number | null;
}

export interface DueExplanation {
  readonly due: Date;
  readonly duration: Duration;
  readonly timeZone: string;
  readonly start: { readonly at: Date; readonly localDate: string; readonly localTime: string };
  /** The due instant in local time (`HH:mm:ss`); one that closes a day at midnight reads `24:00:00` of that day. */
  readonly end: { readonly localDate: string; readonly localTime: string };
  /** Every local date from the day of receipt to the due date, in order. */
  readonly days: readonly ExplainedDay[];
  /** Local years the computation ran through, so callers can warn about years without holiday data. */
  readonly years: readonly number[];
}

/**
 * {@link due} with the working it out: every local date from receipt to due, which hours it had and what it
 * counted. For previews, not hot paths (it allocates and formats).
 */
export function explainDue(cal: CompiledCalendar, a: Date | number, duration: string | Duration): DueExplanation {
  const d = toDuration(duration);
  const start = toInstant(a, 'start');
  const t = dueMs(cal, start, d);
  const index = indexOf(cal);
  index.cover(start);
  index.cover(t);
  const kStart = index.dayOf(start);
  // A due instant at midnight closes the previous day (its 24:00), unless nothing elapsed at all.
  const kEnd = t > start ? index.dayOf(t - 1) : kStart;
  const zone = cal.timeZone;
  const clock = (ms: number, k: number): string => (ms === index.dayStart[k + 1] ? '24:00' : DateTime.fromMillis(ms, { zone }).toFormat('HH:mm'));
  const days: ExplainedDay[] = [];
  let workingDayNumber = 0;
  for (let k = kStart; k <= kEnd; k++) {
    const date = dateOfDayNumber(index.firstDay + k);
    const { source, weekday, hours } = hoursOn(cal, date);
    const working = !Number.isNaN(index.dayLastEnd[k]!);
    const receipt = k === kStart;
    let countedMs = 0;
    const counted: Interval[] = [];
    if (d.kind === 'business') {
      const from = Math.max(start, index.dayStart[k]!);
      const to = Math.min(t, index.dayStart[k + 1]!);
      countedMs = index.elapsed(from, to);
      for (let i = index.firstEndingAfter(from); i < index.count && index.starts[i]! < to; i++) {
        const s = Math.max(index.starts[i]!, from);
        const e = Math.min(index.ends[i]!, to);
        if (e > s) counted.push([clock(s, k), clock(e, k)]);
      }
    } else if (!receipt && working) {
      workingDayNumber++;
    }
    days.push({
      date,
      weekday,
      source,
      hours,
      working,
      receipt,
      countedMs,
      counted,
      workingDayNumber: d.kind === 'workingDays' && !receipt && working ? workingDayNumber : null,
    });
  }
  const years = [...new Set(days.map((day) => Number(day.date.slice(0, 4))))];
  const startLocal = DateTime.fromMillis(start, { zone });
  const endLocal = DateTime.fromMillis(t, { zone });
  const endsDay = t > start && t === index.dayStart[kEnd + 1];
  return {
    due: new Date(t),
    duration: d,
    timeZone: zone,
    start: { at: new Date(start), localDate: startLocal.toISODate()!, localTime: startLocal.toFormat('HH:mm:ss') },
    end: endsDay ? { localDate: days.at(-1)!.date, localTime: '24:00:00' } : { localDate: endLocal.toISODate()!, localTime: endLocal.toFormat('HH:mm:ss') },
    days,
    years,
  };
}
