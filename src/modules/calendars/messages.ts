/** Calendar-file problems in the caller's language: the engine names the entry, this table words the problem. */
import type { Locale } from '../../core/i18n.js';
import type { CalendarFileIssue } from './calendar-file.js';

const ZH: Record<string, string> = {
  'time.format': '时间须为 HH:MM 格式（例如 09:00）',
  'time.range': '不是有效的时刻（00:00–24:00）',
  'time.start_24': '24:00 只能作为时段的结束时间',
  'interval.empty': '时段为空（结束时间等于开始时间）',
  'interval.reversed': '结束时间早于开始时间',
  'interval.unsorted': '时段须按时间先后排列',
  'interval.overlap': '与前一个时段重叠',
  'zone.unknown': '未知的时区',
  'zone.spelling': '时区名称拼写不规范',
  'date.format': '日期须为 YYYY-MM-DD 格式',
  'date.invalid': '不存在的日期',
  'date.range': '超出支持的年份范围',
  'week.missing_day': '缺少这一天（不上班请写 []）',
  required: '缺少此项',
  unknown_key: '无法识别的字段',
  type: '类型不正确',
  'name.empty': '名称不能为空',
  'name.too_long': '名称过长',
};

export interface LocalizedIssue {
  path: string;
  code: string;
  message: string;
}

/** The issue list of an invalid calendar file, each naming its entry, worded in `locale`. */
export function localizeCalendarIssues(issues: readonly CalendarFileIssue[], locale: Locale): LocalizedIssue[] {
  return issues.map((issue) => ({
    path: issue.at,
    code: issue.code,
    message: locale === 'zh-CN' ? `${issue.at}：${ZH[issue.code] ?? issue.message.slice(issue.at.length + 2)}（${issue.message.slice(issue.at.length + 2)}）` : issue.message,
  }));
}
