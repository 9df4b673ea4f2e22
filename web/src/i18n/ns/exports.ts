/** Strings of the Excel export button (every staff list: console, ratings, corrective actions, callbacks, calls, feedback). */
import type { Shape } from './shape';

export const zh = {
  button: '导出 Excel',
  tooltip: '按当前筛选条件导出（最多 100,000 行；导出会记入审计日志）',
  done: '已导出 {{count}} 行',
  capped: '已导出前 {{count}} 行（已达上限），请缩小筛选范围后导出其余部分',
  failed: '导出失败：{{message}}',
};

export const en: Shape<typeof zh> = {
  button: 'Export to Excel',
  tooltip: 'Exports the current filters (at most 100,000 rows; exports are recorded in the audit log)',
  done: '{{count}} rows exported',
  capped: 'The first {{count}} rows were exported (the limit); narrow the filters to export the rest',
  failed: 'Export failed: {{message}}',
};
