/**
 * The answer-delay distribution as an ECharts bar chart: bars within the threshold green, beyond it red
 * (a piecewise visual map over the bar index). ECharts is imported piece by piece from echarts/core, so the
 * calls page carries only the bar chart, not the whole library.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceLevelView } from '../../api/calls';

echarts.use([BarChart, GridComponent, TooltipComponent, VisualMapPiecewiseComponent, CanvasRenderer]);

const WITHIN = '#52c41a';
const BEYOND = '#ff7875';

export default function DelayChart({ distribution, height = 220 }: { distribution: ServiceLevelView['distribution']; height?: number }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  // One chart instance per mounted box, resized with it.
  useEffect(() => {
    if (!box.current) return;
    const instance = echarts.init(box.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const lastWithin = distribution.reduce((last, d, i) => (d.withinThreshold ? i : last), -1);
    const labels = distribution.map((d) => (d.toSeconds === null ? `>${d.fromSeconds}` : `${d.fromSeconds}–${d.toSeconds}`));
    chart.current?.setOption(
      {
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
      },
      true,
    );
  }, [distribution, t]);

  return <div ref={box} style={{ width: '100%', height }} data-testid="sl-chart" />;
}
