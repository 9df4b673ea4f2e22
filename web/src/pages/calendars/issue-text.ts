/** Words for the client-side hours checks, in the same terms as the server's messages. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayHours } from '../../api/calendars';
import type { HoursIssue, HoursIssueCode } from './hours';

const KEYS = {
  'time.format': 'calendars.issue.timeFormat',
  'time.range': 'calendars.issue.timeRange',
  'time.start_24': 'calendars.issue.timeStart24',
  'interval.empty': 'calendars.issue.intervalEmpty',
  'interval.reversed': 'calendars.issue.intervalReversed',
  'interval.unsorted': 'calendars.issue.intervalUnsorted',
  'interval.overlap': 'calendars.issue.intervalOverlap',
} as const satisfies Record<HoursIssueCode, string>;

/** "第 2 段（13:00–12:00）：结束时间早于开始时间" */
export function useIssueText() {
  const { t } = useTranslation();
  return useCallback(
    (issue: HoursIssue, hours: DayHours) => {
      const interval = hours[issue.index];
      const text = interval ? `${interval[0] || '?'}–${interval[1] || '?'}` : '';
      return t('calendars.issue.at', { n: issue.index + 1, interval: text, problem: t(KEYS[issue.code]) });
    },
    [t],
  );
}
