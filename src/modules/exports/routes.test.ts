import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { auditLog, staff as staffTable } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { buildStaff } from '../../test/harness.js';
import * as Calls from '../channels/calls.js';
import { createAction } from '../corrective-actions/service.js';
import { recordEvaluationTx } from '../evaluations/evaluations.js';
import { submitFeedback } from '../evaluations/feedback.js';
import { createApiToken } from '../org/auth.js';
import * as R from '../requests/service.js';
import { XLSX_TYPE } from './contracts.js';
import { exportTable } from './service.js';
import { FIRST_DATA_ROW, HEADER_ROW, TITLE_ROW } from './workbook.js';

async function sheetOf(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const headers = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1);
  const rows: unknown[][] = [];
  for (let r = FIRST_DATA_ROW; r <= ws.rowCount; r++) rows.push((ws.getRow(r).values as unknown[]).slice(1));
  return { ws, headers, rows, column: (name: string) => rows.map((row) => row[headers.indexOf(name)]) };
}

describe('exports API', () => {
  it('exports each table as a valid workbook, with the list\'s filters, scope and masking; 401, 403, 400; audited', async () => {
    const desk = await buildDesk();
    const { org } = desk;
    const server = await buildServer(org.app, { web: false });
    const branchAgent = await buildStaff(org, 'agent', { scope: 'branch', branchId: org.branchId });
    const tokenOf = async (ctx: typeof desk.lead.ctx, scopes: string[]) => (await createApiToken(ctx, { name: 'x', scopes: scopes as never })).token;
    const manager = await tokenOf(desk.manager.ctx, ['request.read', 'call.read', 'evaluation.read', 'corrective.read', 'callback.manage', 'feedback.handle', 'pii:read']);
    const lead = await tokenOf(desk.lead.ctx, ['request.read', 'call.read', 'corrective.read', 'feedback.handle']);
    const agent = await tokenOf(desk.agent1.ctx, ['request.read', 'call.read']);
    const scoped = await tokenOf(branchAgent.ctx, ['request.read', 'evaluation.read']);
    const get = (token: string | null, url: string, lang = 'zh-CN') =>
      server.inject({ method: 'GET', url: `/api/v1/exports/${url}`, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': lang } });

    const complaint = await R.registerRequest(desk.agent1.ctx, { type: 'complaint', channel: 'phone', subject: '停水三天无人处理', contactName: '张三丰', contactPhone: '13812345678', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '如何办理过户', contactName: 'John Smith' });
    const inBranch = await R.registerRequest(desk.manager.ctx, { type: 'consultation', channel: 'walk_in', subject: '分公司咨询', branchId: org.branchId });
    await Calls.createCall(desk.manager.ctx, { caller: '13800000001', ringAt: '2026-11-16T10:00:00+08:00', answeredAt: '2026-11-16T10:00:05+08:00', endedAt: '2026-11-16T10:02:05+08:00', agentId: desk.agent1.staff.id });
    await createAction(desk.lead.ctx, { finding: '巡检发现：窗口无人', source: 'inspection', teamId: desk.team.id });
    await transact(org.system, async (t) => {
      await recordEvaluationTx(t, { source: 'survey', requestId: complaint.id, level: 5, attitude: 5, comment: '很满意' });
      await recordEvaluationTx(t, { source: 'callback', requestId: inBranch.id, level: 4 });
    });
    await submitFeedback(org.app, org.code, { kind: 'suggestion', body: '希望延长营业时间到晚上八点。', contactName: '李四', contactPhone: '13900001111' }, { locale: 'zh-CN', ip: '127.0.0.1', requestId: null, now: () => new Date() });

    // Requests: every row, Chinese headers, the title names the time zone, local times.
    const all = await get(manager, 'requests.xlsx');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.headers['content-type']).toBe(XLSX_TYPE);
    expect(all.headers['content-disposition']).toMatch(/^attachment; filename="requests-\d{8}-\d{4}\.xlsx"$/);
    const allSheet = await sheetOf(all.rawPayload);
    expect(allSheet.ws.name).toBe('工单');
    expect(allSheet.ws.getRow(TITLE_ROW).getCell(1).text).toContain('Asia/Shanghai');
    expect(allSheet.headers.slice(0, 5)).toEqual(['工单编号', '类型', '优先级', '渠道', '状态']);
    expect(allSheet.rows).toHaveLength(3);
    expect(allSheet.column('客户')).toContain('张三丰');
    expect(allSheet.column('类型')).toContain('投诉');
    expect(allSheet.column('登记时间').every((v) => v instanceof Date)).toBe(true);

    // The list's filters.
    const complaints = await sheetOf((await get(manager, 'requests.xlsx?types=complaint&limit=1')).rawPayload);
    expect(complaints.column('工单编号')).toEqual([complaint.number]);
    // Branch scope: a branch agent sees only the branch's request.
    const scopedSheet = await sheetOf((await get(scoped, 'requests.xlsx')).rawPayload);
    expect(scopedSheet.column('工单编号')).toEqual([inBranch.number]);
    // Without pii:read names are masked.
    const masked = await sheetOf((await get(lead, 'requests.xlsx')).rawPayload);
    expect(masked.column('客户')).toEqual(expect.arrayContaining(['张**', 'J***']));
    expect(masked.column('客户')).not.toContain('张三丰');
    // English when the reader asks for it (header or ?lang=).
    const english = await sheetOf((await get(manager, 'requests.xlsx?types=complaint', 'en-US')).rawPayload);
    expect(english.headers.slice(0, 2)).toEqual(['Number', 'Type']);
    expect(english.column('Type')).toEqual(['Complaint']);
    expect((await sheetOf((await get(manager, 'requests.xlsx?lang=en-US')).rawPayload)).ws.name).toBe('Requests');

    // A script without Accept-Language gets the reader's own language setting.
    await org.app.database.db.update(staffTable).set({ locale: 'en-US' }).where(eq(staffTable.id, desk.manager.staff.id));
    const script = await server.inject({ method: 'GET', url: '/api/v1/exports/requests.xlsx?types=complaint', headers: { authorization: `Bearer ${manager}` } });
    expect((await sheetOf(script.rawPayload)).headers[0]).toBe('Number');
    expect((await sheetOf((await get(manager, 'requests.xlsx?types=complaint')).rawPayload)).headers[0]).toBe('工单编号');

    // Calls: durations and the caller masked without pii:read.
    const calls = await sheetOf((await get(manager, 'calls.xlsx')).rawPayload);
    expect(calls.column('来电号码')).toEqual(['13800000001']);
    expect(calls.ws.getRow(FIRST_DATA_ROW).getCell(calls.headers.indexOf('通话时长') + 1).numFmt).toBe('[h]:mm:ss');
    const callsMasked = await sheetOf((await get(lead, 'calls.xlsx')).rawPayload);
    expect(callsMasked.column('来电号码')[0]).not.toBe('13800000001');
    expect(String(callsMasked.column('来电号码')[0])).toContain('*');

    // Corrective actions, feedback, callbacks, ratings.
    const actions = await sheetOf((await get(lead, 'corrective-actions.xlsx?states=open')).rawPayload);
    expect(actions.column('问题')).toEqual(['巡检发现：窗口无人']);
    expect((await sheetOf((await get(lead, 'corrective-actions.xlsx?states=closed')).rawPayload)).rows).toHaveLength(0);
    const feedback = await sheetOf((await get(manager, 'feedback.xlsx')).rawPayload);
    expect(feedback.column('联系人')).toEqual(['李四']);
    expect(feedback.column('电话')).toEqual(['13900001111']);
    const feedbackMasked = await sheetOf((await get(lead, 'feedback.xlsx')).rawPayload);
    expect(feedbackMasked.column('联系人')).toEqual(['李*']);
    expect(feedbackMasked.column('电话')).not.toEqual(['13900001111']);
    const callbacks = await get(manager, 'callbacks.xlsx?state=pending');
    expect(callbacks.statusCode, callbacks.body).toBe(200);
    expect((await sheetOf(callbacks.rawPayload)).headers[0]).toBe('工单编号');
    const ratings = await get(manager, 'evaluations.xlsx?from=2026-01-01');
    expect(ratings.statusCode, ratings.body).toBe(200);
    const ratingSheet = await sheetOf(ratings.rawPayload);
    expect(ratingSheet.column('工单编号').sort()).toEqual([complaint.number, inBranch.number].sort());
    const fives = await sheetOf((await get(manager, 'evaluations.xlsx?level=5')).rawPayload);
    expect(fives.rows).toHaveLength(1);
    expect(fives.rows[0]![fives.headers.indexOf('满意度')]).toBe(5);
    expect(fives.column('来源')).toEqual(['评价邀请']);
    expect(fives.column('评语')).toEqual(['很满意']);
    expect((await sheetOf((await get(manager, 'evaluations.xlsx?level=1')).rawPayload)).rows).toHaveLength(0);
    // Branch scope holds for ratings too.
    expect((await sheetOf((await get(scoped, 'evaluations.xlsx')).rawPayload)).column('工单编号')).toEqual([inBranch.number]);
    // An exact-number filter is kept masked in the audit log.
    expect((await sheetOf((await get(manager, 'calls.xlsx?phone=13800000001')).rawPayload)).rows).toHaveLength(1);

    const doc = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toContain('/api/v1/exports/{file}');

    // 401, 403 (the list's permission), 400 (unknown table, bad filter, bad language).
    expect((await get(null, 'requests.xlsx')).statusCode).toBe(401);
    expect((await get(agent, 'feedback.xlsx')).statusCode).toBe(403);
    expect((await get(agent, 'callbacks.xlsx')).statusCode).toBe(403);
    expect((await get(manager, 'nope.xlsx')).statusCode).toBe(400);
    expect((await get(manager, 'requests.csv')).statusCode).toBe(400);
    const bad = await get(manager, 'requests.xlsx?states=flying');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    expect((await get(manager, 'requests.xlsx?bogus=1')).statusCode).toBe(400);
    expect((await get(manager, 'evaluations.xlsx?level=9')).statusCode).toBe(400);
    expect((await get(manager, 'requests.xlsx?lang=fr')).statusCode).toBe(400);

    // Audited: who, which table, which filters, how many rows, masked or not.
    const entries = await org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'export.created')));
    const complaintExport = entries.find((e) => (e.after as { filters?: Record<string, string> } | null)?.filters?.types === 'complaint');
    expect(complaintExport).toMatchObject({ actorId: desk.manager.staff.id, entityType: 'export', after: { table: 'requests', rows: 1, capped: false, personalData: 'full' } });
    expect(entries.some((e) => e.actorId === desk.lead.staff.id && (e.after as { personalData?: string }).personalData === 'masked')).toBe(true);
    const byPhone = entries.find((e) => (e.after as { table?: string; filters?: Record<string, string> }).filters?.phone !== undefined);
    expect((byPhone?.after as { filters: Record<string, string> }).filters.phone).not.toBe('13800000001');
    // Refused exports write nothing.
    expect(entries.some((e) => e.actorId === desk.agent1.staff.id)).toBe(false);
  });

  it('caps the rows and says so in a note row', async () => {
    const desk = await buildDesk();
    for (const subject of ['一', '二', '三']) await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject });
    const file = await exportTable(desk.manager.ctx, 'requests', {}, { maxRows: 2 });
    expect(file).toMatchObject({ rows: 2, capped: true });
    const chunks: Buffer[] = [];
    for await (const chunk of file.body) chunks.push(chunk as Buffer);
    const sheet = await sheetOf(Buffer.concat(chunks));
    expect(sheet.rows).toHaveLength(4); // 2 rows, a blank row, the note
    expect(String(sheet.rows[3]![0])).toContain('仅导出前 2 行');
    const whole = await exportTable(desk.manager.ctx, 'requests', {}, { maxRows: 3 });
    expect(whole).toMatchObject({ rows: 3, capped: false });
    whole.body.resume();
  });
});
