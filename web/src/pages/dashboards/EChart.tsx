/**
 * The one ECharts wrapper of the dashboards: imports the pieces the dashboards draw from echarts/core (bar,
 * line, pie, heat map, scatter for threshold markers), creates one instance per mounted box, resizes it with the
 * box, disposes it on unmount, applies the palette (light pages, dark wall) and forwards clicks on data items,
 * so a chart is only its option. Charts are drawn on a canvas; aria descriptions are on for screen readers.
 */
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption, PieSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import {
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent, VisualMapPiecewiseComponent,
} from 'echarts/components';
import type {
  AriaComponentOption, GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption, VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption, ECElementEvent } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { LIGHT, type Palette } from './palette';

echarts.use([
  BarChart, LineChart, PieChart, HeatmapChart, ScatterChart,
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent, VisualMapPiecewiseComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption | LineSeriesOption | PieSeriesOption | HeatmapSeriesOption | ScatterSeriesOption
  | AriaComponentOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | TooltipComponentOption | VisualMapComponentOption
>;

export type ChartClick = ECElementEvent;

/**
 * The app's font stack (styles.css). A canvas needs a real family: an invalid font string such as 'inherit' is
 * ignored and every label falls back to 10px sans-serif.
 */
const FONT_FAMILY = `-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif`;

/** The palette's defaults under the chart's own option (the option wins where it sets something). */
function themed(option: ChartOption, palette: Palette): ChartOption {
  return {
    backgroundColor: 'transparent',
    color: palette.series,
    textStyle: { color: palette.text, fontFamily: FONT_FAMILY, fontSize: palette.fontSize },
    aria: { enabled: true },
    ...option,
  };
}

export interface EChartProps {
  option: ChartOption;
  height?: number | string;
  palette?: Palette;
  /** Called with the clicked data item (bar, point, slice, heat-map cell). */
  onClick?: (event: ChartClick) => void;
  testId: string;
}

export function EChart({ option, height = 300, palette = LIGHT, onClick, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  // One instance per mounted box, resized with it (the grid of cards reflows with the window).
  useEffect(() => {
    if (!box.current) return;
    const instance = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (event) => click.current?.(event));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(themed(option, palette), { notMerge: true });
  }, [option, palette]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} className="pledge-chart" />;
}
