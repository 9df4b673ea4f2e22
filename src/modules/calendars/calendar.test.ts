import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  CalendarError,
  compileCalendar,
  compiledYears,
  due,
  dueMs,
  elapsed,
  explainDue,
  hoursOn,
  isWorkingDay,
  localDateOf,
  nextWorkingDay,
  parseDuration,
  WEEKDAYS,
  workingIntervalsOn,
  type CalendarSpec,
  type DayHours,
  type Interval,
  type Weekday,
} from './calendar.js';
import { applyHolidays, CN_HOLIDAY_YEARS } from './cn-holidays.js';

const MIN = 60_000;
const HOUR = 3_600_000;

const OFFICE: DayHours = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const officeWeek = (hours: DayHours = OFFICE): Record<Weekday, DayHours> => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] });
const allWeek = (hours: DayHours): Record<Weekday, DayHours> => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours });

// Asia/Shanghai, 09:00–12:00 and 13:30–18:00 on weekdays (7.5 h a day), with the 2025 and 2026 State Council holidays.
const cn = compileCalendar(applyHolidays({ name: '总部', timeZone: 'Asia/Shanghai', week: officeWeek(), overrides: {} }, CN_HOLIDAY_YEARS));
/** An instant given as Shanghai wall time. */
const sh = (local: string): Date => new Date(`${local}:00+08:00`);
/** An instant as Shanghai wall time, `YYYY-MM-DD HH:MM`. */
const shLocal = (t: Date | number): string => DateTime.fromMillis(typeof t === 'number' ? t : t.getTime(), { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');
const dueSh = (from: string, duration: string): string => shLocal(due(cn, sh(from), duration));

describe('parseDuration', () => {
  it.each([
    ['PT40H', 40 * HOUR],
    ['PT5M', 5 * MIN],
    ['PT1H30M', 90 * MIN],
    ['PT90M', 90 * MIN],
    ['PT1H2M3S', HOUR + 2 * MIN + 3000],
    ['PT0.5S', 500],
    ['PT1.25S', 1250],
    ['PT0S', 0],
    ['PT0H', 0],
  ])('%s is %d business ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ kind: 'business', ms });
  });

  it.each([
    ['P1D', 1],
    ['P5D', 5],
    ['P30D', 30],
  ])('%s is %d working days', (text, days) => {
    expect(parseDuration(text)).toEqual({ kind: 'workingDays', days });
  });

  it.each([
    ['P1DT2H', 'calendar.mixed_duration'],
    ['P1W', 'calendar.unsupported_duration_unit'],
    ['P1M', 'calendar.unsupported_duration_unit'],
    ['P1Y', 'calendar.unsupported_duration_unit'],
    ['P1Y2M', 'calendar.unsupported_duration_unit'],
    ['P0D', 'calendar.invalid_duration'],
    ['P1.5D', 'calendar.invalid_duration'],
    ['PT1.5H', 'calendar.invalid_duration'],
    ['PT0.0001S', 'calendar.invalid_duration'],
    ['PT', 'calendar.invalid_duration'],
    ['P', 'calendar.invalid_duration'],
    ['pt1h', 'calendar.invalid_duration'],
    ['-PT1H', 'calendar.invalid_duration'],
    ['PT-1H', 'calendar.invalid_duration'],
    ['40h', 'calendar.invalid_duration'],
    ['', 'calendar.invalid_duration'],
    ['PT99999999999999999H', 'calendar.invalid_duration'],
  ])('refuses %j with %s, naming the value', (text, code) => {
    const error = (() => {
      try {
        parseDuration(text);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).code).toBe(code);
    expect((error as CalendarError).message).toContain(JSON.stringify(text));
  });

  it('due refuses a mixed duration with a clear error', () => {
    expect(() => due(cn, sh('2026-03-02T09:00'), 'P1DT2H')).toThrow(/mixes working days with hours/);
  });
});

describe('due and elapsed on a weekday office calendar', () => {
  it('business time that runs out exactly at closing is due at 18:00, not 09:00 the next working day', () => {
    expect(dueSh('2026-03-02T17:00', 'PT1H')).toBe('2026-03-02 18:00');
    expect(dueSh('2026-03-02T09:00', 'PT7H30M')).toBe('2026-03-02 18:00');
  });

  it('a zero duration is due at once, even outside working hours', () => {
    expect(due(cn, sh('2026-03-01T03:17'), 'PT0S').getTime()).toBe(sh('2026-03-01T03:17').getTime());
    expect(due(cn, 1_772_345_678_901, 'PT0S').getTime()).toBe(1_772_345_678_901);
  });

  it('the lunch break does not count: PT3H from 11:00 is 11:00–12:00 + 13:30–15:30', () => {
    expect(dueSh('2026-03-02T11:00', 'PT3H')).toBe('2026-03-02 15:30');
  });

  it('time received before opening starts at opening: PT1H from 07:00 is due at 10:00', () => {
    expect(dueSh('2026-03-02T07:00', 'PT1H')).toBe('2026-03-02 10:00');
  });

  it('P1D received before opening on a working day does not count the day of receipt (due the next day at 18:00)', () => {
    expect(dueSh('2026-03-02T07:00', 'P1D')).toBe('2026-03-03 18:00');
  });

  it('P1D received on a Friday evening is due Monday at 18:00; received on Saturday, also Monday', () => {
    expect(dueSh('2026-03-06T20:00', 'P1D')).toBe('2026-03-09 18:00');
    expect(dueSh('2026-03-07T10:00', 'P1D')).toBe('2026-03-09 18:00');
  });

  it('PT40H from Monday 09:00 is due the next Monday at 11:30 (5 × 7.5 h = 37.5 h, then 2.5 h from 09:00)', () => {
    expect(dueSh('2026-03-02T09:00', 'PT40H')).toBe('2026-03-09 11:30');
  });

  it('elapsed is 0 when b ≤ a, and counts [a, b) in ms', () => {
    expect(elapsed(cn, sh('2026-03-02T10:00'), sh('2026-03-02T09:00'))).toBe(0);
    expect(elapsed(cn, sh('2026-03-02T10:00'), sh('2026-03-02T10:00'))).toBe(0);
    expect(elapsed(cn, sh('2026-03-02T11:59'), sh('2026-03-02T13:31'))).toBe(2 * MIN);
    expect(elapsed(cn, sh('2026-03-02T00:00'), sh('2026-03-09T00:00'))).toBe(5 * 7.5 * HOUR);
    expect(elapsed(cn, sh('2026-03-02T17:59').getTime() + 59_999, sh('2026-03-03T09:00').getTime() + 1)).toBe(2);
  });

  it('accepts Date and epoch ms alike and refuses an invalid instant', () => {
    expect(dueMs(cn, sh('2026-03-02T17:00').getTime(), 'PT1H')).toBe(sh('2026-03-02T18:00').getTime());
    expect(() => elapsed(cn, new Date('nonsense'), new Date())).toThrow(CalendarError);
    expect(() => elapsed(cn, 1.5, 2)).toThrow(/not a valid instant/);
  });
});

describe('2026 State Council holidays, Asia/Shanghai, 09:00–12:00 and 13:30–18:00', () => {
  it.each([
    // 元旦: 1/1–1/3 off, Sunday 1/4 worked.
    ['2025-12-31T17:00', 'PT2H', '2026-01-04 10:00', '元旦: 1 h on Wed 12/31, 1/1–1/3 off, then 1 h on Sunday 1/4, a make-up workday'],
    ['2025-12-31T17:00', 'P1D', '2026-01-04 18:00', '元旦: the first working day after 12/31 is Sunday 1/4 (调休)'],
    ['2026-01-03T10:00', 'P2D', '2026-01-05 18:00', '元旦: received on a holiday; working days 1/4 (Sun, 调休) and Mon 1/5'],
    // 春节: 2/15–2/23 off, Saturdays 2/14 and 2/28 worked.
    ['2026-02-13T17:00', 'P5D', '2026-02-27 18:00', '春节: working days after Fri 2/13 are 2/14 (Sat, 调休), then 2/24, 2/25, 2/26, 2/27 after the 9-day break'],
    ['2026-02-13T17:00', 'PT2H', '2026-02-14 10:00', '春节: 1 h on Fri 2/13, then Sat 2/14 is a make-up workday'],
    ['2026-02-14T09:00', 'PT8H', '2026-02-24 09:30', '春节: 7.5 h on Sat 2/14, 2/15–2/23 off, 0.5 h on Tue 2/24'],
    ['2026-02-13T17:00', 'PT9H', '2026-02-24 09:30', '春节: 1 h on 2/13 + 7.5 h on 2/14 + 0.5 h on 2/24'],
    ['2026-02-27T17:00', 'PT1H', '2026-02-27 18:00', '春节: runs out exactly at closing on Fri 2/27'],
    ['2026-02-27T17:00', 'PT1H30M', '2026-02-28 09:30', '春节: Sat 2/28 is a make-up workday'],
    ['2026-02-27T10:00', 'P1D', '2026-02-28 18:00', '春节: the working day after Fri 2/27 is Sat 2/28 (调休)'],
    // 清明: 4/4–4/6 off (Sat–Mon).
    ['2026-04-03T16:00', 'PT4H', '2026-04-07 11:00', '清明: 2 h on Fri 4/3, Sat 4/4–Mon 4/6 off, 2 h on Tue 4/7'],
    ['2026-04-03T16:00', 'P1D', '2026-04-07 18:00', '清明: Monday 4/6 is a holiday, so the next working day is Tue 4/7'],
    // 劳动节: 5/1–5/5 off, Saturday 5/9 worked.
    ['2026-04-30T17:30', 'PT8H', '2026-05-06 18:00', '劳动节: 0.5 h on Thu 4/30 + 7.5 h on Wed 5/6 run out exactly at 18:00'],
    ['2026-04-30T17:30', 'P3D', '2026-05-08 18:00', '劳动节: working days 5/6, 5/7, 5/8 after the 5-day break'],
    ['2026-04-30T17:30', 'P4D', '2026-05-09 18:00', '劳动节: the 4th working day is Sat 5/9 (调休)'],
    // 端午: 6/19–6/21 off (Fri–Sun).
    ['2026-06-18T17:00', 'PT3H', '2026-06-22 11:00', '端午: 1 h on Thu 6/18, Fri 6/19–Sun 6/21 off, 2 h on Mon 6/22'],
    ['2026-06-18T08:00', 'P1D', '2026-06-22 18:00', '端午: received before opening on Thu 6/18, which does not count; Fri 6/19 is a holiday'],
    // 中秋: 9/25–9/27 off (Fri–Sun); Sunday 9/20 worked (for 国庆).
    ['2026-09-19T10:00', 'PT1H', '2026-09-20 10:00', '国庆调休: received on Sat 9/19, Sun 9/20 is a make-up workday'],
    ['2026-09-24T17:00', 'P1D', '2026-09-28 18:00', '中秋: Fri 9/25 is a holiday, so Mon 9/28'],
    ['2026-09-24T17:00', 'PT2H', '2026-09-28 10:00', '中秋: 1 h on Thu 9/24 and 1 h on Mon 9/28'],
    // 国庆: 10/1–10/7 off; Saturday 10/10 worked.
    ['2026-09-30T10:00', 'P1D', '2026-10-08 18:00', '国庆: 10/1–10/7 off; Thu 10/8 is the first working day after Wed 9/30'],
    ['2026-09-30T10:00', 'P3D', '2026-10-10 18:00', '国庆: working days 10/8, 10/9 and Sat 10/10 (调休)'],
    ['2026-09-30T09:00', 'PT16H', '2026-10-09 10:00', '国庆: 7.5 h on 9/30 + 7.5 h on 10/8 + 1 h on 10/9'],
  ])('%s + %s → %s (%s)', (from, duration, expected) => {
    expect(dueSh(from, duration)).toBe(expected);
  });

  it('the make-up workdays work and the holidays do not', () => {
    for (const date of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) expect(isWorkingDay(cn, date)).toBe(true);
    for (const date of ['2026-01-01', '2026-02-16', '2026-04-06', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-07']) expect(isWorkingDay(cn, date)).toBe(false);
    expect(nextWorkingDay(cn, '2026-09-30')).toBe('2026-10-08');
    expect(nextWorkingDay(cn, '2026-02-13')).toBe('2026-02-14');
    expect(nextWorkingDay(cn, '2026-02-14')).toBe('2026-02-24');
  });

  it('elapsed over the Spring Festival week counts only the make-up Saturday', () => {
    expect(elapsed(cn, sh('2026-02-14T00:00'), sh('2026-02-24T00:00'))).toBe(7.5 * HOUR);
  });
});

describe('helpers for the UI and the API', () => {
  it('workingIntervalsOn gives instants and the declared local hours', () => {
    expect(workingIntervalsOn(cn, '2026-02-14')).toEqual([
      { start: sh('2026-02-14T09:00'), end: sh('2026-02-14T12:00'), local: ['09:00', '12:00'] },
      { start: sh('2026-02-14T13:30'), end: sh('2026-02-14T18:00'), local: ['13:30', '18:00'] },
    ]);
    expect(workingIntervalsOn(cn, '2026-02-15')).toEqual([]);
    expect(hoursOn(cn, '2026-02-15')).toEqual({ source: 'override', weekday: 'sun', hours: [] });
    expect(hoursOn(cn, '2026-03-02')).toEqual({ source: 'week', weekday: 'mon', hours: OFFICE });
  });

  it('localDateOf reads the date in the calendar zone', () => {
    expect(localDateOf(cn, new Date('2026-02-13T16:30:00Z'))).toBe('2026-02-14');
    expect(localDateOf(cn, new Date('2026-02-13T15:59:59.999Z'))).toBe('2026-02-13');
  });

  it('refuses impossible local dates', () => {
    expect(() => isWorkingDay(cn, '2026-02-30')).toThrow(CalendarError);
    expect(() => nextWorkingDay(cn, '2026-2-3')).toThrow(/not a date/);
  });

  it('explainDue shows the days counted for a working-day duration over the Spring Festival', () => {
    const x = explainDue(cn, sh('2026-02-13T17:00'), 'P5D');
    expect(shLocal(x.due)).toBe('2026-02-27 18:00');
    expect(x.start).toEqual({ at: sh('2026-02-13T17:00'), localDate: '2026-02-13', localTime: '17:00:00' });
    expect(x.end).toEqual({ localDate: '2026-02-27', localTime: '18:00:00' });
    expect(x.days[0]).toMatchObject({ date: '2026-02-13', receipt: true, working: true, workingDayNumber: null });
    expect(x.days.filter((d) => d.workingDayNumber !== null).map((d) => [d.date, d.workingDayNumber])).toEqual([
      ['2026-02-14', 1],
      ['2026-02-24', 2],
      ['2026-02-25', 3],
      ['2026-02-26', 4],
      ['2026-02-27', 5],
    ]);
    expect(x.days.find((d) => d.date === '2026-02-16')).toMatchObject({ source: 'override', hours: [], working: false });
    expect(x.years).toEqual([2026]);
  });

  it('explainDue shows the spans counted for business time', () => {
    const x = explainDue(cn, sh('2026-02-13T17:00'), 'PT9H');
    const counted = x.days.filter((d) => d.countedMs > 0).map((d) => [d.date, d.countedMs / MIN, d.counted]);
    expect(counted).toEqual([
      ['2026-02-13', 60, [['17:00', '18:00']]],
      ['2026-02-14', 450, [['09:00', '12:00'], ['13:30', '18:00']]],
      ['2026-02-24', 30, [['09:00', '09:30']]],
    ]);
    expect(x.days.reduce((sum, d) => sum + d.countedMs, 0)).toBe(9 * HOUR);
    expect(x.days.at(-1)!.date).toBe('2026-02-24');
  });

  it('explainDue reports the local years crossed, so the API can warn about missing holiday data', () => {
    expect(explainDue(cn, sh('2026-12-30T10:00'), 'P5D').years).toEqual([2026, 2027]);
  });

  it('a 24:00 end is shown as 24:00 of its own day', () => {
    const cal = compileCalendar({ timeZone: 'Asia/Shanghai', week: allWeek([['20:00', '24:00']]), overrides: {} });
    const x = explainDue(cal, sh('2026-03-02T21:00'), 'PT3H');
    expect(x.days.map((d) => [d.date, d.counted])).toEqual([['2026-03-02', [['21:00', '24:00']]]]);
    expect(x.end).toEqual({ localDate: '2026-03-02', localTime: '24:00:00' });
    expect(x.due).toEqual(sh('2026-03-03T00:00'));
  });
});

describe('daylight saving time', () => {
  const fullDays = (timeZone: string) => compileCalendar({ timeZone, week: allWeek([['00:00', '24:00']]), overrides: {} });
  const dayLength = (timeZone: string, date: string) => {
    const cal = fullDays(timeZone);
    const [interval] = workingIntervalsOn(cal, date);
    const start = DateTime.fromISO(date, { zone: timeZone }).toMillis();
    const nextDate = DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
    const end = DateTime.fromISO(nextDate, { zone: timeZone }).toMillis(); // not start + 1 day: Santiago's 2026-09-06 starts at 01:00
    expect(interval!.start.getTime()).toBe(start);
    expect(interval!.end.getTime()).toBe(end);
    return elapsed(cal, start, end) / HOUR;
  };

  it.each([
    ['America/New_York', 'spring forward', '2026-03-08', 23],
    ['America/New_York', 'fall back', '2026-11-01', 25],
    ['America/New_York', 'ordinary', '2026-11-02', 24],
    ['Europe/Berlin', 'spring forward', '2026-03-29', 23],
    ['Europe/Berlin', 'fall back', '2026-10-25', 25],
    ['Australia/Lord_Howe', 'half-hour spring forward', '2026-10-04', 23.5],
    ['Australia/Lord_Howe', 'half-hour fall back', '2026-04-05', 24.5],
    ['America/Santiago', 'spring forward at midnight', '2026-09-06', 23],
    ['America/Santiago', 'fall back at midnight', '2026-04-04', 25],
  ])('%s %s: a 00:00–24:00 day on %s holds %d hours', (zone, _what, date, hours) => {
    expect(dayLength(zone, date)).toBe(hours);
  });

  it('a wall time in the spring-forward gap moves forward by the gap, as luxon does: 02:30 is 03:30 EDT', () => {
    const cal = compileCalendar({ timeZone: 'America/New_York', week: allWeek([]), overrides: { '2026-03-08': [['02:30', '04:00']] } });
    expect(workingIntervalsOn(cal, '2026-03-08')).toEqual([
      { start: new Date('2026-03-08T03:30:00-04:00'), end: new Date('2026-03-08T04:00:00-04:00'), local: ['02:30', '04:00'] },
    ]);
    const luxon = DateTime.fromObject({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, { zone: 'America/New_York' });
    expect(luxon.toMillis()).toBe(new Date('2026-03-08T03:30:00-04:00').getTime());
  });

  it('an interval lying wholly in the gap moves forward with it: 02:10–02:50 is 03:10–03:50 EDT', () => {
    const cal = compileCalendar({ timeZone: 'America/New_York', week: allWeek([]), overrides: { '2026-03-08': [['02:10', '02:50']] } });
    expect(workingIntervalsOn(cal, '2026-03-08')).toEqual([
      { start: new Date('2026-03-08T03:10:00-04:00'), end: new Date('2026-03-08T03:50:00-04:00'), local: ['02:10', '02:50'] },
    ]);
  });

  it('an interval from inside the gap to just after it holds no time (02:30–03:15 would be 03:30–03:15) and makes no working day', () => {
    const cal = compileCalendar({ timeZone: 'America/New_York', week: allWeek([]), overrides: { '2026-03-08': [['02:30', '03:15']], '2026-03-09': [['09:00', '10:00']] } });
    expect(workingIntervalsOn(cal, '2026-03-08')).toEqual([]);
    expect(isWorkingDay(cal, '2026-03-08')).toBe(false);
    expect(nextWorkingDay(cal, '2026-03-07')).toBe('2026-03-09');
  });

  it('a wall time in the fall-back overlap is its first occurrence: 01:00–02:00 holds two hours', () => {
    const cal = compileCalendar({ timeZone: 'America/New_York', week: allWeek([]), overrides: { '2026-11-01': [['01:00', '02:00']] } });
    const [interval] = workingIntervalsOn(cal, '2026-11-01');
    expect(interval!.start).toEqual(new Date('2026-11-01T01:00:00-04:00'));
    expect(interval!.end).toEqual(new Date('2026-11-01T02:00:00-05:00'));
    expect(elapsed(cal, new Date('2026-11-01T00:00:00-04:00'), new Date('2026-11-02T00:00:00-05:00'))).toBe(2 * HOUR);
  });

  it('P1D over a fall-back date is due at the end of its 25-hour day', () => {
    const cal = fullDays('Europe/Berlin');
    expect(due(cal, new Date('2026-10-24T12:00:00+02:00'), 'P1D')).toEqual(new Date('2026-10-26T00:00:00+01:00'));
    expect(due(cal, new Date('2026-10-25T00:00:00+02:00'), 'PT25H')).toEqual(new Date('2026-10-26T00:00:00+01:00'));
  });
});

describe('compilation', () => {
  it('compiles lazily, extends in both directions and gives the same answers as a calendar compiled up front', () => {
    const spec: CalendarSpec = applyHolidays({ timeZone: 'Asia/Shanghai', week: officeWeek(), overrides: {} }, CN_HOLIDAY_YEARS);
    const lazy = compileCalendar(spec);
    expect(compiledYears(lazy)).toBeNull();
    expect(dueSh('2026-02-13T17:00', 'P5D')).toBe(shLocal(due(lazy, sh('2026-02-13T17:00'), 'P5D')));
    expect(compiledYears(lazy)).toEqual([2026, 2026]);
    const lateDec = due(lazy, sh('2026-12-31T17:00'), 'PT2H');
    expect(shLocal(lateDec)).toBe('2027-01-01 10:00'); // no 2027 holiday data: 1/1 is an ordinary Friday
    expect(compiledYears(lazy)).toEqual([2026, 2027]);
    const a = sh('2023-06-01T10:00');
    const b = sh('2028-06-01T10:00');
    const span = elapsed(lazy, a, b);
    expect(compiledYears(lazy)![0]).toBeLessThanOrEqual(2023);
    expect(compiledYears(lazy)![1]).toBeGreaterThanOrEqual(2028);
    const eager = compileCalendar(spec, { years: [2020, 2030] });
    expect(compiledYears(eager)).toEqual([2020, 2030]);
    expect(elapsed(eager, a, b)).toBe(span);
    expect(due(eager, sh('2026-12-31T17:00'), 'PT2H')).toEqual(lateDec);
  });

  it('a year without overrides is computed from the weekly hours', () => {
    const cal = compileCalendar({ timeZone: 'Asia/Shanghai', week: officeWeek(), overrides: {} });
    // 2031: 365 days, 1 Jan a Wednesday → 261 weekdays.
    expect(elapsed(cal, sh('2031-01-01T00:00'), sh('2032-01-01T00:00'))).toBe(261 * 7.5 * HOUR);
  });

  it('refuses an invalid spec with every issue', () => {
    const bad = { timeZone: 'Mars/Olympus', week: { ...officeWeek(), mon: [['13:00', '12:00']] as Interval[] }, overrides: { '2026-02-30': [] } };
    try {
      compileCalendar(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarError);
      const error = e as CalendarError;
      expect(error.code).toBe('calendar.invalid_spec');
      expect(error.message).toContain('timeZone: unknown time zone "Mars/Olympus"');
      expect(error.message).toContain('week.mon[0]: 13:00–12:00 ends before it starts');
      expect(error.message).toContain('overrides.2026-02-30: no such date');
    }
  });

  it('says so when there is no working time left, instead of searching forever', () => {
    const cal = compileCalendar({ timeZone: 'UTC', week: allWeek([]), overrides: { '2026-05-01': [['09:00', '10:00']] } });
    expect(due(cal, Date.UTC(2026, 0, 1), 'PT1H')).toEqual(new Date('2026-05-01T10:00:00Z'));
    expect(due(cal, Date.UTC(2026, 0, 1), 'P1D')).toEqual(new Date('2026-05-01T10:00:00Z'));
    expect(() => due(cal, Date.UTC(2026, 0, 1), 'PT2H')).toThrow(expect.objectContaining({ code: 'calendar.no_working_time' }));
    expect(() => due(cal, Date.UTC(2026, 5, 1), 'P1D')).toThrow(expect.objectContaining({ code: 'calendar.no_working_time' }));
  });

  it('refuses instants outside the supported years', () => {
    const cal = compileCalendar({ timeZone: 'UTC', week: officeWeek(), overrides: {} });
    expect(() => elapsed(cal, Date.UTC(2026, 0, 1), Date.UTC(3001, 0, 1))).toThrow(expect.objectContaining({ code: 'calendar.out_of_range' }));
    expect(() => due(cal, Date.UTC(1800, 0, 1), 'PT1H')).toThrow(expect.objectContaining({ code: 'calendar.out_of_range' }));
  });

  it('does not see later changes to the spec it was compiled from', () => {
    const overrides: Record<string, DayHours> = {};
    const cal = compileCalendar({ timeZone: 'Asia/Shanghai', week: officeWeek(), overrides });
    overrides['2026-03-02'] = [];
    expect(isWorkingDay(cal, '2026-03-02')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property tests against a brute-force reference that steps through time minute by minute
// ---------------------------------------------------------------------------------------------------------------

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Santiago', 'UTC'] as const;

/** Instants worth starting from: DST transitions of the zones above, year ends, Chinese holidays. */
const ANCHORS = [
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-04-04T15:00:00Z',
  '2026-10-03T15:30:00Z',
  '2026-04-05T03:00:00Z',
  '2026-09-06T04:00:00Z',
  '2025-12-31T16:00:00Z',
  '2026-12-31T23:00:00Z',
  '2026-02-13T09:00:00Z',
  '2026-09-30T09:00:00Z',
  '2028-02-29T12:00:00Z',
].map((s) => Date.parse(s));

const toHHMM = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A day's hours: sorted distinct minute marks paired up, either apart or touching, often on DST-prone times. */
function dayHoursArb(marks: fc.Arbitrary<number>): fc.Arbitrary<DayHours> {
  return fc
    .tuple(fc.uniqueArray(marks, { maxLength: 6 }), fc.boolean())
    .map(([points, touching]) => {
      const sorted = [...points].sort((x, y) => x - y);
      const out: Interval[] = [];
      if (touching) for (let i = 0; i + 1 < sorted.length; i++) out.push([toHHMM(sorted[i]!), toHHMM(sorted[i + 1]!)]);
      else for (let i = 0; i + 1 < sorted.length; i += 2) out.push([toHHMM(sorted[i]!), toHHMM(sorted[i + 1]!)]);
      return out;
    });
}

const anyMark = fc.oneof(fc.constantFrom(0, 60, 90, 120, 130, 150, 180, 540, 720, 810, 1080, 1380, 1440), fc.integer({ min: 0, max: 1440 }));
/** Marks away from 01:00–03:00 local, where no zone used here changes its offset (except Santiago, left out). */
const calmMark = fc.oneof(fc.constantFrom(0, 540, 720, 810, 1080, 1440), fc.integer({ min: 180, max: 1440 }), fc.integer({ min: 0, max: 60 }));

interface Scenario {
  readonly spec: CalendarSpec;
  readonly anchor: number;
}

function scenarioArb(zones: readonly string[], marks: fc.Arbitrary<number>): fc.Arbitrary<Scenario> {
  const hours = dayHoursArb(marks);
  return fc
    .record({
      zone: fc.constantFrom(...zones),
      anchor: fc.constantFrom(...ANCHORS),
      week: fc.tuple(hours, hours, hours, hours, hours, hours, hours),
      overrides: fc.array(fc.tuple(fc.integer({ min: -6, max: 6 }), hours), { maxLength: 5 }),
    })
    .map(({ zone, anchor, week, overrides }) => {
      const weekRecord = Object.fromEntries(WEEKDAYS.map((d, i) => [d, week[i]!])) as Record<Weekday, DayHours>;
      const o: Record<string, DayHours> = {};
      for (const [offset, h] of overrides) o[new Date(anchor + offset * 86_400_000).toISOString().slice(0, 10)] = h;
      return { spec: { timeZone: zone, week: weekRecord, overrides: o }, anchor };
    });
}

/** The reference: per local date, its intervals placed by luxon (gap: moved forward; overlap: first occurrence). */
class Reference {
  private readonly cache = new Map<string, [number, number][]>();
  constructor(private readonly spec: CalendarSpec) {}

  private resolve(date: string, minutes: number): number {
    const day = DateTime.fromISO(date, { zone: 'UTC' }).plus({ minutes });
    const wall = day.toFormat('yyyy-MM-dd HH:mm');
    let t = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: day.hour, minute: day.minute }, { zone: this.spec.timeZone }).toMillis();
    for (const back of [120, 60, 30]) {
      if (DateTime.fromMillis(t - back * MIN, { zone: this.spec.timeZone }).toFormat('yyyy-MM-dd HH:mm') === wall) {
        t -= back * MIN;
        break;
      }
    }
    return t;
  }

  hours(date: string): DayHours {
    const weekday = WEEKDAYS[DateTime.fromISO(date, { zone: 'UTC' }).weekday - 1]!;
    return this.spec.overrides[date] ?? this.spec.week[weekday];
  }

  intervals(date: string): [number, number][] {
    let out = this.cache.get(date);
    if (!out) {
      out = [];
      for (const [s, e] of this.hours(date)) {
        const toMin = (x: string) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3));
        const start = this.resolve(date, toMin(s));
        const end = this.resolve(date, toMin(e));
        if (end > start) out.push([start, end]);
      }
      this.cache.set(date, out);
    }
    return out;
  }

  localDate(t: number): string {
    return DateTime.fromMillis(t, { zone: this.spec.timeZone }).toISODate()!;
  }

  /** The first instant of every working minute of the local dates around [a, b]. */
  private workingMinutes(a: number, b: number): Set<number> {
    const out = new Set<number>();
    let date = DateTime.fromISO(this.localDate(a), { zone: 'UTC' }).minus({ days: 2 });
    const last = DateTime.fromISO(this.localDate(b), { zone: 'UTC' }).plus({ days: 2 });
    for (; date <= last; date = date.plus({ days: 1 })) {
      for (const [s, e] of this.intervals(date.toISODate()!)) for (let m = s; m < e; m += MIN) out.add(m);
    }
    return out;
  }

  /** Steps minute by minute; a minute is wholly in or out since every interval end lies on a minute. */
  elapsed(a: number, b: number): number {
    if (b <= a) return 0;
    const working = this.workingMinutes(a, b);
    let total = 0;
    for (let m = Math.floor(a / MIN) * MIN; m < b; m += MIN) {
      if (working.has(m)) total += Math.min(m + MIN, b) - Math.max(m, a);
    }
    return total;
  }

  due(a: number, ms: number, maxDays: number): number | null {
    if (ms === 0) return a;
    const working = this.workingMinutes(a, a + maxDays * 86_400_000);
    let total = 0;
    for (let m = Math.floor(a / MIN) * MIN; m < a + maxDays * 86_400_000; m += MIN) {
      if (!working.has(m)) continue;
      const from = Math.max(m, a);
      const gain = m + MIN - from;
      if (total + gain >= ms) return from + (ms - total);
      total += gain;
    }
    return null;
  }

  dueWorkingDays(a: number, n: number, maxDays: number): number | null {
    let date = DateTime.fromISO(this.localDate(a), { zone: 'UTC' });
    let count = 0;
    for (let i = 0; i < maxDays; i++) {
      date = date.plus({ days: 1 });
      const intervals = this.intervals(date.toISODate()!);
      if (intervals.length > 0 && ++count === n) return Math.max(...intervals.map(([, e]) => e));
    }
    return null;
  }
}

const weeklyMs = (spec: CalendarSpec): number => {
  let total = 0;
  for (const d of WEEKDAYS) for (const [s, e] of spec.week[d]) total += (Number(e.slice(0, 2)) * 60 + Number(e.slice(3)) - Number(s.slice(0, 2)) * 60 - Number(s.slice(3))) * MIN;
  return total;
};

describe('properties against the minute-stepping reference', () => {
  const scenarios = scenarioArb(ZONES, anyMark);
  const offset = fc.integer({ min: -4 * 86_400_000, max: 4 * 86_400_000 });

  it('elapsed(a, b) equals the reference', () => {
    fc.assert(
      fc.property(scenarios, offset, fc.integer({ min: -HOUR, max: 3 * 86_400_000 }), ({ spec, anchor }, x, y) => {
        const cal = compileCalendar(spec);
        const ref = new Reference(spec);
        const a = anchor + x;
        expect(elapsed(cal, a, a + y)).toBe(ref.elapsed(a, a + y));
      }),
      { numRuns: 60 },
    );
  });

  it('due(a, PT…) equals the reference, is minimal, and elapsed(a, due) is exactly the duration', () => {
    fc.assert(
      fc.property(scenarios, offset, fc.double({ min: 0, max: 1, noNaN: true }), ({ spec, anchor }, x, fraction) => {
        const weekly = weeklyMs(spec);
        fc.pre(weekly > 0);
        const cal = compileCalendar(spec);
        const ref = new Reference(spec);
        const a = anchor + x;
        const ms = Math.round(fraction * Math.min(weekly * 1.5, 30 * HOUR));
        const t = dueMs(cal, a, { kind: 'business', ms });
        expect(t).toBeGreaterThanOrEqual(a);
        expect(elapsed(cal, a, t)).toBe(ms);
        if (t > a) expect(elapsed(cal, a, t - 1)).toBeLessThan(ms);
        expect(t).toBe(ref.due(a, ms, 30));
      }),
      { numRuns: 60 },
    );
  });

  it('due(a, P{n}D) is the end of the n-th working day after the date of receipt, as the reference finds it', () => {
    fc.assert(
      fc.property(scenarios, offset, fc.integer({ min: 1, max: 6 }), ({ spec, anchor }, x, n) => {
        fc.pre(weeklyMs(spec) > 0);
        const cal = compileCalendar(spec);
        const ref = new Reference(spec);
        const a = anchor + x;
        const t = dueMs(cal, a, { kind: 'workingDays', days: n });
        expect(t).toBe(ref.dueWorkingDays(a, n, 60));
        expect(isWorkingDay(cal, localDateOf(cal, t - 1))).toBe(true);
        expect(localDateOf(cal, a) < localDateOf(cal, t - 1)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('elapsed is additive, and a calendar compiled lazily in any order answers like one compiled up front', () => {
    const span = fc.integer({ min: 0, max: 2 * 366 * 86_400_000 });
    fc.assert(
      fc.property(scenarios, span, span, span, fc.integer({ min: 1, max: 200 * HOUR }), ({ spec }, x, y, z, ms) => {
        const base = Date.UTC(2025, 5, 1);
        const [a, b, c] = [base + x, base + y, base + z].sort((p, q) => p - q) as [number, number, number];
        const lazy = compileCalendar(spec);
        const bc = elapsed(lazy, b, c); // compiles the later years first, then grows backwards
        const ab = elapsed(lazy, a, b);
        const total = elapsed(lazy, a, c);
        expect(ab + bc).toBe(total);
        const eager = compileCalendar(spec, { years: [2024, 2028] });
        expect(elapsed(eager, a, c)).toBe(total);
        if (weeklyMs(spec) > 0) expect(dueMs(lazy, b, { kind: 'business', ms })).toBe(dueMs(eager, b, { kind: 'business', ms }));
      }),
      { numRuns: 40 },
    );
  });

  it('away from the DST switch hours, working time is exactly the minutes whose local wall time lies in the day’s hours', () => {
    const calm = scenarioArb(['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'UTC'], calmMark);
    fc.assert(
      fc.property(calm, offset, fc.integer({ min: 0, max: 2 * 86_400_000 }), ({ spec, anchor }, x, y) => {
        const cal = compileCalendar(spec);
        const ref = new Reference(spec);
        const a = Math.floor((anchor + x) / MIN) * MIN;
        let expected = 0;
        for (let m = a; m < a + y; m += MIN) {
          const local = DateTime.fromMillis(m, { zone: spec.timeZone });
          const minutes = local.hour * 60 + local.minute;
          const open = ref.hours(local.toISODate()!).some(([s, e]) => toMinutes(s) <= minutes && minutes < toMinutes(e));
          if (open) expected += Math.min(MIN, a + y - m);
        }
        expect(elapsed(cal, a, a + y)).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });
});

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
}
