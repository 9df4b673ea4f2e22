/**
 * Twelve months of figures: the main rates as lines (percent), and the volume (accepted, complaints) as bars
 * with the backlog at each month's end as a line. Clicking a point or bar lists the requests of that month.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { pickValue, type KpiDefinition, type KpiValuesView } from '../../api/kpis';
import { EChart, type ChartOption } from './EChart';
import { formatCount, formatPercent } from './format';
import { LIGHT } from './palette';
import type { FigureDrill } from './drill';
import { useLanguage } from './use-language';

/** Every month labelled (Jan '26 style would be ambiguous across languages: the key itself, 2026-01). */
const MONTH_AXIS = (months: string[]) => ({
  type: 'category' as const, data: months,
  axisLabel: { color: LIGHT.subtleText, interval: 0, fontSize: 11, hideOverlap: true }, axisLine: { lineStyle: { color: LIGHT.grid } },
});

export function RatesTrend({ months, view, defs, scopeValue, onDrill, canDrill }: {
  months: string[];
  view: KpiValuesView | undefined;
  /** The percent indicators to draw, in order. */
  defs: KpiDefinition[];
  /** The dimension value the view is for (none: the organization). */
  scopeValue: string | undefined;
  onDrill: FigureDrill;
  canDrill: (indicator: string) => boolean;
}) {
  const lang = useLanguage();
  const option = useMemo<ChartOption>(() => ({
    grid: { left: 48, right: 24, top: 40, bottom: 36 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatPercent(typeof v === 'number' ? v : null) },
    legend: { top: 0, type: 'scroll', textStyle: { color: LIGHT.text } },
    xAxis: MONTH_AXIS(months),
    yAxis: {
      type: 'value', max: 100,
      // Rates sit near the top: start the axis below the lowest value rather than at 0, so changes are visible.
      min: (extent: { min: number }) => Math.max(0, Math.floor((extent.min - 5) / 10) * 10),
      axisLabel: { formatter: '{value}%', color: LIGHT.subtleText }, splitLine: { lineStyle: { color: LIGHT.grid } },
    },
    series: defs.map((d) => ({
      type: 'line', name: d.name[lang], id: d.id, connectNulls: false, symbolSize: 7, lineStyle: { width: 2.5 },
      data: months.map((m) => pickValue(view, d.id, m, { value: scopeValue })?.figure ?? null),
    })),
  }), [months, view, defs, scopeValue, lang]);
  return (
    <EChart
      option={option}
      height={320}
      testId="chart-trend-rates"
      onClick={(e) => {
        const def = defs[e.seriesIndex ?? -1];
        const month = months[e.dataIndex];
        if (def && month && canDrill(def.id)) onDrill({ indicator: def.id, period: month, grain: 'month' }, `${def.name[lang]} · ${month}`);
      }}
    />
  );
}

export function VolumeTrend({ months, view, scopeValue, withBacklog, onDrill }: {
  months: string[];
  view: KpiValuesView | undefined;
  scopeValue: string | undefined;
  withBacklog: boolean;
  onDrill: FigureDrill;
}) {
  const { t, i18n } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const pick = (indicator: string, m: string) => pickValue(view, indicator, m, { value: scopeValue });
    return {
      grid: { left: 48, right: 24, top: 40, bottom: 36 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatCount(typeof v === 'number' ? v : null, i18n.language) },
      legend: { top: 0, textStyle: { color: LIGHT.text } },
      xAxis: MONTH_AXIS(months),
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: LIGHT.subtleText }, splitLine: { lineStyle: { color: LIGHT.grid } } },
      series: [
        { type: 'bar', id: 'accepted', name: t('dashboards.trends.accepted'), barMaxWidth: 22, itemStyle: { color: LIGHT.series[0] }, data: months.map((m) => pick('service_completion_rate', m)?.denominator ?? 0) },
        { type: 'bar', id: 'complaints', name: t('dashboards.trends.complaints'), barMaxWidth: 22, itemStyle: { color: LIGHT.series[1] }, data: months.map((m) => pick('complaint_count', m)?.figure ?? 0) },
        ...(withBacklog
          ? [{ type: 'line' as const, id: 'backlog', name: t('dashboards.trends.backlog'), symbolSize: 7, lineStyle: { width: 2.5 }, itemStyle: { color: LIGHT.series[3] }, data: months.map((m) => pick('backlog', m)?.figure ?? null) }]
          : []),
      ],
    };
  }, [months, view, scopeValue, withBacklog, t, i18n.language]);
  return (
    <EChart
      option={option}
      height={320}
      testId="chart-trend-volume"
      onClick={(e) => {
        const month = months[e.dataIndex];
        if (!month) return;
        if (e.seriesId === 'accepted') onDrill({ indicator: 'service_completion_rate', part: 'denominator', period: month, grain: 'month' }, `${t('dashboards.trends.accepted')} · ${month}`);
        else if (e.seriesId === 'complaints') onDrill({ indicator: 'complaint_count', period: month, grain: 'month' }, `${t('dashboards.trends.complaints')} · ${month}`);
      }}
    />
  );
}
