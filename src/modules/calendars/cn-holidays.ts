/**
 * Mainland-China statutory holidays and make-up workdays (调休上班), as published each year by the General Office
 * of the State Council, and the pure functions that turn them into calendar overrides. Written from the notices
 * themselves and cross-checked date by date against the `chinese-days` package in cn-holidays.test.ts.
 *
 * A year is only known once its notice is out (usually November of the year before). Callers must say so when a
 * commitment runs into a year without data ({@link yearsWithoutHolidayData}) rather than treat it as a year of
 * ordinary weekdays.
 */
import { WEEKDAYS, type CalendarSpec, type DayHours } from './calendar.js';

export interface HolidayName {
  readonly 'zh-CN': string;
  readonly 'en-US': string;
}

export interface HolidayDay {
  /** Local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** `holiday`: a day off (放假); `workday`: a weekend date worked to make up for one (调休上班). */
  readonly kind: 'holiday' | 'workday';
  readonly name: HolidayName;
}

export interface HolidayYear {
  readonly year: number;
  /** The notice the dates were taken from. */
  readonly source: string;
  /** In date order. */
  readonly days: readonly HolidayDay[];
}

const NEW_YEAR: HolidayName = { 'zh-CN': '元旦', 'en-US': "New Year's Day" };
const SPRING: HolidayName = { 'zh-CN': '春节', 'en-US': 'Spring Festival' };
const QINGMING: HolidayName = { 'zh-CN': '清明节', 'en-US': 'Qingming Festival (Tomb-Sweeping Day)' };
const LABOUR: HolidayName = { 'zh-CN': '劳动节', 'en-US': 'Labour Day' };
const DRAGON_BOAT: HolidayName = { 'zh-CN': '端午节', 'en-US': 'Dragon Boat Festival' };
const MID_AUTUMN: HolidayName = { 'zh-CN': '中秋节', 'en-US': 'Mid-Autumn Festival' };
const NATIONAL: HolidayName = { 'zh-CN': '国庆节', 'en-US': 'National Day' };
const NATIONAL_MID_AUTUMN: HolidayName = { 'zh-CN': '国庆节、中秋节', 'en-US': 'National Day and Mid-Autumn Festival' };

function makeUp(name: HolidayName): HolidayName {
  return { 'zh-CN': `${name['zh-CN']}调休上班`, 'en-US': `${name['en-US']} make-up workday` };
}

/** Days off from `from` to `to` inclusive (same month or not). */
function off(from: string, to: string, name: HolidayName): HolidayDay[] {
  const days: HolidayDay[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push({ date: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return days;
}

function worked(dates: readonly string[], name: HolidayName): HolidayDay[] {
  return dates.map((date) => ({ date, kind: 'workday', name: makeUp(name) }));
}

function year(y: number, source: string, days: HolidayDay[]): HolidayYear {
  return { year: y, source, days: [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)) };
}

/** 2025, from 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12). */
export const CN_HOLIDAYS_2025: HolidayYear = year(2025, '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）', [
  // 一、元旦：1月1日（周三）放假1天，不调休。
  ...off('2025-01-01', '2025-01-01', NEW_YEAR),
  // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
  ...off('2025-01-28', '2025-02-04', SPRING),
  ...worked(['2025-01-26', '2025-02-08'], SPRING),
  // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
  ...off('2025-04-04', '2025-04-06', QINGMING),
  // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
  ...off('2025-05-01', '2025-05-05', LABOUR),
  ...worked(['2025-04-27'], LABOUR),
  // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
  ...off('2025-05-31', '2025-06-02', DRAGON_BOAT),
  // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
  ...off('2025-10-01', '2025-10-08', NATIONAL_MID_AUTUMN),
  ...worked(['2025-09-28', '2025-10-11'], NATIONAL_MID_AUTUMN),
]);

/** 2026, from 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, published by Xinhua). */
export const CN_HOLIDAYS_2026: HolidayYear = year(2026, '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）', [
  // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
  ...off('2026-01-01', '2026-01-03', NEW_YEAR),
  ...worked(['2026-01-04'], NEW_YEAR),
  // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
  ...off('2026-02-15', '2026-02-23', SPRING),
  ...worked(['2026-02-14', '2026-02-28'], SPRING),
  // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
  ...off('2026-04-04', '2026-04-06', QINGMING),
  // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
  ...off('2026-05-01', '2026-05-05', LABOUR),
  ...worked(['2026-05-09'], LABOUR),
  // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
  ...off('2026-06-19', '2026-06-21', DRAGON_BOAT),
  // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
  ...off('2026-09-25', '2026-09-27', MID_AUTUMN),
  // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
  ...off('2026-10-01', '2026-10-07', NATIONAL),
  ...worked(['2026-09-20', '2026-10-10'], NATIONAL),
]);

/** Every year of mainland-China holiday data this build knows, oldest first. */
export const CN_HOLIDAY_YEARS: readonly HolidayYear[] = [CN_HOLIDAYS_2025, CN_HOLIDAYS_2026];

/** The holiday data for one year, or undefined when the year is not known. */
export function cnHolidayYear(y: number): HolidayYear | undefined {
  return CN_HOLIDAY_YEARS.find((h) => h.year === y);
}

/**
 * A new spec with the holidays and make-up workdays of `holidayYears` as overrides: a holiday gets `[]`, a make-up
 * workday gets `workdayHours` (default: the calendar's Monday hours, or, if Monday has none, the first weekday
 * from Tuesday on that has hours). Overrides already in the spec win, since they are the organization's own
 * decision for that date (say, a counter open on a holiday). The result's overrides are in date order. The input
 * is not changed.
 */
export function applyHolidays<S extends CalendarSpec>(
  spec: S,
  holidayYears: readonly HolidayYear[],
  workdayHours?: DayHours,
): Omit<S, 'overrides'> & { readonly overrides: Readonly<Record<string, DayHours>> } {
  const hours = workdayHours ?? WEEKDAYS.map((d) => spec.week[d]).find((h) => h.length > 0) ?? [];
  const merged = new Map<string, DayHours>();
  for (const h of holidayYears) {
    for (const day of h.days) merged.set(day.date, day.kind === 'holiday' ? [] : hours.map(([s, e]) => [s, e] as const));
  }
  for (const [date, h] of Object.entries(spec.overrides)) merged.set(date, h);
  const overrides = Object.fromEntries([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...spec, overrides };
}

/**
 * The years in [from, to] (inclusive) for which there is no holiday data, so the API can say "no holiday data for
 * 2027" instead of silently counting that year's holidays as ordinary weekdays.
 */
export function yearsWithoutHolidayData(knownYears: readonly number[], from: number, to: number): number[] {
  const known = new Set(knownYears);
  const missing: number[] = [];
  for (let y = Math.min(from, to); y <= Math.max(from, to); y++) if (!known.has(y)) missing.push(y);
  return missing;
}
