/**
 * The problems of a calendar file that could not be imported, shown where they are: each weekday with the
 * intervals the file gave it (the wrong ones in red) and its messages; everything else (name, zone, special dates,
 * unknown keys) as a list.
 */
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ValidationIssue } from '../../api/client';
import type { DayHours, Weekday } from '../../api/calendars';
import { issueTarget, WEEKDAYS } from './hours';
import { IntervalsEditor } from './WeekGrid';

/** The intervals of a weekday as the file has them, when they have the right shape (else none). */
function fileHours(json: unknown, day: Weekday): DayHours {
  if (typeof json !== 'object' || json === null) return [];
  const week = (json as { week?: unknown }).week;
  if (typeof week !== 'object' || week === null) return [];
  const hours = (week as Record<string, unknown>)[day];
  if (!Array.isArray(hours)) return [];
  return hours.map((h): [string, string] => (Array.isArray(h) ? [String(h[0] ?? ''), String(h[1] ?? '')] : ['', '']));
}

export function ImportIssues({ json, issues }: { json: unknown; issues: ValidationIssue[] }) {
  const { t } = useTranslation();
  const byDay = new Map<Weekday, { messages: string[]; marks: { index?: number; part?: 0 | 1 }[] }>();
  const other: string[] = [];
  for (const issue of issues) {
    const target = issueTarget(issue.path);
    if (target.kind !== 'week') {
      other.push(issue.message);
      continue;
    }
    const entry = byDay.get(target.day) ?? { messages: [], marks: [] };
    entry.messages.push(issue.message);
    entry.marks.push({ ...(target.index !== undefined ? { index: target.index } : {}), ...(target.part !== undefined ? { part: target.part } : {}) });
    byDay.set(target.day, entry);
  }
  return (
    <div data-testid="import-issue-details">
      {WEEKDAYS.filter((d) => byDay.has(d)).map((day) => (
        <div key={day} data-testid={`import-issues-${day}`} style={{ display: 'grid', gridTemplateColumns: '56px 1fr', gap: 8, padding: '4px 0' }}>
          <Typography.Text strong>{t(`calendars.weekdays.${day}`)}</Typography.Text>
          <IntervalsEditor hours={fileHours(json, day)} readOnly serverMessages={byDay.get(day)?.messages} serverMarks={byDay.get(day)?.marks} testPrefix={`import-${day}`} />
        </div>
      ))}
      {other.length > 0 && (
        <ul style={{ margin: byDay.size ? '8px 0 0' : 0, paddingInlineStart: 18 }}>
          {other.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
