import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { compileCalendar, elapsed, isWorkingDay, type CalendarSpec, type DayHours, type Weekday } from './calendar.js';
import { applyHolidays, CN_HOLIDAY_YEARS, CN_HOLIDAYS_2025, CN_HOLIDAYS_2026, cnHolidayYear, yearsWithoutHolidayData } from './cn-holidays.js';

const OFFICE: DayHours = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const week = (hours: DayHours, mon: DayHours = hours): Record<Weekday, DayHours> => ({ mon, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] });
const office: CalendarSpec = { name: '总部', timeZone: 'Asia/Shanghai', week: week(OFFICE), overrides: {} };

function datesOf(year: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

describe.each(CN_HOLIDAY_YEARS.map((h) => [h.year, h] as const))('%i holiday data', (year, data) => {
  it('agrees with chinese-days on every listed date', () => {
    for (const day of data.days) {
      const detail = chineseDays.getDayDetail(day.date);
      expect({ date: day.date, work: detail.work }).toEqual({ date: day.date, work: day.kind === 'workday' });
      if (day.kind === 'holiday') expect(chineseDays.isHoliday(day.date), day.date).toBe(true);
      else {
        expect(chineseDays.isWorkday(day.date), day.date).toBe(true);
        expect(isWeekend(day.date), `${day.date} is a make-up workday, so a weekend date`).toBe(true);
      }
    }
  });

  it('lists every statutory holiday and make-up workday chinese-days knows for the year, and nothing else', () => {
    const holidays = data.days.filter((d) => d.kind === 'holiday').map((d) => d.date);
    const workdays = data.days.filter((d) => d.kind === 'workday').map((d) => d.date);
    expect(holidays).toEqual(chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false));
    expect(workdays).toEqual(datesOf(year).filter((d) => isWeekend(d) && chineseDays.isWorkday(d)));
  });

  it('is well formed: in date order, unique, within its year, named in both languages, with its source', () => {
    const dates = data.days.map((d) => d.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    for (const day of data.days) {
      expect(day.date.startsWith(`${year}-`)).toBe(true);
      expect(day.name['zh-CN']).not.toBe('');
      expect(day.name['en-US']).not.toBe('');
    }
    expect(data.source).toContain(`国务院办公厅关于${year}年部分节假日安排的通知`);
  });

  it('applied to a weekday office calendar, makes exactly the dates chinese-days calls workdays working, 7.5 h each', () => {
    const cal = compileCalendar(applyHolidays(office, [data]));
    const workdays = datesOf(year).filter((d) => chineseDays.isWorkday(d));
    for (const date of datesOf(year)) expect(isWorkingDay(cal, date), date).toBe(chineseDays.isWorkday(date));
    const yearStart = new Date(`${year}-01-01T00:00:00+08:00`);
    const yearEnd = new Date(`${year + 1}-01-01T00:00:00+08:00`);
    expect(elapsed(cal, yearStart, yearEnd)).toBe(workdays.length * 7.5 * 3_600_000);
  });
});

describe('the notices as written', () => {
  const dates = (y: typeof CN_HOLIDAYS_2026, kind: 'holiday' | 'workday', zh: string) =>
    y.days.filter((d) => d.kind === kind && d.name['zh-CN'].startsWith(zh)).map((d) => d.date.slice(5));

  it('2026: 元旦 1/1–1/3 off, 1/4 worked; 春节 2/15–2/23, 2/14 and 2/28 worked; 清明 4/4–4/6; 劳动节 5/1–5/5, 5/9 worked; 端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7, 9/20 and 10/10 worked', () => {
    expect(dates(CN_HOLIDAYS_2026, 'holiday', '元旦')).toEqual(['01-01', '01-02', '01-03']);
    expect(dates(CN_HOLIDAYS_2026, 'workday', '元旦')).toEqual(['01-04']);
    expect(dates(CN_HOLIDAYS_2026, 'holiday', '春节')).toEqual(['02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22', '02-23']);
    expect(dates(CN_HOLIDAYS_2026, 'workday', '春节')).toEqual(['02-14', '02-28']);
    expect(dates(CN_HOLIDAYS_2026, 'holiday', '清明')).toEqual(['04-04', '04-05', '04-06']);
    expect(dates(CN_HOLIDAYS_2026, 'holiday', '劳动节')).toEqual(['05-01', '05-02', '05-03', '05-04', '05-05']);
    expect(dates(CN_HOLIDAYS_2026, 'workday', '劳动节')).toEqual(['05-09']);
    expect(dates(CN_HOLIDAYS_2026, 'holiday', '端午')).toEqual(['06-19', '06-20', '06-21']);
    expect(dates(CN_HOLIDAYS_2026, 'holiday', '中秋')).toEqual(['09-25', '09-26', '09-27']);
    expect(dates(CN_HOLIDAYS_2026, 'holiday', '国庆')).toEqual(['10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07']);
    expect(dates(CN_HOLIDAYS_2026, 'workday', '国庆')).toEqual(['09-20', '10-10']);
  });

  it('2025 (国办发明电〔2024〕12号): 元旦 1/1; 春节 1/28–2/4, 1/26 and 2/8 worked; 清明 4/4–4/6; 劳动节 5/1–5/5, 4/27 worked; 端午 5/31–6/2; 国庆中秋 10/1–10/8, 9/28 and 10/11 worked', () => {
    expect(CN_HOLIDAYS_2025.source).toContain('国办发明电〔2024〕12号');
    expect(dates(CN_HOLIDAYS_2025, 'holiday', '元旦')).toEqual(['01-01']);
    expect(dates(CN_HOLIDAYS_2025, 'holiday', '春节')).toEqual(['01-28', '01-29', '01-30', '01-31', '02-01', '02-02', '02-03', '02-04']);
    expect(dates(CN_HOLIDAYS_2025, 'workday', '春节')).toEqual(['01-26', '02-08']);
    expect(dates(CN_HOLIDAYS_2025, 'holiday', '清明')).toEqual(['04-04', '04-05', '04-06']);
    expect(dates(CN_HOLIDAYS_2025, 'holiday', '劳动节')).toEqual(['05-01', '05-02', '05-03', '05-04', '05-05']);
    expect(dates(CN_HOLIDAYS_2025, 'workday', '劳动节')).toEqual(['04-27']);
    expect(dates(CN_HOLIDAYS_2025, 'holiday', '端午')).toEqual(['05-31', '06-01', '06-02']);
    expect(dates(CN_HOLIDAYS_2025, 'holiday', '国庆')).toEqual(['10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07', '10-08']);
    expect(dates(CN_HOLIDAYS_2025, 'workday', '国庆')).toEqual(['09-28', '10-11']);
  });

  it('looks years up', () => {
    expect(cnHolidayYear(2026)).toBe(CN_HOLIDAYS_2026);
    expect(cnHolidayYear(2027)).toBeUndefined();
  });
});

describe('applyHolidays', () => {
  it('turns holidays into [] and make-up workdays into the Monday hours, in date order, without touching the input', () => {
    const before = JSON.stringify(office);
    const spec = applyHolidays(office, [CN_HOLIDAYS_2026]);
    expect(JSON.stringify(office)).toBe(before);
    expect(spec.overrides['2026-02-15']).toEqual([]);
    expect(spec.overrides['2026-02-14']).toEqual(OFFICE);
    expect(Object.keys(spec.overrides)).toEqual([...Object.keys(spec.overrides)].sort());
    expect(Object.keys(spec.overrides)).toHaveLength(CN_HOLIDAYS_2026.days.length);
    expect(spec.name).toBe('总部');
  });

  it('uses the given make-up workday hours', () => {
    const spec = applyHolidays(office, [CN_HOLIDAYS_2026], [['08:30', '17:30']]);
    expect(spec.overrides['2026-10-10']).toEqual([['08:30', '17:30']]);
  });

  it('falls back to the first weekday with hours when Monday has none', () => {
    const closedMondays = { ...office, week: week([['10:00', '16:00']], []) };
    expect(applyHolidays(closedMondays, [CN_HOLIDAYS_2026]).overrides['2026-02-28']).toEqual([['10:00', '16:00']]);
  });

  it("keeps the organization's own override of a date", () => {
    const spec = applyHolidays({ ...office, overrides: { '2026-10-01': [['09:00', '12:00']] } }, [CN_HOLIDAYS_2026]);
    expect(spec.overrides['2026-10-01']).toEqual([['09:00', '12:00']]);
    expect(spec.overrides['2026-10-02']).toEqual([]);
  });
});

describe('yearsWithoutHolidayData', () => {
  const known = CN_HOLIDAY_YEARS.map((h) => h.year);
  it('names the years with no data, so a 2027 deadline can say so', () => {
    expect(yearsWithoutHolidayData(known, 2026, 2027)).toEqual([2027]);
    expect(yearsWithoutHolidayData(known, 2025, 2026)).toEqual([]);
    expect(yearsWithoutHolidayData(known, 2024, 2028)).toEqual([2024, 2027, 2028]);
    expect(yearsWithoutHolidayData(known, 2027, 2026)).toEqual([2027]);
  });
});
