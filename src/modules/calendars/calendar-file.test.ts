import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarError, compileCalendar, due, WEEKDAYS, type DayHours, type Interval } from './calendar.js';
import { CalendarFile, parseCalendarFile, toCalendarFile, type CalendarFileIssue } from './calendar-file.js';
import { applyHolidays, CN_HOLIDAY_YEARS } from './cn-holidays.js';

const OFFICE: [string, string][] = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const sample = (): CalendarFile => ({
  name: '总部服务时间',
  timeZone: 'Asia/Shanghai',
  week: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
  overrides: { '2026-02-15': [], '2026-02-14': OFFICE },
});

function issuesOf(json: unknown): readonly CalendarFileIssue[] {
  const result = parseCalendarFile(json);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.issues;
}

describe('parseCalendarFile accepts', () => {
  it('the documented example, unchanged, and it compiles', () => {
    const result = parseCalendarFile(sample());
    expect(result).toEqual({ ok: true, spec: sample() });
    if (!result.ok) return;
    const cal = compileCalendar(result.spec);
    expect(due(cal, new Date('2026-02-13T17:00:00+08:00'), 'PT2H')).toEqual(new Date('2026-02-14T10:00:00+08:00'));
  });

  it('empty overrides, closed days, a 24:00 end, touching intervals and 29 February of a leap year', () => {
    const file = { ...sample(), week: { ...sample().week, sat: [['00:00', '24:00']], sun: [['08:00', '12:00'], ['12:00', '13:00']] }, overrides: {} };
    expect(parseCalendarFile(file).ok).toBe(true);
    expect(parseCalendarFile({ ...sample(), overrides: { '2028-02-29': [] } }).ok).toBe(true);
  });
});

describe('parseCalendarFile refuses, naming the entry', () => {
  const withMon = (mon: unknown) => ({ ...sample(), week: { ...sample().week, mon } });
  it.each([
    ['an interval that ends before it starts', withMon([['09:00', '12:00'], ['13:00', '12:00']]), ['week', 'mon', 1], 'interval.reversed', 'week.mon[1]: 13:00–12:00 ends before it starts'],
    ['an empty interval', withMon([['09:00', '09:00']]), ['week', 'mon', 0], 'interval.empty', 'week.mon[0]: 09:00–09:00 is empty (it ends when it starts)'],
    ['25:00', withMon([['09:00', '25:00']]), ['week', 'mon', 0, 1], 'time.range', 'week.mon[0][1]: 25:00 is not a time of day (00:00–24:00)'],
    ['24:30', withMon([['09:00', '24:30']]), ['week', 'mon', 0, 1], 'time.range', 'week.mon[0][1]: 24:30 is not a time of day (00:00–24:00)'],
    ['12:60', withMon([['09:00', '12:60']]), ['week', 'mon', 0, 1], 'time.range', 'week.mon[0][1]: 12:60 is not a time of day (00:00–24:00)'],
    ['9:00 (not HH:MM)', withMon([['9:00', '12:00']]), ['week', 'mon', 0, 0], 'time.format', 'week.mon[0][0]: "9:00" is not a time in HH:MM form (e.g. 09:00)'],
    ['09:00:00 (seconds)', withMon([['09:00:00', '12:00']]), ['week', 'mon', 0, 0], 'time.format', 'week.mon[0][0]: "09:00:00" is not a time in HH:MM form (e.g. 09:00)'],
    ['24:00 as a start', withMon([['24:00', '24:00']]), ['week', 'mon', 0, 0], 'time.start_24', 'week.mon[0][0]: 24:00 can only end an interval'],
    ['overlapping intervals', withMon([['09:00', '12:00'], ['11:00', '14:00']]), ['week', 'mon', 1], 'interval.overlap', 'week.mon[1]: 11:00–14:00 overlaps [0] 09:00–12:00'],
    ['intervals out of order', withMon([['13:30', '18:00'], ['09:00', '12:00']]), ['week', 'mon', 1], 'interval.unsorted', 'week.mon[1]: 09:00–12:00 comes after [0] 13:30–18:00 but starts earlier; list intervals in order'],
    ['an interval that is not a pair', withMon([['09:00']]), ['week', 'mon', 0], 'type', 'week.mon[0]: expected an interval ["HH:MM", "HH:MM"]'],
    ['a time that is not text', withMon([[9, '12:00']]), ['week', 'mon', 0, 0], 'type', 'week.mon[0][0]: expected a time as text, "HH:MM"'],
    ['a day that is not a list', withMon('closed'), ['week', 'mon'], 'type', 'week.mon: expected a list of intervals ([] for a day without working hours)'],
    ['a missing weekday', { ...sample(), week: { ...sample().week, sun: undefined } }, ['week', 'sun'], 'required', 'week.sun: is required (give [] for a day without working hours)'],
    ['an unknown weekday', { ...sample(), week: { ...sample().week, monday: [] } }, ['week', 'monday'], 'unknown_key', 'week.monday: unknown key (expected mon, tue, wed, thu, fri, sat, sun)'],
    ['an unknown zone', { ...sample(), timeZone: 'Asia/Beijing' }, ['timeZone'], 'zone.unknown', 'timeZone: unknown time zone "Asia/Beijing"'],
    ['an offset instead of a zone', { ...sample(), timeZone: 'UTC+8' }, ['timeZone'], 'zone.unknown', 'timeZone: unknown time zone "UTC+8"'],
    ['a zone spelt in the wrong case', { ...sample(), timeZone: 'asia/shanghai' }, ['timeZone'], 'zone.spelling', 'timeZone: time zone "asia/shanghai" should be spelled "Asia/Shanghai"'],
    ['an impossible date', { ...sample(), overrides: { '2026-02-30': [] } }, ['overrides', '2026-02-30'], 'date.invalid', 'overrides.2026-02-30: no such date'],
    ['29 February of a common year', { ...sample(), overrides: { '2026-02-29': [] } }, ['overrides', '2026-02-29'], 'date.invalid', 'overrides.2026-02-29: no such date'],
    ['a date not in YYYY-MM-DD form', { ...sample(), overrides: { '2026-2-3': [] } }, ['overrides', '2026-2-3'], 'date.format', 'overrides.2026-2-3: "2026-2-3" is not a date in YYYY-MM-DD form'],
    ['a date outside the supported years', { ...sample(), overrides: { '1066-10-14': [] } }, ['overrides', '1066-10-14'], 'date.range', 'overrides.1066-10-14: outside the supported years 1900–2999'],
    ['bad hours on an override', { ...sample(), overrides: { '2026-02-14': [['18:00', '09:00']] } }, ['overrides', '2026-02-14', 0], 'interval.reversed', 'overrides.2026-02-14[0]: 18:00–09:00 ends before it starts'],
    ['a misspelt key', { ...sample(), overides: {} }, ['overides'], 'unknown_key', 'overides: unknown key (expected name, timeZone, week, overrides)'],
    ['an empty name', { ...sample(), name: '  ' }, ['name'], 'name.empty', 'name: must not be empty'],
    ['a file that is not an object', [], [], 'type', '(file): expected a calendar object { name, timeZone, week, overrides }'],
  ])('%s', (_what, json, path, code, message) => {
    const issues = issuesOf(json);
    expect(issues).toContainEqual({ path, at: message.slice(0, message.indexOf(':')), code, message });
    expect(issues).toHaveLength(1);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf({ ...sample(), week: { ...sample().week, mon: [['13:00', '12:00']], fri: [['9:00', '12:00']] }, overrides: { '2026-02-30': [] } });
    expect(issues.map((i) => i.at).sort()).toEqual(['overrides.2026-02-30', 'week.fri[0][0]', 'week.mon[0]']);
  });

  it('the zod schema carries the same paths, for the route contract', () => {
    const result = CalendarFile.safeParse({ ...sample(), overrides: { '2026-02-30': [] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['overrides', '2026-02-30']);
  });
});

describe('toCalendarFile', () => {
  it('round-trips the example exactly, key order included', () => {
    const json = JSON.stringify(sample());
    const parsed = parseCalendarFile(JSON.parse(json));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(JSON.stringify(toCalendarFile(parsed.spec))).toBe(json);
  });

  it('exports a calendar with the 2025–2026 holidays applied, which imports again', () => {
    const spec = applyHolidays({ ...sample(), overrides: {} }, CN_HOLIDAY_YEARS);
    const file = toCalendarFile(spec);
    const again = parseCalendarFile(JSON.parse(JSON.stringify(file)));
    expect(again).toEqual({ ok: true, spec: file });
    expect(Object.keys(file.overrides)).toHaveLength(CN_HOLIDAY_YEARS.reduce((n, y) => n + y.days.length, 0));
  });

  it('refuses to export what it could not import again', () => {
    expect(() => toCalendarFile({ ...sample(), timeZone: 'Nowhere/Land' })).toThrow(CalendarError);
    expect(() => toCalendarFile({ ...sample(), name: '' })).toThrow(/name: must not be empty/);
  });

  it('round-trips random valid specs: file → JSON → parse gives the spec back, and exporting again gives the same JSON', () => {
    const mark = fc.integer({ min: 0, max: 1440 });
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const hours: fc.Arbitrary<DayHours> = fc.uniqueArray(mark, { maxLength: 6 }).map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const out: Interval[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) out.push([hhmm(sorted[i]!), hhmm(sorted[i + 1]!)]);
      return out;
    });
    const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const spec = fc.record({
      name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
      timeZone: fc.constantFrom('Asia/Shanghai', 'Asia/Urumqi', 'America/New_York', 'Europe/Berlin', 'UTC'),
      week: fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, hours])) as Record<(typeof WEEKDAYS)[number], fc.Arbitrary<DayHours>>),
      overrides: fc.dictionary(date, hours, { maxKeys: 8 }),
    });
    fc.assert(
      fc.property(spec, (s) => {
        const json = JSON.stringify(toCalendarFile(s));
        const parsed = parseCalendarFile(JSON.parse(json));
        expect(parsed).toEqual({ ok: true, spec: s });
        if (parsed.ok) expect(JSON.stringify(toCalendarFile(parsed.spec))).toBe(json);
      }),
      { numRuns: 200 },
    );
  });
});
