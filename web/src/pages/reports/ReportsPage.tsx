/**
 * Reports (/reports, 报表; docs/reports.md): the stored monthly reports with their download, "generate now" for a
 * month that is over, the schedule (day, time, on/off) and recipients of the mailed report, and the KPI values
 * export (/exports/kpis.xlsx).
 */
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Flex, Form, InputNumber, Row, Select, Space, Switch, Table, Tag, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useKpiDefinitions } from '../../api/kpis';
import {
  downloadKpis, downloadMonthlyReport, useGenerateMonthlyReport, useMonthlyReports, useReportSettings, useUpdateReportSettings,
  type MonthlyReportView, type ReportSettingsView,
} from '../../api/reports';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { currentLanguage, LANGUAGES, type Language } from '../../i18n';
import { formatTime, getTimeZone } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

export default function ReportsPage() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  return (
    <RequirePermission anyOf={['report.read']}>
      <div data-testid="reports-page">
        <PageHeader title={t('reports.title')}>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('reports.intro')}
          </Typography.Paragraph>
        </PageHeader>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <MonthlyReports />
          </Col>
          <Col xs={24} xl={8}>
            <ScheduleCard editable={can('report.manage')} />
          </Col>
          {can('request.read') && (
            <Col xs={24}>
              <KpiExportCard />
            </Col>
          )}
        </Row>
      </div>
    </RequirePermission>
  );
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function MonthlyReports() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const { message } = App.useApp();
  const list = useMonthlyReports();
  const [busy, setBusy] = useState<string | null>(null);

  const download = async (month: string) => {
    setBusy(month);
    try {
      const file = await downloadMonthlyReport(month);
      void message.success(t('reports.monthly.downloaded', { file: file.fileName }));
    } catch (e) {
      void message.error(t('reports.monthly.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title={t('reports.monthly.title')} extra={can('report.manage') && <GenerateForm />}>
      <Table<MonthlyReportView>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('reports.monthly.empty') }}
        onRow={(r) => ({ 'data-testid': `report-row-${r.month}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('reports.monthly.month'), dataIndex: 'month', width: 100 },
          {
            title: t('reports.monthly.status'), dataIndex: 'status', width: 90,
            render: (v: MonthlyReportView['status']) => <Tag color={v === 'ready' ? 'green' : 'processing'}>{t(`reports.status.${v}`)}</Tag>,
          },
          { title: t('reports.monthly.locale'), dataIndex: 'locale', width: 100, render: (v: Language) => t(`locales.${v}`) },
          { title: t('reports.monthly.generatedAt'), dataIndex: 'generatedAt', width: 150, render: (v: string | null) => formatTime(v, 'YYYY-MM-DD HH:mm') },
          {
            title: t('reports.monthly.generatedBy'), key: 'by',
            render: (_: unknown, r) => (r.generatedBy ? t('reports.monthly.byHand', { name: r.generatedByName ?? '' }) : t('reports.monthly.schedule')),
          },
          { title: t('reports.monthly.size'), dataIndex: 'size', width: 80, render: (v: number, r) => (r.status === 'ready' ? formatSize(v) : '—') },
          {
            title: t('reports.monthly.mailedTo'), dataIndex: 'mailedTo',
            render: (v: string[]) => (v.length > 0 ? <Typography.Text style={{ fontSize: 12 }}>{v.join(', ')}</Typography.Text> : <Typography.Text type="secondary">{t('reports.monthly.notMailed')}</Typography.Text>),
          },
          {
            key: 'actions', width: 100,
            render: (_: unknown, r) => (
              <Button size="small" icon={<DownloadOutlined />} disabled={r.status !== 'ready'} loading={busy === r.month} onClick={() => void download(r.month)} data-testid={`report-download-${r.month}`}>
                {t('reports.monthly.download')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

function GenerateForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const generate = useGenerateMonthlyReport();
  const [month, setMonth] = useState<Dayjs | null>(() => dayjs().tz(getTimeZone()).subtract(1, 'month').startOf('month'));
  const [lang, setLang] = useState<Language>(currentLanguage());
  const thisMonth = dayjs().tz(getTimeZone()).startOf('month');

  const run = () => {
    if (!month) return;
    const key = month.format('YYYY-MM');
    generate.mutate(
      { month: key, lang },
      { onSuccess: () => void message.success(t('reports.generate.done', { month: key })), onError: (e) => showError(e) },
    );
  };

  return (
    <Space wrap title={t('reports.generate.hint')}>
      <DatePicker
        picker="month"
        value={month}
        onChange={setMonth}
        allowClear={false}
        disabledDate={(d) => !d.isBefore(thisMonth, 'month')}
        aria-label={t('reports.generate.month')}
        data-testid="report-generate-month"
      />
      <Select<Language>
        value={lang}
        onChange={setLang}
        style={{ width: 120 }}
        aria-label={t('reports.generate.lang')}
        options={LANGUAGES.map((l) => ({ value: l, label: t(`locales.${l}`) }))}
        data-testid="report-generate-lang"
      />
      <Button type="primary" icon={<FileExcelOutlined />} loading={generate.isPending} onClick={run} data-testid="report-generate">
        {t('reports.generate.button')}
      </Button>
    </Space>
  );
}

interface SettingsForm {
  enabled: boolean;
  day: number;
  time: Dayjs;
  recipients: string[];
}

function ScheduleCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const settings = useReportSettings();
  const update = useUpdateReportSettings();
  const [form] = Form.useForm<SettingsForm>();
  const view: ReportSettingsView | undefined = settings.data;

  useEffect(() => {
    if (view) form.setFieldsValue({ enabled: view.enabled, day: view.day, time: dayjs(view.time, 'HH:mm'), recipients: view.recipients });
  }, [view, form]);

  const save = (values: SettingsForm) => {
    update.mutate(
      { enabled: values.enabled, day: values.day, time: values.time.format('HH:mm'), recipients: values.recipients },
      { onSuccess: () => void message.success(t('reports.settings.saved')), onError: (e) => showError(e, form) },
    );
  };

  return (
    <Card title={t('reports.settings.title')} loading={settings.isLoading} data-testid="report-settings">
      <Form<SettingsForm> form={form} layout="vertical" onFinish={save} disabled={!editable}>
        <Form.Item name="enabled" label={t('reports.settings.enabled')} valuePropName="checked">
          <Switch data-testid="report-settings-enabled" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="day" label={t('reports.settings.day')} rules={[{ required: true }]}>
            <InputNumber min={1} max={28} precision={0} style={{ width: 100 }} data-testid="report-settings-day" />
          </Form.Item>
          <Form.Item name="time" label={t('reports.settings.time')} help={t('reports.settings.timeHelp', { zone: view?.timeZone ?? getTimeZone() })} rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} allowClear={false} data-testid="report-settings-time" />
          </Form.Item>
        </Flex>
        <Form.Item name="recipients" label={t('reports.settings.recipients')} extra={t('reports.settings.recipientsHelp')}>
          <Select mode="tags" tokenSeparators={[',', ';', ' ']} open={false} placeholder={t('reports.settings.recipientsPlaceholder')} suffixIcon={null} data-testid="report-settings-recipients" />
        </Form.Item>
        {view && (
          <Alert
            type={view.enabled ? 'info' : 'warning'}
            showIcon
            style={{ marginBottom: 16 }}
            title={view.next ? t('reports.settings.next', { month: view.next.month, at: formatTime(view.next.dueAt, 'YYYY-MM-DD HH:mm') }) : t('reports.settings.off')}
            description={
              view.enabled && (
                <span data-testid="report-settings-effective">
                  {t('reports.settings.effective')}{view.effectiveRecipients.length > 0 ? view.effectiveRecipients.join(', ') : t('reports.settings.nobody')}
                </span>
              )
            }
          />
        )}
        {editable && (
          <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="report-settings-save">
            {t('reports.settings.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}

const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
const DIMENSIONS = ['org', 'agent', 'team', 'branch', 'channel', 'type', 'category'] as const;

function KpiExportCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const definitions = useKpiDefinitions();
  const lang = currentLanguage();
  const options = useMemo(
    () => (definitions.data?.indicators ?? []).filter((d) => d.available).map((d) => ({ value: d.id, label: d.name[lang] })),
    [definitions.data, lang],
  );
  const [indicators, setIndicators] = useState<string[]>(['service_completion_rate', 'first_response_compliance', 'first_response_time', 'satisfaction_score', 'complaint_count']);
  const [grain, setGrain] = useState<(typeof GRAINS)[number]>('month');
  const [dimension, setDimension] = useState<(typeof DIMENSIONS)[number]>('org');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const now = dayjs().tz(getTimeZone());
    return [now.subtract(2, 'month').startOf('month'), now];
  });
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      const file = await downloadKpis({ indicators, grain, dimension, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
      void message.success(t('reports.kpis.done', { count: file.rows ?? 0 }));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('reports.kpis.title')} data-testid="kpi-export">
      <Typography.Paragraph type="secondary">{t('reports.kpis.intro')}</Typography.Paragraph>
      <Flex wrap gap={12} align="end">
        <label style={{ flex: '1 1 360px' }}>
          <div>{t('reports.kpis.indicators')}</div>
          <Select mode="multiple" value={indicators} onChange={setIndicators} options={options} loading={definitions.isLoading} style={{ width: '100%' }} maxTagCount="responsive" data-testid="kpi-export-indicators" />
        </label>
        <label>
          <div>{t('reports.kpis.grain')}</div>
          <Select value={grain} onChange={setGrain} style={{ width: 100 }} options={GRAINS.map((g) => ({ value: g, label: t(`reports.kpis.grains.${g}`) }))} data-testid="kpi-export-grain" />
        </label>
        <label>
          <div>{t('reports.kpis.range')}</div>
          <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} data-testid="kpi-export-range" />
        </label>
        <label>
          <div>{t('reports.kpis.dimension')}</div>
          <Select value={dimension} onChange={setDimension} style={{ width: 140 }} options={DIMENSIONS.map((d) => ({ value: d, label: t(`reports.kpis.dimensions.${d}`) }))} data-testid="kpi-export-dimension" />
        </label>
        <Button type="primary" icon={<DownloadOutlined />} loading={busy} disabled={indicators.length === 0} onClick={() => void run()} data-testid="kpi-export-button">
          {t('reports.kpis.export')}
        </Button>
      </Flex>
    </Card>
  );
}
