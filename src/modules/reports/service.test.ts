/**
 * The monthly report through the services, on the hand-checked month of report-fixture.ts: the stored workbook read
 * back with exceljs — sheet names, Chinese (and English) headers, every figure equal to kpiValues / targetFigures and
 * to the hand count, colours of targets met and missed, names instead of ids — regeneration, the audit, refusals.
 */
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../core/db/schema.js';
import type { Ctx } from '../../core/context.js';
import { buildStaff, ctxAs } from '../../test/harness.js';
import { reportFixture } from '../../test/report-fixture.js';
import { kpiDefinitions, kpiValues } from '../figures/service.js';
import { targetFigures } from '../figures/targets.js';
import { monthlyReports } from './schema.js';
import { downloadMonthlyReport, generateMonthlyReport, getReportSettings, listMonthlyReports, updateReportSettings } from './service.js';
import { TONES } from './workbook.js';

/** The names of the desk's time limits (desk.ts), as the overview shows their compliance. */
const TARGET_NAMES: Record<string, string> = { 'first-response': '首次响应', 'initial-solution': '初步方案', resolution: '办结', 'complaint-result': '投诉处理结果', 'next-reply': '客户回复后答复', emergency: '应急响应' };

const DEC_2 = new Date('2026-12-02T09:00:00+08:00');
const at = (ctx: Ctx, now = DEC_2): Ctx => ({ ...ctx, now: () => now });

async function read(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

/** The data rows of a sheet (from row 3) as arrays of cell values, until the first empty row. */
function rowsOf(ws: ExcelJS.Worksheet): ExcelJS.Row[] {
  const out: ExcelJS.Row[] = [];
  for (let r = 3; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === null || row.getCell(1).value === undefined) break;
    out.push(row);
  }
  return out;
}
const headersOf = (ws: ExcelJS.Worksheet) => (ws.getRow(2).values as unknown[]).slice(1);
const rowNamed = (ws: ExcelJS.Worksheet, name: string) => rowsOf(ws).find((r) => r.getCell(1).value === name);
const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb ?? null;
/** exceljs reads a number formatted as a time back as a Date from Excel's epoch (1899-12-30); the number itself, in days. */
const days = (a: unknown) => (a instanceof Date ? (a.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000 : a);
const close = (a: unknown, b: number | null) => (b === null ? expect(a ?? null).toBeNull() : expect(days(a) as number).toBeCloseTo(b, 9));

describe('monthly report', () => {
  it('holds every sheet with Chinese headers and the engine\'s figures for November, hand-checked', async () => {
    const desk = await reportFixture();
    const manager = at(desk.manager.ctx);
    const view = await generateMonthlyReport(manager, { month: '2026-11' });
    expect(view).toMatchObject({ month: '2026-11', status: 'ready', locale: 'zh-CN', generatedBy: desk.manager.staff.id, mailedTo: [] });
    expect(view.size).toBeGreaterThan(5000);
    const file = await downloadMonthlyReport(manager, { month: '2026-11' });
    expect(file.fileName).toBe(`monthly-report-${desk.org.code}-2026-11.xlsx`);
    expect(file.content.length).toBe(view.size);
    const wb = await read(file.content);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '承诺达标', '按团队', '按坐席', '按渠道', '按类型', '每日']);

    // 概览: this month, last month, change — the engine's figures, and by hand.
    const ov = wb.getWorksheet('概览')!;
    expect(ov.getRow(1).getCell(1).text).toContain('月度服务报告 2026-11');
    expect(headersOf(ov)).toEqual(['指标', '本月 2026-11', '上月 2026-10', '变化', '计算依据（本月）', '定义']);
    expect(ov.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, xSplit: 1 });
    const completion = rowNamed(ov, '服务完成率')!;
    expect([completion.getCell(2).value, completion.getCell(3).value, completion.getCell(4).value, completion.getCell(5).value]).toEqual([0.5, 1, -0.5, '1 / 2']);
    expect(completion.getCell(2).numFmt).toBe('0.0%');
    expect(completion.getCell(4).numFmt).toBe('+0.0%;-0.0%;0.0%');
    expect(fillOf(completion.getCell(4))).toBe(TONES.bad.fill); // completion fell: worse
    const complaints = rowNamed(ov, '投诉件数')!;
    expect([complaints.getCell(2).value, complaints.getCell(3).value, complaints.getCell(4).value]).toEqual([1, 0, 1]);
    expect(fillOf(complaints.getCell(4))).toBe(TONES.bad.fill); // more complaints: worse (lower is better)
    const frMean = rowNamed(ov, '首次响应时长（均值）')!;
    close(frMean.getCell(2).value, (600 + 121_800) / 2 / 86_400); // [h]:mm:ss holds days
    expect(frMean.getCell(2).numFmt).toBe('[h]:mm:ss');
    expect(frMean.getCell(4).value).toBe(61_200); // seconds more than October's 0
    expect(frMean.getCell(5).value).toBe('样本 2');
    close(rowNamed(ov, '解决时长（均值）')!.getCell(2).value, 2400 / 86_400);
    expect(rowNamed(ov, '重开率')!.getCell(2).value).toBe(1);
    expect(rowNamed(ov, '时限目标达标率（按承诺目标）：首次响应')!.getCell(2).value).toBe(0.5);

    // Every rate, count and score of the sheet equals kpiValues for the organization.
    const defs = kpiDefinitions(manager).indicators.filter((d) => d.available);
    const engine = await kpiValues(manager, { indicators: defs.map((d) => d.id).join(','), grain: 'month', from: '2026-10-01', to: '2026-11-30' });
    let compared = 0;
    for (const d of defs) {
      for (const v of engine.values.filter((x) => x.indicator === d.id)) {
        const col = v.period === '2026-11' ? 2 : 3;
        if (v.unit === 'seconds') {
          close(rowNamed(ov, `${d.name['zh-CN']}（中位数）`)!.getCell(col).value, v.median === null ? null : v.median / 86_400);
        } else {
          const name = v.target === null ? d.name['zh-CN'] : `${d.name['zh-CN']}：${TARGET_NAMES[v.target] ?? v.target}`;
          close(rowNamed(ov, name)!.getCell(col).value, v.figure === null ? null : v.unit === 'percent' ? v.figure / 100 : v.figure);
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(24);

    // 承诺达标: the rate commitment's targets — missed (red), met (green), no source; the desk's time limits without a goal.
    const tg = wb.getWorksheet('承诺达标')!;
    expect(headersOf(tg)).toEqual(['服务承诺', '目标', '类型', '衡量指标', '要求', '阈值', '本月实际', '是否达标']);
    const engineTargets = await targetFigures(desk.org.app.database.db, desk.org.orgId, { grain: 'month', from: '2026-11-01', to: '2026-11-30' });
    expect(rowsOf(tg)).toHaveLength(engineTargets.targets.length);
    const completionTarget = rowNamed(tg, `Q-${desk.org.code} 服务质量承诺`)!;
    expect(completionTarget.values).toEqual([undefined, `Q-${desk.org.code} 服务质量承诺`, '服务完成率不低于 90%', '比率/数量', '服务完成率', '≥', 0.9, 0.5, '✗ 未达标']);
    expect(fillOf(completionTarget.getCell(8))).toBe(TONES.bad.fill);
    const byTarget = (name: string) => rowsOf(tg).find((r) => r.getCell(2).value === name)!;
    expect(byTarget('月投诉不超过 5 件').values).toEqual([undefined, `Q-${desk.org.code} 服务质量承诺`, '月投诉不超过 5 件', '比率/数量', '投诉件数', '≤', 5, 1, '✓ 达标']);
    expect(fillOf(byTarget('月投诉不超过 5 件').getCell(8))).toBe(TONES.good.fill);
    expect(byTarget('人均培训学时不少于 8 小时').getCell(8).value).toBe('— 系统无此数据来源');
    expect(fillOf(byTarget('人均培训学时不少于 8 小时').getCell(8))).toBeNull();
    expect(byTarget('首次响应').values).toEqual([undefined, `D-${desk.org.code} 测试服务承诺`, '首次响应', '时限', '时限目标达标率（按承诺目标）', '≥', undefined, 0.5, '— 未设定达标率要求']);

    // 按坐席 / 按团队 / 按渠道 / 按类型: names, not ids; the rows add up to the organization's row.
    const main = ['受理量', '办结量', '服务完成率', '问题解决率', '首次响应达标率', '首次响应时长（均值）', '解决时长（均值）', '一次性解决率', '重开率', '客户满意度', '满意率', '投诉件数', '回访率'];
    const agents = wb.getWorksheet('按坐席')!;
    expect(headersOf(agents)).toEqual(['坐席', ...main]);
    expect(rowsOf(agents).map((r) => [r.getCell(1).value, r.getCell(2).value, r.getCell(3).value, r.getCell(13).value])).toEqual([
      ['李四', 1, 0, 1],
      ['张三', 1, 1, 0],
      ['全组织', 2, 1, 1],
    ]);
    expect(rowNamed(agents, '全组织')!.getCell(1).font?.bold).toBe(true);
    expect(headersOf(wb.getWorksheet('按团队')!)[0]).toBe('团队');
    expect(rowsOf(wb.getWorksheet('按团队')!).map((r) => [r.getCell(1).value, r.getCell(2).value])).toEqual([['一线', 2], ['全组织', 2]]);
    expect(rowsOf(wb.getWorksheet('按渠道')!).map((r) => [r.getCell(1).value, r.getCell(2).value])).toEqual([['网站', 2], ['全组织', 2]]);
    expect(rowsOf(wb.getWorksheet('按类型')!).map((r) => [r.getCell(1).value, r.getCell(2).value, r.getCell(3).value]).sort()).toEqual([['全组织', 2, 1], ['咨询', 1, 1], ['投诉', 1, 0]].sort());

    // 每日: every day of November in local dates, with its weekday; the month's total.
    const daily = wb.getWorksheet('每日')!;
    expect(headersOf(daily)).toEqual(['日期', '星期', ...main]);
    const days = rowsOf(daily);
    expect(days).toHaveLength(31);
    expect(days[0]!.getCell(1).value).toEqual(new Date('2026-11-01T00:00:00Z')); // local midnight, as Excel holds it
    expect(days[0]!.getCell(1).numFmt).toBe('yyyy-mm-dd');
    expect([days[0]!.getCell(2).value, days[0]!.getCell(3).value, days[0]!.getCell(14).value]).toEqual(['周日', 1, 1]);
    expect([days[1]!.getCell(2).value, days[1]!.getCell(3).value, days[1]!.getCell(4).value]).toEqual(['周一', 1, 1]);
    expect(days[2]!.getCell(3).value).toBe(0);
    expect([days[30]!.getCell(1).value, days[30]!.getCell(3).value, days[30]!.getCell(4).value]).toEqual(['本月合计', 2, 1]);
  }, 120_000);

  it('in English on request; regenerating replaces the stored file and is audited; refusals', async () => {
    const desk = await reportFixture();
    const manager = at(desk.manager.ctx);
    await generateMonthlyReport(manager, { month: '2026-11' });
    const en = await generateMonthlyReport(manager, { month: '2026-11', lang: 'en-US' });
    expect(en.locale).toBe('en-US');
    const list = await listMonthlyReports(at(desk.supervisor.ctx));
    expect(list.items.map((i) => [i.month, i.locale, i.status])).toEqual([['2026-11', 'en-US', 'ready']]);
    const wb = await read((await downloadMonthlyReport(manager, { month: '2026-11' })).content);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Overview', 'Commitment targets', 'By team', 'By agent', 'By channel', 'By type', 'Daily']);
    expect(headersOf(wb.getWorksheet('Overview')!)).toEqual(['Indicator', 'This month 2026-11', 'Last month 2026-10', 'Change', 'Basis (this month)', 'Definition']);
    expect(rowNamed(wb.getWorksheet('Overview')!, 'Service completion rate')!.getCell(2).value).toBe(0.5);
    expect(rowNamed(wb.getWorksheet('By type')!, 'Complaint')!.getCell(2).value).toBe(1);

    const db = desk.org.app.database.db;
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'report.generated'))).orderBy(auditLog.id);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.before).toBeNull();
    expect(entries[1]!.before).toMatchObject({ month: '2026-11', locale: 'zh-CN' });
    expect(entries[1]!.after).toMatchObject({ month: '2026-11', locale: 'en-US', generatedBy: desk.manager.staff.id });
    expect(await db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'export.created')))).toHaveLength(1);

    await expect(generateMonthlyReport(manager, { month: '2026-12' })).rejects.toMatchObject({ code: 'report.month_not_over' });
    await expect(generateMonthlyReport(at(manager, new Date('2026-11-30T23:59:00+08:00')), { month: '2026-11' })).rejects.toMatchObject({ code: 'report.month_not_over' });
    await expect(generateMonthlyReport(manager, { month: '2026-13' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(generateMonthlyReport(at(desk.supervisor.ctx), { month: '2026-11' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listMonthlyReports(at(desk.agent1.ctx))).rejects.toMatchObject({ code: 'forbidden' });
    const branchManager = await buildStaff(desk.org, 'manager', { scope: 'branch', branchId: desk.org.branchId });
    await expect(listMonthlyReports(at(branchManager.ctx))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(downloadMonthlyReport(manager, { month: '2026-10' })).rejects.toMatchObject({ code: 'not_found' });

    // While the schedule holds a live claim on a month, generating it by hand waits its turn.
    await db.insert(monthlyReports).values({ orgId: desk.org.orgId, month: '2026-10', status: 'generating', locale: 'zh-CN', leaseUntil: new Date(DEC_2.getTime() + 60_000), claimToken: crypto.randomUUID(), createdAt: DEC_2 });
    await expect(generateMonthlyReport(manager, { month: '2026-10' })).rejects.toMatchObject({ code: 'report.generating' });
    await expect(downloadMonthlyReport(manager, { month: '2026-10' })).rejects.toMatchObject({ code: 'not_found' });
    // Once the claim has lapsed (a crashed node), it may.
    expect(await generateMonthlyReport(at(manager, new Date(DEC_2.getTime() + 120_000)), { month: '2026-10' })).toMatchObject({ status: 'ready', month: '2026-10' });
  }, 120_000);

  it('settings: defaults, changes audited, the next report and its recipients', async () => {
    const desk = await reportFixture();
    const manager = ctxAs(desk.org.app, desk.manager.actor, { now: () => new Date('2026-11-23T10:00:00+08:00') });
    const before = await getReportSettings(manager);
    expect(before).toMatchObject({ enabled: true, day: 1, time: '08:00', recipients: [], timeZone: 'Asia/Shanghai', effectiveRecipients: [], next: { month: '2026-11', dueAt: '2026-12-01T00:00:00.000Z' } });
    const after = await updateReportSettings(manager, { day: 3, time: '09:30', recipients: ['Boss@Example.cn', 'boss@example.cn', 'ops@example.cn'] });
    expect(after).toMatchObject({ day: 3, time: '09:30', recipients: ['boss@example.cn', 'ops@example.cn'], effectiveRecipients: ['boss@example.cn', 'ops@example.cn'], next: { month: '2026-11', dueAt: '2026-12-03T01:30:00.000Z' } });
    expect(await updateReportSettings(manager, { enabled: false })).toMatchObject({ enabled: false, next: null, day: 3 });
    await expect(updateReportSettings(manager, { time: '25:00' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updateReportSettings(manager, { day: 29 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updateReportSettings(manager, { recipients: ['not an address'] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updateReportSettings(desk.supervisor.ctx, { enabled: true })).rejects.toMatchObject({ code: 'forbidden' });
    const entries = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'report_settings.update')));
    expect(entries).toHaveLength(2);
  }, 120_000);
});
