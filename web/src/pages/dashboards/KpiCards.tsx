/**
 * The figure cards: each indicator's figure of the period, its change against the previous period (green when
 * for the better, red when for the worse, by the indicator's better direction) and the parts it is made of.
 * Clicking a card lists the requests behind the figure.
 */
import { ArrowDownOutlined, ArrowUpOutlined, InfoCircleOutlined, MinusOutlined } from '@ant-design/icons';
import { Card, Col, Row, Skeleton, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { KpiDefinition, KpiValue } from '../../api/kpis';
import { canDrill } from './drill';
import type { FigureDrill } from './drill';
import { changeOf, formatChange, formatCount, formatFigure, humanizeSeconds } from './format';
import { durationUnits } from './labels';
import { LIGHT } from './palette';
import { LoadError, PendingNote } from './parts';
import { useLanguage } from './use-language';

export interface CardFigure {
  def: KpiDefinition;
  current: KpiValue | undefined;
  previous: KpiValue | undefined;
}

/** The line under a figure: what it is made of (numerator and denominator, median and p90, rating counts…). */
function Parts({ value }: { value: KpiValue | undefined }) {
  const { t, i18n } = useTranslation();
  if (!value) return null;
  const units = durationUnits(t);
  const count = (n: number | null | undefined) => formatCount(n ?? 0, i18n.language);
  const p = value.parts ?? {};
  switch (value.indicator) {
    case 'first_response_time':
    case 'resolution_time':
      return value.count ? <>{t('dashboards.card.medianP90', { median: humanizeSeconds(value.median, units), p90: humanizeSeconds(value.p90, units) })}</> : null;
    case 'satisfaction_score':
      return <>{t('dashboards.card.ratings', { survey: count(p.surveyCount), callback: count(p.callbackCount) })}</>;
    case 'corrective_actions':
      return <>{t('dashboards.card.corrective', { opened: count(p.opened), overdue: count(p.overdue), closed: count(p.closed) })}</>;
    case 'backlog':
      return <>{t('dashboards.card.backlog')}</>;
    default:
      if (value.numerator !== null && value.denominator !== null) return <>{t('dashboards.card.ratio', { numerator: count(value.numerator), denominator: count(value.denominator) })}</>;
      if (value.count !== null) return <>{t('dashboards.card.count', { count: value.count })}</>;
      return null;
  }
}

function KpiCard({ figure, onClick }: { figure: CardFigure; onClick: (() => void) | null }) {
  const { t, i18n } = useTranslation();
  const lang = useLanguage();
  const { def, current, previous } = figure;
  const units = durationUnits(t);
  const change = changeOf(current?.figure, previous?.figure, def.unit, def.better);
  const color = change?.good === true ? LIGHT.met : change?.good === false ? LIGHT.missed : LIGHT.neutral;
  const Arrow = change?.direction === 'up' ? ArrowUpOutlined : change?.direction === 'down' ? ArrowDownOutlined : MinusOutlined;
  return (
    <Card
      size="small"
      hoverable={onClick !== null}
      onClick={onClick ?? undefined}
      className="dash-card"
      data-testid={`kpi-${def.id}`}
      data-value={current?.figure ?? ''}
      title={
        <Tooltip title={`${def.formula[lang]}（${t(`dashboards.card.better.${def.better}`)}）`}>
          <span>{def.name[lang]} <InfoCircleOutlined style={{ color: LIGHT.neutral, fontSize: 12 }} /></span>
        </Tooltip>
      }
    >
      <div className="dash-figure" aria-label={def.name[lang]}>{formatFigure(current?.figure, def.unit, units, i18n.language)}</div>
      <div className="dash-change" style={{ color }}>
        {change ? (
          <>
            <Arrow /> {formatChange(change, t('dashboards.points'))} <span className="dash-muted">{t('dashboards.card.vsPrevious')}</span>
          </>
        ) : (
          <span className="dash-muted">{previous?.figure === null || previous === undefined ? t('dashboards.card.noPrevious') : '\u00a0'}</span>
        )}
      </div>
      <Typography.Text type="secondary" className="dash-parts">
        <Parts value={current} />
      </Typography.Text>
    </Card>
  );
}

export function KpiCards({ figures, loading, canDrill, onDrill }: {
  figures: CardFigure[];
  loading: boolean;
  /** Whether a card's figure has a drill-down (cards without one are not clickable). */
  canDrill: (figure: CardFigure) => boolean;
  onDrill: (figure: CardFigure) => void;
}) {
  if (loading && figures.length === 0) return <Skeleton active paragraph={{ rows: 4 }} />;
  return (
    <Row gutter={[12, 12]} data-testid="kpi-cards">
      {figures.map((f) => (
        <Col key={f.def.id} xs={12} md={8} xl={6} xxl={4}>
          <KpiCard figure={f} onClick={canDrill(f) ? () => onDrill(f) : null} />
        </Col>
      ))}
    </Row>
  );
}

/**
 * A month's cards under the figures' load error and the note on days still waiting for the rollup; a card whose
 * figure has a drill-down opens the requests behind it. Figures that could not be loaded are not shown as
 * "—" (nothing to measure): only the error is.
 */
export function MonthCards({ figures, month, defs, values, drill }: {
  figures: CardFigure[];
  month: string;
  /** The definitions' and the values' queries: their errors, loading and the days still waiting for the rollup. */
  defs: { error: Error | null; isPending: boolean };
  values: { data?: { pendingDays: number } | undefined; error: Error | null; isPending: boolean };
  drill: FigureDrill;
}) {
  const lang = useLanguage();
  return (
    <>
      <LoadError error={defs.error ?? values.error} />
      <PendingNote days={values.data?.pendingDays ?? 0} />
      <KpiCards
        figures={values.data ? figures : []}
        loading={defs.isPending || values.isPending}
        canDrill={(f) => canDrill(f.def.id)}
        onDrill={(f) => drill({ indicator: f.def.id, period: month, grain: 'month' }, `${f.def.name[lang]} · ${month}`, f.def.formula[lang])}
      />
    </>
  );
}
