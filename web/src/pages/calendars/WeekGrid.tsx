/**
 * The weekly hours editor: one row per weekday with its intervals as editable time ranges, a 24-hour bar and the
 * day's total; "closed" days, "copy Monday to the weekdays" and templates. Mistakes are shown next to the entry
 * (client rules mirror the server's; server issues for a day are listed under its row).
 */
import { CloseOutlined, CopyOutlined, DownOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Dropdown, Flex, Input, Space, Tag, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DayHours, Week, Weekday } from '../../api/calendars';
import { DayBar, DayBarScale } from './DayBar';
import {
  cloneHours, cloneWeek, dayIssues, dayMinutes, hoursNumber, nextInterval, normalizeTime, WEEK_TEMPLATES, WEEKDAYS,
  weekMinutes, type WeekTemplate,
} from './hours';
import { useIssueText } from './issue-text';

interface IntervalsEditorProps {
  hours: DayHours;
  onChange?: (hours: DayHours) => void;
  readOnly?: boolean;
  /** Messages from the server for this day (already localized). */
  serverMessages?: string[];
  /** Intervals (and parts) the server named. */
  serverMarks?: { index?: number; part?: 0 | 1 }[];
  /** e.g. `week-mon` → `week-mon-0-start`, `week-mon-add`, `week-mon-issues`. */
  testPrefix: string;
}

/** One day's intervals as editable time ranges. */
export function IntervalsEditor({ hours, onChange, readOnly, serverMessages = [], serverMarks = [], testPrefix }: IntervalsEditorProps) {
  const { t } = useTranslation();
  const issueText = useIssueText();
  const issues = dayIssues(hours);
  const marked = (index: number, part: 0 | 1) =>
    issues.some((i) => i.index === index && (i.part === undefined || i.part === part)) ||
    serverMarks.some((m) => m.index === index && (m.part === undefined || m.part === part));

  const set = (index: number, part: 0 | 1, value: string) => {
    const next = cloneHours(hours);
    next[index]![part] = value;
    onChange?.(next);
  };
  const remove = (index: number) => onChange?.(hours.filter((_, i) => i !== index));
  const add = () => onChange?.([...cloneHours(hours), nextInterval(hours)]);

  return (
    <div>
      <Flex wrap gap={8} align="center">
        {hours.length === 0 && (
          <Tag data-testid={`${testPrefix}-closed-tag`} style={{ marginInlineEnd: 0 }}>
            {t('calendars.closed')}
          </Tag>
        )}
        {hours.map(([start, end], index) =>
          readOnly ? (
            <Tag key={index} color={marked(index, 0) || marked(index, 1) ? 'error' : 'blue'} style={{ marginInlineEnd: 0 }}>
              {start || '?'}–{end || '?'}
            </Tag>
          ) : (
            <Space.Compact key={index} size="small">
              <Input
                value={start}
                onChange={(e) => set(index, 0, e.target.value)}
                onBlur={(e) => set(index, 0, normalizeTime(e.target.value))}
                status={marked(index, 0) ? 'error' : undefined}
                placeholder="09:00"
                maxLength={5}
                style={{ width: 62, textAlign: 'center' }}
                aria-label={t('calendars.intervalStart')}
                data-testid={`${testPrefix}-${index}-start`}
              />
              <Space.Addon style={{ padding: '0 4px' }}>–</Space.Addon>
              <Input
                value={end}
                onChange={(e) => set(index, 1, e.target.value)}
                onBlur={(e) => set(index, 1, normalizeTime(e.target.value))}
                status={marked(index, 1) ? 'error' : undefined}
                placeholder="18:00"
                maxLength={5}
                style={{ width: 62, textAlign: 'center' }}
                aria-label={t('calendars.intervalEnd')}
                data-testid={`${testPrefix}-${index}-end`}
              />
              <Tooltip title={t('calendars.removeInterval')}>
                <Button icon={<CloseOutlined />} onClick={() => remove(index)} data-testid={`${testPrefix}-${index}-remove`} />
              </Tooltip>
            </Space.Compact>
          ),
        )}
        {!readOnly && (
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={add} data-testid={`${testPrefix}-add`}>
            {t('calendars.addInterval')}
          </Button>
        )}
      </Flex>
      {(issues.length > 0 || serverMessages.length > 0) && (
        <div data-testid={`${testPrefix}-issues`} style={{ marginTop: 4 }}>
          {issues.map((issue) => (
            <Typography.Text key={`c${issue.index}-${issue.part ?? 'x'}-${issue.code}`} type="danger" style={{ display: 'block', fontSize: 12 }}>
              {issueText(issue, hours)}
            </Typography.Text>
          ))}
          {serverMessages.map((m) => (
            <Typography.Text key={`s${m}`} type="danger" style={{ display: 'block', fontSize: 12 }}>
              {m}
            </Typography.Text>
          ))}
        </div>
      )}
    </div>
  );
}

export interface ServerDayIssues {
  messages: string[];
  marks: { index?: number; part?: 0 | 1 }[];
}

interface WeekGridProps {
  week: Week;
  onChange: (week: Week) => void;
  readOnly?: boolean;
  serverIssues?: Partial<Record<Weekday, ServerDayIssues>>;
}

export function WeekGrid({ week, onChange, readOnly, serverIssues = {} }: WeekGridProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const setDay = (day: Weekday, hours: DayHours) => onChange({ ...cloneWeek(week), [day]: hours });

  const copyMonday = () => {
    const next = cloneWeek(week);
    for (const day of ['tue', 'wed', 'thu', 'fri'] as const) next[day] = cloneHours(week.mon);
    onChange(next);
  };

  const dayMenu = (day: Weekday) => ({
    items: [
      { key: 'closed', label: <span data-testid={`week-${day}-set-closed`}>{t('calendars.setClosed')}</span> },
      { key: 'allDay', label: <span data-testid={`week-${day}-set-all-day`}>{t('calendars.setAllDay')}</span> },
      { key: 'copyAll', label: <span data-testid={`week-${day}-copy-all`}>{t('calendars.copyToAll')}</span> },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'closed') setDay(day, []);
      else if (key === 'allDay') setDay(day, [['00:00', '24:00']]);
      else if (key === 'copyAll') onChange(Object.fromEntries(WEEKDAYS.map((d) => [d, cloneHours(week[day])])) as Week);
    },
  });

  const templates: WeekTemplate[] = ['office', 'hall', 'always'];

  return (
    <div data-testid="week-grid">
      {!readOnly && (
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Button icon={<CopyOutlined />} onClick={copyMonday} data-testid="week-copy-monday">
            {t('calendars.copyMonday')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: templates.map((key) => ({ key, label: <span data-testid={`week-template-${key}`}>{t(`calendars.templates.${key}`)}</span> })),
              onClick: ({ key }) => onChange(cloneWeek(WEEK_TEMPLATES[key as WeekTemplate])),
            }}
          >
            <Button data-testid="week-template">
              {t('calendars.useTemplate')} <DownOutlined />
            </Button>
          </Dropdown>
        </Flex>
      )}
      <div className="pledge-week" style={{ borderColor: token.colorBorderSecondary }}>
        <div className="pledge-week-row pledge-week-head" style={{ color: token.colorTextSecondary, borderColor: token.colorBorderSecondary }}>
          <div>{t('calendars.weekday')}</div>
          <div>{t('calendars.intervals')}</div>
          <div>
            <DayBarScale />
          </div>
          <div style={{ textAlign: 'right' }}>{t('calendars.hoursColumn')}</div>
        </div>
        {WEEKDAYS.map((day) => {
          const server = serverIssues[day];
          const minutes = dayMinutes(week[day]);
          return (
            <div className="pledge-week-row" key={day} data-testid={`week-row-${day}`} style={{ borderColor: token.colorBorderSecondary }}>
              <div>
                <Flex align="center" gap={2}>
                  <Typography.Text strong={week[day].length > 0} type={week[day].length > 0 ? undefined : 'secondary'}>
                    {t(`calendars.weekdays.${day}`)}
                  </Typography.Text>
                  {!readOnly && (
                    <Dropdown trigger={['click']} menu={dayMenu(day)}>
                      <Button type="text" size="small" icon={<DownOutlined style={{ fontSize: 10 }} />} data-testid={`week-${day}-more`} aria-label={t('common.more')} />
                    </Dropdown>
                  )}
                </Flex>
              </div>
              <div>
                <IntervalsEditor
                  hours={week[day]}
                  onChange={(hours) => setDay(day, hours)}
                  readOnly={readOnly}
                  serverMessages={server?.messages}
                  serverMarks={server?.marks}
                  testPrefix={`week-${day}`}
                />
              </div>
              <div>
                <DayBar hours={week[day]} testId={`week-${day}-bar`} />
              </div>
              <div style={{ textAlign: 'right' }}>
                <Typography.Text type={minutes ? undefined : 'secondary'} data-testid={`week-${day}-hours`}>
                  {minutes ? t('calendars.hoursValue', { hours: hoursNumber(minutes) }) : t('calendars.closed')}
                </Typography.Text>
              </div>
            </div>
          );
        })}
        <div className="pledge-week-row pledge-week-foot" style={{ borderColor: token.colorBorderSecondary }}>
          <div />
          <div />
          <div style={{ textAlign: 'right', color: token.colorTextSecondary }}>{t('calendars.weeklyTotal')}</div>
          <div style={{ textAlign: 'right' }}>
            <Typography.Text strong data-testid="week-total">
              {t('calendars.hoursValue', { hours: hoursNumber(weekMinutes(week)) })}
            </Typography.Text>
          </div>
        </div>
      </div>
    </div>
  );
}
