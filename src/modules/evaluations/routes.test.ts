import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { createApiToken } from '../org/auth.js';
import { toFeedback } from './survey-fixtures.js';

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('survey routes', () => {
  it('public: 404 unknown, 200 open, 400 bad answer, 200 answer, 410 survey.used in the caller language', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    servers.push(server);
    await toFeedback(desk, { channel: 'email', contactEmail: 'http@example.com' });
    const mails = await desk.org.app.database.db.select().from(outbox).where(and(eq(outbox.orgId, desk.org.orgId), eq(outbox.kind, 'email')));
    const text = mails.map((m) => (m.payload as { text: string }).text).find((t) => t.includes('/s/'))!;
    const token = /\/s\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
    const call = (method: 'GET' | 'POST', tok: string, payload?: object, lang = 'zh-CN') =>
      server.inject({ method, url: `/api/v1/public/surveys/${tok}`, headers: { 'accept-language': lang }, ...(payload ? { payload } : {}) });
    expect((await call('GET', 'A'.repeat(32))).statusCode).toBe(404);
    expect((await call('GET', 'bad token!')).statusCode).toBe(404);
    const open = await call('GET', token);
    expect(open.statusCode).toBe(200);
    expect(open.json()).toMatchObject({ kind: 'request', askResolved: true });
    expect((await call('POST', token, { level: 0 })).statusCode).toBe(400);
    expect((await call('POST', token, { level: 5, extra: 1 })).statusCode).toBe(400);
    const ok = await call('POST', token, { level: 5, resolved: true, comment: '很好' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, reopened: false });
    const used = await call('POST', token, { level: 1 }, 'en-US');
    expect(used.statusCode).toBe(410);
    expect(used.json().error).toMatchObject({ code: 'survey.used', message: 'This survey link has been used already: thank you for your rating' });
    expect((await call('GET', token)).json().error.code).toBe('survey.used');
  });

  it('staff: 401 without a session, 403 without the permission, 200 with it; all paths in OpenAPI', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    servers.push(server);
    expect((await server.inject({ method: 'GET', url: '/api/v1/surveys/satisfaction' })).statusCode).toBe(401);
    const { token: reader } = await createApiToken(desk.agent1.ctx, { name: 'r', scopes: ['evaluation.read'] });
    const { token: admin } = await createApiToken(desk.manager.ctx, { name: 'c', scopes: ['evaluation.read', 'evaluation.configure'] });
    const as = (tok: string) => ({ authorization: `Bearer ${tok}` });
    const fig = await server.inject({ method: 'GET', url: '/api/v1/surveys/satisfaction?groupBy=period&period=week', headers: as(reader) });
    expect(fig.statusCode).toBe(200);
    expect(fig.json()).toMatchObject({ groupBy: 'period', period: 'week', rows: [] });
    expect((await server.inject({ method: 'GET', url: '/api/v1/surveys/satisfaction?groupBy=nope', headers: as(reader) })).statusCode).toBe(400);
    expect((await server.inject({ method: 'GET', url: '/api/v1/surveys/evaluations?cursor=junk', headers: as(reader) })).statusCode).toBe(400);
    expect((await server.inject({ method: 'GET', url: '/api/v1/surveys/evaluations', headers: as(reader) })).json()).toEqual({ items: [], nextCursor: null });
    expect((await server.inject({ method: 'PUT', url: '/api/v1/surveys/settings', headers: as(reader), payload: { nps: true } })).statusCode).toBe(403);
    const saved = await server.inject({ method: 'PUT', url: '/api/v1/surveys/settings', headers: as(admin), payload: { nps: true, reminderAfterHours: null } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ nps: true, reminderAfterHours: null, expiryHours: 336 });
    expect((await server.inject({ method: 'POST', url: '/api/v1/surveys/00000000-0000-4000-8000-000000000000/resend', headers: as(admin) })).statusCode).toBe(404);
    const spec = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    for (const path of ['/api/v1/surveys', '/api/v1/surveys/settings', '/api/v1/surveys/evaluations', '/api/v1/surveys/satisfaction', '/api/v1/surveys/qr', '/api/v1/surveys/{id}/resend', '/api/v1/public/surveys/{token}']) expect(spec.paths[path], path).toBeDefined();
  });
});
