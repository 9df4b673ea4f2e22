import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../core/db/schema.js';
import type { EmailPayload } from '../../core/outbox.js';
import { buildServer } from '../../http/server.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { createCustomer } from '../org/customers.js';
import { attachments, fileBlobs, requests } from '../requests/schema.js';
import * as R from '../requests/service.js';
import { exchangeSignInLink, RateLimiter, requestSignInLink } from './portal.js';
import { customerSessions } from './schema.js';

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function portalOf(desk: Desk) {
  const server = await buildServer(desk.org.app, { web: false });
  servers.push(server);
  const base = `/api/v1/portal/${desk.org.code}`;
  const call = (method: 'GET' | 'POST', url: string, options: { payload?: object; lang?: string; cookie?: string; headers?: Record<string, string> } = {}) =>
    server.inject({
      method, url: url.startsWith('/api/') ? url : `${base}${url}`,
      headers: { 'accept-language': options.lang ?? 'zh-CN', ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const upload = (url: string, content: Buffer, type: string) =>
    server.inject({ method: 'POST', url: `${base}${url}`, headers: { 'content-type': type }, payload: content });
  return { server, base, call, upload };
}

/** The tracking API path of a link the portal answered (`/portal/<org>/t/<number>?k=…`). */
const api = (link: string) => `/api/v1${link}`;

async function mailsTo(desk: Desk, to: string): Promise<EmailPayload[]> {
  const rows = await desk.org.app.database.db.select().from(outbox).where(and(eq(outbox.orgId, desk.org.orgId), eq(outbox.kind, 'email'))).orderBy(asc(outbox.id));
  return rows.map((r) => r.payload as EmailPayload).filter((p) => p.to === to);
}

async function requestRow(desk: Desk, number: string) {
  const [row] = await desk.org.app.database.db.select().from(requests).where(and(eq(requests.orgId, desk.org.orgId), eq(requests.number, number)));
  return row!;
}

async function countFiles(desk: Desk) {
  const db = desk.org.app.database.db;
  const [a] = await db.select({ n: sql<number>`count(*)::int` }).from(attachments).where(eq(attachments.orgId, desk.org.orgId));
  const [b] = await db.select({ n: sql<number>`count(*)::int` }).from(fileBlobs).where(eq(fileBlobs.orgId, desk.org.orgId));
  return { attachments: a!.n, blobs: b!.n };
}

const form = {
  type: 'service_request', subject: '宽带断网报修', description: '家里宽带从昨晚开始无法上网，光猫指示灯红色闪烁。', contactName: '林女士', contactPhone: '13800138000',
  contactEmail: 'lin@example.cn',
};

describe('portal: web form and tracking link', () => {
  it('files a request without an account: number, private link, acknowledgement e-mail; a wrong key or number says nothing', async () => {
    const desk = await buildDesk();
    const p = await portalOf(desk);
    const info = (await p.call('GET', '')).json();
    expect(info).toMatchObject({ organization: { code: desk.org.code }, maxAttachmentBytes: 10 * 1024 * 1024, maxFiles: 10 });
    expect(info.accept).toContain('.pdf');

    const file = await p.upload('/attachments?filename=modem.png', Buffer.from('\x89PNG fake image'), 'image/png');
    expect(file.statusCode).toBe(201);
    const res = await p.call('POST', '/requests', { payload: { ...form, attachmentIds: [file.json().id] } });
    expect(res.statusCode).toBe(201);
    const { number, link, emailed } = res.json();
    expect(number).toMatch(/^\d{14,}$/);
    expect(emailed).toBe(true);
    expect(link).toMatch(new RegExp(`^/portal/${desk.org.code}/t/${number}\\?k=[\\w-]{32}$`));

    const row = await requestRow(desk, number);
    expect(row).toMatchObject({ channel: 'web', type: 'service_request', state: 'registered', contactName: '林女士', contactEmail: 'lin@example.cn', registeredById: null });
    const [stored] = await desk.org.app.database.db.select().from(attachments).where(eq(attachments.id, file.json().id));
    expect(stored).toMatchObject({ requestId: row.id, messageId: null, uploadedByName: '林女士' });

    const [mail] = await mailsTo(desk, 'lin@example.cn');
    expect(mail!.subject).toContain(number);
    expect(mail!.text).toContain(`${desk.org.app.config.publicUrl}${link}`);
    expect(mail!.text).toContain('专属链接');

    const view = await p.call('GET', api(link));
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ number, state: 'registered', subject: form.subject, description: form.description, canReply: true, canConfirm: false, messages: [] });
    expect(view.json().attachments).toMatchObject([{ filename: 'modem.png' }]);
    const download = await p.call('GET', api(link).replace('?', `/attachments/${file.json().id}?`));
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');

    // A wrong key, a missing key and an unknown number: one answer, the same body.
    const wrongKey = await p.call('GET', api(link).replace(/k=.*/, `k=${'A'.repeat(32)}`));
    const noKey = await p.call('GET', api(link).replace(/\?k=.*/, ''));
    const unknown = await p.call('GET', api(link).replace(number, '20000101000001'));
    for (const r of [wrongKey, noKey, unknown]) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: { code: 'link.invalid', message: '链接无效或已过期' } });
    }
    // The key of one request does not open another.
    const other = (await p.call('POST', '/requests', { payload: { ...form, contactEmail: '' } })).json();
    expect(other.emailed).toBe(false);
    expect((await p.call('GET', api(link).replace(number, other.number))).statusCode).toBe(404);

    // The acknowledgement follows the submitter's language.
    const english = (await p.call('POST', '/requests', { payload: { ...form, contactEmail: 'ann@example.com', contactName: 'Ann' }, lang: 'en-US,en;q=0.9' })).json();
    const [en] = await mailsTo(desk, 'ann@example.com');
    expect(en!.subject).toBe(`[${`测试组织 ${desk.org.code}`}] We have received your service request (tracking number ${english.number})`);
    expect(en!.text).toContain(`${desk.org.app.config.publicUrl}${english.link}`);

    // Unknown organizations and invalid forms.
    expect((await p.call('GET', '/api/v1/portal/nope-org')).statusCode).toBe(404);
    const invalid = await p.call('POST', '/requests', { payload: { ...form, type: 'urgent_fault' } });
    expect(invalid.statusCode).toBe(400);
  });

  it('runs the loop with the customer: their reply resumes it, notes never show, confirmation archives with the rating', async () => {
    const desk = await buildDesk();
    const p = await portalOf(desk);
    const { number, link } = (await p.call('POST', '/requests', { payload: form })).json();
    const row = await requestRow(desk, number);
    const agent = desk.agent1.ctx;
    await R.transitionRequest(agent, row.id, { action: 'analyse' });
    await R.assignRequest(desk.lead.ctx, row.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await R.transitionRequest(agent, row.id, { action: 'start_handling' });
    const secret = await R.addMessage(agent, row.id, { kind: 'note', body: '内部备注：该小区光缆故障，勿告知客户工期' });
    await R.addMessage(agent, row.id, { kind: 'reply', body: '您好，请提供光猫背面的序列号。' });
    await R.transitionRequest(agent, row.id, { action: 'wait_customer', reason: '等待客户提供序列号' });

    let view = (await p.call('GET', api(link))).json();
    expect(view.state).toBe('waiting_customer');
    expect(view.messages).toHaveLength(1);
    expect(view.messages[0]).toMatchObject({ from: 'staff', authorName: desk.agent1.staff.displayName, body: '您好，请提供光猫背面的序列号。' });
    expect(JSON.stringify(view)).not.toContain('内部备注');
    expect(JSON.stringify(view)).not.toContain(secret.id);

    // The customer answers with a photo uploaded on the tracking page.
    const photo = await p.upload(`/t/${number}/attachments?k=${new URL(link, 'http://x').searchParams.get('k')}&filename=serial.jpg`, Buffer.from('jpeg bytes'), 'image/jpeg');
    expect(photo.statusCode).toBe(201);
    const reply = await p.call('POST', api(link).replace('?', '/replies?'), { payload: { body: '序列号是 ZTE123456。', attachmentIds: [photo.json().id] } });
    expect(reply.statusCode).toBe(200);
    view = reply.json();
    expect(view.state).toBe('handling');
    expect(view.messages.at(-1)).toMatchObject({ from: 'customer', authorName: '林女士', body: '序列号是 ZTE123456。', attachments: [{ filename: 'serial.jpg' }] });
    const staffView = await R.viewRequest(desk.org.app.database.db, agent, await requestRow(desk, number));
    expect(staffView.clocks.find((c) => c.kind === 'resolved')!.state).toBe('running');

    // A file on a note is not the customer's to download.
    const noteFile = await R.addMessage(agent, row.id, { kind: 'note', body: '附内部工单截图' });
    const internal = (await p.upload(`/attachments?filename=internal.pdf`, Buffer.from('%PDF-1.4'), 'application/pdf')).json();
    await desk.org.app.database.db.update(attachments).set({ requestId: row.id, messageId: noteFile.id, uploadedByStaffId: desk.agent1.staff.id }).where(eq(attachments.id, internal.id));
    expect((await p.call('GET', api(link).replace('?', `/attachments/${internal.id}?`))).statusCode).toBe(404);
    expect((await p.call('GET', api(link).replace('?', `/attachments/${photo.json().id}?`))).statusCode).toBe(200);

    // Confirmation only in the feedback step.
    const early = await p.call('POST', api(link).replace('?', '/confirm?'), { payload: { solved: true, rating: 5 } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('request.not_awaiting_confirmation');
    await R.transitionRequest(agent, row.id, { action: 'deliver_result', result: '已更换光猫，网络恢复。' });
    view = (await p.call('GET', api(link))).json();
    expect(view).toMatchObject({ state: 'feedback', canConfirm: true });
    expect(view.messages.at(-1)).toMatchObject({ from: 'staff', body: '已更换光猫，网络恢复。' });
    const wrongKey = await p.call('POST', api(link).replace(/k=.*/, `k=${'B'.repeat(32)}`).replace('?', '/confirm?'), { payload: { solved: true, rating: 1 } });
    expect(wrongKey.statusCode).toBe(404);
    const done = await p.call('POST', api(link).replace('?', '/confirm?'), { payload: { solved: true, rating: 5, comment: '师傅很专业' } });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ state: 'archived', rating: 5, canReply: false, canConfirm: false });
    expect(await requestRow(desk, number)).toMatchObject({ state: 'archived', rating: 5, ratingComment: '师傅很专业' });

    const late = await p.call('POST', api(link).replace('?', '/replies?'), { payload: { body: '谢谢' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('request.closed');
  });

  it('enforces the organization’s file limits (413, 415) and writes nothing; uploads cannot be borrowed across requests', async () => {
    const desk = await buildDesk();
    await R.updateRequestSettings(desk.admin.ctx, { maxAttachmentBytes: 2048 });
    const p = await portalOf(desk);
    expect((await p.call('GET', '')).json().maxAttachmentBytes).toBe(2048);
    const before = await countFiles(desk);
    const big = await p.upload('/attachments?filename=big.pdf', Buffer.alloc(4096, 1), 'application/pdf');
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('file.too_large');
    const exe = await p.upload('/attachments?filename=setup.exe', Buffer.from('MZ'), 'application/x-msdownload');
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.code).toBe('file.type_not_allowed');
    const disguised = await p.upload('/attachments?filename=photo.exe', Buffer.from('MZ'), 'image/png');
    expect(disguised.statusCode).toBe(415);
    expect(await countFiles(desk)).toEqual(before);

    // A file bound to one request (uploaded through its link) cannot be attached to another.
    const a = (await p.call('POST', '/requests', { payload: form })).json();
    const b = (await p.call('POST', '/requests', { payload: form })).json();
    const key = (link: string) => new URL(link, 'http://x').searchParams.get('k')!;
    const onA = (await p.upload(`/t/${a.number}/attachments?k=${key(a.link)}&filename=a.txt`, Buffer.from('A'), 'text/plain')).json();
    const onB = await p.call('POST', api(b.link).replace('?', '/replies?'), { payload: { body: '补充', attachmentIds: [onA.id] } });
    expect(onB.statusCode).toBe(400);
    expect(onB.json().error.code).toBe('org.invalid_reference');
    const asNew = await p.call('POST', '/requests', { payload: { ...form, attachmentIds: [onA.id] } });
    expect(asNew.statusCode).toBe(400);
    // Staff uploads are not the public's to attach either.
    const staffFile = await desk.org.app.database.db.insert(attachments).values({ orgId: desk.org.orgId, filename: 's.txt', contentType: 'text/plain', size: 1, sha256: 'x', uploadedByStaffId: desk.agent1.staff.id, uploadedByName: 'agent', createdAt: new Date() }).returning();
    expect((await p.call('POST', '/requests', { payload: { ...form, attachmentIds: [staffFile[0]!.id] } })).statusCode).toBe(400);
    // A wrong key cannot upload.
    expect((await p.upload(`/t/${a.number}/attachments?k=${key(b.link)}&filename=a.txt`, Buffer.from('A'), 'text/plain')).statusCode).toBe(404);
  });
});

describe('portal: signed-in customers', () => {
  it('mails a one-time link only to a known address, answers the same for any address, and shows a customer only their requests', async () => {
    const desk = await buildDesk();
    const p = await portalOf(desk);
    const zhao = await createCustomer(desk.admin.ctx, { name: '赵先生', email: 'Zhao@Example.cn' });
    await createCustomer(desk.admin.ctx, { name: '钱女士', email: 'qian@example.cn' });

    // Requests: one by address (anonymous form), one recorded as the customer's by staff, and someone else's.
    const byAddress = (await p.call('POST', '/requests', { payload: { ...form, contactName: '赵先生', contactEmail: 'zhao@example.cn' } })).json();
    const byStaff = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'phone', subject: '电话咨询资费', customerId: zhao.id });
    const others = (await p.call('POST', '/requests', { payload: { ...form, contactName: '钱女士', contactEmail: 'qian@example.cn' } })).json();

    const known = await p.call('POST', '/sign-in', { payload: { email: 'ZHAO@example.cn' } });
    const unknown = await p.call('POST', '/sign-in', { payload: { email: 'nobody@example.cn' } });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(await mailsTo(desk, 'nobody@example.cn')).toHaveLength(0);
    const [mail] = await mailsTo(desk, 'Zhao@Example.cn');
    expect(mail!.subject).toContain('登录链接');
    const signInUrl = new URL(/https?:\/\/\S+\/session\/\S+/.exec(mail!.text)![0]);

    // The link signs in once: a cookie for the portal paths only, and a redirect to "my requests".
    const follow = await p.call('GET', signInUrl.pathname, { headers: { accept: 'text/html' } });
    expect(follow.statusCode).toBe(303);
    expect(follow.headers.location).toBe(`/portal/${desk.org.code}/me`);
    const cookie = follow.cookies.find((c) => c.name === 'pledge_customer')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: `/api/v1/portal/${desk.org.code}` });
    const again = await p.call('GET', signInUrl.pathname, { headers: { accept: 'text/html' } });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/portal/${desk.org.code}/sign-in?link=invalid`);
    expect((await p.call('GET', signInUrl.pathname)).json().error.code).toBe('link.invalid');
    const session = `pledge_customer=${cookie.value}`;

    expect((await p.call('GET', '/me', { cookie: session })).json()).toEqual({ name: '赵先生', email: 'Zhao@Example.cn' });
    const mine = (await p.call('GET', '/me/requests', { cookie: session })).json().items as { number: string; link: string }[];
    expect(mine.map((r) => r.number).sort()).toEqual([byAddress.number, byStaff.number].sort());
    expect(mine.map((r) => r.number)).not.toContain(others.number);
    expect(mine.find((r) => r.number === byAddress.number)!.link).toBe(byAddress.link);
    expect((await p.call('GET', api(mine.find((r) => r.number === byStaff.number)!.link))).json().subject).toBe('电话咨询资费');

    // A request filed while signed in is recorded as the customer's.
    const filed = (await p.call('POST', '/requests', { payload: { ...form, contactName: '赵先生', contactEmail: '' }, cookie: session })).json();
    expect((await requestRow(desk, filed.number)).customerId).toBe(zhao.id);
    expect(filed.emailed).toBe(true); // the customer's own address

    // A customer session is not a staff session.
    expect((await p.call('GET', '/api/v1/requests', { cookie: session })).statusCode).toBe(401);
    expect((await p.call('GET', '/api/v1/auth/me', { cookie: session })).statusCode).toBe(401);

    const out = await p.call('POST', '/sign-out', { cookie: session, payload: {} });
    expect(out.statusCode).toBe(200);
    expect((await p.call('GET', '/me/requests', { cookie: session })).statusCode).toBe(401);
    expect((await p.call('GET', '/me')).json().error.code).toBe('auth.required');
  });

  it('expires sign-in links after 30 minutes, and never accepts a link as a session or a session as a link', async () => {
    const desk = await buildDesk();
    await createCustomer(desk.admin.ctx, { name: '孙女士', email: 'sun@example.cn' });
    let now = new Date('2026-11-23T10:00:00+08:00');
    const visitor = { locale: 'zh-CN' as const, ip: '10.0.0.1', requestId: null, now: () => now };
    await requestSignInLink(desk.org.app, desk.org.code, { email: 'sun@example.cn' }, visitor);
    const token = (text: string) => /\/session\/(\S+)/.exec(text)![1]!;
    const [first] = await mailsTo(desk, 'sun@example.cn');
    now = new Date('2026-11-23T10:31:00+08:00');
    await expect(exchangeSignInLink(desk.org.app, desk.org.code, token(first!.text), visitor)).rejects.toMatchObject({ code: 'link.invalid' });

    await requestSignInLink(desk.org.app, desk.org.code, { email: 'sun@example.cn' }, visitor);
    const second = (await mailsTo(desk, 'sun@example.cn')).find((m) => m.text !== first!.text)!;
    now = new Date('2026-11-23T10:59:00+08:00');
    const p = await portalOf(desk);
    // The link's token as a cookie is nothing.
    expect((await p.call('GET', '/me', { cookie: `pledge_customer=${token(second.text)}` })).statusCode).toBe(401);
    const session = await exchangeSignInLink(desk.org.app, desk.org.code, token(second.text), visitor);
    expect(session.expiresAt.toISOString()).toBe(new Date('2026-12-23T10:59:00+08:00').toISOString());
    // …and the session token is not a link; the expired first link was cleaned up when the second was asked for.
    await expect(exchangeSignInLink(desk.org.app, desk.org.code, session.token, visitor)).rejects.toMatchObject({ code: 'link.invalid' });
    const left = await desk.org.app.database.db.select().from(customerSessions).where(eq(customerSessions.orgId, desk.org.orgId));
    expect(left).toHaveLength(1);
  });

  it('limits anonymous traffic per address', async () => {
    const limiter = new RateLimiter(2, 1000);
    expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)]).toEqual([true, true, false]);
    expect(limiter.take('a', 999)).toBe(false);
    expect(limiter.take('a', 1999)).toBe(true); // 0.999 left over + 1 refilled over the next second
    expect(limiter.take('b', 0)).toBe(true); // keys are independent
    // At most `maxKeys` keys: the least recently used one is forgotten (and starts full again).
    const small = new RateLimiter(1, 60_000, 2);
    expect([small.take('a', 0), small.take('a', 0)]).toEqual([true, false]);
    small.take('b', 0);
    small.take('c', 0);
    expect(small.take('a', 0)).toBe(true);

    const desk = await buildDesk();
    const p = await portalOf(desk);
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) answers.push((await p.call('POST', '/sign-in', { payload: { email: `x${i}@example.cn` } })).statusCode);
    expect(answers.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(answers[10]).toBe(429);
  });
});
