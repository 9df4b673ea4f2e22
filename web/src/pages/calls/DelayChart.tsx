/**
 * The answer-delay distribution as a bar chart: bars within the threshold green, beyond it red (a piecewise
 * visual map over the bar index). Drawn by the dashboards' one ECharts wrapper (pieces from echarts/core, one
 * instance per box, resized with it, the app's CJK font stack); loaded lazily with the calls page's card.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceLevelView } from '../../api/calls';
import { EChart, type ChartOption } from '../dashboards/EChart';

const WITHIN = '#52c41a';
const BEYOND = '#ff7875';

export default function DelayChart({ distribution, height = 220 }: { distribution: ServiceLevelView['distribution']; height?: number }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const lastWithin = distribution.reduce((last, d, i) => (d.withinThreshold ? i : last), -1);
    const labels = distribution.map((d) => (d.toSeconds === null ? `>${d.fromSeconds}` : `${d.fromSeconds}–${d.toSeconds}`));
    return {
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels, name: t('calls.sl.axisDelay'), nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', minInterval: 1, name: t('calls.sl.axisCount') },
      visualMap: {
        type: 'piecewise',
        show: false,
        dimension: 0,
        pieces: [
          { lte: lastWithin, color: WITHIN, label: t('calls.sl.within') },
          { gt: lastWithin, color: BEYOND, label: t('calls.sl.beyond') },
        ],
      },
      series: [{ type: 'bar', name: t('calls.sl.axisCount'), data: distribution.map((d) => d.count), barMaxWidth: 36 }],
    };
  }, [distribution, t]);
  return <EChart option={option} height={height} testId="sl-chart" />;
}
