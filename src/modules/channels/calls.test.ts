import { eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import type { Ctx } from '../../core/context.js';
import type { DomainEvent } from '../../core/events.js';
import { buildServer } from '../../http/server.js';
import { visibleTo } from '../../http/stream.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { buildOrg, buildStaff, ctxAs, TEST_PASSWORD, type TestOrg } from '../../test/harness.js';
import { createCustomer } from '../org/customers.js';
import { staff as staffTable } from '../org/schema.js';
import { requestDetail } from '../requests/queries.js';
import { loadRequest } from '../requests/service.js';
import * as Calls from './calls.js';
import type { CallImportResult, CsvInvalidDetails } from './calls-contracts.js';
import { calls } from './schema.js';

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** A signed-in HTTP client for one person. */
async function httpAs(org: TestOrg, username: string) {
  const server = await buildServer(org.app, { web: false });
  const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password: TEST_PASSWORD } });
  const cookie = `pledge_session=${res.cookies.find((c) => c.name === 'pledge_session')!.value}`;
  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object | string | Buffer, headers: Record<string, string> = {}, lang = 'zh-CN') =>
    server.inject({ method, url: `/api/v1${url}`, headers: { cookie, 'accept-language': lang, ...headers }, ...(payload !== undefined ? { payload } : {}) });
  const csv = (body: string | Buffer, lang = 'zh-CN') => send('POST', '/calls/import', body, { 'content-type': 'text/csv' }, lang);
  return { server, send, csv };
}

async function callCount(org: TestOrg) {
  return (await org.app.database.db.select({ id: calls.id }).from(calls).where(eq(calls.orgId, org.orgId))).length;
}

/** Contexts of the desk's people at a movable instant. */
function at(desk: Desk, iso: string) {
  let now = new Date(iso);
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(desk.org.app, p.actor, { now: () => now });
  return { set: (v: string) => (now = new Date(v)), agent1: as(desk.agent1), agent2: as(desk.agent2), lead: as(desk.lead), manager: as(desk.manager), admin: as(desk.admin), supervisor: as(desk.supervisor) };
}

const iso = (local: string) => new Date(`${local}+08:00`).toISOString();

describe('calls: records by API', () => {
  it('records calls, updates or skips on the same external id, refuses times out of order, and lists with filters and keyset pages', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const http = await httpAs(org, agent.username);

    const first = await http.send('POST', '/calls', { externalId: 'CDR-1', caller: '13800138000', ringAt: '2026-11-16T10:00:00+08:00', answeredAt: '2026-11-16T10:00:12+08:00', endedAt: '2026-11-16T10:04:00+08:00', agent: agent.username, notes: '咨询宽带资费' });
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expect(created.result).toBe('created');
    expect(created.call).toMatchObject({ externalId: 'CDR-1', direction: 'inbound', caller: '138****8000', answerSeconds: 12, talkSeconds: 228, outcome: 'open', agent: { id: agent.staff.id } });

    // The same call again: nothing new → skipped; a recording link → updated, the notes kept.
    const again = await http.send('POST', '/calls', { externalId: 'CDR-1', caller: '13800138000', ringAt: '2026-11-16T02:00:00Z', answeredAt: '2026-11-16T02:00:12Z' });
    expect(again.statusCode).toBe(200);
    expect(again.json().result).toBe('skipped');
    const more = await http.send('POST', '/calls', { externalId: 'CDR-1', ringAt: '2026-11-16T02:00:00Z', recordingUrl: 'https://pbx.example.cn/rec/1.mp3' });
    expect(more.json()).toMatchObject({ result: 'updated', call: { id: created.call.id, recordingUrl: 'https://pbx.example.cn/rec/1.mp3', notes: '咨询宽带资费' } });

    // A missed call; then the telephony system sends its answer time after all: open.
    const missed = (await http.send('POST', '/calls', { externalId: 'CDR-2', caller: '13900139000', ringAt: '2026-11-16T11:00:00+08:00', endedAt: '2026-11-16T11:00:40+08:00' })).json();
    expect(missed.call).toMatchObject({ outcome: 'missed', answerSeconds: null });

    const wrong = await http.send('POST', '/calls', { caller: '13900139000', ringAt: '2026-11-16T11:00:00+08:00', answeredAt: '2026-11-16T10:59:00+08:00', endedAt: '2026-11-16T10:58:00+08:00' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'call.invalid', message: '通话记录有误：answered_at: 接听时间早于振铃时间；ended_at: 挂机时间早于接听时间' });
    const future = await http.send('POST', '/calls', { ringAt: new Date(Date.now() + 3_600_000).toISOString() }, {}, 'en-US');
    expect(future.json().error.message).toBe('The call record is invalid: ring_at: the ring time is in the future');
    expect((await http.send('POST', '/calls', { ringAt: '2026-11-16T10:00:00', caller: 'abc' })).json().error.code).toBe('validation_failed');
    expect((await http.send('POST', '/calls', { ringAt: '2026-11-16T10:00:00Z', recordingUrl: 'javascript:alert(1)' })).json().error.code).toBe('validation_failed');
    expect((await http.send('POST', '/calls', { ringAt: '2026-11-16T10:00:00Z', agent: 'nobody-here' })).json().error.code).toBe('call.invalid');
    const late = await http.send('POST', '/calls', { externalId: 'CDR-2', ringAt: '2026-11-16T11:00:00+08:00', answeredAt: '2026-11-16T11:00:25+08:00' });
    expect(late.json()).toMatchObject({ result: 'updated', call: { outcome: 'open', answerSeconds: 25 } });

    // 25 more calls, for paging.
    for (let i = 0; i < 25; i++) {
      const ring = new Date(Date.parse('2026-11-17T09:00:00+08:00') + i * 60_000);
      await Calls.createCall(agent.ctx, { externalId: `P-${i}`, caller: '13700137000', ringAt: ring.toISOString(), ...(i % 5 === 0 ? {} : { answeredAt: new Date(ring.getTime() + 8000).toISOString(), agentId: agent.staff.id }) });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await http.send('GET', `/calls?limit=10${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(27);
    expect(new Set(seen).size).toBe(27);
    const unanswered = (await http.send('GET', '/calls?answered=false&limit=100')).json();
    expect(unanswered.items).toHaveLength(5);
    expect((await http.send('GET', '/calls?outcome=missed,request&limit=100')).json().items).toHaveLength(5);
    expect((await http.send('GET', `/calls?from=${encodeURIComponent('2026-11-16T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-17T00:00:00+08:00')}`)).json().items).toHaveLength(2);
    expect((await http.send('GET', '/calls?phone=%2B86%20138-0013-8000')).json().items.map((c: { externalId: string }) => c.externalId)).toEqual(['CDR-1']);
    expect((await http.send('GET', `/calls?agentId=${agent.staff.id}&limit=100`)).json().items).toHaveLength(21);

    // The number is masked for agents and shown to holders of pii:read; the audit log has it masked.
    expect((await Calls.getCall(manager.ctx, created.call.id)).caller).toBe('13800138000');
    const [entry] = await org.app.database.db.select().from(auditLog).where(eq(auditLog.entityId, created.call.id)).limit(1);
    expect(JSON.stringify(entry!.after)).toContain('138****8000');
    expect(JSON.stringify(entry!.after)).not.toContain('13800138000');

    const patched = await http.send('PATCH', `/calls/${missed.call.id}`, { notes: '客户回电后已说明', agentId: agent.staff.id });
    expect(patched.json()).toMatchObject({ notes: '客户回电后已说明', agent: { id: agent.staff.id } });
    await http.server.close();
  });
});

describe('calls: sending a record again', () => {
  it('keeps the stored direction when a later delivery leaves it out; a new call without one is inbound', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const http = await httpAs(org, agent.username);
    const ring = { ringAt: '2026-11-16T10:00:00+08:00', answeredAt: '2026-11-16T10:00:06+08:00' };
    const out = await http.send('POST', '/calls', { externalId: 'OUT-1', direction: 'outbound', caller: '13800138000', ...ring });
    expect(out.json()).toMatchObject({ result: 'created', call: { direction: 'outbound' } });
    // The same call without a direction: nothing new, still outbound.
    const again = await http.send('POST', '/calls', { externalId: 'OUT-1', caller: '13800138000', ...ring });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ result: 'skipped', call: { direction: 'outbound' } });
    // Something new without a direction: updated, the direction kept.
    const notes = await http.send('POST', '/calls', { externalId: 'OUT-1', ...ring, notes: '回访客户' });
    expect(notes.json()).toMatchObject({ result: 'updated', call: { direction: 'outbound', notes: '回访客户' } });
    // A direction that is sent does count.
    expect((await http.send('POST', '/calls', { externalId: 'OUT-1', ...ring, direction: 'inbound' })).json()).toMatchObject({ result: 'updated', call: { direction: 'inbound' } });
    // A new call without a direction is inbound.
    expect((await http.send('POST', '/calls', { externalId: 'IN-1', ...ring })).json()).toMatchObject({ result: 'created', call: { direction: 'inbound' } });
    await http.server.close();
  });
});

describe('calls: live events', () => {
  it('carry the branch of the call, so the stream shows them to staff of that branch; imports are call.imported', async () => {
    const org = await buildOrg();
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const agentB1 = await buildStaff(org, 'agent', { branchId: org.branchId });
    const agentHq = await buildStaff(org, 'agent');
    const events: DomainEvent[] = [];
    const unsubscribe = org.app.bus.subscribe('*', (e) => void (e.type.startsWith('call') && events.push(e)));
    try {
      const b1Call = (await Calls.createCall(manager.ctx, { caller: '13800000001', ringAt: '2026-11-16T10:00:00+08:00', answeredAt: '2026-11-16T10:00:03+08:00', agentId: agentB1.staff.id })).call;
      const queueCall = (await Calls.createCall(manager.ctx, { caller: '13800000002', ringAt: '2026-11-16T10:01:00+08:00' })).call;
      await Calls.updateCall(manager.ctx, b1Call.id, { notes: '已回访' });
      await Calls.callToRequest(agentB1.ctx, b1Call.id, { type: 'consultation', subject: '咨询' });
      await Calls.importCalls(manager.ctx, Buffer.from('caller,ring_at\n13800000003,2026-11-16 10:00:00\n'));
      await org.app.bus.drain();

      expect(events.map((e) => [e.type, e.data?.branchId])).toEqual([
        ['call.created', org.branchId],
        ['call.created', null],
        ['call.updated', org.branchId],
        ['call.handled', org.branchId],
        ['call.imported', undefined],
      ]);
      expect(events[0]!.data).toMatchObject({ callId: b1Call.id, outcome: 'open', agentId: agentB1.staff.id });
      expect(events[1]!.data).toMatchObject({ callId: queueCall.id, outcome: 'missed', agentId: null });
      expect(events[4]!.data).toMatchObject({ rows: 1, created: 1 });

      // Head-office staff scoped to their branch: not the other branch's call, but the shared queue and the import.
      const seen = (actor: { id: string }, branchOnly: string | null) =>
        events.filter((e) => visibleTo({ kind: 'staff', id: actor.id, orgId: org.orgId }, branchOnly, true, e)).map((e) => e.type);
      expect(seen(agentHq.staff, org.headOfficeId)).toEqual(['call.created', 'call.imported']);
      expect(seen(agentB1.staff, org.branchId)).toEqual(['call.created', 'call.created', 'call.updated', 'call.handled', 'call.imported']);
    } finally {
      unsubscribe();
    }
  });
});

describe('calls: CSV import', () => {
  const HEADER = 'external_id,caller,ring_at,answered_at,ended_at,agent,recording_url,notes,direction,queue';

  it('imports a good file in one go, skips it the second time, updates changed rows, and refuses a bad file whole', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent', { username: `cz_${Date.now()}` });
    const http = await httpAs(org, agent.username);
    const good = [
      HEADER,
      `A-1,13800138000,2026-11-16T10:00:00+08:00,2026-11-16T10:00:05+08:00,2026-11-16T10:03:00+08:00,${agent.username},https://pbx.example.cn/a1.mp3,"账单疑问, 已解释",inbound,Q1`,
      `A-2,13900139000,2026-11-16 10:10:00,,2026-11-16 10:10:30,,,,,Q1`,
      `A-3,,2026/11/16 10:20,2026/11/16 10:20:40,2026/11/16 10:25,${agent.username.toUpperCase()},,,呼出,Q2`,
    ].join('\r\n');
    const res = await http.csv(`\uFEFF${good}\r\n`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rows: 3, created: 3, updated: 0, skipped: 0, encoding: 'utf-8', ignoredColumns: ['queue'] } satisfies CallImportResult);
    const list = (await http.send('GET', '/calls')).json().items as { externalId: string; ringAt: string; outcome: string; notes: string | null; direction: string; agent: { id: string } | null; answerSeconds: number | null }[];
    const byId = new Map(list.map((c) => [c.externalId, c]));
    expect(byId.get('A-1')).toMatchObject({ notes: '账单疑问, 已解释', answerSeconds: 5, outcome: 'open', agent: { id: agent.staff.id } });
    // Local times are in the organization's zone (Asia/Shanghai).
    expect(byId.get('A-2')).toMatchObject({ ringAt: iso('2026-11-16T10:10:00'), outcome: 'missed' });
    expect(byId.get('A-3')).toMatchObject({ ringAt: iso('2026-11-16T10:20:00'), direction: 'outbound', answerSeconds: 40, agent: { id: agent.staff.id } });

    expect((await http.csv(good)).json()).toMatchObject({ created: 0, updated: 0, skipped: 3 });
    const changed = good.replace(',2026-11-16 10:10:00,,', ',2026-11-16 10:10:00,2026-11-16 10:10:20,').concat('\r\nA-4,13600136000,2026-11-16 11:00:00,,,,,,,');
    expect((await http.csv(changed)).json()).toMatchObject({ rows: 4, created: 1, updated: 1, skipped: 2 });
    expect((await http.send('GET', '/calls?outcome=missed')).json().items.map((c: { externalId: string }) => c.externalId)).toEqual(['A-4']);

    // Bad rows: every one named by row and column, and nothing written.
    const before = await callCount(org);
    const bad = [
      HEADER,
      'B-1,13800138000,2026-11-16 09:00:00,,,,,,,',
      'B-2,138-abc,2026-11-16 25:00:00,,,ghost,ftp://x/y,,sideways,',
      'B-3,13800138000,2026-11-16 09:00:00,2026-11-16 08:59:00,,,,,,',
      'B-1,13800138000,,,,,,,,',
    ].join('\n');
    const refused = await http.csv(bad);
    expect(refused.statusCode).toBe(400);
    const error = refused.json().error as { code: string; message: string; details: CsvInvalidDetails };
    expect(error.code).toBe('csv.invalid');
    expect(error.message).toContain('第 3 行「caller」');
    const problems = error.details.errors.map((e) => `${e.row}:${e.column}`);
    expect(problems).toEqual(['3:caller', '3:ring_at', '3:direction', '3:agent', '3:recording_url', '4:answered_at', '5:ring_at', '5:external_id']);
    expect(error.details.errors.find((e) => e.row === 5 && e.field === 'external_id')!.message).toBe('通话编号与第 2 行重复');
    expect(await callCount(org)).toBe(before);

    const english = await http.csv('caller,answered_at\n1,2\n', 'en-US');
    expect(english.json().error.details.errors.map((e: { message: string }) => e.message)).toEqual(['the required column ring_at is missing']);
    expect((await http.csv('caller,ring_at\n')).json().error.message).toBe('CSV 文件有误：文件中没有数据行');
    expect((await http.csv('caller,ring_at\n"138,2026-11-16 09:00:00\n')).json().error.code).toBe('csv.invalid');
    await http.server.close();
  });

  it('reads Chinese headers, GBK files from Excel, and Chinese agent names by employee number', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const agent = await buildStaff(org, 'agent');
    await org.app.database.db.update(staffTable).set({ employeeNo: 'G007' }).where(eq(staffTable.id, agent.staff.id));
    const customer = await createCustomer(admin.ctx, { name: '赵六', phone: '13512345678' });
    const http = await httpAs(org, admin.username);
    const text = [
      '通话编号,主叫号码,振铃时间,接听时间,挂机时间,坐席,录音链接,备注,呼叫方向',
      'G-1,13512345678,2026-11-16 14:00:00,2026-11-16 14:00:18,2026-11-16 14:06:00,G007,,客户反映停水，已登记,呼入',
      'G-2,13512345678,2026-11-16 15:00:00,,2026-11-16 15:00:03,,,,呼入',
    ].join('\r\n');
    const gbk = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const res = await http.csv(gbk);
    expect(res.json()).toMatchObject({ rows: 2, created: 2, encoding: 'gb18030', ignoredColumns: [] });
    const items = (await http.send('GET', '/calls')).json().items as { externalId: string; notes: string | null; agent: { id: string } | null; customer: { id: string; name: string } | null; ringAt: string }[];
    const g1 = items.find((c) => c.externalId === 'G-1')!;
    expect(g1).toMatchObject({ notes: '客户反映停水，已登记', agent: { id: agent.staff.id }, customer: { id: customer.id, name: '赵六' }, ringAt: iso('2026-11-16T14:00:00') });

    // UTF-8 with Chinese headers (and a BOM), an unknown agent reported by its Chinese column name.
    const bad = await http.csv(`\uFEFF主叫号码,振铃时间,坐席\n13512345678,2026-11-16 16:00:00,不存在的人\n`);
    expect(bad.json().error.details.errors).toEqual([{ row: 2, column: '坐席', field: 'agent', message: '找不到该坐席（请填写用户名或工号）' }]);
    await http.server.close();
  });

  it('imports 5,000 rows in one transaction', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const lines = ['external_id,caller,ring_at,answered_at,agent'];
    const start = Date.parse('2026-10-01T00:00:00Z');
    for (let i = 0; i < 5000; i++) {
      const ring = new Date(start + i * 60_000);
      lines.push(`BULK-${i},1380000${String(i).padStart(4, '0')},${ring.toISOString()},${i % 10 === 0 ? '' : new Date(ring.getTime() + (i % 40) * 1000).toISOString()},${agent.username}`);
    }
    const result = await Calls.importCalls(agent.ctx, Buffer.from(lines.join('\n')));
    expect(result).toMatchObject({ rows: 5000, created: 5000 });
    expect(await callCount(org)).toBe(5000);
    expect((await Calls.importCalls(agent.ctx, Buffer.from(lines.join('\n')))).skipped).toBe(5000);
  });
});

describe('calls: dealing with a call', () => {
  it('turns a call into a request registered at the ring, with the first response met at the answer', async () => {
    const desk = await buildDesk();
    const customer = await createCustomer(desk.admin.ctx, { name: '钱女士', phone: '13611112222', flags: ['elderly'] });
    const c = at(desk, '2026-11-23T10:05:00+08:00');
    const { call } = await Calls.createCall(c.agent1, { externalId: 'R-1', caller: '13611112222', ringAt: '2026-11-23T10:00:00+08:00', answeredAt: '2026-11-23T10:00:15+08:00', endedAt: '2026-11-23T10:04:00+08:00', agentId: desk.agent1.staff.id, notes: '宽带报修' });
    expect(call.customer).toEqual({ id: customer.id, name: '钱女士' });
    const detail = await Calls.getCall(c.agent1, call.id);
    expect(detail.customerMatches).toEqual([{ id: customer.id, name: '钱女士', phone: '136****2222', flags: ['elderly'] }]);

    const handled = await Calls.callToRequest(c.agent1, call.id, { type: 'service_request', subject: '宽带断网报修' });
    expect(handled.call).toMatchObject({ outcome: 'request', requestId: handled.request.id, requestNumber: handled.request.number, request: { state: 'registered' } });
    const { request, timeline } = await requestDetail(c.agent1, handled.request.id);
    expect(request).toMatchObject({ channel: 'phone', customerId: customer.id, customerFlags: ['elderly'], description: '宽带报修', contactPhone: '136****2222' });
    expect(request.createdAt).toBe(iso('2026-11-23T10:00:00'));
    expect(request.firstResponseAt).toBe(iso('2026-11-23T10:00:15'));
    const first = request.clocks.find((k) => k.kind === 'first_response')!;
    // The desk's first-response promise (30 min, office hours) started at the ring and was met at the answer.
    expect(first).toMatchObject({ state: 'met', startedAt: iso('2026-11-23T10:00:00'), metAt: iso('2026-11-23T10:00:15'), dueAt: iso('2026-11-23T10:30:00') });
    expect(request.clocks.find((k) => k.kind === 'resolved')!.state).toBe('running');
    expect(timeline.some((e) => e.type === 'event' && e.kind === 'register')).toBe(true);

    const again = await expectCode(Calls.callToRequest(c.agent2, call.id, { type: 'consultation', subject: '重复' }), 'call.already_handled');
    expect(again.params.status).toBe('turned_into_request');
    await expectCode(Calls.resolveCall(c.agent1, call.id, { notes: '已解决' }), 'call.already_handled');

    // A missed call turned into a request (a call-back): nobody has responded yet, the clock runs from the ring.
    const missed = (await Calls.createCall(c.agent1, { caller: '13633334444', ringAt: '2026-11-23T10:01:00+08:00', endedAt: '2026-11-23T10:01:30+08:00' })).call;
    expect(missed.outcome).toBe('missed');
    const callback = await Calls.callToRequest(c.agent2, missed.id, { type: 'consultation', subject: '未接来电回拨' });
    const cb = await requestDetail(c.agent2, callback.request.id);
    expect(cb.request.firstResponseAt).toBeNull();
    expect(cb.request.clocks.find((k) => k.kind === 'first_response')).toMatchObject({ state: 'running', dueAt: iso('2026-11-23T10:31:00') });
  });

  it('logs a call as resolved at first contact: a request walked through the loop to archived at once', async () => {
    const desk = await buildDesk();
    const c = at(desk, '2026-11-23T14:10:00+08:00');
    const { call } = await Calls.createCall(c.agent2, { caller: '13655556666', ringAt: '2026-11-23T14:00:00+08:00', answeredAt: '2026-11-23T14:00:04+08:00', endedAt: '2026-11-23T14:03:00+08:00', agentId: desk.agent2.staff.id });
    const handled = await Calls.resolveCall(c.agent2, call.id, { notes: '告知营业厅周末营业时间为 9:00-17:00\n客户满意' });
    expect(handled.request.state).toBe('archived');
    expect(handled.call).toMatchObject({ outcome: 'resolved_first_contact', notes: '告知营业厅周末营业时间为 9:00-17:00\n客户满意', request: { state: 'archived' } });
    const row = await loadRequest(desk.org.app.database.db, c.agent2, handled.request.id);
    expect(row).toMatchObject({ type: 'consultation', channel: 'phone', subject: '告知营业厅周末营业时间为 9:00-17:00', assigneeId: desk.agent2.staff.id, reopenCount: 0 });
    expect(row.resolvedAt?.toISOString()).toBe(iso('2026-11-23T14:10:00'));
    expect(row.archivedAt?.toISOString()).toBe(iso('2026-11-23T14:10:00'));
    const { request, timeline } = await requestDetail(c.agent2, handled.request.id);
    expect(timeline.filter((e) => e.type === 'event' && e.kind === 'transition').map((e) => (e.type === 'event' ? e.action : null))).toEqual(['analyse', 'start_handling', 'deliver_result', 'archive']);
    expect(timeline.some((e) => e.type === 'message' && e.message.kind === 'reply' && e.message.body.startsWith('告知营业厅'))).toBe(true);
    expect(request.clocks.every((k) => k.state === 'met' || k.state === 'cancelled')).toBe(true);
    expect(request.clocks.find((k) => k.kind === 'first_response')!.metAt).toBe(iso('2026-11-23T14:00:04'));

    const missed = (await Calls.createCall(c.agent2, { caller: '13655556666', ringAt: '2026-11-23T14:05:00+08:00' })).call;
    await expectCode(Calls.resolveCall(c.agent2, missed.id, { notes: '无法解决' }), 'call.not_answered');
    expect((await Calls.getCall(c.agent2, missed.id)).outcome).toBe('missed');
  });
});

describe('calls: permissions', () => {
  it('lets the auditor read but not write, and keeps branch agents to their branch and the shared queue', async () => {
    const org = await buildOrg();
    const agentHq = await buildStaff(org, 'agent');
    const agentB1 = await buildStaff(org, 'agent', { branchId: org.branchId });
    const auditor = await buildStaff(org, 'auditor', { scope: 'organization' });
    const hqCall = (await Calls.createCall(agentHq.ctx, { caller: '13800000001', ringAt: '2026-11-16T10:00:00+08:00', answeredAt: '2026-11-16T10:00:03+08:00', agentId: agentHq.staff.id })).call;
    const queueCall = (await Calls.createCall(agentHq.ctx, { caller: '13800000002', ringAt: '2026-11-16T10:01:00+08:00' })).call;

    expect((await Calls.listCalls(auditor.ctx, {})).items).toHaveLength(2);
    expect((await Calls.getCall(auditor.ctx, hqCall.id)).caller).toBe('138****0001');
    expect((await Calls.callServiceLevel(auditor.ctx, { from: '2026-11-16T00:00:00Z', to: '2026-11-17T00:00:00Z' })).offered).toBe(2);
    await expectCode(Calls.importCalls(auditor.ctx, Buffer.from('caller,ring_at\n13800000003,2026-11-16 10:00:00\n')), 'forbidden');
    await expectCode(Calls.createCall(auditor.ctx, { ringAt: '2026-11-16T10:00:00Z' }), 'forbidden');
    await expectCode(Calls.updateCall(auditor.ctx, hqCall.id, { notes: 'x' }), 'forbidden');
    await expectCode(Calls.resolveCall(auditor.ctx, hqCall.id, { notes: 'x' }), 'forbidden');
    const http = await httpAs(org, auditor.username);
    expect((await http.csv('caller,ring_at\n13800000003,2026-11-16 10:00:00\n')).statusCode).toBe(403);
    await http.server.close();

    // The branch agent sees the shared queue, not the head office's answered call, and may not record for its agents.
    expect((await Calls.listCalls(agentB1.ctx, {})).items.map((c) => c.id)).toEqual([queueCall.id]);
    await expectCode(Calls.getCall(agentB1.ctx, hqCall.id), 'not_found');
    // Their service level: their branch's calls and the shared queue, whatever branch they ask for.
    const range = { from: '2026-11-16T00:00:00Z', to: '2026-11-17T00:00:00Z' };
    expect(await Calls.callServiceLevel(agentB1.ctx, { ...range, branchId: org.headOfficeId })).toMatchObject({ offered: 1, answered: 0, abandoned: 1 });
    await expectCode(Calls.callToRequest(agentB1.ctx, hqCall.id, { type: 'consultation', subject: 'x' }), 'not_found');
    await expectCode(Calls.createCall(agentB1.ctx, { ringAt: '2026-11-16T10:00:00Z', agentId: agentHq.staff.id }), 'forbidden');
    const refused = await expectCode(Calls.importCalls(agentB1.ctx, Buffer.from(`caller,ring_at,agent\n13800000003,2026-11-16 10:00:00,${agentHq.username}\n`)), 'csv.invalid');
    expect((refused.details as CsvInvalidDetails).errors[0]!.message).toBe('该坐席属于其他机构，您无权登记其通话');
    const queued = await Calls.callToRequest(agentB1.ctx, queueCall.id, { type: 'consultation', subject: '回拨' });
    expect(queued.call.outcome).toBe('request');
  });
});

describe('calls: service level', () => {
  it('computes the figures of a known day through the API, by threshold, agent and branch', async () => {
    const org = await buildOrg();
    const a = await buildStaff(org, 'agent');
    const b = await buildStaff(org, 'agent', { branchId: org.branchId });
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const day = '2026-11-18';
    const rows = [
      // delay (s) | null, ring length for unanswered, agent
      [3, null, a], [10, null, a], [20, null, b], [25, null, b], [60, null, a],
      [null, 2, null], // short abandon
      [null, 30, null], // abandoned
    ] as const;
    const lines = ['caller,ring_at,answered_at,ended_at,agent'];
    rows.forEach(([delay, rang, who], i) => {
      const ring = Date.parse(`${day}T09:00:00+08:00`) + i * 600_000;
      const answered = delay === null ? '' : new Date(ring + delay * 1000).toISOString();
      const ended = new Date(ring + (delay === null ? Number(rang) : delay + 120) * 1000).toISOString();
      lines.push(`1390000000${i},${new Date(ring).toISOString()},${answered},${ended},${who?.username ?? ''}`);
    });
    lines.push(`13900000009,${day} 12:00:00,${day} 12:00:01,${day} 12:05:00,${a.username}`);
    // An outbound call does not count.
    await Calls.importCalls(manager.ctx, Buffer.from(lines.join('\n')));
    await Calls.createCall(manager.ctx, { direction: 'outbound', caller: '13900000010', ringAt: `${day}T13:00:00+08:00`, answeredAt: `${day}T13:00:02+08:00` });

    const http = await httpAs(org, manager.username);
    const range = `from=${encodeURIComponent(`${day}T00:00:00+08:00`)}&to=${encodeURIComponent(`${day}T23:59:59+08:00`)}`;
    const sl = (await http.send('GET', `/calls/service-level?${range}&threshold=20`)).json();
    // 8 inbound: answered 3/10/20/25/60/1 (the 12:00 one), abandoned 1, short 1 → offered 7, within 20 s: 4.
    expect(sl).toMatchObject({ offered: 7, answered: 6, answeredWithin: 4, abandoned: 1, shortAbandoned: 1, thresholdSeconds: 20, shortAbandonSeconds: 5 });
    expect(sl.serviceLevel).toBeCloseTo(4 / 7, 10);
    expect(sl.averageAnswerSeconds).toBeCloseTo((3 + 10 + 20 + 25 + 60 + 1) / 6, 10);
    expect(sl.p90AnswerSeconds).toBe(60);
    expect(sl.distribution.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBe(6);

    const strict = (await http.send('GET', `/calls/service-level?${range}&threshold=10&shortAbandon=0`)).json();
    expect(strict).toMatchObject({ offered: 8, answeredWithin: 3, abandoned: 2 });
    const ofB = (await http.send('GET', `/calls/service-level?${range}&branchId=${org.branchId}`)).json();
    // The branch's agents answered two; the abandoned call nobody took counts against the branch too.
    expect(ofB).toMatchObject({ offered: 3, answered: 2, answeredWithin: 1, abandoned: 1 });
    const ofA = (await http.send('GET', `/calls/service-level?${range}&agentId=${a.staff.id}`)).json();
    expect(ofA).toMatchObject({ offered: 4, answeredWithin: 3 });
    const tooLong = await http.send('GET', '/calls/service-level?from=2025-01-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(tooLong.statusCode).toBe(400);
    await http.server.close();
  });
});

describe('walk-in', () => {
  it('registers an in-person visit as a request with just a type and a subject', async () => {
    const desk = await buildDesk();
    const http = await httpAs(desk.org, desk.agent1.username);
    const res = await http.send('POST', '/requests', { type: 'consultation', subject: '办理过户需要哪些材料', channel: 'walk_in' });
    expect(res.statusCode).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ channel: 'walk_in', state: 'registered', priority: 'general', description: '' });
    expect(view.firstResponseAt).not.toBeNull();
    expect(view.clocks.find((k: { kind: string }) => k.kind === 'first_response').state).toBe('met');
    await http.server.close();
  });
});
