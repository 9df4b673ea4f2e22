/**
 * When the monthly report is due (docs/reports.md): last month's report is generated once the organization's
 * local time has passed the scheduled day and time of the current month (default the 1st at 08:00). Months
 * are local months of the organization's time zone. No I/O.
 */
import { DateTime } from 'luxon';

export interface ReportSchedule {
  enabled: boolean;
  /** Day of the month, 1–28. */
  day: number;
  /** Local time `HH:MM`. */
  time: string;
}

export const DEFAULT_SCHEDULE: ReportSchedule = { enabled: true, day: 1, time: '08:00' };

function zoned(instant: Date, zone: string): DateTime {
  const dt = DateTime.fromJSDate(instant, { zone });
  if (!dt.isValid) throw new RangeError(`invalid time zone ${zone}`);
  return dt;
}

const key = (dt: DateTime) => dt.toFormat('yyyy-MM');

/** The local month containing `instant`, `YYYY-MM`. */
export function monthOf(instant: Date, zone: string): string {
  return key(zoned(instant, zone));
}

/** The month before `month` (`YYYY-MM`). */
export function previousMonth(month: string): string {
  return key(DateTime.fromFormat(month, 'yyyy-MM', { zone: 'utc' }).minus({ months: 1 }));
}

/** First and last local day of a month, `YYYY-MM-DD`. */
export function daysOfMonth(month: string): { from: string; to: string } {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'utc' });
  return { from: start.toFormat('yyyy-MM-dd'), to: start.endOf('month').toFormat('yyyy-MM-dd') };
}

/** The first instant of a local month. */
export function startOfMonth(month: string, zone: string): Date {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone }).toJSDate();
}

/** Whether the whole month is in the past at `now` (its last local day has ended). */
export function monthIsOver(month: string, now: Date, zone: string): boolean {
  return now.getTime() >= DateTime.fromFormat(month, 'yyyy-MM', { zone }).plus({ months: 1 }).toMillis();
}

/** The instant the report of the month before `month` is due: the scheduled day and time of `month`, local. */
export function dueAtIn(month: string, zone: string, schedule: ReportSchedule): Date {
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  // A local time skipped by a DST change moves forward (luxon's rule); China has no DST.
  return DateTime.fromFormat(month, 'yyyy-MM', { zone }).set({ day: schedule.day, hour, minute }).toJSDate();
}

/**
 * The month whose report is due at `now`: last month, once the scheduled day and time of this month have
 * passed; null before that, or when the schedule is off.
 */
export function dueMonth(now: Date, zone: string, schedule: ReportSchedule): { month: string; dueAt: Date } | null {
  if (!schedule.enabled) return null;
  const current = monthOf(now, zone);
  const dueAt = dueAtIn(current, zone, schedule);
  if (now.getTime() < dueAt.getTime()) return null;
  return { month: previousMonth(current), dueAt };
}

/** The next instant a report becomes due after `now` (for the settings screen). */
export function nextDue(now: Date, zone: string, schedule: ReportSchedule): { month: string; dueAt: Date } {
  const current = monthOf(now, zone);
  const thisMonth = dueAtIn(current, zone, schedule);
  if (now.getTime() < thisMonth.getTime()) return { month: previousMonth(current), dueAt: thisMonth };
  const next = key(DateTime.fromFormat(current, 'yyyy-MM', { zone: 'utc' }).plus({ months: 1 }));
  return { month: current, dueAt: dueAtIn(next, zone, schedule) };
}
