/**
 * Working hours on the client: the same rules the server's calendar file applies (HH:MM from 00:00 to 24:00,
 * 24:00 only as an end, each interval ends after it starts, in order, no overlap; touching is fine), so the
 * editor can show a mistake next to its entry before saving. Pure: no React.
 */
import dayjs from 'dayjs';
import { dayHoursIssues, parseTimeOfDay } from '@contracts/calendars/day-hours';
import type { DayHours, Week, Weekday } from '../../api/calendars';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const MINUTES_PER_DAY = 24 * 60;

/** The interval codes the server uses; the web app words them itself (calendars.issue.*). */
export type HoursIssueCode =
  | 'time.format'
  | 'time.range'
  | 'time.start_24'
  | 'interval.empty'
  | 'interval.reversed'
  | 'interval.unsorted'
  | 'interval.overlap';

export interface HoursIssue {
  /** Which interval of the day. */
  index: number;
  /** 0 = start, 1 = end; absent when the interval as a whole is wrong. */
  part?: 0 | 1;
  code: HoursIssueCode;
}

/** Minutes after midnight of `HH:MM` (00:00–24:00), or null: the server's own rule. */
export const parseTime = parseTimeOfDay;

/** Every problem in one day's intervals: the server's own check, with its codes, placed on interval and part. */
export function dayIssues(hours: DayHours): HoursIssue[] {
  return dayHoursIssues(hours).map((issue) => {
    const [index = 0, part] = issue.path;
    return { index, ...(part === 0 || part === 1 ? { part } : {}), code: issue.code as HoursIssueCode };
  });
}

export function weekIssues(week: Week): Partial<Record<Weekday, HoursIssue[]>> {
  const out: Partial<Record<Weekday, HoursIssue[]>> = {};
  for (const day of WEEKDAYS) {
    const issues = dayIssues(week[day]);
    if (issues.length > 0) out[day] = issues;
  }
  return out;
}

/** The valid spans of a day in minutes (invalid entries are left out, so a bar can still be drawn). */
export function spans(hours: DayHours): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of hours) {
    const start = parseTime(s);
    const end = parseTime(e);
    if (start !== null && end !== null && end > start && start < MINUTES_PER_DAY) out.push([start, end]);
  }
  return out;
}

/** Working minutes of a day (overlaps counted once). */
export function dayMinutes(hours: DayHours): number {
  const sorted = spans(hours).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = 0;
  for (const [s, e] of sorted) {
    const from = Math.max(s, reach);
    if (e > from) total += e - from;
    reach = Math.max(reach, e);
  }
  return total;
}

export function weekMinutes(week: Week): number {
  return WEEKDAYS.reduce((sum, day) => sum + dayMinutes(week[day]), 0);
}

/** Hours as a short number: 7.5, 37.5, 168. */
export function hoursNumber(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** "09:00–12:00, 13:30–18:00" */
export function formatHours(hours: DayHours): string {
  return hours.map(([s, e]) => `${s}–${e}`).join(', ');
}

export function sameHours(a: DayHours, b: DayHours): boolean {
  return a.length === b.length && a.every(([s, e], i) => s === b[i]?.[0] && e === b[i]?.[1]);
}

/**
 * Tidies what was typed into a time box: "9" → "09:00", "930" → "09:30", "9:3" stays wrong (shown as such),
 * "9:30" → "09:30", "24" → "24:00". Anything else is kept as typed so the problem stays visible.
 */
export function normalizeTime(text: string): string {
  const value = text.trim().replace('：', ':');
  let m = /^(\d{1,2})$/.exec(value);
  if (m) return `${m[1]!.padStart(2, '0')}:00`;
  m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (m) return `${m[1]!.padStart(2, '0')}:${m[2]}`;
  m = /^(\d{1,2})(\d{2})$/.exec(value);
  if (m) return `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return value;
}

/** The interval a person most likely wants next in a day: the afternoon after a morning, else office hours. */
export function nextInterval(hours: DayHours): [string, string] {
  const last = spans(hours).sort((a, b) => a[0] - b[0]).at(-1);
  if (!last) return ['09:00', '18:00'];
  const start = Math.min(last[1] + 60, MINUTES_PER_DAY - 60);
  const end = Math.min(start + 4 * 60, MINUTES_PER_DAY);
  if (start <= last[1]) return [toTime(last[1]), toTime(MINUTES_PER_DAY)];
  return [toTime(start), toTime(end)];
}

export function toTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Where a server issue path points: `week.mon[1][0]`, `overrides.2026-02-30[0]`, `name`, `timeZone`, `(file)`. */
export type IssueTarget =
  | { kind: 'week'; day: Weekday; index?: number; part?: 0 | 1 }
  | { kind: 'override'; date: string; index?: number; part?: 0 | 1 }
  | { kind: 'field'; field: 'name' | 'timeZone' }
  | { kind: 'other' };

export function issueTarget(path: string): IssueTarget {
  const clean = path.replace(/^body\./, '');
  if (clean === 'name' || clean === 'timeZone') return { kind: 'field', field: clean };
  const week = /^week\.(mon|tue|wed|thu|fri|sat|sun)(?:\[(\d+)\])?(?:\[([01])\])?$/.exec(clean);
  if (week) {
    return {
      kind: 'week',
      day: week[1] as Weekday,
      ...(week[2] !== undefined ? { index: Number(week[2]) } : {}),
      ...(week[3] !== undefined ? { part: Number(week[3]) as 0 | 1 } : {}),
    };
  }
  const override = /^overrides\.([^[]+)(?:\[(\d+)\])?(?:\[([01])\])?$/.exec(clean);
  if (override) {
    return {
      kind: 'override',
      date: override[1]!,
      ...(override[2] !== undefined ? { index: Number(override[2]) } : {}),
      ...(override[3] !== undefined ? { part: Number(override[3]) as 0 | 1 } : {}),
    };
  }
  return { kind: 'other' };
}

/** The weekday key of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): Weekday {
  // dayjs: 0 = Sunday.
  return WEEKDAYS[(dayjs(date).day() + 6) % 7]!;
}

export const EMPTY_WEEK: Week = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

const OFFICE: DayHours = [['09:00', '12:00'], ['13:30', '18:00']];

/** Starting points for a new calendar. */
export const WEEK_TEMPLATES = {
  office: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
  hall: {
    mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']], sat: [['09:00', '17:00']], sun: [],
  },
  always: {
    mon: [['00:00', '24:00']], tue: [['00:00', '24:00']], wed: [['00:00', '24:00']], thu: [['00:00', '24:00']],
    fri: [['00:00', '24:00']], sat: [['00:00', '24:00']], sun: [['00:00', '24:00']],
  },
} satisfies Record<string, Week>;
export type WeekTemplate = keyof typeof WEEK_TEMPLATES;

export function cloneHours(hours: DayHours): DayHours {
  return hours.map(([s, e]) => [s, e] as [string, string]);
}

export function cloneWeek(week: Week): Week {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, cloneHours(week[d])])) as Week;
}
