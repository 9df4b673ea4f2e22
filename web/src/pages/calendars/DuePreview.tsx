/**
 * "When would it be due?": a start in the calendar's zone, a duration (presets or ISO 8601), the due instant and
 * the working shown day by day (hours, what was counted, working-day numbers, holidays); plus the business time
 * between two instants. Warns when the computation ran through a year without holiday data.
 */
import { ClockCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Descriptions, Flex, Form, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDuePreview, useElapsed, type Calendar, type DuePreviewDay } from '../../api/calendars';
import { formatTime, getTimeZone } from '../../lib/time';
import { DayBar } from './DayBar';
import { formatHours } from './hours';
import { useDurationText } from './duration';

const PRESETS = ['PT5M', 'PT30M', 'PT2H', 'P1D', 'P5D'] as const;
type Preset = (typeof PRESETS)[number];

const presetKey = {
  PT5M: 'calendars.due.presets.PT5M',
  PT30M: 'calendars.due.presets.PT30M',
  PT2H: 'calendars.due.presets.PT2H',
  P1D: 'calendars.due.presets.P1D',
  P5D: 'calendars.due.presets.P5D',
} as const satisfies Record<Preset, string>;

/** The wall-clock value of a picker read as a time in `zone`, as ISO 8601 with the zone's offset. */
function inZone(value: Dayjs, zone: string): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), zone).format();
}

/** "now" in `zone` as a picker value (pickers show wall-clock time; the zone is applied when sending). */
function nowIn(zone: string): Dayjs {
  return dayjs(dayjs().tz(zone).format('YYYY-MM-DDTHH:mm')).second(0).millisecond(0);
}

export function DuePreview({ calendar }: { calendar: Calendar }) {
  const { t } = useTranslation();
  const zone = calendar.timeZone;
  const [start, setStart] = useState<Dayjs>(() => nowIn(zone));
  const [durationText, setDurationText] = useState<string>('PT2H');
  const [duration, setDuration] = useState<string>('PT2H');
  const from = useMemo(() => inZone(start, zone), [start, zone]);
  const preview = useDuePreview(calendar.id, from, duration);
  const durationWords = useDurationText();
  const result = preview.data;
  const weekday = (date: string) => t(`calendars.weekdays.${(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[dayjs(date).day()] ?? 'mon'}`);
  const orgZone = getTimeZone();

  const commit = (value: string) => {
    const clean = value.trim().toUpperCase();
    setDurationText(clean);
    setDuration(clean);
  };

  const isPreset = (PRESETS as readonly string[]).includes(duration);

  return (
    <div data-testid="due-preview">
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical">
          <Flex wrap gap={16} align="flex-end">
            <Form.Item label={t('calendars.due.start', { zone })} style={{ marginBottom: 0 }}>
              <Space.Compact>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  value={start}
                  allowClear={false}
                  onChange={(v) => v && setStart(v.second(0).millisecond(0))}
                  data-testid="due-from"
                  style={{ width: 190 }}
                />
                <Button onClick={() => setStart(nowIn(zone))} data-testid="due-now">
                  {t('calendars.due.now')}
                </Button>
              </Space.Compact>
            </Form.Item>
            <Form.Item label={t('calendars.due.duration')} style={{ marginBottom: 0 }}>
              <Segmented<string>
                value={isPreset ? duration : ''}
                onChange={(v) => commit(v)}
                options={PRESETS.map((p) => ({ value: p, label: <span data-testid={`due-preset-${p}`}>{t(presetKey[p])}</span> }))}
              />
            </Form.Item>
            <Form.Item
              label={t('calendars.due.iso')}
              style={{ marginBottom: 0 }}
              validateStatus={preview.error ? 'error' : undefined}
            >
              <Space.Compact>
                <Input
                  value={durationText}
                  onChange={(e) => setDurationText(e.target.value)}
                  onPressEnter={() => commit(durationText)}
                  placeholder="PT2H30M / P5D"
                  style={{ width: 150 }}
                  data-testid="due-duration"
                />
                <Button type="primary" onClick={() => commit(durationText)} data-testid="due-submit">
                  {t('calendars.due.compute')}
                </Button>
              </Space.Compact>
            </Form.Item>
          </Flex>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
            {t('calendars.due.isoHint')}
          </Typography.Paragraph>
        </Form>
      </Card>

      {preview.error && <Alert type="error" showIcon title={preview.error.message} data-testid="due-error" style={{ marginBottom: 16 }} />}

      {result && !preview.error && (
        <>
          {result.missingHolidayYears.length > 0 && (
            <Alert
              type="warning"
              showIcon
              icon={<WarningOutlined />}
              data-testid="due-missing-years"
              title={t('calendars.due.missingYears', { years: result.missingHolidayYears.join(t('calendars.sep')) })}
              style={{ marginBottom: 16 }}
            />
          )}
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={[
                {
                  key: 'due',
                  label: t('calendars.due.dueAt'),
                  span: 2,
                  children: (
                    <Space wrap>
                      <ClockCircleOutlined style={{ color: '#1677ff' }} />
                      <Typography.Text strong style={{ fontSize: 18 }} data-testid="due-result">
                        {result.dueLocal.slice(0, 16)}
                      </Typography.Text>
                      <Typography.Text>{weekday(result.dueLocal.slice(0, 10))}</Typography.Text>
                      <Tag>{result.timeZone}</Tag>
                      {orgZone !== result.timeZone && (
                        <Typography.Text type="secondary">
                          {t('calendars.due.inOrgZone', { time: formatTime(result.due, 'YYYY-MM-DD HH:mm'), zone: orgZone })}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
                { key: 'from', label: t('calendars.due.from'), children: `${start.format('YYYY-MM-DD HH:mm')} ${weekday(start.format('YYYY-MM-DD'))}` },
                {
                  key: 'kind',
                  label: t('calendars.due.kind'),
                  children: result.durationKind === 'workingDays' ? t('calendars.due.kindWorkingDays') : t('calendars.due.kindBusiness'),
                },
                { key: 'business', label: t('calendars.due.businessTime'), children: <span data-testid="due-business">{durationWords(result.businessMs)}</span> },
                { key: 'days', label: t('calendars.due.calendarDays'), children: t('calendars.due.daysSpanned', { count: result.days.length }) },
              ]}
            />
            {result.durationKind === 'workingDays' && (
              <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
                {t('calendars.due.workingDaysRule')}
              </Typography.Paragraph>
            )}
          </Card>
          <ExplanationTable days={result.days} kind={result.durationKind} />
        </>
      )}

      <ElapsedCard calendar={calendar} />
    </div>
  );
}

function ExplanationTable({ days, kind }: { days: DuePreviewDay[]; kind: 'business' | 'workingDays' }) {
  const { t } = useTranslation();
  const durationWords = useDurationText();
  return (
    <Table<DuePreviewDay>
      rowKey="date"
      size="small"
      data-testid="due-days"
      dataSource={days}
      pagination={days.length > 31 ? { pageSize: 31, showSizeChanger: false } : false}
      onRow={(d) => ({ 'data-testid': `due-day-${d.date}` }) as React.HTMLAttributes<HTMLElement>}
      rowClassName={(d) => (d.working ? '' : 'pledge-row-off')}
      columns={[
        {
          title: t('calendars.due.date'),
          dataIndex: 'date',
          width: 220,
          render: (date: string, d) => (
            <Space size={4} style={{ whiteSpace: 'nowrap' }}>
              <span>{date}</span>
              <Typography.Text type="secondary">{t(`calendars.weekdays.${d.weekday as 'mon'}`)}</Typography.Text>
              {d.receipt && <Tag color="blue">{t('calendars.due.receipt')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('calendars.due.dayHours'),
          key: 'hours',
          render: (_: unknown, d) => (
            <div style={{ minWidth: 200 }}>
              <DayBar hours={d.hours} counted={d.counted} height={10} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {d.hours.length ? formatHours(d.hours) : t('calendars.closed')}
              </Typography.Text>
            </div>
          ),
        },
        {
          title: t('calendars.due.note'),
          key: 'note',
          render: (_: unknown, d) => (
            <Space size={4} wrap>
              {d.holiday && <Tag color={d.working ? 'orange' : 'red'}>{d.holiday}</Tag>}
              {d.source === 'override' && !d.holiday && <Tag color="geekblue">{t('calendars.legend.override')}</Tag>}
              {!d.working && !d.holiday && <Tag>{t('calendars.due.dayOff')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('calendars.due.counted'),
          key: 'counted',
          width: 260,
          render: (_: unknown, d) => {
            if (kind === 'workingDays') {
              if (d.workingDayNumber !== null) return <Tag color="green">{t('calendars.due.workingDayN', { n: d.workingDayNumber })}</Tag>;
              return <Typography.Text type="secondary">{d.receipt ? t('calendars.due.receiptNotCounted') : t('calendars.due.notCounted')}</Typography.Text>;
            }
            if (d.countedMs === 0) return <Typography.Text type="secondary">{t('calendars.due.notCounted')}</Typography.Text>;
            return (
              <Space size={4} wrap>
                <Typography.Text strong>{durationWords(d.countedMs)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatHours(d.counted)}
                </Typography.Text>
              </Space>
            );
          },
        },
      ]}
    />
  );
}

function ElapsedCard({ calendar }: { calendar: Calendar }) {
  const { t } = useTranslation();
  const zone = calendar.timeZone;
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const elapsed = useElapsed(calendar.id, range ? inZone(range[0], zone) : null, range ? inZone(range[1], zone) : null);
  const durationWords = useDurationText();
  return (
    <Card size="small" title={t('calendars.elapsed.title')} style={{ marginTop: 16 }} data-testid="elapsed">
      <Flex wrap gap={16} align="center">
        <DatePicker.RangePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={range}
          onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
          data-testid="elapsed-range"
        />
        <Typography.Text type="secondary">{t('calendars.elapsed.zone', { zone })}</Typography.Text>
        {elapsed.data && (
          <Space>
            <Typography.Text>{t('calendars.elapsed.result')}</Typography.Text>
            <Typography.Text strong data-testid="elapsed-result">
              {durationWords(elapsed.data.ms)}
            </Typography.Text>
            {elapsed.data.missingHolidayYears.length > 0 && (
              <Tag color="warning" icon={<WarningOutlined />}>
                {t('calendars.missingYears', { years: elapsed.data.missingHolidayYears.join(t('calendars.sep')) })}
              </Tag>
            )}
          </Space>
        )}
        {elapsed.error && <Typography.Text type="danger">{elapsed.error.message}</Typography.Text>}
      </Flex>
    </Card>
  );
}
