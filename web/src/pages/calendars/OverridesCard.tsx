/**
 * Special dates (overrides): the calendar's own dates apart from the week (closed for a stock-take, longer hours
 * before a deadline…), and, on request, the dates the holiday data put there. Changes save at once.
 */
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fileOf, useHolidayYears, useSaveCalendar, type Calendar, type DayHours, type HolidayDay } from '../../api/calendars';
import { currentLanguage } from '../../i18n';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { DayBar } from './DayBar';
import { formatHours, weekdayOf } from './hours';
import { OverrideModal, type DateInfo } from './OverrideModal';

interface Row {
  date: string;
  hours: DayHours;
  holiday: HolidayDay | undefined;
  /** Put there by the applied holiday data (not the organization's own decision). */
  fromHolidayData: boolean;
}

export function OverridesCard({ calendar, canManage }: { calendar: Calendar; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const holidayYears = useHolidayYears();
  const save = useSaveCalendar();
  const showError = useShowError();
  const [showHolidays, setShowHolidays] = useState(false);
  const [editing, setEditing] = useState<{ date: string | null; info?: DateInfo } | null>(null);
  const lang = currentLanguage();

  const rows = useMemo<Row[]>(() => {
    const byDate = new Map<string, HolidayDay>();
    for (const y of holidayYears.data ?? []) for (const d of y.days) byDate.set(d.date, d);
    return Object.entries(calendar.overrides)
      .map(([date, hours]) => {
        const holiday = byDate.get(date);
        const applied = calendar.holidayYears.includes(Number(date.slice(0, 4)));
        const fromHolidayData = Boolean(holiday && applied && (holiday.kind === 'holiday' ? hours.length === 0 : hours.length > 0));
        return { date, hours, holiday, fromHolidayData };
      })
      .sort((a, b) => a.date.localeCompare(b.date));
  }, [calendar.overrides, calendar.holidayYears, holidayYears.data]);

  const own = rows.filter((r) => !r.fromHolidayData);
  const shown = showHolidays ? rows : own;

  const remove = (date: string) => {
    const overrides = { ...calendar.overrides };
    delete overrides[date];
    save.mutate(
      { id: calendar.id, file: { ...fileOf(calendar), overrides } },
      { onSuccess: () => void message.success(t('calendars.override.removed', { date })), onError: (e) => showError(e) },
    );
  };

  return (
    <Card
      size="small"
      title={t('calendars.overrides.title')}
      data-testid="overrides"
      extra={
        <Space>
          <Space size={4}>
            <Switch size="small" checked={showHolidays} onChange={setShowHolidays} data-testid="overrides-show-holidays" />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('calendars.overrides.showHolidays', { count: rows.length - own.length })}
            </Typography.Text>
          </Space>
          {canManage && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing({ date: null })} data-testid="override-add">
              {t('calendars.overrides.add')}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('calendars.overrides.hint')}
      </Typography.Paragraph>
      <Table<Row>
        rowKey="date"
        size="small"
        dataSource={shown}
        pagination={shown.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        locale={{ emptyText: t('calendars.overrides.empty') }}
        onRow={(r) => ({ 'data-testid': `override-row-${r.date}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('calendars.due.date'),
            dataIndex: 'date',
            width: 160,
            render: (date: string) => (
              <Space size={4}>
                {date}
                <Typography.Text type="secondary">{t(`calendars.weekdays.${weekdayOf(date)}`)}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('calendars.overrides.hours'),
            key: 'hours',
            render: (_: unknown, r) => (
              <Flex vertical gap={2} style={{ maxWidth: 320 }}>
                <DayBar hours={r.hours} height={10} />
                <Typography.Text style={{ fontSize: 12 }}>{r.hours.length ? formatHours(r.hours) : t('calendars.closed')}</Typography.Text>
              </Flex>
            ),
          },
          {
            title: t('calendars.due.note'),
            key: 'note',
            render: (_: unknown, r) => (
              <Space size={4} wrap>
                {r.holiday && <Tag color={r.holiday.kind === 'holiday' ? 'red' : 'orange'}>{r.holiday.name[lang]}</Tag>}
                {r.fromHolidayData ? <Tag>{t('calendars.overrides.fromHolidayData')}</Tag> : <Tag color="geekblue">{t('calendars.legend.override')}</Tag>}
              </Space>
            ),
          },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 140,
                  render: (_: unknown, r: Row) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        onClick={() => setEditing({ date: r.date, info: { holiday: r.holiday?.name[lang] ?? null, holidayKind: r.holiday?.kind ?? null } })}
                        data-testid={`override-edit-${r.date}`}
                      >
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('calendars.overrides.removeConfirm', { date: r.date })}
                        onConfirm={() => remove(r.date)}
                        okButtonProps={buttonTestId('override-remove-confirm')}
                      >
                        <Button type="link" size="small" danger data-testid={`override-remove-${r.date}`}>
                          {t('calendars.overrides.remove')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <OverrideModal calendar={calendar} date={editing.date} {...(editing.info ? { info: editing.info } : {})} onClose={() => setEditing(null)} />}
    </Card>
  );
}
