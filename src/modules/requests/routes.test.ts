import type { lookup } from 'node:dns';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, outbox, requests as requestsTable } from '../../core/db/schema.js';
import { OutboxWorker } from '../../core/outbox.js';
import { webhookTransport } from '../../core/transports.js';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { createApiToken } from '../org/auth.js';

describe('requests API', () => {
  it('lists with yes/no and list filters given in the query string (parsed by the route, then by the service)', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.agent1.ctx, { name: '筛选', scopes: ['request.read', 'request.create'] });
    const auth = { authorization: `Bearer ${token}` };
    const created = await server.inject({ method: 'POST', url: '/api/v1/requests', headers: auth, payload: { type: 'complaint', priority: 'major', channel: 'phone', subject: '重大投诉：多次上门未修好' } });
    expect(created.statusCode).toBe(201);
    const list = async (query: string) => {
      const res = await server.inject({ method: 'GET', url: `/api/v1/requests?${query}`, headers: auth });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { id: string }[] }>().items.map((i) => i.id);
    };
    expect(await list('queue=all&open=true&escalation=pending&types=complaint,urgent_fault')).toEqual([created.json().id]);
    expect(await list('queue=all&open=false')).not.toContain(created.json().id);
    expect(await list('queue=all&escalation=any&limit=10')).toContain(created.json().id);
    const bad = await server.inject({ method: 'GET', url: '/api/v1/requests?open=maybe', headers: auth });
    expect(bad.statusCode).toBe(400);
    await server.close();
  });

  it('creates, updates, lists and searches with an API token; refuses illegal steps with 409 and the allowed actions', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.agent1.ctx, { name: '集成', scopes: ['request.read', 'request.create', 'request.handle'] });
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, lang = 'zh-CN') =>
      server.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}`, 'accept-language': lang }, ...(payload ? { payload } : {}) });

    const created = await call('POST', '/requests', { type: 'consultation', channel: 'app', subject: '账号无法登录', description: 'App 提示密码错误', tags: ['app'] });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/requests', { type: 'service_request', channel: 'app', subject: 'Printer jam on floor 3' });

    const patched = await call('PATCH', `/requests/${id}`, { priority: 'urgent', reason: '影响登录' });
    expect(patched.json()).toMatchObject({ priority: 'urgent' });

    const found = await call('GET', `/requests?q=${encodeURIComponent('账号')}`);
    expect(found.json().items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await call('GET', '/requests/search?q=printer')).json().items).toHaveLength(1);
    expect((await call('GET', `/requests?q=${encodeURIComponent('打印机')}`)).json().items).toHaveLength(0);
    expect((await call('GET', `/requests?tag=app&types=consultation,complaint`)).json().items).toHaveLength(1);

    const illegal = await call('POST', `/requests/${id}/transitions`, { action: 'archive' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error).toMatchObject({ code: 'request.illegal_transition', details: { from: 'registered', allowed: ['analyse', 'merge'] } });
    expect(illegal.json().error.message).toBe('当前状态为“已登记”，不能执行“归档”；可执行：分析（分类、定级、分派）；合并');
    const english = await call('POST', `/requests/${id}/transitions`, { action: 'archive' }, 'en-US');
    expect(english.json().error.message).toBe('The request is registered: “archive” is not possible now; allowed: analyse (classify, prioritize, assign); merge');

    // Bad input: 4xx with a code, nothing written.
    const before = await desk.org.app.database.db.select().from(requestsTable).where(eq(requestsTable.orgId, desk.org.orgId));
    expect((await call('POST', '/requests', { type: 'nonsense', channel: 'web', subject: 'x' })).statusCode).toBe(400);
    expect((await call('POST', '/requests', { type: 'consultation', channel: 'web', subject: 'x', categoryId: '00000000-0000-4000-8000-000000000000' })).json().error.code).toBe('org.invalid_reference');
    expect((await call('POST', '/requests', { type: 'consultation', channel: 'web', subject: 'x', unknown: 1 })).statusCode).toBe(400);
    const after = await desk.org.app.database.db.select().from(requestsTable).where(eq(requestsTable.orgId, desk.org.orgId));
    expect(after).toHaveLength(before.length);

    // Keyset pagination: two pages of one, no overlap.
    const first = (await call('GET', '/requests?limit=1')).json();
    const second = (await call('GET', `/requests?limit=1&cursor=${first.nextCursor}`)).json();
    expect(first.items[0].id).not.toBe(second.items[0].id);
    expect(second.nextCursor).toBeNull();
    expect((await call('GET', '/requests?cursor=garbage')).statusCode).toBe(400);
    await server.close();
  });

  it('stores files within the limits and serves them as downloads only to readers', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.agent1.ctx, { name: 'f', scopes: ['request.read', 'request.create', 'request.handle'] });
    const auth = { authorization: `Bearer ${token}` };
    const upload = (filename: string, type: string, body: Buffer) =>
      server.inject({ method: 'POST', url: `/api/v1/attachments?filename=${encodeURIComponent(filename)}`, headers: { ...auth, 'content-type': type }, payload: body });

    const png = await upload('截图.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    expect(png.statusCode).toBe(201);
    expect((await upload('run.exe', 'application/x-msdownload', Buffer.from('MZ'))).json().error.code).toBe('file.type_not_allowed');
    expect((await upload('fake.pdf', 'image/png', Buffer.from('x'))).statusCode).toBe(415); // type and extension must agree
    expect((await upload('empty.txt', 'text/plain', Buffer.alloc(0))).json().error.code).toBe('file.empty');
    const admin = await createApiToken(desk.admin.ctx, { name: 'a', scopes: ['request.configure'] });
    const limited = await server.inject({ method: 'PUT', url: '/api/v1/request-settings', headers: { authorization: `Bearer ${admin.token}` }, payload: { maxAttachmentBytes: 2048 } });
    expect(limited.statusCode).toBe(200);
    const big = await upload('big.txt', 'text/plain', Buffer.alloc(4096, 65));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toBe('文件“big.txt”超过大小上限（2 KB）');
    const files = await desk.org.app.database.db.select().from(attachments).where(eq(attachments.orgId, desk.org.orgId));
    expect(files).toHaveLength(1);

    const created = await server.inject({ method: 'POST', url: '/api/v1/requests', headers: auth, payload: { type: 'service_request', channel: 'web', subject: '附件', attachmentIds: [png.json().id] } });
    expect(created.statusCode).toBe(201);
    const detail = (await server.inject({ method: 'GET', url: `/api/v1/requests/${created.json().id}`, headers: auth })).json();
    expect(detail.attachments.map((a: { filename: string }) => a.filename)).toEqual(['截图.png']);
    const download = await server.inject({ method: 'GET', url: `/api/v1/attachments/${png.json().id}`, headers: auth });
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.rawPayload).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    // Someone else's upload cannot be attached; a branch agent of another branch cannot download.
    const other = await createApiToken(desk.agent2.ctx, { name: 'o', scopes: ['request.read', 'request.create', 'request.handle'] });
    const theirs = await server.inject({ method: 'POST', url: '/api/v1/requests', headers: { authorization: `Bearer ${other.token}` }, payload: { type: 'consultation', channel: 'web', subject: 'x', attachmentIds: [png.json().id] } });
    expect(theirs.json().error.code).toBe('org.invalid_reference');
    await server.close();
  });

  it('delivers request events to webhooks, signed with the secret, through the outbox', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // A public name (private addresses are refused); the test's DNS answers it with the receiver's address.
    const url = `http://crm.example.test:${(receiver.address() as AddressInfo).port}/hook`;
    const resolve = ((_h: string, _o: unknown, callback: (e: null, a: { address: string; family: number }[]) => void) => callback(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof lookup;
    const { token } = await createApiToken(desk.admin.ctx, { name: 'w', scopes: ['webhook.manage', 'request.create', 'request.read'] });
    const auth = { authorization: `Bearer ${token}` };
    const hook = await server.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth, payload: { name: 'CRM', url, events: ['request.registered'] } });
    expect(hook.statusCode).toBe(201);
    const { secret } = hook.json<{ secret: string }>();
    expect((await server.inject({ method: 'GET', url: '/api/v1/webhooks', headers: auth })).json()[0].secret).toBeUndefined();
    expect((await server.inject({ method: 'POST', url: '/api/v1/webhooks', headers: auth, payload: { name: 'x', url: 'ftp://example.cn', events: ['*'] } })).statusCode).toBe(400);
    const internal = await server.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { ...auth, 'accept-language': 'zh-CN' }, payload: { name: 'x', url: 'http://169.254.169.254/latest/meta-data', events: ['*'] } });
    expect(internal.statusCode).toBe(400);
    expect(internal.json()).toMatchObject({ error: { code: 'webhook.invalid_url', message: 'Webhook 地址无效：不允许内网地址' } });

    const created = await server.inject({ method: 'POST', url: '/api/v1/requests', headers: auth, payload: { type: 'complaint', channel: 'web', subject: '网点排队太久' } });
    const rows = await desk.org.app.database.db.select().from(outbox).where(and(eq(outbox.orgId, desk.org.orgId), eq(outbox.kind, 'webhook')));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0]!.payload)).not.toContain(secret);
    const worker = new OutboxWorker(desk.org.app, { webhook: webhookTransport({ resolve, allowPrivate: true }) });
    await worker.runOnce();
    expect(received).toHaveLength(1);
    const signature = `sha256=${createHmac('sha256', secret).update(received[0]!.body).digest('hex')}`;
    expect(received[0]!.headers['x-pledge-signature']).toBe(signature);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'request.registered', data: { requestId: created.json().id, number: created.json().number, type: 'complaint' } });
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await server.close();
  });
});
