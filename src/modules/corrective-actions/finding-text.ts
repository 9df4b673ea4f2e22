/**
 * The wording of a finding, written once in the organization's default language when the action is raised
 * (it is the record of what was found, so it does not change with the reader's language). No I/O.
 */
import type { Locale } from '../../core/i18n.js';

const LEVELS: Record<Locale, Record<number, string>> = {
  'zh-CN': { 1: '非常不满意', 2: '不满意', 3: '基本满意', 4: '满意', 5: '非常满意' },
  'en-US': { 1: 'very dissatisfied', 2: 'dissatisfied', 3: 'fairly satisfied', 4: 'satisfied', 5: 'very satisfied' },
};

const SOURCES: Record<Locale, Record<string, string>> = {
  'zh-CN': { survey: '问卷', portal: '门户确认', callback: '回访', campaign: '满意度调查', default: '默认评价' },
  'en-US': { survey: 'survey', portal: 'portal confirmation', callback: 'callback', campaign: 'campaign', default: 'stated default' },
};

export type FindingText =
  | { kind: 'bad_rating'; level: number; source: string; comment: string | null }
  | { kind: 'breach'; number: string; clock: string; dueLocal: string }
  | { kind: 'cluster'; category: string; windowDays: number; count: number }
  | { kind: 'complaint'; subject: string; note: string };

export function findingText(locale: Locale, f: FindingText): string {
  const zh = locale === 'zh-CN';
  switch (f.kind) {
    case 'bad_rating': {
      const level = LEVELS[locale][f.level] ?? String(f.level);
      const source = SOURCES[locale][f.source] ?? f.source;
      if (zh) return `客户评价“${level}”（${source}）${f.comment ? `：${f.comment}` : ''}`;
      return `Customer rated "${level}" (${source})${f.comment ? `: ${f.comment}` : ''}`;
    }
    case 'breach':
      return zh ? `工单 ${f.number} 的“${f.clock}”时限已于 ${f.dueLocal} 超时` : `Request ${f.number}: the time limit "${f.clock}" was breached at ${f.dueLocal}`;
    case 'cluster':
      return zh ? `分类“${f.category}”${f.windowDays} 天内收到 ${f.count} 件投诉（集中问题）` : `Category "${f.category}" drew ${f.count} complaints within ${f.windowDays} days (concentrated problem)`;
    case 'complaint':
      return zh ? `投诉属实：${f.subject}。${f.note}` : `Complaint upheld: ${f.subject}. ${f.note}`;
  }
}
