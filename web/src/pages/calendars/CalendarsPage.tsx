/**
 * Business calendars (工作日历): the list (`/calendars`) and the statutory holiday data (`/calendars/holidays`) as
 * two tabs of one page. The list creates, imports (a calendar file read in the browser and POSTed), exports,
 * deletes and sets the default; it warns about every calendar missing the holiday data of this or next year.
 */
import { DeleteOutlined, DownloadOutlined, PlusOutlined, StarOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Popconfirm, Space, Table, Tabs, Tag, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import {
  downloadCalendar, fileOf, issuesOf, useApplyHolidays, useCalendars, useDeleteCalendar, useHolidayYears, useSaveCalendar,
  type Calendar, type CalendarFile,
} from '../../api/calendars';
import { ApiError, type ValidationIssue } from '../../api/client';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { HolidaysTab } from './HolidaysTab';
import { ImportIssues } from './ImportIssues';
import { MissingYearsTag, RegionTag } from './tags';

export default function CalendarsPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const active = location.pathname.startsWith('/calendars/holidays') ? 'holidays' : 'list';
  return (
    <RequirePermission anyOf={['calendar.read']}>
      <PageHeader title={t('nav.calendars')} />
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(key) => void navigate(key === 'holidays' ? '/calendars/holidays' : '/calendars')}
        items={[
          { key: 'list', label: <span data-testid="calendars-tab-list">{t('calendars.tabs.list')}</span>, children: <CalendarList /> },
          { key: 'holidays', label: <span data-testid="calendars-tab-holidays">{t('calendars.tabs.holidays')}</span>, children: <HolidaysTab /> },
        ]}
      />
    </RequirePermission>
  );
}

interface ImportProblem {
  fileName: string;
  message: string;
  /** The parsed file, to show each weekday's issues beside its intervals. */
  json?: unknown;
  issues: ValidationIssue[];
}

function CalendarList() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const canManage = can('calendar.manage');
  const calendars = useCalendars();
  const holidayYears = useHolidayYears();
  const save = useSaveCalendar();
  const remove = useDeleteCalendar();
  const apply = useApplyHolidays();
  const showError = useShowError();
  const [problem, setProblem] = useState<ImportProblem | null>(null);
  const [importing, setImporting] = useState(false);
  const known = new Set((holidayYears.data ?? []).map((h) => h.year));

  const importFile = async (file: File) => {
    setProblem(null);
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      setProblem({ fileName: file.name, message: t('calendars.import.notJson'), issues: [{ path: '', code: 'json', message: e instanceof Error ? e.message : String(e) }] });
      return;
    }
    setImporting(true);
    save.mutate(
      { file: json as CalendarFile },
      {
        onSuccess: (calendar) => {
          void message.success(t('calendars.import.done', { name: calendar.name }));
        },
        onError: (error) => {
          if (error instanceof ApiError && error.isSignedOut) return;
          const issues = issuesOf(error);
          setProblem({ fileName: file.name, message: issues.length ? t('calendars.import.invalid') : error.message, json, issues });
        },
        onSettled: () => setImporting(false),
      },
    );
  };

  const setDefault = (calendar: Calendar) =>
    save.mutate(
      { id: calendar.id, file: fileOf(calendar), isDefault: true },
      { onSuccess: () => void message.success(t('calendars.defaultSet', { name: calendar.name })), onError: (e) => showError(e) },
    );

  const doDelete = (calendar: Calendar) =>
    remove.mutate(calendar.id, {
      onSuccess: () => void message.success(t('calendars.deleted', { name: calendar.name })),
      onError: (e) => showError(e),
    });

  const doApply = (calendar: Calendar, years: number[]) =>
    apply.mutate(
      { id: calendar.id, years },
      { onSuccess: () => void message.success(t('calendars.year.appliedTo', { years: years.join(t('calendars.sep')), name: calendar.name })), onError: (e) => showError(e) },
    );

  const exportOne = (calendar: Calendar) => void downloadCalendar(calendar).catch((e: unknown) => showError(e));

  return (
    <>
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 720 }}>
          {t('calendars.intro')}
        </Typography.Paragraph>
        {canManage && (
          <Space wrap>
            <Link to="/calendars/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="calendar-create">
                {t('calendars.create')}
              </Button>
            </Link>
            <span data-testid="calendar-import">
              <Upload
                accept=".json,application/json"
                showUploadList={false}
                beforeUpload={(file) => {
                  void importFile(file);
                  return Upload.LIST_IGNORE;
                }}
              >
                <Tooltip title={t('calendars.import.hint')}>
                  <Button icon={<UploadOutlined />} loading={importing} data-testid="calendar-import-button">
                    {t('calendars.import.button')}
                  </Button>
                </Tooltip>
              </Upload>
            </span>
          </Space>
        )}
      </Flex>
      {problem && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setProblem(null) }}
          data-testid="calendar-import-issues"
          title={t('calendars.import.failed', { file: problem.fileName, reason: problem.message })}
          description={problem.issues.length > 0 ? <ImportIssues json={problem.json} issues={problem.issues} /> : undefined}
          style={{ marginBottom: 16 }}
        />
      )}
      {calendars.error && <Alert type="error" showIcon title={calendars.error.message} style={{ marginBottom: 16 }} />}
      <Table<Calendar>
        rowKey="id"
        data-testid="calendar-table"
        loading={calendars.isLoading}
        dataSource={calendars.data ?? []}
        pagination={false}
        onRow={(c) => ({ 'data-testid': `calendar-row-${c.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('calendars.name'),
            dataIndex: 'name',
            width: 240,
            render: (name: string, c) => (
              <Space wrap size={6}>
                <Link to={`/calendars/${c.id}`} data-testid={`calendar-open-${name}`}>
                  {name}
                </Link>
                {c.isDefault && (
                  <Tag color="blue" data-testid="calendar-default-tag">
                    {t('calendars.default')}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('calendars.timeZone'), dataIndex: 'timeZone', width: 140 },
          {
            title: t('calendars.weeklyHoursShort'),
            dataIndex: 'weeklyHours',
            width: 110,
            align: 'right',
            render: (h: number) => t('calendars.hoursValue', { hours: h }),
          },
          {
            title: t('calendars.holidayRegion'),
            key: 'region',
            render: (_: unknown, c) => {
              const applicable = c.missingHolidayYears.filter((y) => known.has(y));
              return (
                <Flex vertical gap={4} align="flex-start">
                  <Space size={4} wrap>
                    <RegionTag calendar={c} />
                    {c.holidayRegion === 'CN' && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`calendar-years-${c.name}`}>
                        {c.holidayYears.length ? t('calendars.appliedYears', { years: c.holidayYears.join(t('calendars.sep')) }) : t('calendars.noYearsApplied')}
                      </Typography.Text>
                    )}
                  </Space>
                  <Space size={4} wrap>
                    <MissingYearsTag calendar={c} />
                    {canManage && applicable.length > 0 && (
                      <Button size="small" type="link" style={{ padding: 0 }} loading={apply.isPending && apply.variables?.id === c.id} onClick={() => doApply(c, applicable)} data-testid={`calendar-apply-${c.name}`}>
                        {t('calendars.year.applyYears', { years: applicable.join(t('calendars.sep')) })}
                      </Button>
                    )}
                    {c.missingHolidayYears.some((y) => !known.has(y)) && holidayYears.data && (
                      <Link to={`/calendars/holidays?add=${c.missingHolidayYears.find((y) => !known.has(y))}`} style={{ fontSize: 12 }}>
                        {t('calendars.addHolidayData')}
                      </Link>
                    )}
                  </Space>
                </Flex>
              );
            },
          },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: string) => formatTime(v, 'YYYY-MM-DD HH:mm') },
          {
            title: t('common.actions'),
            key: 'actions',
            width: canManage ? 290 : 100,
            render: (_: unknown, c) => (
              <Space size={0}>
                <Tooltip title={t('calendars.exportHint')}>
                  <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => exportOne(c)} data-testid={`calendar-export-${c.name}`}>
                    {t('calendars.export')}
                  </Button>
                </Tooltip>
                {canManage && !c.isDefault && (
                  <Button type="link" size="small" icon={<StarOutlined />} onClick={() => setDefault(c)} data-testid={`calendar-set-default-${c.name}`}>
                    {t('calendars.setDefault')}
                  </Button>
                )}
                {canManage && (
                  <Popconfirm
                    title={t('calendars.deleteConfirm', { name: c.name })}
                    description={c.isDefault ? t('calendars.deleteDefaultNote') : t('calendars.deleteNote')}
                    onConfirm={() => doDelete(c)}
                    okButtonProps={{ ...buttonTestId('calendar-delete-confirm'), danger: true }}
                  >
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`calendar-delete-${c.name}`}>
                      {t('calendars.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
