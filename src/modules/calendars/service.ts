/** Calendars: CRUD, import/export in the calendar file format, holiday data, and due-time previews. */
import { and, asc, eq, ne } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx, type TxCtx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { isUniqueViolation } from '../../core/db/errors.js';
import { AppError } from '../../core/errors.js';
import type { Locale } from '../../core/i18n.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { clocks } from '../clocks/schema.js';
import {
  CalendarError,
  compileCalendar,
  elapsed,
  explainDue,
  hoursOn,
  isWorkingDay,
  localDateOf,
  MAX_YEAR,
  MIN_YEAR,
  parseDuration,
  WEEKDAYS,
  type CalendarSpec,
  type CompiledCalendar,
  type Duration,
} from './calendar.js';
import { parseCalendarFile, toCalendarFile, type CalendarFile } from './calendar-file.js';
import { applyHolidays, CN_HOLIDAY_YEARS, type HolidayDay, type HolidayYear } from './cn-holidays.js';
import * as C from './contracts.js';
import { localizeCalendarIssues } from './messages.js';
import { calendars, holidayYears } from './schema.js';

type CalendarRow = typeof calendars.$inferSelect;
type HolidayRow = typeof holidayYears.$inferSelect;

// ---------- compiled calendars, cached per row version ----------

const compiledCache = new Map<string, CompiledCalendar>();
const CACHE_LIMIT = 500;

function specOf(row: CalendarRow): CalendarSpec {
  return { name: row.name, timeZone: row.timeZone, week: row.week, overrides: row.overrides };
}

/** The compiled form of a calendar row, cached until the row changes. */
export function compiledOf(row: CalendarRow): CompiledCalendar {
  const key = `${row.id}:${row.updatedAt.getTime()}`;
  let compiled = compiledCache.get(key);
  if (!compiled) {
    compiled = compileCalendar(specOf(row));
    if (compiledCache.size >= CACHE_LIMIT) compiledCache.delete(compiledCache.keys().next().value!);
    compiledCache.set(key, compiled);
  }
  return compiled;
}

/** Maps the engine's errors to API errors. */
export function calendarFailure(error: unknown, value?: string): never {
  if (error instanceof CalendarError) {
    switch (error.code) {
      case 'calendar.invalid_duration':
      case 'calendar.unsupported_duration_unit':
      case 'calendar.mixed_duration':
        throw new AppError('calendar.invalid_duration', { value: value ?? '' }, { reason: error.message });
      case 'calendar.no_working_time':
        throw new AppError('calendar.no_working_time');
      case 'calendar.out_of_range':
        throw new AppError('calendar.out_of_range', { min: MIN_YEAR, max: MAX_YEAR });
      default:
        throw new AppError('validation_failed', { summary: error.message });
    }
  }
  throw error;
}

export function parseDurationOrFail(text: string): Duration {
  try {
    return parseDuration(text);
  } catch (error) {
    return calendarFailure(error, text);
  }
}

// ---------- holiday data ----------

/** Makes sure the organization has the holiday years shipped with Pledge (first use, or after an upgrade). */
async function ensureShippedHolidays(t: TxCtx): Promise<void> {
  const existing = await t.tx.select({ year: holidayYears.year }).from(holidayYears).where(and(eq(holidayYears.orgId, t.orgId), eq(holidayYears.region, 'CN')));
  const have = new Set(existing.map((r) => r.year));
  const now = t.now();
  const missing = CN_HOLIDAY_YEARS.filter((h) => !have.has(h.year));
  if (missing.length === 0) return;
  await t.tx
    .insert(holidayYears)
    .values(missing.map((h) => ({ orgId: t.orgId, region: 'CN', year: h.year, source: h.source, days: [...h.days], createdAt: now, updatedAt: now })))
    .onConflictDoNothing();
}

async function holidayRows(exec: Executor, orgId: string): Promise<HolidayRow[]> {
  return exec.select().from(holidayYears).where(and(eq(holidayYears.orgId, orgId), eq(holidayYears.region, 'CN'))).orderBy(asc(holidayYears.year));
}

/** A canonical text of a year's days (jsonb does not keep key order, so JSON texts cannot be compared). */
function daysKey(days: readonly HolidayDay[]): string {
  return days.map((d) => `${d.date}|${d.kind}|${d.name['zh-CN']}|${d.name['en-US']}`).join('\n');
}

function presentHolidayYear(row: HolidayRow) {
  const shipped = CN_HOLIDAY_YEARS.find((h) => h.year === row.year);
  return {
    year: row.year, region: 'CN' as const, source: row.source, days: row.days,
    builtIn: shipped !== undefined && daysKey(shipped.days) === daysKey(row.days),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listHolidayYears(ctx: Ctx) {
  authorize(ctx, 'calendar.read');
  return transact(ctx, async (t) => {
    await ensureShippedHolidays(t);
    return (await holidayRows(t.tx, t.orgId)).map(presentHolidayYear);
  });
}

/** Adds or replaces the holiday data of one year (e.g. 2027 when the State Council publishes it). */
export async function putHolidayYear(ctx: Ctx, year: number, input: unknown) {
  authorize(ctx, 'calendar.manage');
  const data = parse(C.HolidayYearPut, input);
  const zh = ctx.locale === 'zh-CN';
  const issues: { path: string; code: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const [i, day] of data.days.entries()) {
    const path = `days[${i}].date`;
    const parsed = new Date(`${day.date}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day.date) {
      issues.push({ path, code: 'date.invalid', message: zh ? `${path}：${day.date} 不是有效日期` : `${path}: ${day.date} is not a date` });
    } else if (parsed.getUTCFullYear() !== year && !(day.kind === 'workday' && Math.abs(parsed.getUTCFullYear() - year) === 1)) {
      issues.push({ path, code: 'date.other_year', message: zh ? `${path}：${day.date} 不在 ${year} 年` : `${path}: ${day.date} is not in ${year}` });
    }
    if (seen.has(day.date)) issues.push({ path, code: 'date.duplicate', message: zh ? `${path}：${day.date} 重复出现` : `${path}: ${day.date} is listed twice` });
    seen.add(day.date);
  }
  if (issues.length) throw new AppError('holiday.invalid_days', { summary: issues.map((i) => i.message).join('; ') }, { issues });
  const days: HolidayDay[] = [...data.days].sort((a, b) => a.date.localeCompare(b.date));
  return transact(ctx, async (t) => {
    await ensureShippedHolidays(t);
    const [before] = await t.tx.select().from(holidayYears).where(and(eq(holidayYears.orgId, t.orgId), eq(holidayYears.region, 'CN'), eq(holidayYears.year, year))).for('update');
    const now = t.now();
    const [row] = before
      ? await t.tx.update(holidayYears).set({ source: data.source, days, updatedAt: now }).where(eq(holidayYears.id, before.id)).returning()
      : await t.tx.insert(holidayYears).values({ orgId: t.orgId, region: 'CN', year, source: data.source, days, createdAt: now, updatedAt: now }).returning();
    await audit(t, { action: before ? 'holiday_year.update' : 'holiday_year.create', entityType: 'holiday_year', entityId: String(year), before: before ? { source: before.source, days: before.days.length } : null, after: { source: data.source, days: days.length } });
    await t.emit('holiday_year.saved', { entityType: 'holiday_year', entityId: String(year) });
    return presentHolidayYear(row!);
  });
}

// ---------- calendars ----------

function currentYears(ctx: Ctx, timeZone: string): number[] {
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(ctx.now()));
  return [year, year + 1];
}

function missingYears(row: CalendarRow, years: readonly number[]): number[] {
  if (!row.holidayRegion) return [];
  return [...new Set(years)].filter((y) => !row.holidayYears.includes(y)).sort();
}

function weeklyHours(row: CalendarRow): number {
  let minutes = 0;
  for (const day of WEEKDAYS) {
    for (const [s, e] of row.week[day]) {
      const [sh, sm] = s.split(':').map(Number);
      const [eh, em] = e.split(':').map(Number);
      minutes += eh! * 60 + em! - (sh! * 60 + sm!);
    }
  }
  return Math.round((minutes / 60) * 100) / 100;
}

function present(ctx: Ctx, row: CalendarRow): C.Calendar {
  return {
    id: row.id, name: row.name, timeZone: row.timeZone, week: row.week as C.Calendar['week'], overrides: row.overrides as C.Calendar['overrides'],
    holidayRegion: (row.holidayRegion as 'CN' | null) ?? null, holidayYears: row.holidayYears,
    missingHolidayYears: missingYears(row, currentYears(ctx, row.timeZone)), weeklyHours: weeklyHours(row), isDefault: row.isDefault,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/** Validates a calendar file, with the problems named entry by entry in the caller's language. */
export function parseFileOrFail(json: unknown, locale: Locale): CalendarFile {
  const result = parseCalendarFile(json);
  if (result.ok) return result.spec;
  const issues = localizeCalendarIssues(result.issues, locale);
  throw new AppError('calendar.invalid_file', { summary: issues.map((i) => i.message).join('; ') }, { issues });
}

export async function loadCalendar(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<CalendarRow> {
  const q = exec.select().from(calendars).where(and(eq(calendars.id, id), eq(calendars.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'calendar' });
  return row;
}

export async function listCalendars(ctx: Ctx) {
  authorize(ctx, 'calendar.read');
  const rows = await ctx.app.database.db.select().from(calendars).where(eq(calendars.orgId, ctx.orgId)).orderBy(asc(calendars.name));
  return rows.map((r) => present(ctx, r));
}

export async function getCalendar(ctx: Ctx, id: string) {
  authorize(ctx, 'calendar.read');
  return present(ctx, await loadCalendar(ctx.app.database.db, ctx, id));
}

export async function exportCalendar(ctx: Ctx, id: string): Promise<CalendarFile> {
  authorize(ctx, 'calendar.read');
  const row = await loadCalendar(ctx.app.database.db, ctx, id);
  return toCalendarFile({ ...specOf(row), name: row.name });
}

async function clearOtherDefaults(t: TxCtx, keepId: string | null) {
  const others = keepId ? and(eq(calendars.orgId, t.orgId), eq(calendars.isDefault, true), ne(calendars.id, keepId)) : and(eq(calendars.orgId, t.orgId), eq(calendars.isDefault, true));
  await t.tx.update(calendars).set({ isDefault: false, updatedAt: t.now() }).where(others);
}

function nameConflict(e: unknown, name: string): never {
  if (isUniqueViolation(e, 'calendars_org_name_uq')) throw new AppError('conflict.name_taken', { name });
  throw e;
}

/** Creates a calendar from the calendar file format (this is also "import"). */
export async function createCalendar(ctx: Ctx, file: unknown, options: unknown = {}) {
  authorize(ctx, 'calendar.manage');
  const spec = parseFileOrFail(file, ctx.locale);
  const opts = parse(C.CalendarOptions, options);
  try {
    return await transact(ctx, async (t) => {
      const now = t.now();
      const n = await t.tx.$count(calendars, eq(calendars.orgId, t.orgId));
      const isDefault = opts.isDefault ?? n === 0;
      // One default per organization (a partial unique index): clear the others before taking it.
      if (isDefault) await clearOtherDefaults(t, null);
      const [row] = await t.tx
        .insert(calendars)
        .values({
          orgId: t.orgId, name: spec.name.trim(), timeZone: spec.timeZone, week: spec.week, overrides: spec.overrides,
          holidayRegion: opts.holidayRegion === undefined ? 'CN' : opts.holidayRegion, holidayYears: [],
          isDefault, createdAt: now, updatedAt: now,
        })
        .returning();
      const view = present(t, row!);
      await audit(t, { action: 'calendar.create', entityType: 'calendar', entityId: row!.id, after: { name: view.name, timeZone: view.timeZone, week: view.week, overrides: Object.keys(view.overrides).length } });
      await t.emit('calendar.created', { entityType: 'calendar', entityId: row!.id });
      return view;
    });
  } catch (e) {
    return nameConflict(e, spec.name);
  }
}

/** Replaces a calendar's hours and overrides from the file format. Running clocks keep the due time they have. */
export async function replaceCalendar(ctx: Ctx, id: string, file: unknown, options: unknown = {}) {
  authorize(ctx, 'calendar.manage');
  const spec = parseFileOrFail(file, ctx.locale);
  const opts = parse(C.CalendarOptions, options);
  try {
    return await transact(ctx, async (t) => {
      const before = await loadCalendar(t.tx, t, id, true);
      if (opts.isDefault) await clearOtherDefaults(t, id);
      const [row] = await t.tx
        .update(calendars)
        .set({
          name: spec.name.trim(), timeZone: spec.timeZone, week: spec.week, overrides: spec.overrides,
          ...(opts.holidayRegion !== undefined ? { holidayRegion: opts.holidayRegion } : {}),
          ...(opts.isDefault !== undefined ? { isDefault: opts.isDefault } : {}),
          updatedAt: t.now(),
        })
        .where(eq(calendars.id, id))
        .returning();
      const summary = (r: CalendarRow) => ({ name: r.name, timeZone: r.timeZone, week: r.week, overrides: Object.keys(r.overrides).length, holidayRegion: r.holidayRegion, isDefault: r.isDefault });
      await audit(t, { action: 'calendar.update', entityType: 'calendar', entityId: id, before: summary(before), after: summary(row!) });
      await t.emit('calendar.updated', { entityType: 'calendar', entityId: id });
      return present(t, row!);
    });
  } catch (e) {
    return nameConflict(e, spec.name);
  }
}

export async function deleteCalendar(ctx: Ctx, id: string) {
  authorize(ctx, 'calendar.manage');
  return transact(ctx, async (t) => {
    const before = await loadCalendar(t.tx, t, id, true);
    const [used] = await t.tx.select({ id: clocks.id }).from(clocks).where(and(eq(clocks.orgId, t.orgId), eq(clocks.calendarId, id))).limit(1);
    if (used) throw new AppError('conflict.in_use', { entity: 'calendar' });
    await t.tx.delete(calendars).where(eq(calendars.id, id));
    await audit(t, { action: 'calendar.delete', entityType: 'calendar', entityId: id, before: { name: before.name, timeZone: before.timeZone } });
    await t.emit('calendar.deleted', { entityType: 'calendar', entityId: id });
    return { ok: true as const };
  });
}

/** Applies the holiday data of some years: holidays become days off, make-up workdays get working hours. */
export async function applyHolidayYears(ctx: Ctx, id: string, input: unknown) {
  authorize(ctx, 'calendar.manage');
  const { years } = parse(C.HolidayApply, input);
  return transact(ctx, async (t) => {
    await ensureShippedHolidays(t);
    const row = await loadCalendar(t.tx, t, id, true);
    const data = await holidayRows(t.tx, t.orgId);
    const chosen: HolidayYear[] = [];
    for (const year of years) {
      const found = data.find((d) => d.year === year);
      if (!found) throw new AppError('holiday.year_unknown', { year });
      chosen.push({ year, source: found.source, days: found.days });
    }
    // Re-applying a year replaces what it set before; the organization's own other overrides stay.
    const spec = specOf(row);
    const previous = new Set(data.filter((d) => years.includes(d.year) && row.holidayYears.includes(d.year)).flatMap((d) => d.days.map((x) => x.date)));
    const kept = Object.fromEntries(Object.entries(spec.overrides).filter(([date]) => !previous.has(date)));
    const next = applyHolidays({ ...spec, overrides: kept }, chosen);
    const holidayYearsNext = [...new Set([...row.holidayYears, ...years])].sort();
    const [updated] = await t.tx
      .update(calendars)
      .set({ overrides: next.overrides, holidayYears: holidayYearsNext, holidayRegion: row.holidayRegion ?? 'CN', updatedAt: t.now() })
      .where(eq(calendars.id, id))
      .returning();
    await audit(t, { action: 'calendar.apply_holidays', entityType: 'calendar', entityId: id, before: { holidayYears: row.holidayYears }, after: { holidayYears: holidayYearsNext } });
    await t.emit('calendar.updated', { entityType: 'calendar', entityId: id });
    return present(t, updated!);
  });
}

function holidayLookup(data: readonly { days: readonly HolidayDay[] }[], locale: Locale) {
  const byDate = new Map<string, HolidayDay>();
  for (const y of data) for (const d of y.days) byDate.set(d.date, d);
  return (date: string) => {
    const d = byDate.get(date);
    return d ? { name: d.name[locale], kind: d.kind } : null;
  };
}

/** "When would it be due?": the due instant of a duration started at `from`, with the working shown. */
export async function previewDue(ctx: Ctx, id: string, query: unknown): Promise<C.DuePreview> {
  authorize(ctx, 'calendar.read');
  const q = parse(C.DuePreviewQuery, query);
  const row = await loadCalendar(ctx.app.database.db, ctx, id);
  const duration = parseDurationOrFail(q.duration);
  let explained;
  try {
    explained = explainDue(compiledOf(row), new Date(q.from), duration);
  } catch (error) {
    return calendarFailure(error, q.duration);
  }
  const holiday = holidayLookup(row.holidayRegion ? await holidayRows(ctx.app.database.db, ctx.orgId) : [], ctx.locale);
  return {
    due: explained.due.toISOString(),
    dueLocal: `${explained.end.localDate} ${explained.end.localTime}`,
    timeZone: explained.timeZone,
    durationKind: duration.kind,
    businessMs: elapsed(compiledOf(row), new Date(q.from), explained.due),
    days: explained.days.map((d) => ({
      date: d.date, weekday: d.weekday, source: d.source, holiday: holiday(d.date)?.name ?? null,
      hours: d.hours.map(([s, e]) => [s, e] as [string, string]), working: d.working, receipt: d.receipt,
      countedMs: d.countedMs, counted: d.counted.map(([s, e]) => [s, e] as [string, string]), workingDayNumber: d.workingDayNumber,
    })),
    missingHolidayYears: missingYears(row, explained.years),
  };
}

export async function previewElapsed(ctx: Ctx, id: string, query: unknown) {
  authorize(ctx, 'calendar.read');
  const q = parse(C.ElapsedQuery, query);
  const row = await loadCalendar(ctx.app.database.db, ctx, id);
  const cal = compiledOf(row);
  try {
    const from = new Date(q.from);
    const to = new Date(q.to);
    const ms = elapsed(cal, from, to);
    const y1 = Number(localDateOf(cal, from).slice(0, 4));
    const y2 = Number(localDateOf(cal, to).slice(0, 4));
    const years: number[] = [];
    for (let y = Math.min(y1, y2); y <= Math.max(y1, y2); y++) years.push(y);
    return { ms, seconds: Math.floor(ms / 1000), missingHolidayYears: missingYears(row, years) };
  } catch (error) {
    return calendarFailure(error);
  }
}

/** Every date of a year with its hours, holiday and whether it is worked: the year view of the web app. */
export async function yearView(ctx: Ctx, id: string, year: number) {
  authorize(ctx, 'calendar.read');
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new AppError('calendar.out_of_range', { min: MIN_YEAR, max: MAX_YEAR });
  const db = ctx.app.database.db;
  const row = await loadCalendar(db, ctx, id);
  const cal = compiledOf(row);
  const data = await holidayRows(db, ctx.orgId);
  const holiday = holidayLookup(data, ctx.locale);
  const days = [];
  let workingDays = 0;
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const h = hoursOn(cal, date);
    const working = isWorkingDay(cal, date);
    if (working) workingDays++;
    const hol = holiday(date);
    days.push({ date, weekday: h.weekday, source: h.source, hours: h.hours.map(([s, e]) => [s, e] as [string, string]), working, holiday: hol?.name ?? null, holidayKind: hol?.kind ?? null });
  }
  return { year, holidayDataKnown: data.some((d) => d.year === year), holidayDataApplied: row.holidayYears.includes(year), workingDays, days };
}

/** The default calendar of the organization (the first created, unless another was chosen). */
export async function defaultCalendar(exec: Executor, orgId: string): Promise<CalendarRow | undefined> {
  const [row] = await exec.select().from(calendars).where(and(eq(calendars.orgId, orgId), eq(calendars.isDefault, true)));
  return row;
}

