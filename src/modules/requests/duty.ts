/**
 * Duty hours (值班时间) from a business calendar: is a person on duty at an instant, and when does their
 * next duty start. Pure.
 */
import { due, elapsed, type CompiledCalendar } from '../calendars/calendar.js';

/** On duty when the calendar has working time in the minute starting at `at`. */
export function onDuty(cal: CompiledCalendar, at: Date): boolean {
  return elapsed(cal, at, new Date(at.getTime() + 60_000)) > 0;
}

/** The first working instant at or after `at` (the start of the next duty when off duty). */
export function dutyStart(cal: CompiledCalendar, at: Date): Date {
  if (onDuty(cal, at)) return at;
  return new Date(due(cal, at, { kind: 'business', ms: 1 }).getTime() - 1);
}
