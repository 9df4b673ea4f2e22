/**
 * Statutory holiday data (节假日数据) by year: what Pledge shipped (from the State Council notices) and what the
 * organization added. Administrators add a year when it is announced (a small editor, or pasted JSON) and then
 * apply it to the calendars that follow mainland-China holidays.
 */
import { EditOutlined, EyeOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Drawer, Flex, Modal, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { useApplyHolidays, useCalendars, useHolidayYears, type Calendar, type HolidayDay, type HolidayYear } from '../../api/calendars';
import { currentLanguage } from '../../i18n';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { HolidayYearEditor } from './HolidayYearEditor';
import { weekdayOf } from './hours';

export function HolidaysTab() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const canManage = can('calendar.manage');
  const years = useHolidayYears();
  const calendars = useCalendars();
  const [params, setParams] = useSearchParams();
  const [viewing, setViewing] = useState<HolidayYear | null>(null);
  const [editing, setEditing] = useState<{ year: number | null; existing: HolidayYear | null } | null>(null);
  const [savedYear, setSavedYear] = useState<number | null>(null);

  const known = useMemo(() => new Set((years.data ?? []).map((y) => y.year)), [years.data]);
  const needed = useMemo(() => {
    const set = new Set<number>();
    for (const c of calendars.data ?? []) for (const y of c.missingHolidayYears) if (!known.has(y)) set.add(y);
    return [...set].sort((a, b) => a - b);
  }, [calendars.data, known]);

  // `?add=2027` (from the year view or the list) opens the editor for that year.
  const addParam = params.get('add');
  useEffect(() => {
    if (!addParam || !years.data || !canManage) return;
    const year = Number(addParam);
    if (Number.isInteger(year)) setEditing({ year, existing: years.data.find((y) => y.year === year) ?? null });
    const next = new URLSearchParams(params);
    next.delete('add');
    setParams(next, { replace: true });
  }, [addParam, years.data, canManage, params, setParams]);

  const sorted = [...(years.data ?? [])].sort((a, b) => b.year - a.year);

  return (
    <>
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
          {t('holidays.intro')}
        </Typography.Paragraph>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ year: null, existing: null })} data-testid="holiday-year-create">
            {t('holidays.add')}
          </Button>
        )}
      </Flex>
      {needed.length > 0 && (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          data-testid="holiday-years-needed"
          title={t('holidays.needed', { years: needed.join(t('calendars.sep')) })}
          description={t('holidays.neededHint')}
          action={
            canManage ? (
              <Space orientation="vertical">
                {needed.map((y) => (
                  <Button key={y} size="small" onClick={() => setEditing({ year: y, existing: null })} data-testid={`holiday-add-${y}`}>
                    {t('holidays.addYear', { year: y })}
                  </Button>
                ))}
              </Space>
            ) : undefined
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {years.error && <Alert type="error" showIcon title={years.error.message} style={{ marginBottom: 16 }} />}
      <Table<HolidayYear>
        rowKey="year"
        data-testid="holiday-years-table"
        loading={years.isLoading}
        dataSource={sorted}
        pagination={false}
        onRow={(y) => ({ 'data-testid': `holiday-year-row-${y.year}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('holidays.year'), dataIndex: 'year', width: 90, render: (y: number) => <Typography.Text strong>{y}</Typography.Text> },
          { title: t('holidays.source'), dataIndex: 'source', ellipsis: true },
          {
            title: t('holidays.holidayDays'),
            key: 'holidays',
            width: 110,
            align: 'right',
            render: (_: unknown, y) => y.days.filter((d) => d.kind === 'holiday').length,
          },
          {
            title: t('holidays.workdays'),
            key: 'workdays',
            width: 110,
            align: 'right',
            render: (_: unknown, y) => y.days.filter((d) => d.kind === 'workday').length,
          },
          {
            title: t('holidays.origin'),
            dataIndex: 'builtIn',
            width: 130,
            render: (builtIn: boolean) => (builtIn ? <Tag color="green">{t('holidays.builtIn')}</Tag> : <Tag color="blue">{t('holidays.custom')}</Tag>),
          },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatTime(v, 'YYYY-MM-DD HH:mm') },
          {
            title: t('common.actions'),
            key: 'actions',
            width: canManage ? 170 : 90,
            render: (_: unknown, y) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setViewing(y)} data-testid={`holiday-view-${y.year}`}>
                  {t('holidays.view')}
                </Button>
                {canManage && (
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ year: y.year, existing: y })} data-testid={`holiday-edit-${y.year}`}>
                    {t('holidays.replace')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {viewing && <HolidayDaysDrawer year={viewing} onClose={() => setViewing(null)} />}
      {editing && (
        <HolidayYearEditor
          year={editing.year}
          existing={editing.existing}
          knownYears={known}
          onClose={() => setEditing(null)}
          onSaved={(year) => {
            setEditing(null);
            setSavedYear(year);
          }}
        />
      )}
      {savedYear !== null && <ApplyToCalendarsModal year={savedYear} calendars={calendars.data ?? []} onClose={() => setSavedYear(null)} />}
    </>
  );
}

export function HolidayDaysTable({ days }: { days: HolidayDay[] }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Table<HolidayDay>
      rowKey="date"
      size="small"
      data-testid="holiday-days-table"
      dataSource={[...days].sort((a, b) => a.date.localeCompare(b.date))}
      pagination={false}
      columns={[
        {
          title: t('calendars.due.date'),
          dataIndex: 'date',
          width: 150,
          render: (date: string) => (
            <Space size={4}>
              {date}
              <Typography.Text type="secondary">{t(`calendars.weekdays.${weekdayOf(date)}`)}</Typography.Text>
            </Space>
          ),
        },
        {
          title: t('holidays.kind'),
          dataIndex: 'kind',
          width: 120,
          render: (kind: HolidayDay['kind']) =>
            kind === 'holiday' ? <Tag color="red">{t('holidays.kinds.holiday')}</Tag> : <Tag color="orange">{t('holidays.kinds.workday')}</Tag>,
        },
        { title: t('holidays.nameZh'), key: 'zh', render: (_: unknown, d) => <span style={{ fontWeight: lang === 'zh-CN' ? 500 : undefined }}>{d.name['zh-CN']}</span> },
        { title: t('holidays.nameEn'), key: 'en', render: (_: unknown, d) => <span style={{ fontWeight: lang === 'en-US' ? 500 : undefined }}>{d.name['en-US']}</span> },
      ]}
    />
  );
}

function HolidayDaysDrawer({ year, onClose }: { year: HolidayYear; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open size={720} title={t('holidays.viewTitle', { year: year.year })} onClose={onClose}>
      <Typography.Paragraph>
        <Typography.Text type="secondary">{t('holidays.source')}：</Typography.Text>
        {year.source}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {t('holidays.summary', {
          holidays: year.days.filter((d) => d.kind === 'holiday').length,
          workdays: year.days.filter((d) => d.kind === 'workday').length,
          updated: formatTime(year.updatedAt, 'YYYY-MM-DD HH:mm'),
        })}
      </Typography.Paragraph>
      <HolidayDaysTable days={year.days} />
    </Drawer>
  );
}

/** After saving a year: apply it to the calendars that follow mainland-China holidays (re-applying replaces). */
function ApplyToCalendarsModal({ year, calendars, onClose }: { year: number; calendars: Calendar[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const apply = useApplyHolidays();
  const following = calendars.filter((c) => c.holidayRegion === 'CN');
  const [chosen, setChosen] = useState<string[]>(following.map((c) => c.id));
  const [running, setRunning] = useState(false);
  const [failures, setFailures] = useState<string[]>([]);

  const run = async () => {
    setRunning(true);
    const failed: string[] = [];
    for (const c of following.filter((x) => chosen.includes(x.id))) {
      try {
        await apply.mutateAsync({ id: c.id, years: [year] });
      } catch (e) {
        failed.push(`${c.name}：${e instanceof Error ? e.message : String(e)}`);
      }
    }
    setRunning(false);
    setFailures(failed);
    if (failed.length === 0) {
      void message.success(t('holidays.appliedToCalendars', { year, count: chosen.length }));
      onClose();
    }
  };

  return (
    <Modal
      open
      title={t('holidays.savedTitle', { year })}
      okText={t('holidays.applyNow')}
      cancelText={t('holidays.later')}
      onOk={() => (following.length === 0 ? onClose() : void run())}
      onCancel={onClose}
      confirmLoading={running}
      okButtonProps={{ ...buttonTestId('holiday-apply-calendars'), disabled: following.length > 0 && chosen.length === 0 }}
      mask={{ closable: false }}
    >
      {following.length === 0 ? (
        <Typography.Paragraph>{t('holidays.noFollowing')}</Typography.Paragraph>
      ) : (
        <>
          <Typography.Paragraph>{t('holidays.applyQuestion', { year })}</Typography.Paragraph>
          <Checkbox.Group value={chosen} onChange={(v) => setChosen(v)} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            {following.map((c) => (
              <Checkbox key={c.id} value={c.id} data-testid={`holiday-apply-calendar-${c.name}`}>
                {c.name}
                {c.holidayYears.includes(year) && (
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                    {t('holidays.alreadyApplied')}
                  </Typography.Text>
                )}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </>
      )}
      {failures.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={t('holidays.applyFailed')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {failures.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          }
        />
      )}
    </Modal>
  );
}

