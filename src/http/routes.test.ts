import type { FastifyInstance } from 'fastify';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../core/context.js';
import { auditLog } from '../core/db/schema.js';
import { branches, staff } from '../modules/org/schema.js';
import { buildOrg, buildStaff, TEST_PASSWORD, testApp, type TestOrg } from '../test/harness.js';
import { buildServer } from './server.js';

let app: App;
let server: FastifyInstance;
let org: TestOrg;
let adminCookie: string;
let adminUsername: string;

async function signInCookie(username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password } });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'pledge_session')!;
  return `pledge_session=${cookie.value}`;
}

beforeAll(async () => {
  app = await testApp();
  server = await buildServer(app, { web: false });
  org = await buildOrg(app);
  const admin = await buildStaff(org, 'admin');
  adminUsername = admin.username;
  adminCookie = await signInCookie(admin.username);
});
afterAll(async () => server.close());

function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return server.inject({ method, url: `/api/v1${url}`, headers: { cookie: adminCookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('session cookie and sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax cookie, Secure behind HTTPS', async () => {
    const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: adminUsername, password: TEST_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'pledge_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    const me = res.json();
    expect(me.staff.username).toBe(adminUsername);
    expect(me.permissions).toContain('audit.read');
  });

  it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const proxied = await buildServer({ ...app, config: { ...app.config, trustProxy: true } }, { web: false });
    const res = await proxied.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'x-forwarded-proto': 'https' }, payload: { username: adminUsername, password: TEST_PASSWORD } });
    expect(res.cookies.find((c) => c.name === 'pledge_session')!.secure).toBe(true);
    await proxied.close();
  });

  it('signs out: the cookie no longer works', async () => {
    const cookie = await signInCookie(adminUsername);
    expect((await server.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } })).statusCode).toBe(200);
    const res = await server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.session_expired');
  });

  it('refuses anonymous calls with 401 and a localized message', async () => {
    const zh = await server.inject({ method: 'GET', url: '/api/v1/staff' });
    expect(zh.statusCode).toBe(401);
    expect(zh.json()).toEqual({ error: { code: 'auth.required', message: '请先登录' } });
    const en = await server.inject({ method: 'GET', url: '/api/v1/staff', headers: { 'accept-language': 'en-US' } });
    expect(en.json().error.message).toBe('Please sign in first');
  });

  it('accepts a bearer API token, limited to its scopes', async () => {
    const created = await api('POST', '/auth/tokens', { name: '只读', scopes: ['staff.read'] });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    const ok = await server.inject({ method: 'GET', url: '/api/v1/staff', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    const denied = await server.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${token}` } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');
    const bad = await server.inject({ method: 'GET', url: '/api/v1/staff', headers: { authorization: 'Bearer plg_x_y' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('auth.token_invalid');
  });
});

describe('bad input gets a 4xx with a code and leaves nothing half-written', () => {
  async function branchCount() {
    const [r] = await app.database.db.select({ n: count() }).from(branches).where(eq(branches.orgId, org.orgId));
    return r!.n;
  }

  it('malformed JSON → 400 request.malformed_json', async () => {
    const before = await branchCount();
    const res = await server.inject({ method: 'POST', url: '/api/v1/branches', headers: { cookie: adminCookie, 'content-type': 'application/json' }, payload: '{"code": "X",' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('request.malformed_json');
    expect(await branchCount()).toBe(before);
  });

  it('unknown fields → 400 validation_failed naming the field', async () => {
    const res = await api('POST', '/branches', { code: 'NEW1', name: '新分公司', color: 'red' }, { 'accept-language': 'en-US' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.issues[0].code).toBe('unrecognized_keys');
    expect(body.error.message).toContain('color');
  });

  it('over-long strings → 400 with the field path, message in Chinese by default', async () => {
    const res = await api('POST', '/branches', { code: 'NEW2', name: '长'.repeat(101) });
    expect(res.statusCode).toBe(400);
    const issue = res.json().error.details.issues[0];
    expect(issue.path).toBe('body.name');
    expect(issue.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('wrong types → 400', async () => {
    const res = await api('PATCH', `/branches/${org.branchId}`, { active: 'yes' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe('body.active');
  });

  it('custom rules speak the caller’s language', async () => {
    const zh = await api('POST', '/customers', { name: '张三', idNumber: '110105194912310021' });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.details.issues[0].message).toBe('请输入 18 位且校验位正确的居民身份证号');
    const en = await api('POST', '/customers', { name: '张三', idNumber: '110105194912310021' }, { 'accept-language': 'en' });
    expect(en.json().error.details.issues[0].message).toContain('check digit');
  });

  it('unknown ids → 404 not_found; malformed ids → 400', async () => {
    const res = await api('GET', '/staff/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found', message: '未找到该人员' });
    expect((await api('GET', '/staff/not-a-uuid')).statusCode).toBe(400);
    expect((await api('GET', '/nowhere')).json().error.code).toBe('route.not_found');
  });

  it('duplicate username → 409 and no second row', async () => {
    const payload = { username: `dup_${Date.now()}`, displayName: '重复', role: 'agent', branchId: org.headOfficeId, password: 'Secret123' };
    expect((await api('POST', '/staff', payload)).statusCode).toBe(201);
    const again = await api('POST', '/staff', payload);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict.username_taken');
    const [r] = await app.database.db.select({ n: count() }).from(staff).where(eq(staff.username, payload.username));
    expect(r!.n).toBe(1);
  });

  it('wrong password → 401 auth.invalid_credentials; weak new password → 400', async () => {
    const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: adminUsername, password: 'nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.invalid_credentials');
    const weak = await api('POST', '/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'abcdefgh' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('auth.weak_password');
  });

  it('an expired or forged session → 401 auth.session_expired, and the cookie is cleared', async () => {
    const res = await server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: 'pledge_session=forged' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.session_expired');
    expect(res.cookies.find((c) => c.name === 'pledge_session')?.value).toBe('');
  });
});

describe('API surface', () => {
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await server.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await server.inject({ method: 'GET', url: '/readyz' })).json().status).toBe('ready');
    const doc = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/staff', '/api/v1/customers/{id}/pii', '/api/v1/audit']));
    expect((await server.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });

  it('echoes a request id and records it with the client IP in the audit log', async () => {
    const res = await api('POST', '/branches', { code: `RQ${Date.now() % 100000}`, name: '审计分公司' }, { 'x-request-id': 'req-abcdef123' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-abcdef123');
    const log = await api('GET', `/audit?requestId=req-abcdef123`);
    const entry = log.json().items[0];
    expect(entry).toMatchObject({ action: 'branch.create', entityType: 'branch', requestId: 'req-abcdef123', ip: '127.0.0.1' });
  });

  it('offers no way to edit or delete the audit log, and the database refuses it too', async () => {
    expect((await api('DELETE', '/audit')).statusCode).toBe(404);
    expect((await api('PATCH', '/audit')).statusCode).toBe(404);
    await expect(app.database.db.delete(auditLog).where(eq(auditLog.orgId, org.orgId))).rejects.toThrow();
    await expect(app.database.db.update(auditLog).set({ action: 'x' }).where(and(eq(auditLog.orgId, org.orgId)))).rejects.toThrow();
  });

  it('lets an agent read but not the audit log', async () => {
    const agent = await buildStaff(org, 'agent');
    const cookie = await signInCookie(agent.username);
    const res = await server.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });
});

describe('web app serving', () => {
  it('serves index.html for client routes (no-cache), hashed assets for a year, and JSON 404 under /api', async () => {
    const { existsSync } = await import('node:fs');
    const { WEB_DIST } = await import('./server.js');
    expect(existsSync(`${WEB_DIST}/index.html`), 'the web app is built by `npm install` (npm run build:web)').toBe(true);
    const web = await buildServer(app);
    const page = await web.inject({ method: 'GET', url: '/staff/some-client-route' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = page.body.match(/\/assets\/[^"]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const js = await web.inject({ method: 'GET', url: asset! });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    const missing = await web.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(missing.json().error.code).toBe('route.not_found');
    await web.close();
  });
});

describe('filters', () => {
  it('filters staff by active state (query strings are parsed once by the route, again by the service)', async () => {
    const res = await api('GET', '/staff?active=true');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((s: { active: boolean }) => s.active)).toBe(true);
  });
});
