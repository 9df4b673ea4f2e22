/** The monthly report's layout (pure), its writer read back with exceljs, and its e-mail. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { KpiValue } from '../figures/contracts.js';
import { INDICATORS } from '../figures/definitions.js';
import { XLSX_TYPE } from '../exports/contracts.js';
import { formatFigure, monthWords, reportMail } from './mail.js';
import { dimensionSheet, dimensionValueName, monthlyReportSheets, overviewSheet, targetsSheet, toneOf, type MonthlyReportInput, type ReportTarget } from './sheets.js';
import { HEADER_FILL, reportWorkbook, TONES } from './workbook.js';

const none = { target: null, numerator: null, denominator: null, count: null, mean: null, median: null, p90: null, min: null, max: null, errorBound: null, parts: null };
const v = (period: string, indicator: string, unit: string, extra: Partial<KpiValue>): KpiValue => ({ period, value: '', indicator, unit, figure: null, ...none, ...extra });

const defs = (...ids: string[]) => INDICATORS.filter((d) => ids.includes(d.id));

function input(overrides: Partial<MonthlyReportInput> = {}): MonthlyReportInput {
  return {
    locale: 'zh-CN', orgName: '示例公司', timeZone: 'Asia/Shanghai', month: '2026-11', previous: '2026-10', generatedAt: new Date('2026-12-01T00:05:00Z'),
    indicators: defs('service_completion_rate', 'first_response_time', 'target_compliance', 'corrective_actions', 'complaint_count', 'satisfaction_score'),
    overview: [
      v('2026-11', 'service_completion_rate', 'percent', { figure: 90, numerator: 9, denominator: 10 }),
      v('2026-10', 'service_completion_rate', 'percent', { figure: 80, numerator: 8, denominator: 10 }),
      v('2026-11', 'first_response_time', 'seconds', { count: 4, mean: 300, median: 240, p90: 600, errorBound: 0.01 }),
      v('2026-10', 'first_response_time', 'seconds', { count: 2, mean: 360, median: 360, p90: 360, errorBound: 0.01 }),
      v('2026-11', 'target_compliance', 'percent', { target: 'fr', figure: 75, numerator: 3, denominator: 4 }),
      v('2026-10', 'target_compliance', 'percent', { target: 'old', figure: 100, numerator: 1, denominator: 1 }),
      v('2026-11', 'corrective_actions', 'percent', { figure: null, numerator: 0, denominator: 0, parts: { opened: 2, overdue: 1, closed: 0, closedOnTime: 0 } }),
      v('2026-10', 'corrective_actions', 'percent', { figure: 100, numerator: 1, denominator: 1, parts: { opened: 1, overdue: 0, closed: 1, closedOnTime: 1 } }),
      v('2026-11', 'complaint_count', 'count', { figure: 2 }),
      v('2026-10', 'complaint_count', 'count', { figure: 3 }),
      v('2026-11', 'satisfaction_score', 'score5', { figure: 4.5, count: 8 }),
      v('2026-10', 'satisfaction_score', 'score5', { figure: null, count: 0 }),
    ],
    targetNames: { fr: { 'zh-CN': '首次响应', 'en-US': 'First response' } },
    targets: [],
    dimensions: [],
    daily: { days: [], values: [] },
    pendingDays: 0,
    ...overrides,
  };
}

const cells = (rows: { value: unknown }[][]) => rows.map((r) => r.map((c) => c.value));

describe('monthly report sheets', () => {
  it('概览: each indicator this month and last, the change in its unit, coloured by the better direction', () => {
    const s = overviewSheet(input());
    expect(s.columns.map((c) => c.header)).toEqual(['指标', '本月 2026-11', '上月 2026-10', '变化', '计算依据（本月）', '定义']);
    // In the catalogue's order; a target's rows by key.
    expect(cells(s.rows).map((r) => r.slice(0, 5))).toEqual([
      ['首次响应时长（均值）', 300, 360, -60, '样本 4'],
      ['首次响应时长（中位数）', 240, 360, -120, '样本 4'],
      ['首次响应时长（P90）', 600, 360, 240, '样本 4'],
      ['时限目标达标率（按承诺目标）：首次响应', 0.75, null, null, '3 / 4'],
      ['时限目标达标率（按承诺目标）：old', null, 1, null, ''],
      ['服务完成率', 0.9, 0.8, expect.closeTo(0.1, 12), '9 / 10'],
      ['投诉件数', 2, 3, -1, ''],
      ['客户满意度', 4.5, null, null, ''],
      ['整改（新增、逾期、按期办结）', null, 1, null, '0 / 0'],
      ['整改：新增', 2, 1, 1, ''],
      ['整改：逾期', 1, 0, 1, ''],
      ['整改：办结', 0, 1, -1, ''],
    ]);
    const tones = s.rows.map((r) => r[3]!.tone ?? null);
    // response times down: good, p90 up: bad; completion up: good; complaints down: good; more opened / overdue: bad; fewer closed: bad.
    expect(tones).toEqual(['good', 'good', 'bad', null, null, 'good', 'good', null, null, 'bad', 'bad', 'bad']);
    expect(s.rows[0]![1]!.kind).toBe('duration');
    expect(s.rows[0]![3]!.numFmt).toBe('+#,##0" 秒";-#,##0" 秒";0" 秒"');
    expect(s.rows[5]![3]!.numFmt).toBe('+0.0%;-0.0%;0.0%');
    expect(s.title).toBe('示例公司 · 月度服务报告 2026-11 · 概览 · 生成时间 2026-12-01 08:05 (Asia/Shanghai)');
    expect(s.notes).toHaveLength(3);
    expect(overviewSheet(input({ pendingDays: 2 })).notes[0]).toContain('2 天');
  });

  it('in English', () => {
    const s = overviewSheet(input({ locale: 'en-US' }));
    expect(s.columns[0]!.header).toBe('Indicator');
    expect(s.rows.map((r) => r[0]!.value)).toContain('First-response time (median)');
    expect(s.rows.map((r) => r[0]!.value)).toContain('Compliance per commitment target: First response');
    expect(s.rows[0]![3]!.numFmt).toBe('+#,##0" s";-#,##0" s";0" s"');
  });

  it('toneOf follows the better direction; no change, no colour', () => {
    expect([toneOf(1, 'higher'), toneOf(-1, 'higher'), toneOf(1, 'lower'), toneOf(-1, 'lower'), toneOf(0, 'higher'), toneOf(null, 'lower')]).toEqual(['good', 'bad', 'bad', 'good', null, null]);
  });

  it('承诺达标: met ✓ green, missed ✗ red, and why a target has no verdict', () => {
    const t = (over: Partial<ReportTarget>): ReportTarget => ({
      commitmentId: 'c', commitmentNumber: 'Q-1', commitmentTitle: '承诺', versionId: 'v', version: 1, key: 'k', name: { 'zh-CN': '目标' }, kind: 'rate', metric: null, targetPeriod: 'month',
      indicator: 'service_completion_rate', targetKey: null, comparator: '>=', threshold: 90, unit: 'percent', unmeasured: null, values: [{ period: '2026-11', figure: 95, met: true }], ...over,
    });
    const s = targetsSheet(input({
      targets: [
        t({}),
        t({ name: { 'zh-CN': '投诉', 'en-US': 'Complaints' }, indicator: 'complaint_count', comparator: '<=', threshold: 2, unit: 'count', values: [{ period: '2026-11', figure: 3, met: false }] }),
        t({ indicator: null, unmeasured: 'no_source', values: [{ period: '2026-11', figure: null, met: null }] }),
        t({ unmeasured: 'filter', values: [{ period: '2026-11', figure: null, met: null }] }),
        t({ kind: 'time_limit', threshold: null, values: [{ period: '2026-11', figure: 80, met: null }] }),
        t({ values: [{ period: '2026-11', figure: null, met: null }] }),
        t({ indicator: 'first_response_time', unit: 'seconds', comparator: '<=', threshold: 60, values: [{ period: '2026-11', figure: 45, met: true }] }),
      ],
    }));
    expect(cells(s.rows)).toEqual([
      ['Q-1 承诺', '目标', '比率/数量', '服务完成率', '≥', 0.9, 0.95, '✓ 达标'],
      ['Q-1 承诺', '投诉', '比率/数量', '投诉件数', '≤', 2, 3, '✗ 未达标'],
      ['Q-1 承诺', '目标', '比率/数量', '—', '≥', 0.9, null, '— 系统无此数据来源'],
      ['Q-1 承诺', '目标', '比率/数量', '服务完成率', '≥', 0.9, null, '— 范围无法按汇总数据计算'],
      ['Q-1 承诺', '目标', '时限', '服务完成率', '≥', null, 0.8, '— 未设定达标率要求'],
      ['Q-1 承诺', '目标', '比率/数量', '服务完成率', '≥', 0.9, null, '— 本月无数据'],
      ['Q-1 承诺', '目标', '比率/数量', '首次响应时长', '≤', 60, 45, '✓ 达标'],
    ]);
    expect(s.rows.map((r) => r[7]!.tone ?? null)).toEqual(['good', 'bad', null, null, null, null, 'good']);
    expect(s.rows[6]![6]!.kind).toBe('duration');
    expect(targetsSheet(input({ locale: 'en-US', targets: [t({ name: { 'zh-CN': '投诉', 'en-US': 'Complaints' } })] })).rows[0]![1]!.value).toBe('Complaints');
    expect(targetsSheet(input({ targets: [] })).notes).toEqual(['本月没有生效的服务承诺目标。']);
  });

  it('per dimension: names, words for codes, "(none)" last, the organization row', () => {
    expect(dimensionValueName('channel', 'walk_in', {}, 'zh-CN')).toBe('现场');
    expect(dimensionValueName('type', 'complaint', {}, 'en-US')).toBe('Complaint');
    expect(dimensionValueName('agent', '', {}, 'zh-CN')).toBe('（无）');
    expect(dimensionValueName('team', 'gone', {}, 'zh-CN')).toBe('gone');
    const rate = (value: string, num: number, den: number) => ({ ...v('2026-11', 'service_completion_rate', 'percent', { figure: (num / den) * 100, numerator: num, denominator: den }), value });
    const s = dimensionSheet(input({ dimensions: [{ dimension: 'agent', values: [rate('b', 1, 2), rate('', 0, 1), rate('a', 3, 3), rate('c', 1, 1)], names: { a: '王五', b: '张三', c: '王五' } }] }), 'agent');
    expect(s.columns.slice(0, 4).map((c) => c.header)).toEqual(['坐席', '受理量', '办结量', '服务完成率']);
    expect(cells(s.rows).map((r) => r.slice(0, 4))).toEqual([
      ['王五', 3, 3, 1],
      ['王五', 1, 1, 1],
      ['张三', 2, 1, 0.5],
      ['（无）', 1, 0, 0],
      ['全组织', 10, 9, 0.9],
    ]);
    expect(s.rows[4]![0]!.bold).toBe(true);
    expect(monthlyReportSheets(input()).map((x) => x.name)).toEqual(['概览', '承诺达标', '按团队', '按坐席', '按渠道', '按类型', '每日']);
    expect(monthlyReportSheets(input({ locale: 'en-US' })).map((x) => x.name)).toEqual(['Overview', 'Commitment targets', 'By team', 'By agent', 'By channel', 'By type', 'Daily']);
  });

  it('the workbook: title, shaded header, first row and column frozen, formats, colours, notes, autofilter', async () => {
    const sheets = monthlyReportSheets(input({ daily: { days: ['2026-11-01', '2026-11-02'], values: [] } }));
    const at = new Date('2026-12-01T00:05:00Z');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(sheets, { timeZone: 'Asia/Shanghai', locale: 'zh-CN', at })) as unknown as ArrayBuffer);
    expect(wb.created).toEqual(at);
    const ov = wb.getWorksheet('概览')!;
    expect(ov.getCell('A1').text).toContain('月度服务报告 2026-11');
    expect(ov.getCell('A1').isMerged).toBe(true);
    expect(ov.getCell('A2').font?.bold).toBe(true);
    expect((ov.getCell('A2').fill as ExcelJS.FillPattern).fgColor?.argb).toBe(HEADER_FILL);
    expect(ov.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 2 });
    expect(ov.getColumn(6).width).toBe(70);
    expect(ov.autoFilter).toBe('A2:F14');
    expect([ov.getCell('B8').value, ov.getCell('B8').numFmt, ov.getCell('D8').numFmt]).toEqual([0.9, '0.0%', '+0.0%;-0.0%;0.0%']);
    expect((ov.getCell('D8').fill as ExcelJS.FillPattern).fgColor?.argb).toBe(TONES.good.fill);
    expect(ov.getCell('D8').font?.color?.argb).toBe(TONES.good.font);
    expect((ov.getCell('D5').fill as ExcelJS.FillPattern).fgColor?.argb).toBe(TONES.bad.fill);
    expect((ov.getCell('D6').fill as ExcelJS.FillPattern | undefined)?.fgColor).toBeUndefined();
    // A duration is a fraction of a day; exceljs reads a time-formatted number back as a Date from Excel's epoch.
    expect(ov.getCell('B3').numFmt).toBe('[h]:mm:ss');
    expect((ov.getCell('B3').value as Date).getTime() - Date.UTC(1899, 11, 30)).toBe(300_000);
    expect([ov.getCell('D3').value, ov.getCell('D3').numFmt]).toEqual([-60, '+#,##0" 秒";-#,##0" 秒";0" 秒"']);
    expect(ov.getCell('A16').value).toBe('空白表示没有可计算的数据（分母为 0），而不是 0。');
    const daily = wb.getWorksheet('每日')!;
    expect([daily.getCell('A3').value, daily.getCell('A3').numFmt, daily.getCell('B3').value, daily.getCell('B4').value]).toEqual([new Date('2026-11-01T00:00:00Z'), 'yyyy-mm-dd', '周日', '周一']);
    expect(daily.getCell('A5').value).toBe('本月合计');
    expect(daily.getCell('D5').value).toBe(9);
  });
});

describe('monthly report e-mail', () => {
  it('headline figures of both months, the targets tally, the workbook attached', () => {
    const file = Buffer.from('xlsx bytes');
    const base = { orgName: '示例公司', month: '2026-11', previous: '2026-10', generatedAt: new Date('2026-12-01T00:05:00Z'), timeZone: 'Asia/Shanghai', overview: input().overview, targets: { met: 3, missed: 1, unknown: 2 }, fileName: 'r.xlsx', file };
    const zh = reportMail({ ...base, locale: 'zh-CN' }, ['a@example.cn']);
    expect(zh.subject).toBe('【月度报告】示例公司 2026年11月服务报告');
    expect(zh.text).toContain('- 服务完成率：90.0%（上月 80.0%）');
    expect(zh.text).toContain('- 客户满意度：4.50 分（上月 —）');
    expect(zh.text).toContain('- 投诉件数：2（上月 3）');
    expect(zh.text).toContain('达标 3 项，未达标 1 项，无法判定 2 项');
    expect(zh.text).toContain('2026-12-01 08:05（Asia/Shanghai）');
    expect(zh.attachments).toEqual([{ filename: 'r.xlsx', contentType: XLSX_TYPE, content: file.toString('base64') }]);
    expect(zh.to).toEqual(['a@example.cn']);
    const en = reportMail({ ...base, locale: 'en-US' }, ['a@example.cn', 'b@example.cn']);
    expect(en.subject).toBe('Monthly service report, November 2026 — 示例公司');
    expect(en.text).toContain('- Service completion rate: 90.0% (last month 80.0%)');
    expect(en.text).toContain('3 met, 1 missed, 2 not measurable');
    expect([monthWords('2027-01', 'zh-CN'), monthWords('2027-01', 'en-US')]).toEqual(['2027年1月', 'January 2027']);
    expect(formatFigure(undefined, 'zh-CN')).toBe('—');
  });
});
