/**
 * What the monthly report's sheets hold (docs/reports.md): the figures of the month as the engine computed them
 * (kpiValues, targetFigures — read by the service), laid out as rows of typed cells with Chinese or English
 * headers. The numbers are never recomputed here: a rate is the engine's figure shown as a percentage, a
 * duration its seconds shown as [h]:mm:ss, a change the difference of the two figures shown. No I/O.
 */
import { DateTime } from 'luxon';
import type { Locale } from '../../core/i18n.js';
import type { CellValue, ColumnKind } from '../exports/workbook.js';
import { label } from '../exports/tables.js';
import type { KpiTargetView, KpiValue } from '../figures/contracts.js';
import type { IndicatorDefinition } from '../figures/definitions.js';

/** What the sheets need of an indicator's definition (the catalogue's, as /kpis/definitions gives it). */
export type ReportIndicator = Pick<IndicatorDefinition, 'id' | 'name' | 'formula' | 'better'> & { unit: string };

/** Colour of a cell: good (green) or bad (red) — a target met or missed, a change for the better or worse. */
export type Tone = 'good' | 'bad' | null;

export interface ReportCell {
  value: CellValue;
  kind: ColumnKind;
  /** A number format other than the kind's (signed changes, dates). */
  numFmt?: string;
  tone?: Tone;
  bold?: boolean;
}

export interface ReportColumn {
  header: string;
  width: number;
}

export interface ReportSheet {
  name: string;
  title: string;
  columns: ReportColumn[];
  rows: ReportCell[][];
  /** Lines under the table. */
  notes: string[];
}

export type ReportDimension = 'team' | 'agent' | 'channel' | 'type';
export const REPORT_DIMENSIONS: readonly ReportDimension[] = ['team', 'agent', 'channel', 'type'];

/** One target of a commitment in force with its figure per period (targetFigures). */
export type ReportTarget = KpiTargetView;

export interface MonthlyReportInput {
  locale: Locale;
  orgName: string;
  timeZone: string;
  /** `YYYY-MM` and the month before. */
  month: string;
  previous: string;
  generatedAt: Date;
  /** The indicators computed in this version, in the catalogue's order. */
  indicators: readonly ReportIndicator[];
  /** Every indicator for the organization, grain month, both months. */
  overview: readonly KpiValue[];
  /** Names of the commitment's time limits by key (the `target` of target_compliance). */
  targetNames: Readonly<Record<string, { 'zh-CN': string; 'en-US'?: string | undefined }>>;
  /** The targets in force for the month; null when the engine gives none. */
  targets: readonly ReportTarget[] | null;
  /** The main indicators of the month per value of each dimension, with the values' names. */
  dimensions: readonly { dimension: ReportDimension; values: readonly KpiValue[]; names: Readonly<Record<string, string>> }[];
  /** The main indicators per local day of the month (every day appears). */
  daily: { days: readonly string[]; values: readonly KpiValue[] };
  /** Days of the month the rollup job had not recomputed yet when the figures were read. */
  pendingDays: number;
}

type Text = Record<Locale, string>;
const T = (zh: string, en: string): Text => ({ 'zh-CN': zh, 'en-US': en });

export const SHEET_NAMES = {
  overview: T('概览', 'Overview'),
  targets: T('承诺达标', 'Commitment targets'),
  team: T('按团队', 'By team'),
  agent: T('按坐席', 'By agent'),
  channel: T('按渠道', 'By channel'),
  type: T('按类型', 'By type'),
  daily: T('每日', 'Daily'),
} as const;

const W = {
  report: T('月度服务报告', 'Monthly service report'),
  generated: T('生成时间', 'Generated'),
  indicator: T('指标', 'Indicator'),
  thisMonth: T('本月', 'This month'),
  lastMonth: T('上月', 'Last month'),
  change: T('变化', 'Change'),
  basis: T('计算依据（本月）', 'Basis (this month)'),
  definition: T('定义', 'Definition'),
  mean: T('均值', 'mean'),
  median: T('中位数', 'median'),
  p90: T('P90', 'p90'),
  samples: T('样本', 'samples'),
  opened: T('整改：新增', 'Corrective actions: opened'),
  overdue: T('整改：逾期', 'Corrective actions: overdue'),
  closed: T('整改：办结', 'Corrective actions: closed'),
  team: T('团队', 'Team'),
  agent: T('坐席', 'Agent'),
  channel: T('渠道', 'Channel'),
  type: T('类型', 'Type'),
  commitment: T('服务承诺', 'Commitment'),
  target: T('目标', 'Target'),
  kind: T('类型', 'Kind'),
  measuredBy: T('衡量指标', 'Measured by'),
  comparator: T('要求', 'Requirement'),
  threshold: T('阈值', 'Threshold'),
  actual: T('本月实际', 'Actual this month'),
  met: T('是否达标', 'Met'),
  timeLimit: T('时限', 'Time limit'),
  rate: T('比率/数量', 'Rate or count'),
  yes: T('✓ 达标', '✓ Met'),
  no: T('✗ 未达标', '✗ Missed'),
  noData: T('— 本月无数据', '— No data this month'),
  noSource: T('— 系统无此数据来源', '— No data source in Pledge'),
  noFilter: T('— 范围无法按汇总数据计算', '— Scope not measurable from the rollups'),
  noThreshold: T('— 未设定达标率要求', '— No compliance goal set'),
  none: T('（无）', '(none)'),
  organization: T('全组织', 'Whole organization'),
  total: T('本月合计', 'Month total'),
  date: T('日期', 'Date'),
  weekday: T('星期', 'Weekday'),
  noTargets: T('本月没有生效的服务承诺目标。', 'No commitment target was in force this month.'),
  notePending: T('注意：生成时仍有 {n} 天的数据在重新计算，数字可能略有滞后；可在“报表”页重新生成。', 'Note: {n} days were still being recomputed when this was generated; figures may lag slightly. Regenerate it on the Reports page.'),
  noteNull: T('空白表示没有可计算的数据（分母为 0），而不是 0。', 'A blank cell means there was nothing to measure (a zero denominator), not zero.'),
  noteDurations: T('时长为自然时间；中位数与 P90 的相对误差不超过 1%，均值精确。', 'Durations are elapsed (wall-clock) time; median and p90 are within 1 % relative error, the mean is exact.'),
  noteChange: T('变化 = 本月 − 上月；率的变化以百分点计，时长的变化以秒计。绿色为向好，红色为变差。', 'Change = this month − last month; rates in percentage points, durations in seconds. Green is better, red is worse.'),
  noteDimension: T('每行按该维度的值统计（未分派的记为“（无）”）；各行相加等于全组织。', 'Each row counts one value of the dimension ("(none)" for unassigned); the rows add up to the whole organization.'),
  noteTargets: T('时限目标按时效达标率与承诺的达标率要求比较；比率目标按对应指标与阈值比较。', 'Time limits: the compliance of their clocks against the compliance goal; rate targets: the measuring indicator against the threshold.'),
} as const;

const WEEKDAYS: Record<Locale, string[]> = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  'en-US': ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/** Number formats for changes: signed percentage points, signed seconds, signed numbers. */
export const CHANGE_FORMATS = {
  percent: '+0.0%;-0.0%;0.0%',
  seconds: { 'zh-CN': '+#,##0" 秒";-#,##0" 秒";0" 秒"', 'en-US': '+#,##0" s";-#,##0" s";0" s"' },
  integer: '+#,##0;-#,##0;0',
  number: '+0.00;-0.00;0.00',
} as const;

export const DATE_FORMAT = 'yyyy-mm-dd';

/** The main indicators of the per-dimension and daily sheets: which part of which value, and how it shows. */
interface MainColumn {
  indicator: string;
  part: 'figure' | 'numerator' | 'denominator' | 'mean';
  header: Text;
  kind: ColumnKind;
  width: number;
}

export const MAIN_COLUMNS: readonly MainColumn[] = [
  { indicator: 'service_completion_rate', part: 'denominator', header: T('受理量', 'Accepted'), kind: 'integer', width: 10 },
  { indicator: 'service_completion_rate', part: 'numerator', header: T('办结量', 'Completed'), kind: 'integer', width: 10 },
  { indicator: 'service_completion_rate', part: 'figure', header: T('服务完成率', 'Service completion rate'), kind: 'percent', width: 12 },
  { indicator: 'resolution_rate', part: 'figure', header: T('问题解决率', 'Resolution rate'), kind: 'percent', width: 12 },
  { indicator: 'first_response_compliance', part: 'figure', header: T('首次响应达标率', 'First-response compliance'), kind: 'percent', width: 14 },
  { indicator: 'first_response_time', part: 'mean', header: T('首次响应时长（均值）', 'First-response time (mean)'), kind: 'duration', width: 14 },
  { indicator: 'resolution_time', part: 'mean', header: T('解决时长（均值）', 'Resolution time (mean)'), kind: 'duration', width: 14 },
  { indicator: 'first_contact_resolution_rate', part: 'figure', header: T('一次性解决率', 'First-contact resolution rate'), kind: 'percent', width: 14 },
  { indicator: 'reopen_rate', part: 'figure', header: T('重开率', 'Reopen rate'), kind: 'percent', width: 10 },
  { indicator: 'satisfaction_score', part: 'figure', header: T('客户满意度', 'Customer satisfaction'), kind: 'number', width: 12 },
  { indicator: 'satisfaction_rate', part: 'figure', header: T('满意率', 'Share satisfied'), kind: 'percent', width: 10 },
  { indicator: 'complaint_count', part: 'figure', header: T('投诉件数', 'Complaints'), kind: 'integer', width: 10 },
  { indicator: 'callback_rate', part: 'figure', header: T('回访率', 'Callback rate'), kind: 'percent', width: 10 },
];

/** The indicator ids the per-dimension and daily sheets read. */
export const MAIN_INDICATORS: readonly string[] = [...new Set(MAIN_COLUMNS.map((c) => c.indicator))];

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));

/** A percent figure of the engine (0–100) as the fraction Excel formats as a percentage. */
const fraction = (figure: number | null | undefined): number | null => (figure === null || figure === undefined ? null : figure / 100);

/** Whether a change is for the better, given the indicator's better direction. */
export function toneOf(change: number | null, better: 'higher' | 'lower'): Tone {
  if (change === null || change === 0 || !Number.isFinite(change)) return null;
  return (change > 0) === (better === 'higher') ? 'good' : 'bad';
}

const diff = (a: number | null | undefined, b: number | null | undefined): number | null => (a === null || a === undefined || b === null || b === undefined ? null : a - b);

function cellKind(unit: string): ColumnKind {
  switch (unit) {
    case 'percent':
      return 'percent';
    case 'seconds':
      return 'duration';
    case 'count':
      return 'integer';
    default:
      return 'number';
  }
}

/** A value of the engine in its unit as a cell (percent → fraction, seconds → duration). */
function unitCell(value: number | null | undefined, unit: string, extra: Partial<ReportCell> = {}): ReportCell {
  const kind = cellKind(unit);
  return { value: kind === 'percent' ? fraction(value) : (value ?? null), kind, ...extra };
}

function changeCell(change: number | null, unit: string, locale: Locale, tone: Tone): ReportCell {
  switch (cellKind(unit)) {
    case 'percent':
      return { value: fraction(change), kind: 'percent', numFmt: CHANGE_FORMATS.percent, tone };
    case 'duration':
      return { value: change === null ? null : Math.round(change), kind: 'number', numFmt: CHANGE_FORMATS.seconds[locale], tone };
    case 'integer':
      return { value: change, kind: 'integer', numFmt: CHANGE_FORMATS.integer, tone };
    default:
      return { value: change, kind: 'number', numFmt: CHANGE_FORMATS.number, tone };
  }
}

const text = (value: string | null | undefined, extra: Partial<ReportCell> = {}): ReportCell => ({ value: value ?? null, kind: 'text', ...extra });

function localizedName(name: { 'zh-CN': string; 'en-US'?: string | undefined } | undefined, locale: Locale, fallback: string): string {
  if (!name) return fallback;
  return (locale === 'en-US' ? name['en-US'] : undefined) || name['zh-CN'] || fallback;
}

function titleOf(input: MonthlyReportInput, sheet: Text): string {
  return `${input.orgName} · ${W.report[input.locale]} ${input.month} · ${sheet[input.locale]}`;
}

/** The 概览 sheet: every computed indicator this month and last month, the change, the basis and the definition. */
export function overviewSheet(input: MonthlyReportInput): ReportSheet {
  const { locale, month, previous } = input;
  const rows: ReportCell[][] = [];
  const find = (id: string, period: string, target: string | null) => input.overview.find((v) => v.indicator === id && v.period === period && v.target === target);
  for (const def of input.indicators) {
    const keys = [...new Set(input.overview.filter((v) => v.indicator === def.id).map((v) => v.target))].sort((a, z) => (a ?? '').localeCompare(z ?? ''));
    for (const target of keys) {
      const cur = find(def.id, month, target);
      const prev = find(def.id, previous, target);
      const unit = cur?.unit ?? prev?.unit ?? def.unit;
      const name = def.name[locale] + (target === null ? '' : `${locale === 'zh-CN' ? '：' : ': '}${localizedName(input.targetNames[target], locale, target)}`);
      const definition = text(def.formula[locale]);
      if (unit === 'seconds') {
        for (const part of ['mean', 'median', 'p90'] as const) {
          const change = diff(cur?.[part], prev?.[part]);
          const basis = cur?.count ? `${W.samples[locale]} ${cur.count}` : '';
          rows.push([text(locale === 'zh-CN' ? `${name}（${W[part][locale]}）` : `${name} (${W[part][locale]})`), unitCell(cur?.[part], unit), unitCell(prev?.[part], unit), changeCell(change, unit, locale, toneOf(change, def.better)), text(basis), definition]);
        }
        continue;
      }
      const change = diff(cur?.figure, prev?.figure);
      const basis = cur && cur.numerator !== null && cur.denominator !== null ? `${cur.numerator} / ${cur.denominator}` : '';
      rows.push([text(name), unitCell(cur?.figure, unit), unitCell(prev?.figure, unit), changeCell(change, unit, locale, toneOf(change, def.better)), text(basis), definition]);
      if (def.id === 'corrective_actions') {
        for (const [part, better] of [['opened', 'lower'], ['overdue', 'lower'], ['closed', 'higher']] as const) {
          const c = cur?.parts?.[part] ?? null;
          const p = prev?.parts?.[part] ?? null;
          const d = diff(c, p);
          rows.push([text(W[part][locale]), unitCell(c, 'count'), unitCell(p, 'count'), changeCell(d, 'count', locale, toneOf(d, better)), text(''), text('')]);
        }
      }
    }
  }
  const notes = [W.noteNull[locale], W.noteDurations[locale], W.noteChange[locale]];
  if (input.pendingDays > 0) notes.unshift(fill(W.notePending[locale], { n: input.pendingDays }));
  const generated = DateTime.fromJSDate(input.generatedAt).setZone(input.timeZone).toFormat('yyyy-MM-dd HH:mm');
  return {
    name: SHEET_NAMES.overview[locale],
    title: `${titleOf(input, SHEET_NAMES.overview)} · ${W.generated[locale]} ${generated} (${input.timeZone})`,
    columns: [
      { header: W.indicator[locale], width: 34 },
      { header: `${W.thisMonth[locale]} ${month}`, width: 14 },
      { header: `${W.lastMonth[locale]} ${previous}`, width: 14 },
      { header: W.change[locale], width: 12 },
      { header: W.basis[locale], width: 16 },
      { header: W.definition[locale], width: 70 },
    ],
    rows,
    notes,
  };
}

/** The 承诺达标 sheet: every target in force, its requirement, the month's figure, met ✓ or missed ✗. */
export function targetsSheet(input: MonthlyReportInput): ReportSheet {
  const { locale, month } = input;
  const names = new Map(input.indicators.map((d) => [d.id, d.name[locale]]));
  const rows: ReportCell[][] = (input.targets ?? []).map((t) => {
    const v = t.values.find((x) => x.period === month);
    const figure = v?.figure ?? null;
    const met = v?.met ?? null;
    const tone: Tone = met === true ? 'good' : met === false ? 'bad' : null;
    const verdict =
      met === true ? W.yes[locale]
      : met === false ? W.no[locale]
      : t.unmeasured === 'no_source' ? W.noSource[locale]
      : t.unmeasured === 'filter' ? W.noFilter[locale]
      : t.threshold === null ? W.noThreshold[locale]
      : W.noData[locale];
    return [
      text(`${t.commitmentNumber} ${t.commitmentTitle}`),
      text(localizedName(t.name, locale, t.key)),
      text(t.kind === 'time_limit' ? W.timeLimit[locale] : W.rate[locale]),
      text(t.indicator ? (names.get(t.indicator) ?? t.indicator) : '—'),
      text(t.comparator === '>=' ? '≥' : '≤'),
      unitCell(t.threshold, t.unit),
      unitCell(figure, t.unit, { tone }),
      text(verdict, { tone, bold: met !== null }),
    ];
  });
  const notes = rows.length === 0 ? [W.noTargets[locale]] : [W.noteTargets[locale]];
  return {
    name: SHEET_NAMES.targets[locale],
    title: titleOf(input, SHEET_NAMES.targets),
    columns: [
      { header: W.commitment[locale], width: 30 },
      { header: W.target[locale], width: 24 },
      { header: W.kind[locale], width: 10 },
      { header: W.measuredBy[locale], width: 22 },
      { header: W.comparator[locale], width: 8 },
      { header: W.threshold[locale], width: 12 },
      { header: W.actual[locale], width: 14 },
      { header: W.met[locale], width: 20 },
    ],
    rows,
    notes,
  };
}

function mainCells(values: readonly KpiValue[], key: (v: KpiValue) => boolean, bold = false): ReportCell[] {
  return MAIN_COLUMNS.map((c) => {
    const v = values.find((x) => x.indicator === c.indicator && x.target === null && key(x));
    const raw = v ? v[c.part] : null;
    return { value: c.kind === 'percent' ? fraction(raw) : raw, kind: c.kind, ...(bold ? { bold } : {}) };
  });
}

const mainHeaders = (locale: Locale): ReportColumn[] => MAIN_COLUMNS.map((c) => ({ header: c.header[locale], width: c.width }));

/** The value's name in the sheet: a team's or agent's name, a channel's or type's word; '' is "(none)". */
export function dimensionValueName(dimension: ReportDimension, value: string, names: Readonly<Record<string, string>>, locale: Locale): string {
  if (value === '') return W.none[locale];
  if (dimension === 'channel' || dimension === 'type') return label(locale, value) ?? value;
  return names[value] ?? value;
}

/** 按团队 / 按坐席 / 按渠道 / 按类型: the main indicators of the month per value, by name, and the organization's row. */
export function dimensionSheet(input: MonthlyReportInput, dimension: ReportDimension): ReportSheet {
  const { locale, month } = input;
  const entry = input.dimensions.find((d) => d.dimension === dimension);
  const values = entry?.values.filter((v) => v.period === month) ?? [];
  const named = [...new Set(values.map((v) => v.value))]
    .map((value) => ({ value, name: dimensionValueName(dimension, value, entry?.names ?? {}, locale) }))
    // "(none)" last; the others by name, then id (two agents of one name stay apart and in a fixed order).
    .sort((a, z) => (a.value === '' ? 1 : z.value === '' ? -1 : a.name.localeCompare(z.name, locale) || a.value.localeCompare(z.value)));
  const rows = named.map(({ value, name }) => [text(name), ...mainCells(values, (v) => v.value === value)]);
  rows.push([text(W.organization[locale], { bold: true }), ...mainCells(input.overview, (v) => v.period === month, true)]);
  return {
    name: SHEET_NAMES[dimension][locale],
    title: titleOf(input, SHEET_NAMES[dimension]),
    columns: [{ header: W[dimension][locale], width: 24 }, ...mainHeaders(locale)],
    rows,
    notes: [W.noteDimension[locale], W.noteNull[locale]],
  };
}

/** 每日: the main indicators per local day of the month, and the month's total. */
export function dailySheet(input: MonthlyReportInput): ReportSheet {
  const { locale, month, timeZone } = input;
  const rows = input.daily.days.map((day): ReportCell[] => {
    const dt = DateTime.fromISO(day, { zone: timeZone });
    const date: ReportCell = { value: dt.toUTC().toISO(), kind: 'datetime', numFmt: DATE_FORMAT };
    return [date, text(WEEKDAYS[locale][dt.weekday - 1]), ...mainCells(input.daily.values, (v) => v.period === day)];
  });
  rows.push([text(W.total[locale], { bold: true }), text(''), ...mainCells(input.overview, (v) => v.period === month, true)]);
  return {
    name: SHEET_NAMES.daily[locale],
    title: titleOf(input, SHEET_NAMES.daily),
    columns: [{ header: W.date[locale], width: 12 }, { header: W.weekday[locale], width: 8 }, ...mainHeaders(locale)],
    rows,
    notes: [W.noteNull[locale]],
  };
}

/** Every sheet of the monthly report, in order: 概览, 承诺达标, 按团队, 按坐席, 按渠道, 按类型, 每日. */
export function monthlyReportSheets(input: MonthlyReportInput): ReportSheet[] {
  return [overviewSheet(input), targetsSheet(input), ...REPORT_DIMENSIONS.map((d) => dimensionSheet(input, d)), dailySheet(input)];
}
