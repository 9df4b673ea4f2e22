import { Script } from 'node:vm';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventRelay, type App } from '../../core/context.js';
import { auditLog } from '../../core/db/core-schema.js';
import { EventBus } from '../../core/events.js';
import { sha256 } from '../../core/crypto.js';
import { buildServer } from '../../http/server.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { buildStaff, engine, openTestDatabase, TEST_PASSWORD } from '../../test/harness.js';
import { requestMessages, requests } from '../requests/schema.js';
import * as R from '../requests/service.js';
import type { ChatStreamEvent } from './chat-contracts.js';
import { RateLimiter, subjectOf } from './chat.js';
import { chatSessions } from './schema.js';

let desk: Desk;
let server: FastifyInstance;
let base: string;
let ipSeq = 0;

beforeAll(async () => {
  desk = await buildDesk();
  server = await buildServer(desk.org.app, { web: false });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await server.close();
});

/** Each test calls from its own address, so the per-IP limits of one test do not touch another. */
function freshIp(): string {
  ipSeq += 1;
  return `10.9.${Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}`;
}

function chatApi(ip = freshIp(), code = desk.org.code) {
  const call = (method: 'GET' | 'POST' | 'OPTIONS', path: string, options: { token?: string; payload?: object; headers?: Record<string, string> } = {}) =>
    server.inject({
      method, url: `/api/v1/chat/${code}${path}`, remoteAddress: ip,
      headers: { 'accept-language': 'zh-CN', ...(options.token ? { 'x-chat-token': options.token } : {}), ...options.headers },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  return {
    call,
    start: async (payload: object) => {
      const res = await call('POST', '/sessions', { payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ sessionToken: string; requestNumber: string }>();
    },
    say: (token: string, body: string) => call('POST', '/messages', { token, payload: { body } }),
  };
}

async function requestByNumber(number: string) {
  const [row] = await desk.org.app.database.db.select().from(requests).where(and(eq(requests.orgId, desk.org.orgId), eq(requests.number, number)));
  return row!;
}

interface Received { id: string | null; event: ChatStreamEvent }

/** The visitor's stream read with fetch, as the widget reads it. */
async function openStream(token: string, lastEventId?: string, at = base) {
  const controller = new AbortController();
  const headers: Record<string, string> = { 'x-chat-token': token };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const res = await fetch(`${at}/api/v1/chat/${desk.org.code}/stream`, { headers, signal: controller.signal });
  const received: Received[] = [];
  let ended = false;
  if (!res.ok || !res.body) return { res, received, until: () => Promise.reject(new Error(`HTTP ${res.status}`)), close: () => controller.abort(), ended: () => true };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const readMore = async () => {
    const chunk = await reader.read();
    if (chunk.done) {
      ended = true;
      return;
    }
    buffer += decoder.decode(chunk.value, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      if (data.length === 0) continue;
      const id = block.split('\n').find((l) => l.startsWith('id: '))?.slice(4) ?? null;
      received.push({ id, event: JSON.parse(data.join('\n')) as ChatStreamEvent });
    }
  };
  /** Reads until an event matches (or the stream ends, or 5 s pass). */
  const until = async (match: (e: ChatStreamEvent) => boolean): Promise<ChatStreamEvent> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = received.find((r) => match(r.event));
      if (found) return found.event;
      if (ended) throw new Error(`stream ended; received ${JSON.stringify(received.map((r) => r.event))}`);
      const timeout = deadline - Date.now();
      if (timeout <= 0) throw new Error(`timed out; received ${JSON.stringify(received.map((r) => r.event))}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([readMore(), new Promise((resolve) => (timer = setTimeout(resolve, timeout)))]);
      clearTimeout(timer);
    }
  };
  return { res, received, until, close: () => controller.abort(), ended: () => ended };
}

const isLine = (body: string) => (e: ChatStreamEvent) => e.type === 'message' && e.message.body === body;

describe('chat channel', () => {
  it('starting a conversation registers a chat request with the first message; only the token’s hash is kept', async () => {
    const api = chatApi();
    const long = '您好，我想咨询一下宽带办理的流程。我家住在城东区幸福路，目前用的是另一家运营商，合同下个月到期，想了解一下迁移需要准备哪些材料，以及安装要多久。';
    const { sessionToken, requestNumber } = await api.start({ name: '李女士', contact: '13912345678', firstMessage: long });
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const row = await requestByNumber(requestNumber);
    expect(row).toMatchObject({ channel: 'chat', type: 'consultation', priority: 'general', state: 'registered', contactName: '李女士', contactPhoneLast4: '5678', contactEmail: null, branchId: desk.org.headOfficeId });
    expect(row.subject).toBe(subjectOf(long));
    expect(Array.from(row.subject)).toHaveLength(60);
    expect(row.subject.endsWith('…')).toBe(true);
    const messages = await desk.org.app.database.db.select().from(requestMessages).where(eq(requestMessages.requestId, row.id));
    expect(messages).toMatchObject([{ kind: 'customer', channel: 'chat', body: long, authorName: '李女士' }]);

    const [session] = await desk.org.app.database.db.select().from(chatSessions).where(eq(chatSessions.requestId, row.id));
    expect(session).toMatchObject({ orgId: desk.org.orgId, tokenHash: sha256(sessionToken), visitorName: '李女士', closedAt: null });
    const audits = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'request'), eq(auditLog.entityId, row.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['chat.start', 'request.register']);
    expect(audits.map((a) => a.actorName)).toEqual(['李女士', '李女士']);
    expect(JSON.stringify(audits)).not.toContain(sessionToken);

    // The clocks of the commitment run from the first message, as for every channel.
    const view = await R.viewRequest(desk.org.app.database.db, desk.agent1.ctx, row);
    expect(view.clocks.map((c) => c.kind)).toContain('first_response');

    // An e-mail contact, a chosen type, no name.
    const other = await api.start({ contact: 'Wang@Example.cn', firstMessage: 'I want to complain about the queue', type: 'complaint' });
    expect(await requestByNumber(other.requestNumber)).toMatchObject({ type: 'complaint', contactEmail: 'wang@example.cn', contactPhoneLast4: null, contactName: null });
  });

  it('refuses bad input with field messages, and an unknown organization', async () => {
    const api = chatApi();
    const bad = await api.call('POST', '/sessions', { payload: { contact: '12', firstMessage: '你好' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues).toEqual([expect.objectContaining({ path: 'body.contact', message: '请输入 5 至 20 位的电话号码' })]);
    const empty = await api.call('POST', '/sessions', { payload: { firstMessage: '   ' } });
    expect(empty.statusCode).toBe(400);
    const mail = await api.call('POST', '/sessions', { payload: { contact: 'not@mail', firstMessage: 'hi' } });
    expect(mail.statusCode).toBe(400);
    const nowhere = await chatApi(freshIp(), 'no-such-org').call('POST', '/sessions', { payload: { firstMessage: '你好' } });
    expect(nowhere.statusCode).toBe(404);
  });

  it('a visitor writing to a request that waits on them resumes it', async () => {
    const api = chatApi();
    const { sessionToken, requestNumber } = await api.start({ name: '张先生', firstMessage: '我的账单金额不对' });
    const row = await requestByNumber(requestNumber);
    const agent = desk.agent1;
    await R.transitionRequest(agent.ctx, row.id, { action: 'analyse' });
    await R.assignRequest(agent.ctx, row.id, { assigneeId: agent.staff.id });
    await R.transitionRequest(agent.ctx, row.id, { action: 'start_handling' });
    await R.addMessage(agent.ctx, row.id, { kind: 'reply', body: '请提供一下您的户号' });
    const waiting = await R.transitionRequest(agent.ctx, row.id, { action: 'wait_customer', reason: '等待客户提供户号' });
    expect(waiting.state).toBe('waiting_customer');

    const said = await api.say(sessionToken, '户号是 330012345');
    expect(said.statusCode, said.body).toBe(201);
    expect(said.json()).toMatchObject({ from: 'visitor', body: '户号是 330012345', authorName: '张先生' });
    const after = await requestByNumber(requestNumber);
    expect(after.state).toBe('handling');
    expect(after.lastCustomerMessageAt).not.toBeNull();

    // Authorization: Bearer works as well as x-chat-token (the staff API-token check leaves the chat API alone).
    const bearer = await api.call('POST', '/messages', { headers: { authorization: `Bearer ${sessionToken}` }, payload: { body: '谢谢' } });
    expect(bearer.statusCode, bearer.body).toBe(201);
  });

  it('agent replies reach the visitor’s stream live; notes never do; Last-Event-ID resumes after the last line', async () => {
    const api = chatApi();
    const { sessionToken, requestNumber } = await api.start({ firstMessage: '营业厅周六开门吗？' });
    const row = await requestByNumber(requestNumber);

    const stream = await openStream(sessionToken);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.res.headers.get('access-control-allow-origin')).toBe('*');
    const hello = await stream.until((e) => e.type === 'session');
    expect(hello).toEqual({ type: 'session', requestNumber, state: 'registered', visitorName: null, closed: false });
    const first = await stream.until(isLine('营业厅周六开门吗？'));
    expect(first).toMatchObject({ message: { from: 'visitor', authorName: '访客' } });

    const agent = desk.agent1;
    await R.addMessage(agent.ctx, row.id, { kind: 'note', body: '内部备注：客户可能是老用户' });
    await R.addMessage(agent.ctx, row.id, { kind: 'reply', body: '您好，周六 9:00–17:00 营业。' });
    const reply = await stream.until(isLine('您好，周六 9:00–17:00 营业。'));
    expect(reply).toMatchObject({ type: 'message', message: { from: 'agent', authorName: agent.staff.displayName } });

    // The visitor's own line comes back on the stream too (another tab of theirs sees it).
    expect((await api.say(sessionToken, '好的，谢谢')).statusCode).toBe(201);
    await stream.until(isLine('好的，谢谢'));

    // The result delivered: the reply, then the state change, in that order.
    await R.transitionRequest(agent.ctx, row.id, { action: 'analyse' });
    await R.assignRequest(agent.ctx, row.id, { assigneeId: agent.staff.id });
    await R.transitionRequest(agent.ctx, row.id, { action: 'start_handling' });
    await R.addMessage(agent.ctx, row.id, { kind: 'note', body: '第二条备注' });
    await R.transitionRequest(agent.ctx, row.id, { action: 'deliver_result', result: '已为您查询：周六正常营业。' });
    await stream.until((e) => e.type === 'state' && e.state === 'feedback');
    const kinds = stream.received.map((r) => (r.event.type === 'message' ? r.event.message.body : `state:${r.event.type === 'state' ? r.event.state : r.event.type}`));
    expect(kinds.indexOf('已为您查询：周六正常营业。')).toBeLessThan(kinds.indexOf('state:feedback'));
    expect(JSON.stringify(stream.received)).not.toContain('备注');
    stream.close();

    // Reconnecting with the id of the reply: only what came after it.
    const replyId = stream.received.find((r) => r.event.type === 'message' && r.event.message.body === '您好，周六 9:00–17:00 营业。')!.id!;
    const again = await openStream(sessionToken, replyId);
    await again.until(isLine('已为您查询：周六正常营业。'));
    const lines = again.received.filter((r) => r.event.type === 'message').map((r) => (r.event.type === 'message' ? r.event.message.body : ''));
    // At feedback the survey prompt (a reply with the one-time link) follows the result.
    expect(lines).toEqual(['好的，谢谢', '已为您查询：周六正常营业。', expect.stringMatching(/请点击链接评价本次服务.*\/s\/[\w-]+$/)]);
    again.close();

    // Archived: the conversation is over for the chat; the stream says so and ends.
    const watching = await openStream(sessionToken);
    await watching.until((e) => e.type === 'session');
    await R.transitionRequest(agent.ctx, row.id, { action: 'archive' });
    await watching.until((e) => e.type === 'closed');
    const said = await api.say(sessionToken, '还有一个问题');
    expect(said.statusCode).toBe(409);
    expect(said.json().error.code).toBe('chat.closed');
  });

  it('a wrong or missing token is refused; a token works only for its own organization', async () => {
    const api = chatApi();
    const { sessionToken } = await api.start({ firstMessage: '你好' });
    expect((await api.call('POST', '/messages', { payload: { body: 'x' } })).statusCode).toBe(401);
    expect((await api.say('A'.repeat(43), 'x')).statusCode).toBe(404);
    expect((await api.say('<script>', 'x')).statusCode).toBe(404);
    expect((await api.call('POST', '/close', { token: 'B'.repeat(43) })).statusCode).toBe(404);
    const wrongStream = await fetch(`${base}/api/v1/chat/${desk.org.code}/stream`, { headers: { 'x-chat-token': 'C'.repeat(43) } });
    expect(wrongStream.status).toBe(404);
    expect(wrongStream.headers.get('access-control-allow-origin')).toBe('*');
    const noStream = await fetch(`${base}/api/v1/chat/${desk.org.code}/stream`);
    expect(noStream.status).toBe(401);

    const elsewhere = await buildDesk();
    const foreign = await chatApi(freshIp(), elsewhere.org.code).say(sessionToken, '串门');
    expect(foreign.statusCode).toBe(404);
  });

  it('a closed conversation refuses new lines; the request stays open for the agent', async () => {
    const api = chatApi();
    const { sessionToken, requestNumber } = await api.start({ name: '赵', firstMessage: '想问下发票怎么开' });
    const stream = await openStream(sessionToken);
    await stream.until((e) => e.type === 'session');

    const closed = await api.call('POST', '/close', { token: sessionToken });
    expect(closed.statusCode).toBe(200);
    await stream.until((e) => e.type === 'closed');
    expect((await api.call('POST', '/close', { token: sessionToken })).statusCode).toBe(200);

    const said = await api.say(sessionToken, '还在吗');
    expect(said.statusCode).toBe(409);
    expect(said.json().error).toMatchObject({ code: 'chat.closed', message: '该会话已结束' });
    const row = await requestByNumber(requestNumber);
    expect(row.state).toBe('registered');
    const [session] = await desk.org.app.database.db.select().from(chatSessions).where(eq(chatSessions.requestId, row.id));
    expect(session!.closedAt).not.toBeNull();

    // A closed conversation can still be read back: the stream sends it and ends.
    const replay = await openStream(sessionToken);
    await replay.until((e) => e.type === 'closed');
    expect(replay.received[0]!.event).toMatchObject({ type: 'session', closed: true });
    // The agent can still answer on the request page.
    await R.addMessage(desk.agent1.ctx, row.id, { kind: 'reply', body: '发票可在网上营业厅开具' });
  });

  it('limits how fast one conversation may write, and how many conversations one address may start', async () => {
    const ip = freshIp();
    const api = chatApi(ip);
    const { sessionToken } = await api.start({ firstMessage: '测试频率' });
    const codes: number[] = [];
    for (let i = 0; i < 12; i += 1) codes.push((await api.say(sessionToken, `第 ${i} 条`)).statusCode);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(codes.slice(10)).toEqual([429, 429]);
    const limited = await api.say(sessionToken, '再来');
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['access-control-allow-origin']).toBe('*');

    // At most five streams at once per conversation; a stream that goes away frees its place.
    const streams = [];
    for (let i = 0; i < 5; i += 1) {
      const stream = await openStream(sessionToken);
      expect(stream.res.status).toBe(200);
      streams.push(stream);
    }
    const sixth = await fetch(`${base}/api/v1/chat/${desk.org.code}/stream`, { headers: { 'x-chat-token': sessionToken } });
    expect(sixth.status).toBe(429);
    streams[0]!.close();
    await expect.poll(async () => {
      const res = await fetch(`${base}/api/v1/chat/${desk.org.code}/stream`, { headers: { 'x-chat-token': sessionToken } });
      await res.body?.cancel();
      return res.status;
    }, { interval: 250, timeout: 3000 }).toBe(200); // each try takes a token of the stream bucket: few, slow tries
    for (const stream of streams) stream.close();

    // Nine more starts from the same address use up its ten; the eleventh is refused.
    for (let i = 0; i < 9; i += 1) await api.start({ firstMessage: `开始 ${i}` });
    expect((await api.call('POST', '/sessions', { payload: { firstMessage: '太多了' } })).statusCode).toBe(429);
    // Another address is not affected.
    expect((await chatApi().call('POST', '/sessions', { payload: { firstMessage: '另一位访客' } })).statusCode).toBe(201);
  });

  it('the token bucket refills with time and forgets idle keys', () => {
    const limiter = new RateLimiter(3, 1, 2);
    expect([0, 0, 0, 0].map(() => limiter.take('a', 1000))).toEqual([true, true, true, false]);
    expect(limiter.retryAfter('a', 1000)).toBe(1);
    expect(limiter.take('a', 1500)).toBe(false);
    expect(limiter.take('a', 2100)).toBe(true);
    expect(limiter.take('b', 2100)).toBe(true);
    // A third key: the full (idle) buckets are dropped first, then the oldest.
    expect(limiter.take('c', 10_000)).toBe(true);
    expect(limiter.size).toBeLessThanOrEqual(2);
  });

  it('answers the browser’s preflight and serves the widget script', async () => {
    const preflight = await chatApi().call('OPTIONS', '/messages', { headers: { origin: 'https://www.example.cn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-chat-token' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': '*' });
    expect(preflight.headers['access-control-allow-headers']).toContain('x-chat-token');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    // The staff API is not opened to other origins.
    const staff = await server.inject({ method: 'GET', url: '/api/v1/requests' });
    expect(staff.headers['access-control-allow-origin']).toBeUndefined();

    const script = await server.inject({ method: 'GET', url: `/embed/${desk.org.code}/chat.js` });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('application/javascript');
    expect(script.body).toContain(JSON.stringify(desk.org.code));
    expect(script.body).toContain('在线客服');
    expect(script.body).toContain('attachShadow');
    expect(() => new Script(script.body)).not.toThrow();
    // Nothing in it reaches for another host.
    expect(script.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect((await server.inject({ method: 'GET', url: '/embed/no-such-org/chat.js' })).statusCode).toBe(404);
  });

  it('lists live chats for the console, within the reader’s branches', async () => {
    const api = chatApi();
    const { sessionToken, requestNumber } = await api.start({ name: '钱女士', firstMessage: '在线等，挺急的' });
    const signIn = async (username: string) => {
      const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password: TEST_PASSWORD } });
      return `pledge_session=${res.cookies.find((c) => c.name === 'pledge_session')!.value}`;
    };
    const list = async (cookie: string) => (await server.inject({ method: 'GET', url: '/api/v1/chats/live', headers: { cookie } })).json<{ items: { number: string; awaitingReply: boolean; online: boolean; visitorName: string | null }[] }>();

    const agentCookie = await signIn(desk.agent1.username);
    const mine = (await list(agentCookie)).items.find((i) => i.number === requestNumber);
    expect(mine).toMatchObject({ visitorName: '钱女士', awaitingReply: true, online: true });

    const row = await requestByNumber(requestNumber);
    await R.addMessage(desk.agent1.ctx, row.id, { kind: 'reply', body: '您好，请讲' });
    expect((await list(agentCookie)).items.find((i) => i.number === requestNumber)).toMatchObject({ awaitingReply: false });

    const branchAgent = await buildStaff(desk.org, 'agent', { scope: 'branch', branchId: desk.org.branchId });
    expect((await list(await signIn(branchAgent.username))).items.find((i) => i.number === requestNumber)).toBeUndefined();
    expect((await server.inject({ method: 'GET', url: '/api/v1/chats/live' })).statusCode).toBe(401);

    await api.call('POST', '/close', { token: sessionToken });
    expect((await list(agentCookie)).items.find((i) => i.number === requestNumber)).toBeUndefined();
  });

  it.runIf(engine === 'postgres')('a reply written on one app node reaches a visitor whose stream is on another', async () => {
    const otherDb = await openTestDatabase();
    const other: App = { ...desk.org.app, database: otherDb, bus: new EventBus(), nodeId: 'chat-test-other-node' };
    const stopRelay = await startEventRelay(other);
    const otherServer = await buildServer(other, { web: false });
    await otherServer.listen({ port: 0, host: '127.0.0.1' });
    const address = otherServer.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    try {
      const { sessionToken, requestNumber } = await chatApi().start({ firstMessage: '跨节点测试' });
      const stream = await openStream(sessionToken, undefined, `http://127.0.0.1:${address.port}`);
      await stream.until(isLine('跨节点测试'));
      const row = await requestByNumber(requestNumber);
      await R.addMessage(desk.agent1.ctx, row.id, { kind: 'reply', body: '来自另一个节点的答复' });
      await stream.until(isLine('来自另一个节点的答复'));
      stream.close();
    } finally {
      await otherServer.close();
      await stopRelay();
      await otherDb.close();
    }
  });
});
