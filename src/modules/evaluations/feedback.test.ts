import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../core/db/schema.js';
import type { EmailPayload } from '../../core/outbox.js';
import { buildServer } from '../../http/server.js';
import { ClockWatcher } from '../../jobs/clock-watcher.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { clocks } from '../clocks/schema.js';
import { createApiToken } from '../org/auth.js';
import { notifications, requests } from '../requests/schema.js';
import * as F from './feedback.js';
import { publicFeedback } from './schema.js';

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function http(desk: Desk) {
  const server = await buildServer(desk.org.app, { web: false });
  servers.push(server);
  const token = async (who: 'manager' | 'lead' | 'agent1' | 'supervisor' | 'admin', scopes: string[]) => (await createApiToken(desk[who].ctx, { name: `t-${who}`, scopes })).token;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, options: { payload?: object; token?: string; lang?: string } = {}) =>
    server.inject({
      method, url: `/api/v1${url}`,
      headers: { 'accept-language': options.lang ?? 'zh-CN', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  return { server, call, token, pub: `/public/${desk.org.code}/feedback` };
}

const at = (local: string) => new Date(`${local}+08:00`);
const visitor = (now: Date) => ({ locale: 'zh-CN' as const, ip: '127.0.0.1', requestId: null, now: () => now });

async function row(desk: Desk, number: string) {
  const [r] = await desk.org.app.database.db.select().from(publicFeedback).where(and(eq(publicFeedback.orgId, desk.org.orgId), eq(publicFeedback.number, number)));
  return r!;
}

async function clockOf(desk: Desk, id: string) {
  const [c] = await desk.org.app.database.db.select().from(clocks).where(and(eq(clocks.orgId, desk.org.orgId), eq(clocks.subjectType, 'feedback'), eq(clocks.subjectId, id)));
  return c;
}

const form = { kind: 'suggestion', body: '营业厅周六下午排队太长，建议增加一个窗口。我的电话 13800138000。', contactName: '林晓燕', contactPhone: '13800138000', contactEmail: 'lin@example.cn', consentToPublish: true };

describe('public feedback (意见反馈)', () => {
  it('submits without an account: number and code, phone encrypted, an answer clock, an acknowledgement e-mail; a complaint also registers a request', async () => {
    const desk = await buildDesk();
    const h = await http(desk);
    const res = await h.call('POST', h.pub, { payload: form });
    expect(res.statusCode).toBe(201);
    const submitted = res.json();
    expect(submitted.number).toMatch(/^FK-\d{8}-0001$/);
    expect(submitted.code).toMatch(/^[A-Z2-9]{10}$/);
    expect(submitted.link).toBe(`/public/${desk.org.code}/feedback/${submitted.number}?k=${submitted.code}`);
    expect(submitted.emailed).toBe(true);
    expect(submitted.answerDueAt).not.toBeNull();

    const stored = await row(desk, submitted.number);
    expect(stored).toMatchObject({ kind: 'suggestion', state: 'received', requestId: null, contactPhoneLast4: '8000', consentToPublish: true });
    expect(stored.contactPhoneEnc).not.toContain('13800138000');
    expect(stored.lookupTokenHash).not.toContain(submitted.code);
    const clock = await clockOf(desk, stored.id);
    expect(clock).toMatchObject({ kind: 'answer', state: 'running', calendarId: desk.officeCal.id, duration: 'P5D' });
    expect(clock!.dueAt.toISOString()).toBe(submitted.answerDueAt);

    const mails = (await desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId))).map((r) => r.payload as EmailPayload);
    expect(mails.find((m) => m.to === 'lin@example.cn')?.text).toContain(submitted.code);

    const complaint = await h.call('POST', h.pub, { payload: { kind: 'complaint', body: '工作人员态度恶劣，拒绝解释收费依据。', contactPhone: '021-87654321' } });
    expect(complaint.statusCode).toBe(201);
    expect(complaint.json().number).toMatch(/-0002$/);
    const c = await row(desk, complaint.json().number);
    const [request] = await desk.org.app.database.db.select().from(requests).where(eq(requests.id, c.requestId!));
    expect(request).toMatchObject({ type: 'complaint', channel: 'web', state: 'registered', description: '工作人员态度恶劣，拒绝解释收费依据。' });
    expect(request!.subject).toContain(complaint.json().number);
    expect(request!.tags).toContain('feedback');
  });

  it('refuses bad input with 400 and floods with 429; nothing half-written', async () => {
    const desk = await buildDesk();
    const h = await http(desk);
    const bad = await h.call('POST', h.pub, { payload: { kind: 'rumour', body: '短' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect((await h.call('POST', h.pub, { payload: { ...form, contactEmail: 'not-an-address' } })).statusCode).toBe(400);
    expect((await h.call('POST', `/public/nosuchorg/feedback`, { payload: form })).statusCode).toBe(404);
    const rows = await desk.org.app.database.db.select().from(publicFeedback).where(eq(publicFeedback.orgId, desk.org.orgId));
    expect(rows).toHaveLength(0);
    const codes: number[] = [];
    // Bodies refused by the schema never reach the limiter; the unknown organization took one of the 5 tokens.
    for (let i = 0; i < 5; i++) codes.push((await h.call('POST', h.pub, { payload: form })).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 429]);
    expect((await h.call('POST', h.pub, { payload: form })).json().error.code).toBe('rate_limited');
  });

  it('the answer clock: met when answered in time, breached by the watcher when late, cancelled when invalid', async () => {
    const desk = await buildDesk();
    const app = desk.org.app;
    // Monday 2 March 2026, 10:00: five working days on the office calendar → the end of Monday 9 March.
    const monday = at('2026-03-02T10:00:00');
    const onTime = await F.submitFeedback(app, desk.org.code, { kind: 'praise', body: '王师傅上门维修很耐心，特此表扬！' }, visitor(monday));
    expect(onTime.answerDueAt).toBe(at('2026-03-09T18:00:00').toISOString());
    const late = await F.submitFeedback(app, desk.org.code, { kind: 'suggestion', body: '希望开通微信查询账单的功能。' }, visitor(monday));
    const spam = await F.submitFeedback(app, desk.org.code, { kind: 'suggestion', body: '点击链接领取大奖 http://spam.example' }, visitor(monday));

    const lead = { ...desk.lead.ctx, now: () => at('2026-03-04T15:00:00') };
    const ids = { onTime: (await row(desk, onTime.number)).id, late: (await row(desk, late.number)).id, spam: (await row(desk, spam.number)).id };
    const answered = await F.answerFeedback(lead, ids.onTime, { answer: '感谢您的表扬，我们已转达王师傅。' });
    expect(answered).toMatchObject({ state: 'answered', answeredBy: { id: desk.lead.staff.id }, clock: { state: 'met', breachedAt: null } });
    const invalid = await F.invalidateFeedback(lead, ids.spam, { reason: 'spam', note: '广告' });
    expect(invalid).toMatchObject({ state: 'invalid', invalidReason: 'spam', clock: { state: 'cancelled' } });
    await expect(F.answerFeedback(lead, ids.spam, { answer: '…' })).rejects.toMatchObject({ code: 'feedback.wrong_state' });

    // The watcher at Tuesday 10 March breaches the one still waiting, and only it.
    const watcher = new ClockWatcher(app, { now: () => at('2026-03-10T09:00:00') });
    await watcher.runOnce();
    expect(await clockOf(desk, ids.late)).toMatchObject({ state: 'breached', breachedAt: at('2026-03-09T18:00:00') });
    expect((await clockOf(desk, ids.onTime))!.state).toBe('met');
    expect((await clockOf(desk, ids.spam))!.state).toBe('cancelled');
    const overdue = await F.listFeedback(desk.lead.ctx, { overdue: true });
    expect(overdue.items.map((i) => i.number)).toEqual([late.number]);
    // The inbox's keepers (managers and supervisors) are told of the overdue one, and of nothing else.
    const told = await app.database.db.select().from(notifications).where(and(eq(notifications.orgId, desk.org.orgId), inArray(notifications.kind, ['feedback.warning', 'feedback.overdue'])));
    expect(told.map((n) => [n.kind, n.params.feedbackId, n.params.number])).toEqual(told.map(() => ['feedback.overdue', ids.late, late.number]));
    expect(new Set(told.map((n) => n.recipientId))).toEqual(new Set([desk.manager.staff.id, desk.supervisor.staff.id]));

    // Answering late still answers; the breach stays on the record.
    const lateAnswer = await F.answerFeedback({ ...desk.lead.ctx, now: () => at('2026-03-10T10:00:00') }, ids.late, { answer: '该功能已列入计划。' });
    expect(lateAnswer.clock).toMatchObject({ state: 'met', breachedAt: at('2026-03-09T18:00:00').toISOString(), metAt: at('2026-03-10T10:00:00').toISOString() });
  });

  it('looks up by number and code; a wrong code or an unknown number is 404 link.invalid', async () => {
    const desk = await buildDesk();
    const h = await http(desk);
    const { number, code } = (await h.call('POST', h.pub, { payload: form })).json();
    const before = await h.call('GET', `${h.pub}/${number}?k=${code}`);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ number, kind: 'suggestion', state: 'received', answer: null, published: false });
    expect(before.json().answerDueAt).not.toBeNull();
    expect(before.json()).not.toHaveProperty('contactPhone');

    for (const url of [`${h.pub}/${number}?k=AAAAAAAAAA`, `${h.pub}/${number}`, `${h.pub}/FK-20000101-0001?k=${code}`]) {
      const res = await h.call('GET', url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('link.invalid');
    }

    await F.answerFeedback(desk.lead.ctx, (await row(desk, number)).id, { answer: '已于本周起在周六下午增开一个窗口。' });
    const after = await h.call('GET', `${h.pub}/${number}?k=${code.toLowerCase()}`);
    expect(after.json()).toMatchObject({ state: 'answered', answer: '已于本周起在周六下午增开一个窗口。', answerDueAt: null });
    const mails = (await desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId))).map((r) => r.payload as EmailPayload);
    expect(mails.filter((m) => m.to === 'lin@example.cn').map((m) => m.text).join('\n')).toContain('已于本周起在周六下午增开一个窗口。');
  });

  it('publishes answered items with consent only; the public list never shows the phone, e-mail or name', async () => {
    const desk = await buildDesk();
    const h = await http(desk);
    const lead = desk.lead.ctx;
    const withConsent = (await h.call('POST', h.pub, { payload: form })).json();
    const noConsent = (await h.call('POST', h.pub, { payload: { ...form, consentToPublish: false } })).json();
    const a = (await row(desk, withConsent.number)).id;
    const b = (await row(desk, noConsent.number)).id;

    await expect(F.publishFeedback(lead, a, { summary: '建议增加窗口' })).rejects.toMatchObject({ code: 'feedback.wrong_state' });
    const answer = '林晓燕您好，已增开窗口，如有问题请拨打 13800138000 或写信至 lin@example.cn。';
    const detail = await F.answerFeedback(lead, a, { answer });
    expect(detail.publishBlocker).toBeNull();
    expect(detail.suggestedSummary).toBe('营业厅周六下午排队太长，建议增加一个窗口。我的电话 ***。');
    expect(detail.publicAnswer).toBe('***您好，已增开窗口，如有问题请拨打 *** 或写信至 ***。');
    await F.answerFeedback(lead, b, { answer: '已增开窗口。' });
    await expect(F.publishFeedback(lead, b, { summary: '建议增加窗口' })).rejects.toMatchObject({ code: 'feedback.no_consent' });

    // The summary staff write is scrubbed too.
    const published = await F.publishFeedback(lead, a, { summary: '林晓燕（13800138000）建议周六增加窗口' });
    expect(published).toMatchObject({ published: true, publicSummary: '***（***）建议周六增加窗口' });
    const list = await h.call('GET', h.pub);
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(1);
    const [item] = list.json().items;
    expect(item).toMatchObject({ number: withConsent.number, kind: 'suggestion', summary: '***（***）建议周六增加窗口', answer: '***您好，已增开窗口，如有问题请拨打 *** 或写信至 ***。' });
    expect(Object.keys(item).sort()).toEqual(['answer', 'answeredAt', 'createdAt', 'kind', 'number', 'publishedAt', 'summary']);
    const text = list.body;
    for (const secret of ['13800138000', 'lin@example.cn', '林晓燕', '8000']) expect(text).not.toContain(secret);

    // Over HTTP: 409 with the code; unpublishing takes it off the list.
    const token = await h.token('lead', ['feedback.handle']);
    const refused = await h.call('POST', `/feedback/${b}/publish`, { token, payload: { summary: 'x' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('feedback.no_consent');
    expect((await h.call('POST', `/feedback/${a}/unpublish`, { token })).json().published).toBe(false);
    expect((await h.call('GET', h.pub)).json()).toEqual({ items: [], total: 0, answerWithin: 'P5D' });
  });

  it('permissions: feedback.handle for the inbox (agents and auditors refused), pii:read for contacts, evaluation.configure for settings', async () => {
    const desk = await buildDesk();
    const h = await http(desk);
    const { number } = (await h.call('POST', h.pub, { payload: form })).json();
    const id = (await row(desk, number)).id;

    expect((await h.call('GET', '/feedback')).statusCode).toBe(401);
    const agent = await h.token('agent1', ['request.read']);
    expect((await h.call('GET', '/feedback', { token: agent })).statusCode).toBe(403);
    const auditor = (await import('../../test/harness.js')).buildStaff;
    const aud = await auditor(desk.org, 'auditor');
    await expect(F.listFeedback(aud.ctx, {})).rejects.toMatchObject({ code: 'forbidden' });

    const lead = await h.token('lead', ['feedback.handle']);
    const list = await h.call('GET', '/feedback?state=received&kind=suggestion', { token: lead });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({ number, contactPhone: '138****8000', contactEmail: 'li***@example.cn', contactName: '林晓燕' });
    const manager = await h.token('manager', ['feedback.handle', 'pii:read', 'evaluation.configure']);
    expect((await h.call('GET', `/feedback/${id}`, { token: manager })).json()).toMatchObject({ contactPhone: '13800138000', contactEmail: 'lin@example.cn' });
    expect((await h.call('GET', `/feedback/${crypto.randomUUID()}`, { token: manager })).statusCode).toBe(404);
    expect((await h.call('GET', '/feedback?cursor=garbage', { token: manager })).statusCode).toBe(400);

    expect((await h.call('PUT', '/feedback/settings', { token: lead, payload: { answerWithin: 'P3D' } })).statusCode).toBe(403);
    expect((await h.call('PUT', '/feedback/settings', { token: manager, payload: { answerWithin: 'three days' } })).statusCode).toBe(400);
    const saved = await h.call('PUT', '/feedback/settings', { token: manager, payload: { answerWithin: 'P3D', warnRatio: null } });
    expect(saved.json()).toEqual({ answerWithin: 'P3D', warnRatio: null });
    expect((await h.call('GET', '/feedback/settings', { token: lead })).json()).toEqual({ answerWithin: 'P3D', warnRatio: null });
    const next = (await h.call('POST', h.pub, { payload: { kind: 'praise', body: '服务很好，谢谢！' } })).json();
    expect(await clockOf(desk, (await row(desk, next.number)).id)).toMatchObject({ duration: 'P3D', warningAt: null });

    const doc = (await h.server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/feedback', '/api/v1/feedback/{id}/publish', '/api/v1/public/{org}/feedback', '/api/v1/public/{org}/feedback/{number}', '/api/v1/campaigns', '/api/v1/campaigns/{id}/send']));

    const invalidBody = await h.call('POST', `/feedback/${id}/invalidate`, { token: lead, payload: { reason: 'boring' } });
    expect(invalidBody.statusCode).toBe(400);
    expect((await h.call('POST', `/feedback/${id}/answer`, { token: lead, payload: { answer: '' } })).statusCode).toBe(400);
  });
});
