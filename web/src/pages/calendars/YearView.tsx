/**
 * The year view: twelve months of the chosen year from GET /calendars/:id/years/:year — working days and days off,
 * statutory holidays (放假) and make-up workdays (调休上班) with their names and colours, the calendar's own
 * special dates, a legend, a banner when the year has no holiday data (never silently ordinary weekdays) and
 * "apply the holiday data" when it exists but is not applied. Clicking a date sets a special date for it.
 */
import { CalendarOutlined, LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, Flex, Row, Select, Space, Spin, Statistic, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApplyHolidays, useHolidayYears, useYearView, type Calendar, type YearDay } from '../../api/calendars';
import { getTimeZone } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { formatHours } from './hours';
import { OverrideModal, type DateInfo } from './OverrideModal';

type DayClass = 'work' | 'off' | 'holiday' | 'makeup' | 'holidayWorked';

interface Classified {
  day: YearDay;
  kind: DayClass;
  /** The calendar's own special date (not one that holiday data put there). */
  own: boolean;
}

function classify(day: YearDay, applied: boolean): Classified {
  const { holidayKind, working, source } = day;
  // What the holiday data itself put there: a holiday closed, a make-up workday open.
  const fromHolidayData = source === 'override' && applied && ((holidayKind === 'holiday' && !working) || (holidayKind === 'workday' && working));
  let kind: DayClass = working ? 'work' : 'off';
  if (holidayKind === 'holiday' && !working) kind = 'holiday';
  else if (holidayKind === 'workday' && working && source === 'override') kind = 'makeup';
  else if (holidayKind === 'holiday' && working && source === 'week') kind = 'holidayWorked';
  return { day, kind, own: source === 'override' && !fromHolidayData };
}

/** Consecutive dates of one month with the same holiday name and kind, for the list under each month. */
function holidayRuns(days: Classified[]): { from: string; to: string; name: string; kind: 'holiday' | 'workday' }[] {
  const runs: { from: string; to: string; name: string; kind: 'holiday' | 'workday' }[] = [];
  for (const { day } of days) {
    if (!day.holiday || !day.holidayKind) continue;
    const last = runs.at(-1);
    if (last && last.name === day.holiday && last.kind === day.holidayKind && dayjs(last.to).add(1, 'day').format('YYYY-MM-DD') === day.date) last.to = day.date;
    else runs.push({ from: day.date, to: day.date, name: day.holiday, kind: day.holidayKind });
  }
  return runs;
}

export function YearView({ calendar, canManage, dirty }: { calendar: Calendar; canManage: boolean; dirty: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const zone = calendar.timeZone || getTimeZone();
  const today = dayjs().tz(zone).format('YYYY-MM-DD');
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const view = useYearView(calendar.id, year);
  const holidayYears = useHolidayYears();
  const apply = useApplyHolidays();
  const [editing, setEditing] = useState<{ date: string; info: DateInfo } | null>(null);
  const followsHolidays = calendar.holidayRegion === 'CN';

  const yearOptions = useMemo(() => {
    const set = new Set<number>([year]);
    for (let y = thisYear - 3; y <= thisYear + 3; y++) set.add(y);
    for (const h of holidayYears.data ?? []) set.add(h.year);
    for (const y of calendar.holidayYears) set.add(y);
    return [...set].sort((a, b) => a - b);
  }, [year, thisYear, holidayYears.data, calendar.holidayYears]);

  const data = view.data && view.data.year === year ? view.data : undefined;
  const classified = useMemo(() => (data ? data.days.map((d) => classify(d, data.holidayDataApplied)) : []), [data]);
  const months = useMemo(() => {
    const out: Classified[][] = Array.from({ length: 12 }, () => []);
    for (const c of classified) out[Number(c.day.date.slice(5, 7)) - 1]!.push(c);
    return out;
  }, [classified]);
  const counts = useMemo(() => ({
    holidays: classified.filter((c) => c.kind === 'holiday').length,
    makeup: classified.filter((c) => c.kind === 'makeup').length,
    own: classified.filter((c) => c.own).length,
  }), [classified]);

  const doApply = () =>
    apply.mutate(
      { id: calendar.id, years: [year] },
      { onSuccess: () => void message.success(t('calendars.year.applied', { year })), onError: (e) => showError(e) },
    );

  const weekdayHeads = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => t(`calendars.weekdaysShort.${d}`));

  const banner = () => {
    if (!data) return null;
    if (!followsHolidays) {
      return <Alert type="info" showIcon data-testid="year-no-holidays" title={t('calendars.year.worksThroughHolidays')} />;
    }
    if (!data.holidayDataKnown) {
      return (
        <Alert
          type="error"
          showIcon
          data-testid="year-holiday-missing"
          title={t('calendars.year.dataMissing', { year })}
          description={t('calendars.year.dataMissingHint', { year })}
          action={
            <Link to={`/calendars/holidays?add=${year}`} data-testid="year-add-holiday-data">
              <Button size="small">{t('calendars.year.addData', { year })}</Button>
            </Link>
          }
        />
      );
    }
    if (!data.holidayDataApplied) {
      return (
        <Alert
          type="warning"
          showIcon
          data-testid="year-holiday-not-applied"
          title={t('calendars.year.notApplied', { year })}
          description={t('calendars.year.notAppliedHint')}
          action={
            canManage ? (
              <Button type="primary" size="small" loading={apply.isPending} onClick={doApply} data-testid="calendar-apply-holidays">
                {t('calendars.year.apply', { year })}
              </Button>
            ) : undefined
          }
        />
      );
    }
    return (
      <Alert
        type="success"
        showIcon
        data-testid="year-holiday-applied"
        title={t('calendars.year.appliedSummary', { year, holidays: counts.holidays, makeup: counts.makeup })}
        action={
          canManage ? (
            <Tooltip title={t('calendars.year.reapplyHint')}>
              <Button size="small" icon={<ReloadOutlined />} loading={apply.isPending} onClick={doApply} data-testid="calendar-reapply-holidays">
                {t('calendars.year.reapply')}
              </Button>
            </Tooltip>
          ) : undefined
        }
      />
    );
  };

  const tooltip = (c: Classified) => {
    const { day } = c;
    const lines = [
      `${day.date} ${t(`calendars.weekdays.${day.weekday as 'mon'}`)}`,
      day.holiday ? `${day.holiday}${day.holidayKind === 'workday' ? ` · ${t('calendars.legend.makeup')}` : c.kind === 'holiday' ? ` · ${t('calendars.legend.holiday')}` : ''}` : null,
      day.hours.length ? formatHours(day.hours) : t('calendars.closed'),
      c.own ? t('calendars.legend.override') : null,
      c.kind === 'holidayWorked' ? (followsHolidays ? t('calendars.year.holidayNotApplied') : t('calendars.year.holidayWorked')) : null,
    ].filter(Boolean);
    return (
      <div>
        {lines.map((line) => (
          <div key={line}>{line}</div>
        ))}
        {canManage && <div style={{ opacity: 0.7, marginTop: 4 }}>{t('calendars.year.clickToEdit')}</div>}
      </div>
    );
  };

  return (
    <div data-testid="year-view">
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 12 }}>
        <Space.Compact>
          <Button icon={<LeftOutlined />} onClick={() => setYear(year - 1)} data-testid="year-prev" aria-label={t('calendars.year.previous')} />
          <Select
            value={year}
            onChange={setYear}
            options={yearOptions.map((y) => ({ value: y, label: t('calendars.year.label', { year: y }) }))}
            style={{ width: 120 }}
            data-testid="year-select"
          />
          <Button icon={<RightOutlined />} onClick={() => setYear(year + 1)} data-testid="year-next" aria-label={t('calendars.year.next')} />
        </Space.Compact>
        {year !== thisYear && (
          <Button icon={<CalendarOutlined />} onClick={() => setYear(thisYear)}>
            {t('calendars.year.thisYear')}
          </Button>
        )}
      </Flex>
      {dirty && <Alert type="info" showIcon title={t('calendars.year.unsavedNote')} style={{ marginBottom: 12 }} />}
      {view.error && <Alert type="error" showIcon title={view.error.message} style={{ marginBottom: 12 }} />}
      <Spin spinning={view.isFetching && !data}>
        {data ? (
          <>
            <div style={{ marginBottom: 12 }}>{banner()}</div>
            <Row gutter={16} style={{ marginBottom: 12 }}>
              <Col xs={12} sm={6}>
                <Statistic title={t('calendars.year.workingDays')} value={data.workingDays} data-testid="year-working-days" />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={t('calendars.year.holidayDays')} value={counts.holidays} styles={{ content: { color: '#cf1322' } }} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={t('calendars.year.makeupDays')} value={counts.makeup} styles={{ content: { color: '#d46b08' } }} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={t('calendars.year.ownOverrides')} value={counts.own} styles={{ content: { color: '#1677ff' } }} />
              </Col>
            </Row>
            <Legend />
            <div className="pledge-year">
              {months.map((days, m) => {
                const lead = days[0] ? (dayjs(days[0].day.date).day() + 6) % 7 : 0;
                const runs = holidayRuns(days);
                return (
                  <Card key={m} size="small" title={t('calendars.year.month', { month: m + 1, monthName: dayjs().month(m).format('MMMM') })} data-testid={`month-${m + 1}`}>
                    <div className="pledge-month">
                      {weekdayHeads.map((w, i) => (
                        <div key={`h${i}`} className={`pledge-month-head${i >= 5 ? ' weekend' : ''}`}>
                          {w}
                        </div>
                      ))}
                      {Array.from({ length: lead }, (_, i) => (
                        <div key={`b${i}`} />
                      ))}
                      {days.map((c) => {
                        const cls = ['pledge-day', `pledge-day-${c.kind}`, c.own ? 'pledge-day-own' : '', c.day.date === today ? 'pledge-day-today' : '', canManage ? 'clickable' : '']
                          .filter(Boolean)
                          .join(' ');
                        return (
                          <Tooltip key={c.day.date} title={tooltip(c)} mouseEnterDelay={0.25}>
                            <div
                              className={cls}
                              data-testid={`day-${c.day.date}`}
                              data-working={String(c.day.working)}
                              data-kind={c.kind}
                              data-own={c.own ? 'true' : undefined}
                              role={canManage ? 'button' : undefined}
                              tabIndex={canManage ? 0 : undefined}
                              onClick={canManage ? () => setEditing({ date: c.day.date, info: { holiday: c.day.holiday, holidayKind: c.day.holidayKind } }) : undefined}
                              onKeyDown={
                                canManage
                                  ? (e) => {
                                      if (e.key === 'Enter' || e.key === ' ') setEditing({ date: c.day.date, info: { holiday: c.day.holiday, holidayKind: c.day.holidayKind } });
                                    }
                                  : undefined
                              }
                            >
                              {Number(c.day.date.slice(8))}
                              {c.kind === 'holiday' && <span className="pledge-day-mark">{t('calendars.markHoliday')}</span>}
                              {c.kind === 'makeup' && <span className="pledge-day-mark">{t('calendars.markWorkday')}</span>}
                            </div>
                          </Tooltip>
                        );
                      })}
                    </div>
                    {runs.length > 0 && (
                      <div className="pledge-month-notes">
                        {runs.map((r) => (
                          <div key={r.from}>
                            <Tag color={r.kind === 'holiday' ? 'red' : 'orange'} style={{ marginInlineEnd: 4 }}>
                              {r.kind === 'holiday' ? t('calendars.markHoliday') : t('calendars.markWorkday')}
                            </Tag>
                            <Typography.Text style={{ fontSize: 12 }}>
                              {r.from === r.to ? dayjs(r.from).format(t('calendars.year.dayFormat')) : `${dayjs(r.from).format(t('calendars.year.dayFormat'))}–${dayjs(r.to).format(t('calendars.year.dayFormat'))}`}{' '}
                              {r.name}
                            </Typography.Text>
                          </div>
                        ))}
                      </div>
                    )}
                  </Card>
                );
              })}
            </div>
          </>
        ) : (
          !view.error && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('app.loading')} />
        )}
      </Spin>
      {editing && <OverrideModal calendar={calendar} date={editing.date} info={editing.info} onClose={() => setEditing(null)} />}
    </div>
  );
}

export function Legend() {
  const { t } = useTranslation();
  const items: { cls: string; label: string; mark?: string }[] = [
    { cls: 'pledge-day pledge-day-work', label: t('calendars.legend.work') },
    { cls: 'pledge-day pledge-day-off', label: t('calendars.legend.off') },
    { cls: 'pledge-day pledge-day-holiday', label: t('calendars.legend.holiday'), mark: t('calendars.markHoliday') },
    { cls: 'pledge-day pledge-day-makeup', label: t('calendars.legend.makeup'), mark: t('calendars.markWorkday') },
    { cls: 'pledge-day pledge-day-work pledge-day-own', label: t('calendars.legend.override') },
    { cls: 'pledge-day pledge-day-holidayWorked', label: t('calendars.legend.holidayWorked') },
    { cls: 'pledge-day pledge-day-work pledge-day-today', label: t('calendars.legend.today') },
  ];
  return (
    <Flex wrap gap={16} style={{ marginBottom: 12 }} data-testid="year-legend">
      {items.map((item) => (
        <Flex key={item.label} align="center" gap={6}>
          <div className={item.cls} style={{ width: 26, height: 22, cursor: 'default' }}>
            8{item.mark && <span className="pledge-day-mark">{item.mark}</span>}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.label}
          </Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
}
