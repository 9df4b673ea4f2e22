/**
 * One calendar (`/calendars/:id`, `/calendars/new`): name, time zone, holidays followed or not, default; the
 * weekly hours grid and the special dates; the year view; "when would it be due?". Saving sends the calendar file
 * (PUT, or POST for a new one); problems the server finds are put next to the field or weekday they concern.
 */
import { ArrowLeftOutlined, DownloadOutlined, SaveOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Form, Input, Radio, Result, Row, Select, Skeleton, Space, Switch, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import {
  downloadCalendar, issuesOf, regionOption, useApplyHolidays, useCalendar, useHolidayYears, useSaveCalendar, type Calendar,
  type HolidayRegionOption, type Week, type Weekday,
} from '../../api/calendars';
import { ApiError } from '../../api/client';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { DEFAULT_TIME_ZONE, getTimeZone, knownTimeZones } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { DuePreview } from './DuePreview';
import { cloneWeek, issueTarget, WEEK_TEMPLATES, weekIssues } from './hours';
import { OverridesCard } from './OverridesCard';
import { RegionTag, MissingYearsTag } from './tags';
import { WeekGrid, type ServerDayIssues } from './WeekGrid';
import { YearView } from './YearView';

interface SettingsValues {
  name: string;
  timeZone: string;
  holidayRegion: HolidayRegionOption;
  isDefault: boolean;
  applyHolidays?: boolean;
}

const TABS = ['hours', 'year', 'due'] as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type TabKey = (typeof TABS)[number];

export default function CalendarEditorPage() {
  return (
    <RequirePermission anyOf={['calendar.read']}>
      <EditorLoader />
    </RequirePermission>
  );
}

function EditorLoader() {
  const { t } = useTranslation();
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const wellFormed = UUID_RE.test(id);
  const calendar = useCalendar(isNew || !wellFormed ? undefined : id);
  if (isNew) return <CalendarEditor key="new" calendar={null} />;
  if (!wellFormed) {
    return (
      <Result
        status="404"
        title={t('calendars.notFound')}
        extra={
          <Link to="/calendars">
            <Button>{t('calendars.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  if (calendar.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (calendar.error) {
    const notFound = calendar.error instanceof ApiError && calendar.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('calendars.notFound') : t('common.loadFailed')}
        subTitle={notFound ? undefined : calendar.error.message}
        extra={
          <Link to="/calendars">
            <Button>{t('calendars.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  return <CalendarEditor key={id} calendar={calendar.data} />;
}

function zoneLabel(zone: string): string {
  try {
    return `${zone} (UTC${dayjs().tz(zone).format('Z')})`;
  } catch {
    return zone;
  }
}

function CalendarEditor({ calendar }: { calendar: Calendar | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const canManage = can('calendar.manage');
  const [form] = Form.useForm<SettingsValues>();
  const save = useSaveCalendar();
  const apply = useApplyHolidays();
  const holidayYears = useHolidayYears();
  const showError = useShowError();
  const [params, setParams] = useSearchParams();
  const [week, setWeek] = useState<Week>(() => cloneWeek(calendar?.week ?? WEEK_TEMPLATES.office));
  const [dirty, setDirty] = useState(calendar === null);
  const [serverDays, setServerDays] = useState<Partial<Record<Weekday, ServerDayIssues>>>({});
  const [otherIssues, setOtherIssues] = useState<string[]>([]);
  const [exporting, setExporting] = useState(false);

  const savedZone = calendar?.timeZone;
  const zones = useMemo(() => {
    const list = knownTimeZones();
    // A zone the browser does not list (an alias such as "UTC") stays selectable for the calendar that has it.
    return (savedZone && !list.includes(savedZone) ? [savedZone, ...list] : list).map((z) => ({ value: z, label: zoneLabel(z) }));
  }, [savedZone]);
  const thisYear = Number(dayjs().tz(calendar?.timeZone ?? getTimeZone()).format('YYYY'));
  const knownFutureYears = (holidayYears.data ?? []).map((h) => h.year).filter((y) => y >= thisYear).sort((a, b) => a - b);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const available: TabKey[] = calendar ? [...TABS] : ['hours'];
  const requested = params.get('tab');
  const active: TabKey = available.find((k) => k === requested) ?? 'hours';

  const changeWeek = (next: Week) => {
    setWeek(next);
    setDirty(true);
    setServerDays({});
  };

  const onSave = async () => {
    let values: SettingsValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (Object.keys(weekIssues(week)).length > 0) {
      void message.error(t('calendars.fixIssues'));
      return;
    }
    setServerDays({});
    setOtherIssues([]);
    const file = { name: values.name.trim(), timeZone: values.timeZone, week, overrides: calendar?.overrides ?? {} };
    save.mutate(
      { ...(calendar ? { id: calendar.id } : {}), file, holidayRegion: values.holidayRegion, isDefault: values.isDefault },
      {
        onSuccess: (saved) => {
          setDirty(false);
          setWeek(cloneWeek(saved.week));
          if (calendar) {
            void message.success(t('common.saved'));
            return;
          }
          void message.success(t('calendars.created', { name: saved.name }));
          const years = values.holidayRegion === 'CN' && values.applyHolidays ? knownFutureYears : [];
          const open = () => void navigate(`/calendars/${saved.id}`, { replace: true });
          if (years.length === 0) return open();
          apply.mutate(
            { id: saved.id, years },
            {
              onSuccess: () => void message.success(t('calendars.year.appliedYears', { years: years.join(t('calendars.sep')) })),
              onError: (e) => showError(e),
              onSettled: open,
            },
          );
        },
        onError: (error) => {
          const issues = issuesOf(error);
          if (!(error instanceof ApiError) || error.code !== 'calendar.invalid_file' || issues.length === 0) {
            showError(error, form);
            return;
          }
          const days: Partial<Record<Weekday, ServerDayIssues>> = {};
          const fields: { name: 'name' | 'timeZone'; errors: string[] }[] = [];
          const other: string[] = [];
          for (const issue of issues) {
            const target = issueTarget(issue.path);
            if (target.kind === 'week') {
              const entry = (days[target.day] ??= { messages: [], marks: [] });
              entry.messages.push(issue.message);
              entry.marks.push({ ...(target.index !== undefined ? { index: target.index } : {}), ...(target.part !== undefined ? { part: target.part } : {}) });
            } else if (target.kind === 'field') {
              const field = fields.find((f) => f.name === target.field);
              if (field) field.errors.push(issue.message);
              else fields.push({ name: target.field, errors: [issue.message] });
            } else other.push(issue.message);
          }
          setServerDays(days);
          setOtherIssues(other);
          if (fields.length) form.setFields(fields);
          void message.error(t('calendars.fixIssues'));
        },
      },
    );
  };

  const doExport = () => {
    if (!calendar) return;
    setExporting(true);
    downloadCalendar(calendar)
      .catch((e: unknown) => showError(e))
      .finally(() => setExporting(false));
  };

  const settings = (
    <Card size="small" title={t('calendars.settings')} style={{ marginBottom: 16 }}>
      <Form<SettingsValues>
        form={form}
        name="calendar"
        layout="vertical"
        disabled={!canManage}
        onValuesChange={() => setDirty(true)}
        initialValues={{
          name: calendar?.name ?? '',
          timeZone: calendar?.timeZone ?? (getTimeZone() || DEFAULT_TIME_ZONE),
          holidayRegion: calendar ? regionOption(calendar) : 'CN',
          isDefault: calendar?.isDefault ?? false,
          applyHolidays: true,
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('calendars.name')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
              <Input maxLength={200} placeholder={t('calendars.namePlaceholder')} autoFocus={!calendar} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="timeZone" label={t('calendars.timeZone')} extra={t('calendars.timeZoneHint')} rules={[{ required: true }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={zones} data-testid="calendar-timezone" />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="holidayRegion" label={t('calendars.holidayRegion')}>
              <Radio.Group>
                <Space orientation="vertical">
                  <Radio value="CN" data-testid="calendar-region-cn">
                    {t('calendars.regionCN')}
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {t('calendars.regionCNHint')}
                    </Typography.Text>
                  </Radio>
                  <Radio value="none" data-testid="calendar-region-none">
                    {t('calendars.regionNone')}
                    <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                      {t('calendars.regionNoneHint')}
                    </Typography.Text>
                  </Radio>
                </Space>
              </Radio.Group>
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="isDefault" label={t('calendars.isDefault')} valuePropName="checked" extra={t('calendars.isDefaultHint')}>
              <Switch data-testid="calendar-default-switch" />
            </Form.Item>
          </Col>
          {!calendar && (
            <Form.Item<SettingsValues> noStyle shouldUpdate={(a, b) => a.holidayRegion !== b.holidayRegion}>
              {({ getFieldValue }) =>
                getFieldValue('holidayRegion') === 'CN' ? (
                  <Col xs={24}>
                    <Form.Item name="applyHolidays" valuePropName="checked" style={{ marginBottom: 0 }}>
                      <Checkbox disabled={knownFutureYears.length === 0} data-testid="calendar-apply-on-create">
                        {knownFutureYears.length
                          ? t('calendars.applyOnCreate', { years: knownFutureYears.join(t('calendars.sep')) })
                          : t('calendars.applyOnCreateNone')}
                      </Checkbox>
                    </Form.Item>
                  </Col>
                ) : null
              }
            </Form.Item>
          )}
        </Row>
        <button type="submit" hidden />
      </Form>
    </Card>
  );

  const hoursTab = (
    <>
      {otherIssues.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="calendar-issues"
          title={t('calendars.fileIssues')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {otherIssues.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {settings}
      <Card size="small" title={t('calendars.weeklyHours')} style={{ marginBottom: 16 }}>
        <WeekGrid week={week} onChange={changeWeek} readOnly={!canManage} serverIssues={serverDays} />
        {calendar && calendar.holidayYears.length > 0 && (
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 12 }}>
            {t('calendars.makeupHoursNote')}
          </Typography.Paragraph>
        )}
      </Card>
      {calendar && <OverridesCard calendar={calendar} canManage={canManage} />}
    </>
  );

  const title = calendar ? calendar.name : t('calendars.createTitle');

  return (
    <>
      <Link to="/calendars" data-testid="calendar-back">
        <Space size={4} style={{ marginBottom: 8 }}>
          <ArrowLeftOutlined />
          {t('calendars.backToList')}
        </Space>
      </Link>
      <PageHeader
        title={
          <Space wrap size={8}>
            <span data-testid="calendar-title">{title}</span>
            {calendar?.isDefault && (
              <Tag color="blue" data-testid="calendar-default-tag">
                {t('calendars.default')}
              </Tag>
            )}
            {calendar && <RegionTag calendar={calendar} />}
            {calendar && <MissingYearsTag calendar={calendar} />}
          </Space>
        }
        extra={
          <Space wrap>
            {calendar && (
              <Button icon={<DownloadOutlined />} onClick={doExport} loading={exporting} data-testid="calendar-export">
                {t('calendars.export')}
              </Button>
            )}
            {canManage && (
              <Tooltip title={dirty && calendar ? t('calendars.unsaved') : undefined}>
                <Button type="primary" icon={<SaveOutlined />} onClick={() => void onSave()} loading={save.isPending || apply.isPending} data-testid="calendar-save">
                  {calendar ? t('common.save') : t('calendars.createSubmit')}
                  {dirty && calendar && <WarningOutlined style={{ marginInlineStart: 4 }} />}
                </Button>
              </Tooltip>
            )}
          </Space>
        }
      >
        {calendar && (
          <Flex gap={16} wrap style={{ marginTop: 4 }}>
            <Typography.Text type="secondary">{zoneLabel(calendar.timeZone)}</Typography.Text>
            <Typography.Text type="secondary">{t('calendars.weeklyHoursValue', { hours: calendar.weeklyHours })}</Typography.Text>
            {dirty && (
              <Typography.Text type="warning" data-testid="calendar-dirty">
                {t('calendars.unsaved')}
              </Typography.Text>
            )}
          </Flex>
        )}
      </PageHeader>
      <Tabs
        activeKey={active}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          next.set('tab', key);
          setParams(next, { replace: true });
        }}
        items={available.map((key) => ({
          key,
          label: <span data-testid={`calendar-tab-${key}`}>{t(`calendars.tabs.${key}`)}</span>,
          // The hours tab keeps its draft while the other tabs are looked at.
          forceRender: key === 'hours',
          children: key === 'hours' ? hoursTab : !calendar ? null : key === 'year' ? <YearView calendar={calendar} canManage={canManage} dirty={dirty} /> : <DuePreview calendar={calendar} />,
        }))}
      />
    </>
  );
}

