/**
 * A day's working hours and their rules, with no dependency at all: shared by the calendar engine, the calendar
 * file schema and the web app's editor, so a mistake is shown next to its entry before saving and refused with
 * the same code by the server. Times are `HH:MM` from 00:00 to 24:00 (24:00 only as an end); a day's intervals
 * end after they start, are in order and do not overlap (touching is allowed).
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** One interval of local wall time, `["HH:MM", "HH:MM"]`; the end may be `"24:00"`. */
export type Interval = readonly [start: string, end: string];
/** A day's working intervals: sorted, not overlapping (touching is allowed), possibly empty. */
export type DayHours = readonly Interval[];

const MINUTES_PER_DAY = 1440;

export type CalendarIssueCode =
  | 'time.format'
  | 'time.range'
  | 'time.start_24'
  | 'interval.empty'
  | 'interval.reversed'
  | 'interval.unsorted'
  | 'interval.overlap'
  | 'zone.unknown'
  | 'zone.spelling'
  | 'date.format'
  | 'date.invalid'
  | 'date.range'
  | 'week.missing_day';

/** One problem in a calendar spec; `path` is machine-readable, `message` starts with its rendering (`week.mon[1]: …`). */
export interface CalendarIssue {
  readonly path: readonly (string | number)[];
  readonly code: CalendarIssueCode;
  readonly message: string;
}

/** A problem found inside one value, with a path relative to it and a message without the path. */
export interface LocalIssue {
  readonly path: readonly number[];
  readonly code: CalendarIssueCode;
  readonly message: string;
}

/** Renders a path the way messages show it: `['week','mon',1,0]` → `week.mon[1][0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

const TIME_RE = /^(\d{2}):(\d{2})$/;

/** Minutes after local midnight for `HH:MM` (00:00–24:00), or null when the text is not such a time. */
export function parseTimeOfDay(text: string): number | null {
  const m = TIME_RE.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

function timeIssue(value: unknown, role: 'start' | 'end'): { code: CalendarIssueCode; message: string } | null {
  if (typeof value !== 'string' || !TIME_RE.test(value)) {
    return { code: 'time.format', message: `${JSON.stringify(value)} is not a time in HH:MM form (e.g. 09:00)` };
  }
  const minutes = parseTimeOfDay(value);
  if (minutes === null) return { code: 'time.range', message: `${value} is not a time of day (00:00–24:00)` };
  if (role === 'start' && minutes === MINUTES_PER_DAY) {
    return { code: 'time.start_24', message: '24:00 can only end an interval' };
  }
  return null;
}

/**
 * Problems in one day's intervals: each time must be `HH:MM` within 00:00–24:00 (24:00 only as an end), each
 * interval must end after it starts, and the intervals must be in order without overlapping. Touching intervals
 * (`09:00–12:00`, `12:00–13:00`) are allowed: they add up to the same working time as one interval, and keeping
 * them apart lets a calendar mirror two shifts as written.
 */
export function dayHoursIssues(hours: DayHours): LocalIssue[] {
  const issues: LocalIssue[] = [];
  let prev: { start: number; end: number; text: string; index: number } | null = null;
  hours.forEach((interval, index) => {
    const [startText, endText] = interval;
    const startIssue = timeIssue(startText, 'start');
    const endIssue = timeIssue(endText, 'end');
    if (startIssue) issues.push({ path: [index, 0], ...startIssue });
    if (endIssue) issues.push({ path: [index, 1], ...endIssue });
    if (startIssue || endIssue) return;
    const start = parseTimeOfDay(startText)!;
    const end = parseTimeOfDay(endText)!;
    const text = `${startText}–${endText}`;
    if (end < start) {
      issues.push({ path: [index], code: 'interval.reversed', message: `${text} ends before it starts` });
      return;
    }
    if (end === start) {
      issues.push({ path: [index], code: 'interval.empty', message: `${text} is empty (it ends when it starts)` });
      return;
    }
    if (prev) {
      if (start < prev.start) {
        issues.push({ path: [index], code: 'interval.unsorted', message: `${text} comes after [${prev.index}] ${prev.text} but starts earlier; list intervals in order` });
        return;
      }
      if (start < prev.end) {
        issues.push({ path: [index], code: 'interval.overlap', message: `${text} overlaps [${prev.index}] ${prev.text}` });
        return;
      }
    }
    prev = { start, end, text, index };
  });
  return issues;
}
