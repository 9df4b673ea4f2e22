/**
 * The manager's month view (/dashboard): the month's figures against the previous month, compliance per target
 * against the promise, twelve-month trends, registrations by hour and weekday, top categories and the channel
 * mix, for the organization, a branch or a team. Every figure opens the requests behind it (drill-down).
 * The month and scope live in the address (?month=2026-11&branch=… or &team=…), so a view can be shared.
 */
import { Col, Empty, Row, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useCurrentMe } from '../../api/auth';
import { useKpiHeatmap, useKpiValues, pickValue } from '../../api/kpis';
import { useBranches, useTeams } from '../../api/org';
import { useCategories } from '../../api/requests';
import { PageHeader } from '../../components/PageHeader';
import { getTimeZone } from '../../lib/time';
import { acceptedBy, categoryPath, CategoriesChart, ChannelsChart, channelName } from './BreakdownCharts';
import { canDrill } from './drill';
import { DrillDrawer } from './DrillDrawer';
import { isMonthKey } from './format';
import { cellWindows, currentMonth } from './figures';
import { HeatmapChart, weekdayName } from './HeatmapChart';
import { MonthCards, type CardFigure } from './KpiCards';
import { ChartCard, LoadError, scopeValue, MonthControls, useDrillTarget, type Scope } from './parts';
import { orgTargetRows, scopedTargetRows, TargetsPanel } from './TargetsPanel';
import { RatesTrend, VolumeTrend } from './TrendCharts';
import { useLanguage } from './use-language';
import { useMonthFigures } from './use-month-figures';
import './dashboards.css';

/** The month view's cards, in reading order (only those the server computes are shown). */
const MONTH_CARDS = [
  'service_completion_rate', 'first_response_compliance', 'satisfaction_rate', 'satisfaction_score', 'resolution_rate', 'first_contact_resolution_rate',
  'first_response_time', 'resolution_time', 'complaint_count', 'complaint_handling_compliance', 'initial_solution_compliance', 'reopen_rate',
  'callback_rate', 'phone_service_level', 'backlog', 'corrective_actions',
] as const;

/** Branch-scoped readers may not cut the figures by channel or category (the API answers 403). */
function OrgOnly() {
  const { t } = useTranslation();
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboards.month.orgOnly')} />;
}

function ScopeSelect({ scope, onChange }: { scope: Scope; onChange: (scope: Scope) => void }) {
  const { t } = useTranslation();
  const branches = useBranches();
  const teams = useTeams(undefined);
  const value = scope.dimension === 'org' ? 'org' : `${scope.dimension}:${scope.value ?? ''}`;
  return (
    <Select
      value={value}
      style={{ minWidth: 220 }}
      onChange={(v: string) => {
        if (v === 'org') return onChange({ dimension: 'org' });
        const [dimension, id] = v.split(':') as ['branch' | 'team', string];
        onChange({ dimension, value: id });
      }}
      data-testid="dash-scope"
      options={[
        { value: 'org', label: t('dashboards.month.scopeOrg') },
        ...(branches.data ?? []).filter((b) => b.active).map((b) => ({ value: `branch:${b.id}`, label: t('dashboards.month.scopeBranch', { name: b.name }) })),
        ...(teams.data ?? []).filter((x) => x.active).map((x) => ({ value: `team:${x.id}`, label: t('dashboards.month.scopeTeam', { name: x.name }) })),
      ]}
    />
  );
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const me = useCurrentMe();
  const myBranch = useBranches().data?.find((b) => b.id === me.staff.branchId)?.name;
  const [search, setSearch] = useSearchParams();
  const requested = search.get('month') ?? '';
  const month = isMonthKey(requested) ? requested : currentMonth();
  const branchId = search.get('branch') ?? undefined;
  const teamId = search.get('team') ?? undefined;
  // Branch-scoped readers get their branch's figures for the organization; other cuts are for organization-wide readers.
  const orgWide = me.staff.scope === 'organization';
  const scope: Scope = orgWide && teamId ? { dimension: 'team', value: teamId } : orgWide && branchId ? { dimension: 'branch', value: branchId } : { dimension: 'org' };
  const sv = scopeValue(scope);
  const { previous, range, months, from, defs, cardDefs, rateDefs, volumeIds, indicators, values, targets } =
    useMonthFigures(month, scope, MONTH_CARDS, scope.dimension === 'org' ? [] : ['target_compliance']);
  const heatmap = useKpiHeatmap({ from: range.from, to: range.to, dimension: scope.dimension, value: scope.value });
  const byCategory = useKpiValues({ indicators: ['service_completion_rate'], grain: 'month', from: range.from, to: range.to, dimension: 'category' }, orgWide);
  const byChannel = useKpiValues({ indicators: ['service_completion_rate'], grain: 'month', from: range.from, to: range.to, dimension: 'channel' }, orgWide);
  const categories = useCategories();
  const { target, open, close, drill } = useDrillTarget(scope);

  const figures: CardFigure[] = cardDefs.map((def) => ({ def, current: pickValue(values.data, def.id, month, { value: sv }), previous: pickValue(values.data, def.id, previous, { value: sv }) }));
  const targetRows = scope.dimension === 'org' ? orgTargetRows(targets.data, month) : scopedTargetRows(targets.data, values.data, month, sv);
  const categorySlices = acceptedBy(byCategory.data, month)
    .slice(0, 10)
    .map((s) => ({ ...s, name: s.value === '' ? t('dashboards.categories.uncategorized') : (categoryPath(categories.data ?? [], s.value, lang === 'en-US') ?? s.value) }));
  const channelSlices = acceptedBy(byChannel.data, month).map((s) => ({ ...s, name: channelName(t, s.value) }));

  const setParam = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setSearch(next, { replace: true });
  };
  const breakdownDrill = (dimension: 'category' | 'channel', value: string, name: string) =>
    drill({ indicator: 'service_completion_rate', part: 'denominator', period: month, grain: 'month', dimension, value }, `${t(dimension === 'category' ? 'dashboards.categories.accepted' : 'dashboards.channels.accepted')} · ${name} · ${month}`);

  return (
    <div className="dash-page" data-testid="dashboard-page" data-month={month}>
      <PageHeader
        title={t('dashboards.month.title')}
        extra={
          <Space wrap>
            <MonthControls indicators={indicators} from={from} to={range.to} scope={scope} month={month} onMonth={(m) => setParam({ month: m })} />
            {orgWide ? (
              <ScopeSelect scope={scope} onChange={(s) => setParam({ branch: s.dimension === 'branch' ? s.value : undefined, team: s.dimension === 'team' ? s.value : undefined })} />
            ) : (
              <Tag data-testid="dash-scope-branch">{t('dashboards.month.scopeBranch', { name: myBranch ?? t('dashboards.none') })}</Tag>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('dashboards.month.intro')}</Typography.Paragraph>
      </PageHeader>
      <MonthCards figures={figures} month={month} defs={defs} values={values} drill={drill} />
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={14}>
          <ChartCard title={t('dashboards.targets.title')} hint={scope.dimension === 'org' ? t('dashboards.targets.intro') : t('dashboards.targets.agentNote')} testId="card-targets">
            <LoadError error={targets.error} />
            <TargetsPanel rows={targetRows} period={month} onDrill={drill} />
          </ChartCard>
        </Col>
        <Col xs={24} xl={10}>
          <ChartCard title={t('dashboards.channels.title')} hint={scope.dimension === 'org' ? undefined : t('dashboards.month.orgWideNote')} testId="card-channels">
            <LoadError error={byChannel.error} />
            {orgWide ? <ChannelsChart slices={channelSlices} onClick={(s) => breakdownDrill('channel', s.value, s.name)} /> : <OrgOnly />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard title={`${t('dashboards.trends.title')} · ${t('dashboards.trends.rates')}`} testId="card-trend-rates">
            {values.data && <RatesTrend months={months} view={values.data} defs={rateDefs} scopeValue={sv} onDrill={drill} canDrill={canDrill} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12}>
          <ChartCard title={`${t('dashboards.trends.title')} · ${t('dashboards.trends.volume')}`} testId="card-trend-volume">
            {values.data && <VolumeTrend months={months} view={values.data} scopeValue={sv} withBacklog={volumeIds.includes('backlog')} onDrill={drill} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={14}>
          <ChartCard title={t('dashboards.heatmap.title')} hint={t('dashboards.heatmap.intro', { zone: heatmap.data?.timeZone ?? getTimeZone() })} testId="card-heatmap">
            <LoadError error={heatmap.error} />
            {heatmap.data && (
              <HeatmapChart
                view={heatmap.data}
                onCell={(weekday, hour, count) => {
                  const windows = cellWindows(range.from, range.to, weekday, hour);
                  const words = { weekday: weekdayName(t, weekday), hour: String(hour).padStart(2, '0'), next: String(hour + 1).padStart(2, '0') };
                  open({
                    title: `${t('dashboards.heatmap.title')} · ${month}`,
                    subtitle: t('dashboards.drill.heatmapNote', { ...words, days: windows.length }),
                    registrations: { windows, branchId: scope.dimension === 'branch' ? scope.value : undefined, teamId: scope.dimension === 'team' ? scope.value : undefined },
                    total: count,
                  });
                }}
              />
            )}
          </ChartCard>
        </Col>
        <Col xs={24} xl={10}>
          <ChartCard title={t('dashboards.categories.title')} hint={scope.dimension === 'org' ? undefined : t('dashboards.month.orgWideNote')} testId="card-categories">
            <LoadError error={byCategory.error} />
            {orgWide ? <CategoriesChart slices={categorySlices} onClick={(s) => breakdownDrill('category', s.value, s.name)} /> : <OrgOnly />}
          </ChartCard>
        </Col>
      </Row>
      <DrillDrawer target={target} onClose={close} />
    </div>
  );
}
