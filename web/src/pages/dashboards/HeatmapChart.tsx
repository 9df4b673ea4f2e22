/**
 * Registrations by hour (columns, 0–23) and weekday (rows, Monday on top) in the organization's zone, from
 * GET /kpis/heatmap. Darker is busier; each cell's count is in its tooltip, and clicking it lists those requests.
 */
import { useMemo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { KpiHeatmapView } from '../../api/kpis';
import { EChart, type ChartOption } from './EChart';
import { LIGHT } from './palette';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The UI word of an ISO weekday (1 = Monday). */
export function weekdayName(t: TFunction, weekday: Weekday): string {
  return t(`dashboards.heatmap.weekday.${WEEKDAY_KEYS[weekday - 1]!}`);
}

export function HeatmapChart({ view, onCell }: { view: KpiHeatmapView; onCell: (weekday: Weekday, hour: number, count: number) => void }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const hours = Array.from({ length: 24 }, (_, h) => String(h));
    const days: string[] = WEEKDAYS.map((d) => weekdayName(t, d));
    return {
      grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
      tooltip: {
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          const [hour, row, count] = (item?.value ?? [0, 0, 0]) as [number, number, number];
          return t('dashboards.heatmap.cell', { weekday: days[row], hour: String(hour).padStart(2, '0'), next: String(hour + 1).padStart(2, '0'), count });
        },
      },
      xAxis: { type: 'category', data: hours, splitArea: { show: true }, axisLabel: { color: LIGHT.subtleText } },
      yAxis: { type: 'category', data: days, inverse: true, splitArea: { show: true }, axisLabel: { color: LIGHT.text } },
      visualMap: {
        type: 'continuous', min: 0, max: Math.max(1, view.max), calculable: false, orient: 'horizontal', left: 'center', bottom: 8,
        itemHeight: 160, inRange: { color: LIGHT.heat }, textStyle: { color: LIGHT.subtleText },
        // The scale's ends: none on the left, the busiest hour's count on the right.
        text: [String(view.max), '0'],
      },
      series: [
        {
          type: 'heatmap', name: t('dashboards.heatmap.title'),
          data: view.cells.map((c) => [c.hour, c.weekday - 1, c.count]),
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
          emphasis: { itemStyle: { borderColor: LIGHT.text, borderWidth: 2 } },
        },
      ],
    };
  }, [view, t]);
  return (
    <EChart
      option={option}
      height={330}
      testId="chart-heatmap"
      onClick={(e) => {
        const [hour, row, count] = e.value as [number, number, number];
        const weekday = WEEKDAYS[row];
        if (weekday !== undefined) onCell(weekday, hour, count);
      }}
    />
  );
}
