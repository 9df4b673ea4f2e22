/**
 * The agent's own page (/dashboard/me): the signed-in person's figures (dimension agent, value their staff id)
 * this month against last month, twelve-month trends, their compliance with each time limit of the commitment
 * against the promised goal, and a summary of their customers' ratings. Every figure opens its requests.
 */
import { Card, Col, Descriptions, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { pickValue } from '../../api/kpis';
import { PageHeader } from '../../components/PageHeader';
import { currentMonth } from './figures';
import { canDrill } from './drill';
import { DrillDrawer } from './DrillDrawer';
import { formatCount, formatFigure, isMonthKey } from './format';
import { MonthCards, type CardFigure } from './KpiCards';
import { durationUnits } from './labels';
import { ChartCard, LoadError, MonthControls, useDrillTarget, type Scope } from './parts';
import { scopedTargetRows, TargetsPanel } from './TargetsPanel';
import { RatesTrend, VolumeTrend } from './TrendCharts';
import { useMonthFigures } from './use-month-figures';
import './dashboards.css';

/** An agent's cards: their own work (a person's figures; the organization's volume is on the month view). */
const AGENT_CARDS = [
  'first_response_compliance', 'first_response_time', 'resolution_time', 'satisfaction_score', 'satisfaction_rate', 'first_contact_resolution_rate',
  'reopen_rate', 'complaint_count', 'initial_solution_compliance', 'complaint_handling_compliance', 'callback_rate', 'backlog', 'corrective_actions',
] as const;

export default function MyDashboardPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentMe();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const requested = search.get('month') ?? '';
  const month = isMonthKey(requested) ? requested : currentMonth();
  const scope: Scope = { dimension: 'agent', value: me.staff.id };
  const { previous, range, months, from, defs, cardDefs, rateDefs, volumeIds, indicators, values, targets } =
    useMonthFigures(month, scope, AGENT_CARDS, ['target_compliance', 'satisfaction_score', 'satisfaction_rate']);
  const { target, close, drill } = useDrillTarget(scope);

  const pick = (indicator: string, period = month) => pickValue(values.data, indicator, period, { value: me.staff.id });
  const figures: CardFigure[] = cardDefs.map((def) => ({ def, current: pick(def.id), previous: pick(def.id, previous) }));
  const score = pick('satisfaction_score');
  const satisfied = pick('satisfaction_rate');
  const parts = score?.parts ?? {};
  const units = durationUnits(t);
  const count = (n: number | null | undefined) => formatCount(n ?? 0, i18n.language);
  const rating = (part?: 'defaults' | 'excluded' | 'pendingVerification') =>
    drill({ indicator: 'satisfaction_score', period: month, grain: 'month', ...(part ? { part } : {}) }, `${t('dashboards.me.ratings')} · ${month}`);

  return (
    <div className="dash-page" data-testid="my-dashboard-page" data-month={month}>
      <PageHeader
        title={t('dashboards.me.title')}
        extra={
          <Space wrap>
            <MonthControls indicators={indicators} from={from} to={range.to} scope={scope} month={month} onMonth={(m) => setSearch({ month: m }, { replace: true })} />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('dashboards.me.intro', { name: me.staff.displayName })}</Typography.Paragraph>
      </PageHeader>
      <MonthCards figures={figures} month={month} defs={defs} values={values} drill={drill} />
      {!values.error && (
        <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
          <Col xs={24} xl={14}>
            <ChartCard title={t('dashboards.targets.title')} hint={t('dashboards.targets.agentNote')} testId="card-targets">
              <LoadError error={targets.error} />
              <TargetsPanel rows={scopedTargetRows(targets.data, values.data, month, me.staff.id)} period={month} onDrill={drill} />
            </ChartCard>
          </Col>
          <Col xs={24} xl={10}>
            <Card
              size="small"
              title={t('dashboards.me.ratings')}
              style={{ height: '100%' }}
              data-testid="card-ratings"
              extra={can('evaluation.read') && <Link to="/evaluations">{t('dashboards.me.viewRatings')}</Link>}
            >
              <Row gutter={12} style={{ marginBottom: 12 }}>
                <Col span={12}>
                  <a onClick={() => rating()} className="dash-big-link" data-testid="my-score">
                    <Typography.Text type="secondary">{t('dashboards.me.score')}</Typography.Text>
                    <div className="dash-figure">{formatFigure(score?.figure, 'score5', units, i18n.language)}</div>
                  </a>
                </Col>
                <Col span={12}>
                  <a onClick={() => drill({ indicator: 'satisfaction_rate', period: month, grain: 'month' }, `${t('dashboards.me.satisfied')} · ${month}`)} className="dash-big-link">
                    <Typography.Text type="secondary">{t('dashboards.me.satisfied')}</Typography.Text>
                    <div className="dash-figure">{formatFigure(satisfied?.figure, 'percent', units, i18n.language)}</div>
                  </a>
                </Col>
              </Row>
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label={t('dashboards.me.surveys')}>{count(parts.surveyCount)}</Descriptions.Item>
                <Descriptions.Item label={t('dashboards.me.callbacks')}>{count(parts.callbackCount)}</Descriptions.Item>
                <Descriptions.Item label={t('dashboards.me.defaults')}><a onClick={() => rating('defaults')}>{count(parts.defaults)}</a></Descriptions.Item>
                <Descriptions.Item label={t('dashboards.me.excluded')}><a onClick={() => rating('excluded')}>{count(parts.excluded)}</a></Descriptions.Item>
                <Descriptions.Item label={t('dashboards.me.pendingVerification')}><a onClick={() => rating('pendingVerification')}>{count(parts.pendingVerification)}</a></Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <ChartCard title={`${t('dashboards.trends.title')} · ${t('dashboards.trends.rates')}`} testId="card-trend-rates">
              {values.data && <RatesTrend months={months} view={values.data} defs={rateDefs} scopeValue={me.staff.id} onDrill={drill} canDrill={canDrill} />}
            </ChartCard>
          </Col>
          <Col xs={24} xl={12}>
            <ChartCard title={`${t('dashboards.trends.title')} · ${t('dashboards.trends.volume')}`} testId="card-trend-volume">
              {values.data && <VolumeTrend months={months} view={values.data} scopeValue={me.staff.id} withBacklog={volumeIds.includes('backlog')} onDrill={drill} />}
            </ChartCard>
          </Col>
        </Row>
      )}
      <DrillDrawer target={target} onClose={close} />
    </div>
  );
}
