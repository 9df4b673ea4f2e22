/** API shapes of the calendars module. The calendar file itself is `CalendarFile` in calendar-file.ts. */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';

const Hours = z.array(z.tuple([z.string(), z.string()]));
const Week = z.object({ mon: Hours, tue: Hours, wed: Hours, thu: Hours, fri: Hours, sat: Hours, sun: Hours });

export const HolidayRegion = z.enum(['CN']);

export const Calendar = z.object({
  id: Id,
  name: z.string(),
  timeZone: z.string(),
  week: Week,
  overrides: z.record(z.string(), Hours),
  holidayRegion: HolidayRegion.nullable().describe('statutory holidays followed (CN), or null for a calendar that works through them (7×24)'),
  holidayYears: z.array(z.number().int()).describe('years whose holiday data has been applied'),
  missingHolidayYears: z.array(z.number().int()).describe('this year and next, when the calendar follows holidays but lacks their data'),
  weeklyHours: z.number().describe('working hours in an ordinary week'),
  isDefault: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Calendar = z.infer<typeof Calendar>;

export const CalendarOptions = z.strictObject({
  holidayRegion: HolidayRegion.nullable().optional(),
  isDefault: z.boolean().optional(),
});
export type CalendarOptions = z.infer<typeof CalendarOptions>;

export const HolidayApply = z.strictObject({
  years: z.array(z.number().int().min(1900).max(2999)).min(1).max(10),
});

export const DuePreviewQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  duration: z.string().trim().min(2).max(40).describe('PT…H…M…S business time, or P{n}D working days'),
});
export const ElapsedQuery = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

export const DuePreviewDay = z.object({
  date: z.string(),
  weekday: z.string(),
  source: z.enum(['week', 'override']),
  holiday: z.string().nullable().describe('the holiday or make-up workday of this date, in the caller’s language'),
  hours: Hours,
  working: z.boolean(),
  receipt: z.boolean(),
  countedMs: z.number(),
  counted: Hours,
  workingDayNumber: z.number().int().nullable(),
});
export const DuePreview = z.object({
  due: Timestamp,
  dueLocal: z.string().describe('YYYY-MM-DD HH:mm:ss in the calendar’s zone'),
  timeZone: z.string(),
  durationKind: z.enum(['business', 'workingDays']),
  businessMs: z.number().describe('business time between start and due'),
  days: z.array(DuePreviewDay),
  missingHolidayYears: z.array(z.number().int()).describe('years the computation ran through without holiday data'),
});
export type DuePreview = z.infer<typeof DuePreview>;

export const ElapsedResult = z.object({ ms: z.number(), seconds: z.number().int(), missingHolidayYears: z.array(z.number().int()) });

export const YearDay = z.object({
  date: z.string(),
  weekday: z.string(),
  source: z.enum(['week', 'override']),
  hours: Hours,
  working: z.boolean(),
  holiday: z.string().nullable(),
  holidayKind: z.enum(['holiday', 'workday']).nullable(),
});
export const YearView = z.object({
  year: z.number().int(),
  holidayDataKnown: z.boolean(),
  holidayDataApplied: z.boolean(),
  workingDays: z.number().int(),
  days: z.array(YearDay),
});

export const HolidayDay = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  kind: z.enum(['holiday', 'workday']),
  name: z.strictObject({ 'zh-CN': z.string().trim().min(1).max(50), 'en-US': z.string().trim().min(1).max(100) }),
});
export const HolidayYear = z.object({
  year: z.number().int(),
  region: HolidayRegion,
  source: z.string(),
  days: z.array(HolidayDay),
  builtIn: z.boolean().describe('shipped with Pledge (from the State Council notice)'),
  updatedAt: Timestamp,
});
export const HolidayYearPut = z.strictObject({
  source: z.string().trim().min(1).max(300),
  days: z.array(HolidayDay).min(1).max(120),
});
