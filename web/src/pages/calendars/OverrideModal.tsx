/**
 * Sets one date's hours apart from the week (closed, custom hours) or gives it back to the weekly hours, and saves
 * the calendar at once (PUT with the saved name, zone and week: unsaved weekly edits in the editor stay a draft).
 */
import { Alert, App, DatePicker, Descriptions, Modal, Radio, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fileOf, issuesOf, useHolidayYears, useSaveCalendar, type Calendar, type DayHours } from '../../api/calendars';
import { currentLanguage } from '../../i18n';
import { ApiError } from '../../api/client';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { dayIssues, formatHours, weekdayOf } from './hours';
import { DayBar, DayBarScale } from './DayBar';
import { IntervalsEditor } from './WeekGrid';

type Mode = 'week' | 'closed' | 'hours';

export interface DateInfo {
  holiday: string | null;
  holidayKind: 'holiday' | 'workday' | null;
}

export function OverrideModal({ calendar, date: initialDate, info, onClose }: {
  calendar: Calendar;
  /** null: the person picks the date. */
  date: string | null;
  info?: DateInfo;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveCalendar();
  const showError = useShowError();
  const [date, setDate] = useState<string | null>(initialDate);
  const existing = date ? calendar.overrides[date] : undefined;
  const [mode, setMode] = useState<Mode>(existing === undefined ? 'week' : existing.length === 0 ? 'closed' : 'hours');
  const weekday = date ? weekdayOf(date) : null;
  const weekHours = weekday ? calendar.week[weekday] : [];
  const [hours, setHours] = useState<DayHours>(existing && existing.length > 0 ? existing : weekHours.length > 0 ? weekHours : [['09:00', '18:00']]);
  const [serverMessages, setServerMessages] = useState<string[]>([]);
  const holidayYears = useHolidayYears();
  // The holiday of the date from the holiday data, when the caller did not say (a date picked in the modal).
  const found = date && !info ? holidayYears.data?.flatMap((y) => y.days).find((d) => d.date === date) : undefined;
  const dateInfo: DateInfo | undefined = info ?? (found ? { holiday: found.name[currentLanguage()], holidayKind: found.kind } : undefined);

  const pick = (value: Dayjs | null) => {
    const next = value ? value.format('YYYY-MM-DD') : null;
    setDate(next);
    const current = next ? calendar.overrides[next] : undefined;
    setMode(current === undefined ? 'week' : current.length === 0 ? 'closed' : 'hours');
    const wd = next ? calendar.week[weekdayOf(next)] : [];
    setHours(current && current.length > 0 ? current : wd.length > 0 ? wd : [['09:00', '18:00']]);
    setServerMessages([]);
  };

  const submit = () => {
    if (!date) {
      void message.error(t('calendars.override.pickDate'));
      return;
    }
    if (mode === 'hours' && (hours.length === 0 || dayIssues(hours).length > 0)) {
      void message.error(hours.length === 0 ? t('calendars.override.needHours') : t('calendars.fixIssues'));
      return;
    }
    const overrides: Record<string, DayHours> = { ...calendar.overrides };
    if (mode === 'week') delete overrides[date];
    else overrides[date] = mode === 'closed' ? [] : hours;
    const sorted = Object.fromEntries(Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b)));
    setServerMessages([]);
    save.mutate(
      { id: calendar.id, file: { ...fileOf(calendar), overrides: sorted } },
      {
        onSuccess: () => {
          void message.success(t('calendars.override.saved', { date }));
          onClose();
        },
        onError: (error) => {
          const issues = issuesOf(error);
          if (error instanceof ApiError && issues.length > 0) {
            setServerMessages(issues.map((i) => i.message));
            return;
          }
          showError(error);
        },
      },
    );
  };

  const holidayNote = dateInfo?.holiday
    ? dateInfo.holidayKind === 'workday'
      ? t('calendars.override.isMakeUpWorkday', { name: dateInfo.holiday })
      : t('calendars.override.isHoliday', { name: dateInfo.holiday })
    : null;

  return (
    <Modal
      open
      title={date ? t('calendars.override.titleFor', { date, weekday: weekday ? t(`calendars.weekdays.${weekday}`) : '' }) : t('calendars.override.title')}
      okText={t('common.save')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={buttonTestId('override-submit')}
      mask={{ closable: false }}
      width={620}
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {initialDate === null && (
          <DatePicker
            value={date ? dayjs(date) : null}
            onChange={pick}
            style={{ width: 220 }}
            allowClear={false}
            placeholder={t('calendars.override.pickDate')}
            data-testid="override-date"
          />
        )}
        {date && (
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'week', label: t('calendars.override.weekHours'), children: weekHours.length ? formatHours(weekHours) : t('calendars.closed') },
              {
                key: 'current',
                label: t('calendars.override.current'),
                children: existing === undefined ? t('calendars.override.followsWeek') : existing.length ? formatHours(existing) : t('calendars.closed'),
              },
            ]}
          />
        )}
        {holidayNote && <Alert type="info" showIcon title={holidayNote} />}
        {date && (
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            <Space orientation="vertical">
              <Radio value="week" data-testid="override-mode-week">
                {t('calendars.override.modeWeek')}
              </Radio>
              <Radio value="closed" data-testid="override-mode-closed">
                {t('calendars.override.modeClosed')}
              </Radio>
              <Radio value="hours" data-testid="override-mode-hours">
                {t('calendars.override.modeHours')}
              </Radio>
            </Space>
          </Radio.Group>
        )}
        {date && mode === 'hours' && (
          <div style={{ paddingInlineStart: 24 }}>
            <IntervalsEditor hours={hours} onChange={setHours} testPrefix="override-hours" />
            <div style={{ marginTop: 8 }}>
              <DayBarScale />
              <DayBar hours={hours} />
            </div>
          </div>
        )}
        {date && mode === 'week' && dateInfo?.holiday && existing !== undefined && (
          <Typography.Text type="warning">{t('calendars.override.removeHolidayWarning')}</Typography.Text>
        )}
        {serverMessages.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="override-issues"
            title={t('calendars.fileIssues')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {serverMessages.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
    </Modal>
  );
}

