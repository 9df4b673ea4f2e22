/**
 * What the month's requests were about and where they came from: the ten categories with most registrations
 * (bars, names from the categories the console uses) and the channel mix (a donut). Both count the accepted
 * requests (the denominator of the service completion rate); clicking a bar or slice lists them.
 */
import { Empty } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiValuesView } from '../../api/kpis';
import type { Category } from '../../api/requests';
import { EChart, type ChartOption } from './EChart';
import { formatCount } from './format';
import { vocabLabel } from './labels';
import { LIGHT } from './palette';

export interface Slice {
  value: string;
  name: string;
  count: number;
}

/** The accepted requests per dimension value of a period, most first, without empty ones. */
export function acceptedBy(view: KpiValuesView | undefined, period: string): { value: string; count: number }[] {
  return (view?.values ?? [])
    .filter((v) => v.indicator === 'service_completion_rate' && v.period === period && (v.denominator ?? 0) > 0)
    .map((v) => ({ value: v.value, count: v.denominator ?? 0 }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** A category's name with its parents' (账户与缴费 / 退费/退款), in the UI language. */
export function categoryPath(categories: readonly Category[], id: string, english: boolean): string | null {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const names: string[] = [];
  let current = byId.get(id);
  for (let depth = 0; current && depth < 20; depth++) {
    names.unshift((english && current.nameEn) || current.name);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return names.length ? names.join(' / ') : null;
}

export function CategoriesChart({ slices, onClick }: { slices: Slice[]; onClick: (slice: Slice) => void }) {
  const { t, i18n } = useTranslation();
  const option = useMemo<ChartOption>(() => ({
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', valueFormatter: (v) => formatCount(typeof v === 'number' ? v : null, i18n.language) },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: LIGHT.subtleText }, splitLine: { lineStyle: { color: LIGHT.grid } } },
    yAxis: { type: 'category', data: slices.map((s) => s.name), inverse: true, axisLabel: { color: LIGHT.text, width: 170, overflow: 'truncate' }, axisTick: { show: false } },
    series: [{
      type: 'bar', name: t('dashboards.categories.accepted'), barMaxWidth: 20, itemStyle: { color: LIGHT.series[0] },
      label: { show: true, position: 'right', color: LIGHT.text }, data: slices.map((s) => s.count),
    }],
  }), [slices, t, i18n.language]);
  if (slices.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboards.empty')} />;
  return (
    <EChart
      option={option}
      height={Math.max(200, slices.length * 30 + 30)}
      testId="chart-categories"
      onClick={(e) => {
        const s = slices[e.dataIndex];
        if (s) onClick(s);
      }}
    />
  );
}

export function ChannelsChart({ slices, onClick }: { slices: Slice[]; onClick: (slice: Slice) => void }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const total = slices.reduce((sum, s) => sum + s.count, 0);
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, type: 'scroll', textStyle: { color: LIGHT.text } },
      series: [{
        type: 'pie', name: t('dashboards.channels.accepted'), radius: ['42%', '70%'], center: ['50%', '45%'], avoidLabelOverlap: true,
        itemStyle: { borderColor: '#ffffff', borderWidth: 2 },
        label: { color: LIGHT.text, formatter: (p) => `${p.name}\n${total ? ((Number(p.value) / total) * 100).toFixed(1) : '0.0'}%` },
        data: slices.map((s) => ({ name: s.name, value: s.count })),
      }],
    };
  }, [slices, t]);
  if (slices.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboards.empty')} />;
  return (
    <EChart
      option={option}
      height={320}
      testId="chart-channels"
      onClick={(e) => {
        const s = slices[e.dataIndex];
        if (s) onClick(s);
      }}
    />
  );
}

export function channelName(t: Parameters<typeof vocabLabel>[0], value: string): string {
  return value === '' ? t('dashboards.channels.unknown') : vocabLabel(t, 'channel', value);
}
