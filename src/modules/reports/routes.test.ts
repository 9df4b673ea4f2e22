/**
 * The reports API over HTTP on the hand-checked month of report-fixture.ts: generate, list, download the monthly
 * report; its settings; the KPI values sheet (the numbers of /kpis/values, names instead of ids, both languages);
 * 401, 403, 404, 409 and 400 with their codes; exports audited.
 */
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditLog } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import type { Desk } from '../../test/desk.js';
import { buildStaff } from '../../test/harness.js';
import { reportFixture } from '../../test/report-fixture.js';
import { XLSX_TYPE } from '../exports/contracts.js';
import { FIRST_DATA_ROW, HEADER_ROW } from '../exports/workbook.js';
import type { KpiValuesView } from '../figures/contracts.js';
import { createApiToken } from '../org/auth.js';
import type { MonthlyReportList, MonthlyReportView } from './contracts.js';

async function workbookOf(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

function tableOf(ws: ExcelJS.Worksheet) {
  const headers = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1);
  const rows: unknown[][] = [];
  // The table ends at the first empty row (notes follow it).
  for (let r = FIRST_DATA_ROW; r <= ws.rowCount; r++) {
    const values = (ws.getRow(r).values as unknown[]).slice(1);
    if (values.length === 0) break;
    rows.push(values);
  }
  return { headers, rows, cell: (row: number, header: string) => rows[row]![headers.indexOf(header)] };
}

const days = (a: unknown) => (a instanceof Date ? (a.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000 : a);

describe('reports API', () => {
  let desk: Desk;
  let server: FastifyInstance;
  const tokens: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', who: string | null, url: string, body?: unknown, lang = 'zh-CN') =>
    server.inject({ method, url: `/api/v1${url}`, headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), 'accept-language': lang }, ...(body === undefined ? {} : { payload: body as object }) });

  beforeAll(async () => {
    desk = await reportFixture();
    server = await buildServer(desk.org.app, { web: false });
    const scoped = await buildStaff(desk.org, 'manager', { scope: 'branch', branchId: desk.org.branchId });
    const token = async (ctx: Desk['manager']['ctx'], scopes: string[]) => (await createApiToken(ctx, { name: 'reports', scopes: scopes as never })).token;
    tokens.manager = await token(desk.manager.ctx, ['report.read', 'report.manage', 'request.read']);
    tokens.supervisor = await token(desk.supervisor.ctx, ['report.read', 'request.read']);
    tokens.agent = await token(desk.agent1.ctx, ['request.read']);
    tokens.scoped = await token(scoped.ctx, ['report.read', 'report.manage', 'request.read']);
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it('generates, lists and downloads the monthly report; refuses with codes', async () => {
    expect((await call('GET', null, '/reports/monthly')).statusCode).toBe(401);
    expect((await call('GET', 'manager', '/reports/monthly')).json<MonthlyReportList>()).toEqual({ items: [] });

    const made = await call('POST', 'manager', '/reports/monthly', { month: '2026-10' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json<MonthlyReportView>()).toMatchObject({ month: '2026-10', status: 'ready', locale: 'zh-CN', generatedBy: desk.manager.staff.id, mailedTo: [] });
    const list = await call('GET', 'supervisor', '/reports/monthly');
    expect(list.json<MonthlyReportList>().items.map((i) => i.month)).toEqual(['2026-10']);

    const file = await call('GET', 'supervisor', '/exports/monthly-report.xlsx?month=2026-10');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe(XLSX_TYPE);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="monthly-report-${desk.org.code}-2026-10.xlsx"`);
    const wb = await workbookOf(file.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '承诺达标', '按团队', '按坐席', '按渠道', '按类型', '每日']);
    // October: R1 only, by phone, completed.
    const channels = tableOf(wb.getWorksheet('按渠道')!);
    expect(channels.rows.map((r) => [r[0], r[1], r[2]])).toEqual([['电话', 1, 1], ['全组织', 1, 1]]);

    // English on request.
    const en = await call('POST', 'manager', '/reports/monthly', { month: '2026-10', lang: 'en-US' });
    expect(en.json<MonthlyReportView>().locale).toBe('en-US');
    expect((await workbookOf((await call('GET', 'manager', '/exports/monthly-report.xlsx?month=2026-10')).rawPayload)).worksheets[0]!.name).toBe('Overview');

    const codeOf = (r: { statusCode: number; json: <T>() => T }) => [r.statusCode, r.json<{ error: { code: string } }>().error.code];
    const notOver = await call('POST', 'manager', '/reports/monthly', { month: '2999-01' }, 'en-US');
    expect(codeOf(notOver)).toEqual([409, 'report.month_not_over']);
    expect(notOver.json<{ error: { message: string } }>().error.message).toBe('The month 2999-01 is not over yet; its report can be generated once it has ended');
    expect(codeOf(await call('POST', 'manager', '/reports/monthly', { month: '2026-1' }))).toEqual([400, 'validation_failed']);
    expect(codeOf(await call('POST', 'manager', '/reports/monthly', { month: '2026-10', extra: 1 }))).toEqual([400, 'validation_failed']);
    expect(codeOf(await call('POST', 'manager', '/reports/monthly', { month: '2026-10', lang: 'fr' }))).toEqual([400, 'validation_failed']);
    expect(codeOf(await call('POST', 'supervisor', '/reports/monthly', { month: '2026-10' }))).toEqual([403, 'forbidden']);
    expect(codeOf(await call('GET', 'agent', '/reports/monthly'))).toEqual([403, 'forbidden']);
    expect(codeOf(await call('GET', 'scoped', '/reports/monthly'))).toEqual([403, 'forbidden']);
    expect(codeOf(await call('GET', 'agent', '/exports/monthly-report.xlsx?month=2026-10'))).toEqual([403, 'forbidden']);
    const missing = await call('GET', 'manager', '/exports/monthly-report.xlsx?month=2026-09');
    expect(codeOf(missing)).toEqual([404, 'not_found']);
    expect(missing.json<{ error: { message: string } }>().error.message).toContain('月度报告');
    expect(codeOf(await call('GET', 'manager', '/exports/monthly-report.xlsx'))).toEqual([400, 'validation_failed']);
    expect(codeOf(await call('GET', 'manager', '/exports/monthly-report.xlsx?month=2026-10&x=1'))).toEqual([400, 'validation_failed']);

    const audited = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), sql`${auditLog.after}->>'table' = 'monthly-report'`));
    expect(audited).toHaveLength(2);
  }, 120_000);

  it('settings over HTTP', async () => {
    const got = await call('GET', 'supervisor', '/reports/settings');
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ enabled: true, day: 1, time: '08:00', recipients: [], timeZone: 'Asia/Shanghai' });
    const put = await call('PUT', 'manager', '/reports/settings', { time: '07:30', recipients: ['gm@example.cn'] });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ time: '07:30', recipients: ['gm@example.cn'], effectiveRecipients: ['gm@example.cn'] });
    expect((await call('PUT', 'manager', '/reports/settings', { time: '7:30' })).statusCode).toBe(400);
    expect((await call('PUT', 'manager', '/reports/settings', { hour: 7 })).statusCode).toBe(400);
    expect((await call('PUT', 'supervisor', '/reports/settings', { time: '07:00' })).statusCode).toBe(403);
  });

  it('exports KPI values as a sheet: the numbers of /kpis/values, names for the dimension, both languages', async () => {
    const q = 'indicators=service_completion_rate,first_response_time,complaint_count,target_compliance&grain=month&from=2026-10-01&to=2026-11-30';
    const json = (await call('GET', 'supervisor', `/kpis/values?${q}`)).json<KpiValuesView>();
    const res = await call('GET', 'supervisor', `/exports/kpis.xlsx?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(res.headers['x-export-rows']).toBe('2');
    const wb = await workbookOf(res.rawPayload);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('指标数据');
    expect(ws.getRow(1).getCell(1).text).toContain('2026-10-01 – 2026-11-30');
    const t = tableOf(ws);
    // Column groups in the order asked; a time limit's compliance under the target's name.
    expect(t.headers.slice(0, 9)).toEqual(['期间', '服务完成率', '服务完成率·分子', '服务完成率·分母', '首次响应时长·样本数', '首次响应时长·均值', '首次响应时长·中位数', '首次响应时长·P90', '投诉件数']);
    expect(t.headers).toContain('时限目标达标率（按承诺目标）：首次响应·分母');
    expect(t.rows.map((r) => r[0])).toEqual(['2026-10', '2026-11']);
    for (const [i, period] of ['2026-10', '2026-11'].entries()) {
      const v = (indicator: string, target: string | null = null) => json.values.find((x) => x.period === period && x.indicator === indicator && x.target === target)!;
      expect(t.cell(i, '服务完成率')).toBe(v('service_completion_rate').figure! / 100);
      expect(t.cell(i, '服务完成率·分子')).toBe(v('service_completion_rate').numerator);
      expect(t.cell(i, '服务完成率·分母')).toBe(v('service_completion_rate').denominator);
      expect(t.cell(i, '投诉件数')).toBe(v('complaint_count').figure);
      expect(days(t.cell(i, '首次响应时长·均值'))).toBeCloseTo(v('first_response_time').mean! / 86_400, 9);
      expect(t.cell(i, '首次响应时长·样本数')).toBe(v('first_response_time').count);
      expect(t.cell(i, '时限目标达标率（按承诺目标）：首次响应')).toBe(v('target_compliance', 'first-response').figure! / 100);
    }
    expect(t.cell(1, '服务完成率')).toBe(0.5); // by hand: November, 1 of 2

    // Per agent: names, in English.
    const agents = await call('GET', 'manager', '/exports/kpis.xlsx?indicators=service_completion_rate&from=2026-11-01&to=2026-11-30&dimension=agent&lang=en-US');
    const a = tableOf((await workbookOf(agents.rawPayload)).worksheets[0]!);
    expect(a.headers).toEqual(['Period', 'Agent', 'Service completion rate', 'Service completion rate · numerator', 'Service completion rate · denominator']);
    expect(a.rows.map((r) => [r[0], r[1], r[2]])).toEqual([['2026-11', '张三', 1], ['2026-11', '李四', 0]].sort((x, y) => String(x[1]).localeCompare(String(y[1]), 'en-US')));

    // Per category: the fixture's requests have none.
    const categories = tableOf((await workbookOf((await call('GET', 'manager', '/exports/kpis.xlsx?indicators=service_completion_rate&from=2026-11-01&to=2026-11-30&dimension=category')).rawPayload)).worksheets[0]!);
    expect(categories.headers.slice(0, 3)).toEqual(['期间', '分类', '服务完成率']);
    expect(categories.rows.map((r) => [r[0], r[1], r[2]])).toEqual([['2026-11', '（无）', 0.5]]);

    const codeOf = async (who: string | null, url: string) => {
      const r = await call('GET', who, url);
      return [r.statusCode, r.json<{ error: { code: string } }>().error.code];
    };
    expect(await codeOf(null, `/exports/kpis.xlsx?${q}`)).toEqual([401, 'auth.required']);
    expect(await codeOf('manager', '/exports/kpis.xlsx?indicators=nope&from=2026-11-01&to=2026-11-30')).toEqual([400, 'validation_failed']);
    expect(await codeOf('manager', '/exports/kpis.xlsx?indicators=backlog_x&from=2026-11-01&to=2026-11-30')).toEqual([400, 'validation_failed']);
    expect(await codeOf('manager', '/exports/kpis.xlsx?indicators=complaint_count&grain=fortnight&from=2026-11-01&to=2026-11-30')).toEqual([400, 'validation_failed']);
    expect(await codeOf('manager', '/exports/kpis.xlsx?indicators=complaint_count&from=2026-12-01&to=2026-11-30')).toEqual([400, 'validation_failed']);
    expect(await codeOf('manager', '/exports/kpis.xlsx?indicators=complaint_count&from=2026-11-01&to=2026-11-30&lang=fr')).toEqual([400, 'validation_failed']);
    expect(await codeOf('manager', '/exports/kpis.xlsx?indicators=complaint_count&from=2026-11-01&to=2026-11-30&page=2')).toEqual([400, 'validation_failed']);
    expect(await codeOf('scoped', '/exports/kpis.xlsx?indicators=complaint_count&from=2026-11-01&to=2026-11-30&dimension=agent')).toEqual([403, 'forbidden']);
    // A branch-scoped reader gets their branch's figures (the requests are the head office's: none).
    const scoped = tableOf((await workbookOf((await call('GET', 'scoped', '/exports/kpis.xlsx?indicators=complaint_count&from=2026-11-01&to=2026-11-30')).rawPayload)).worksheets[0]!);
    expect(scoped.rows.map((r) => [r[0], r[1]])).toEqual([['2026-11', 0]]);

    const audited = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), sql`${auditLog.after}->>'table' = 'kpis'`));
    expect(audited).toHaveLength(4);
    expect(audited.map((e) => (e.after as { rows: number }).rows).sort()).toEqual([1, 1, 2, 2]);
  }, 120_000);
});
