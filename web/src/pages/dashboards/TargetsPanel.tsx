/**
 * Compliance per target against the promise: for each target of the commitments in force, the period's measured
 * figure as a bar (green met, red missed, grey nothing measured) with the promised threshold as a tick. Percent
 * targets share one axis; the others (scores, durations, counts) and those Pledge cannot measure are listed
 * below with their figure, threshold and verdict. Clicking a bar or a row lists the requests behind it.
 */
import { Empty, Table, Tag, Tooltip } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { pickValue, type KpiTargetView, type KpiTargetsView, type KpiValuesView } from '../../api/kpis';
import { EChart, type ChartOption } from './EChart';
import { formatFigure, formatPercent, meets } from './format';
import { canDrill, type FigureDrill } from './drill';
import { durationUnits } from './labels';
import { LIGHT } from './palette';
import { useLanguage } from './use-language';

/** One target's figure in the period. */
export interface TargetRow {
  target: KpiTargetView;
  figure: number | null;
  met: boolean | null;
}

/** The targets' figures in a period as the server measured them (the organization, or a branch reader's branch). */
export function orgTargetRows(view: KpiTargetsView | undefined, period: string): TargetRow[] {
  return (view?.targets ?? []).map((target) => {
    const v = target.values.find((x) => x.period === period);
    return { target, figure: v?.figure ?? null, met: v?.met ?? null };
  });
}

/**
 * The time-limit targets for one agent, team or branch: their compliance (target_compliance of the target's key,
 * from the scope's values) against the organization's promised goal. A time limit's clocks start only where
 * it applies, so a person's clocks of the target are exactly theirs; rate targets may be limited to channels or
 * types the scope's rollups cannot cut, so they are left out rather than compared wrongly.
 */
export function scopedTargetRows(view: KpiTargetsView | undefined, values: KpiValuesView | undefined, period: string, scopeValue: string | undefined): TargetRow[] {
  return (view?.targets ?? [])
    .filter((target) => target.kind === 'time_limit' && target.targetKey !== null)
    .map((target) => {
      const figure = pickValue(values, 'target_compliance', period, { target: target.targetKey, value: scopeValue })?.figure ?? null;
      return { target, figure, met: meets(figure, target.comparator, target.threshold) };
    });
}

export function targetName(target: KpiTargetView, lang: 'zh-CN' | 'en-US'): string {
  return (lang === 'en-US' ? target.name['en-US'] : undefined) ?? target.name['zh-CN'];
}

/** The drill-down of a target: its clocks (time limits) or its indicator's facts (rates); null when none. */
export function targetDrill(target: KpiTargetView): { indicator: string; target?: string } | null {
  if (target.kind === 'time_limit' && target.targetKey) return { indicator: 'target_compliance', target: target.targetKey };
  if (target.indicator && target.unmeasured === null && canDrill(target.indicator)) return { indicator: target.indicator };
  return null;
}

function Verdict({ row }: { row: TargetRow }) {
  const { t } = useTranslation();
  if (row.target.unmeasured !== null) return <Tag>{t('dashboards.targets.notMeasured')}</Tag>;
  if (row.met === null) return <Tag>{t('dashboards.targets.noData')}</Tag>;
  return row.met ? <Tag color="green">{t('dashboards.targets.met')}</Tag> : <Tag color="red">{t('dashboards.targets.missed')}</Tag>;
}

export function TargetsPanel({ rows, period, onDrill, testId = 'chart-targets' }: { rows: TargetRow[]; period: string; onDrill: FigureDrill; testId?: string }) {
  const { t, i18n } = useTranslation();
  const lang = useLanguage();
  const units = durationUnits(t);
  const charted = rows.filter((r) => r.target.unit === 'percent' && r.target.unmeasured === null);
  const others = rows.filter((r) => !charted.includes(r));
  const threshold = (r: TargetRow) =>
    r.target.threshold === null ? t('dashboards.none') : t(`dashboards.targets.comparator.${r.target.comparator}`, { value: formatFigure(r.target.threshold, r.target.unit, units, i18n.language) });

  const option = useMemo<ChartOption>(() => {
    const names = charted.map((r) => targetName(r.target, lang));
    const verdictOf = (r: TargetRow) =>
      `${formatPercent(r.figure)} ${r.met === null ? '' : r.met ? t('dashboards.targets.met') : t('dashboards.targets.missed')}`.trim();
    const colorOf = (r: TargetRow) => (r.met === true ? LIGHT.met : r.met === false ? LIGHT.missed : LIGHT.neutral);
    return {
      grid: { left: 8, right: 16, top: 16, bottom: 24, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          const r = charted[item?.dataIndex ?? -1];
          if (!r) return '';
          const verdict = r.met === null ? t('dashboards.targets.noData') : r.met ? t('dashboards.targets.met') : t('dashboards.targets.missed');
          return `${targetName(r.target, lang)}<br/>${t('dashboards.targets.figure')}: ${formatPercent(r.figure)}<br/>${t('dashboards.targets.threshold')}: ${threshold(r)}<br/>${verdict}`;
        },
      },
      legend: { show: false },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', color: LIGHT.subtleText }, splitLine: { lineStyle: { color: LIGHT.grid } } },
      yAxis: [
        { type: 'category', data: names, inverse: true, axisLabel: { color: LIGHT.text, width: 180, overflow: 'truncate' }, axisTick: { show: false } },
        // Each bar's figure and verdict in words (not colour alone) on the right, clear of bars and ticks.
        {
          type: 'category', data: charted.map(verdictOf), inverse: true, position: 'right', axisLine: { show: false }, axisTick: { show: false },
          axisLabel: {
            formatter: (value: string, index: number) => `{${charted[index]?.met === true ? 'met' : charted[index]?.met === false ? 'missed' : 'none'}|${value}}`,
            rich: { met: { color: LIGHT.met, fontWeight: 'bold' }, missed: { color: LIGHT.missed, fontWeight: 'bold' }, none: { color: LIGHT.subtleText } },
          },
        },
      ],
      series: [
        {
          type: 'bar', id: 'figure', name: t('dashboards.targets.figure'), barMaxWidth: 22,
          data: charted.map((r) => ({ value: r.figure ?? 0, itemStyle: { color: colorOf(r) } })),
        },
        {
          // The promised threshold of each bar: a tick across it.
          type: 'scatter', id: 'threshold', name: t('dashboards.targets.threshold'), symbol: 'rect', symbolSize: [4, 28], z: 3,
          itemStyle: { color: LIGHT.text },
          data: charted.map((r, i) => (r.target.threshold === null ? [NaN, i] : [r.target.threshold, i])),
        },
      ],
    };
  }, [charted, lang, t]);

  const drill = (r: TargetRow) => {
    const d = targetDrill(r.target);
    if (d) onDrill({ ...d, period, grain: 'month' }, `${targetName(r.target, lang)} · ${period}`, r.target.commitmentTitle);
  };

  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboards.targets.none')} />;
  return (
    <div data-testid="targets-panel">
      {charted.length > 0 && (
        <EChart
          option={option}
          height={Math.max(160, charted.length * 44 + 60)}
          testId={testId}
          onClick={(e) => {
            const r = charted[e.dataIndex];
            if (r) drill(r);
          }}
        />
      )}
      {others.length > 0 && (
        <Table<TargetRow>
          size="small"
          pagination={false}
          rowKey={(r) => `${r.target.versionId}|${r.target.key}`}
          title={() => t('dashboards.targets.other')}
          dataSource={others}
          onRow={(r) => (targetDrill(r.target) ? { onClick: () => drill(r), style: { cursor: 'pointer' } } : {})}
          columns={[
            { key: 'name', title: t('dashboards.targets.title'), render: (_, r) => <Tooltip title={r.target.commitmentTitle}>{targetName(r.target, lang)}</Tooltip> },
            { key: 'figure', title: t('dashboards.targets.figure'), render: (_, r) => formatFigure(r.figure, r.target.unit, units, i18n.language) },
            { key: 'threshold', title: t('dashboards.targets.threshold'), render: (_, r) => threshold(r) },
            { key: 'met', title: '', render: (_, r) => <Verdict row={r} /> },
          ]}
        />
      )}
    </div>
  );
}
