/**
 * The calendar file: the JSON an administrator imports and exports.
 *
 * ```json
 * { "name": "总部服务时间", "timeZone": "Asia/Shanghai",
 *   "week": { "mon": [["09:00","12:00"],["13:30","18:00"]], …, "sat": [], "sun": [] },
 *   "overrides": { "2026-02-15": [], "2026-02-14": [["09:00","12:00"],["13:30","18:00"]] } }
 * ```
 * All seven weekdays are required (`[]` for a closed day); `overrides` may be `{}`. Times are `HH:MM` from 00:00
 * to 24:00, `24:00` only as an end. A day's intervals must be in order and must not overlap; touching intervals
 * (`12:00` end, `12:00` start) are allowed. Unknown keys are refused so a misspelt `overides` cannot be silently
 * dropped. Every problem names its entry (`week.mon[1]: 13:00–12:00 ends before it starts`) and carries a
 * machine-readable path and code. Pure: no I/O.
 */
import { z } from 'zod';
import {
  CalendarError,
  calendarSpecIssues,
  dayHoursIssues,
  formatPath,
  localDateIssue,
  timeZoneIssue,
  WEEKDAYS,
  type CalendarSpec,
  type DayHours,
} from './calendar.js';

const MAX_NAME_LENGTH = 200;

const DayHoursSchema = z.array(z.tuple([z.string(), z.string()])).superRefine((hours, ctx) => {
  for (const issue of dayHoursIssues(hours)) {
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message, params: { code: issue.code } });
  }
});

const Week = z.strictObject({
  mon: DayHoursSchema,
  tue: DayHoursSchema,
  wed: DayHoursSchema,
  thu: DayHoursSchema,
  fri: DayHoursSchema,
  sat: DayHoursSchema,
  sun: DayHoursSchema,
});

const OverrideDate = z.string().superRefine((date, ctx) => {
  const issue = localDateIssue(date);
  if (issue) ctx.addIssue({ code: 'custom', message: issue.message, params: { code: issue.code } });
});

/** The calendar file schema (zod). Shared by the import route, the export and the web form. */
export const CalendarFile = z.strictObject({
  name: z.string().superRefine((name, ctx) => {
    if (name.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be empty', params: { code: 'name.empty' } });
    else if (name.length > MAX_NAME_LENGTH) ctx.addIssue({ code: 'custom', message: `is longer than ${MAX_NAME_LENGTH} characters`, params: { code: 'name.too_long' } });
  }),
  timeZone: z.string().superRefine((zone, ctx) => {
    const issue = timeZoneIssue(zone);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, params: { code: issue.code } });
  }),
  week: Week,
  overrides: z.record(OverrideDate, DayHoursSchema),
});
export type CalendarFile = z.infer<typeof CalendarFile>;

/** One problem in a calendar file. */
export interface CalendarFileIssue {
  /** Machine-readable location, e.g. `['week', 'mon', 1]` or `['overrides', '2026-02-30']`. */
  readonly path: readonly (string | number)[];
  /** `week.mon[1]`, or `(file)` for the whole file. */
  readonly at: string;
  /** e.g. `interval.reversed`, `date.invalid`, `zone.unknown`, `required`, `unknown_key`, `type`. */
  readonly code: string;
  /** English, starting with `at`: `week.mon[1]: 13:00–12:00 ends before it starts`. */
  readonly message: string;
}

export type CalendarFileResult = { readonly ok: true; readonly spec: CalendarFile } | { readonly ok: false; readonly issues: readonly CalendarFileIssue[] };

type ZodIssue = z.core.$ZodIssue;

function describeType(expected: string, path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (expected === 'tuple' || (expected === 'array' && typeof last === 'number' && (parent === undefined || typeof parent !== 'number'))) {
    if (path.length >= 3) return 'expected an interval ["HH:MM", "HH:MM"]';
  }
  if (expected === 'array' && (path[0] === 'week' || path[0] === 'overrides') && path.length === 2) {
    return 'expected a list of intervals ([] for a day without working hours)';
  }
  if (expected === 'string' && path.length === 4) return 'expected a time as text, "HH:MM"';
  if (expected === 'object' && path.length === 0) return 'expected a calendar object { name, timeZone, week, overrides }';
  return `expected ${expected}`;
}

function toIssues(issue: ZodIssue): CalendarFileIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const make = (p: readonly (string | number)[], code: string, message: string): CalendarFileIssue => {
    const at = p.length === 0 ? '(file)' : formatPath(p);
    return { path: p, at, code, message: `${at}: ${message}` };
  };
  switch (issue.code) {
    case 'custom': {
      const code = typeof issue.params?.code === 'string' ? issue.params.code : 'invalid';
      return [make(path, code, issue.message)];
    }
    case 'invalid_key':
      // A bad override date: the key schema's own issue says what is wrong with it.
      return issue.issues.flatMap((inner) => toIssues({ ...inner, path }));
    case 'unrecognized_keys': {
      const where = path.length === 0 ? 'name, timeZone, week, overrides' : path[0] === 'week' && path.length === 1 ? WEEKDAYS.join(', ') : '';
      return issue.keys.map((key) => make([...path, key], 'unknown_key', `unknown key${where ? ` (expected ${where})` : ''}`));
    }
    case 'invalid_type':
      if (issue.input === undefined && path.length > 0) {
        const hint = path[0] === 'week' && path.length === 2 ? ' (give [] for a day without working hours)' : '';
        return [make(path, 'required', `is required${hint}`)];
      }
      return [make(path, 'type', describeType(issue.expected, path))];
    case 'too_big':
    case 'too_small':
      if (issue.origin === 'array' && path.length >= 3) return [make(path, 'type', 'expected an interval ["HH:MM", "HH:MM"]')];
      return [make(path, 'type', issue.message)];
    default:
      return [make(path, 'type', issue.message)];
  }
}

/**
 * Validates calendar file JSON (already parsed). Returns the spec, exactly as given, or every problem found, each
 * naming its entry. Structural problems (missing weekday, wrong type) are reported first; the checks of
 * times and intervals run on every day whose structure is right.
 */
export function parseCalendarFile(json: unknown): CalendarFileResult {
  const result = CalendarFile.safeParse(json, { reportInput: true });
  if (result.success) return { ok: true, spec: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toIssues) };
}

/**
 * The file for a spec, ready for `JSON.stringify`: keys in the file's order (name, timeZone, week mon…sun,
 * overrides in the spec's order), intervals copied. `parseCalendarFile(toCalendarFile(spec))` gives the spec back
 * and `toCalendarFile(parseCalendarFile(json).spec)` gives the JSON back. Throws a `CalendarError`
 * (`calendar.invalid_spec`) for a spec that the file format would refuse, so an export always imports again.
 */
export function toCalendarFile(spec: CalendarSpec & { readonly name: string }): CalendarFile {
  const issues = calendarSpecIssues(spec);
  const nameIssue = CalendarFile.shape.name.safeParse(spec.name);
  if (issues.length > 0 || !nameIssue.success) {
    const messages = issues.map((i) => i.message);
    if (!nameIssue.success) messages.unshift(`name: ${nameIssue.error.issues[0]?.message ?? 'invalid'}`);
    throw new CalendarError('calendar.invalid_spec', `invalid calendar: ${messages.join('; ')}`, { issues });
  }
  const hours = (h: DayHours): [string, string][] => h.map(([s, e]) => [s, e]);
  return {
    name: spec.name,
    timeZone: spec.timeZone,
    week: {
      mon: hours(spec.week.mon),
      tue: hours(spec.week.tue),
      wed: hours(spec.week.wed),
      thu: hours(spec.week.thu),
      fri: hours(spec.week.fri),
      sat: hours(spec.week.sat),
      sun: hours(spec.week.sun),
    },
    overrides: Object.fromEntries(Object.entries(spec.overrides).map(([date, h]) => [date, hours(h)])),
  };
}
