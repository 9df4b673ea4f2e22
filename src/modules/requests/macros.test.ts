import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../core/db/core-schema.js';
import { AppError } from '../../core/errors.js';
import { buildServer } from '../../http/server.js';
import { buildStaff, ctxAs, TEST_PASSWORD } from '../../test/harness.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { createCustomer } from '../org/customers.js';
import { createMacro, deleteMacro, listMacros, renderMacroFor, updateMacro } from './macros.js';
import { registerRequest } from './service.js';

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

let desk: Desk;
beforeAll(async () => {
  desk = await buildDesk();
});

describe('macros: shared and personal', () => {
  it('lets macro.manage keep shared macros and everyone who handles requests keep their own', async () => {
    const shared = await createMacro(desk.lead.ctx, { name: '受理通知', body: '{{customer.name}}您好，您的工单 {{request.number}} 已受理。', shared: true });
    expect(shared).toMatchObject({ shared: true, ownerId: null, unknownPlaceholders: [] });
    await expectCode(createMacro(desk.agent1.ctx, { name: '共享的', body: '谢谢', shared: true }), 'forbidden');
    const mine = await createMacro(desk.agent1.ctx, { name: '我的结束语', body: '祝您生活愉快，再见！{{signature}}' });
    expect(mine).toMatchObject({ shared: false, ownerId: desk.agent1.staff.id, unknownPlaceholders: ['signature'] });
    const theirs = await createMacro(desk.agent2.ctx, { name: '他的', body: '你好' });

    // agent1 sees the shared ones and their own, never agent2's.
    const seen = await listMacros(desk.agent1.ctx);
    expect(seen.map((m) => m.id)).toContain(shared.id);
    expect(seen.map((m) => m.id)).toContain(mine.id);
    expect(seen.map((m) => m.id)).not.toContain(theirs.id);
    expect(seen.findIndex((m) => m.id === shared.id)).toBeLessThan(seen.findIndex((m) => m.id === mine.id)); // shared first
    expect((await listMacros(desk.agent1.ctx, { scope: 'shared' })).every((m) => m.shared)).toBe(true);
    expect((await listMacros(desk.agent1.ctx, { scope: 'personal' })).map((m) => m.id)).toEqual([mine.id]);
    expect((await listMacros(desk.agent1.ctx, { q: '生活愉快' })).map((m) => m.id)).toEqual([mine.id]);
    expect((await listMacros(desk.agent1.ctx, { q: '100%' }))).toEqual([]); // LIKE characters are literal

    // Another person's personal macro does not exist for anyone else, administrators included.
    await expectCode(updateMacro(desk.agent1.ctx, theirs.id, { name: 'x', body: 'y' }), 'not_found');
    await expectCode(deleteMacro(desk.admin.ctx, theirs.id), 'not_found');
    // Shared ones: only macro.manage changes them.
    await expectCode(updateMacro(desk.agent1.ctx, shared.id, { name: 'x', body: 'y' }), 'forbidden');
    await expectCode(deleteMacro(desk.agent1.ctx, shared.id), 'forbidden');
    const renamed = await updateMacro(desk.manager.ctx, shared.id, { name: '受理通知（新）', body: '您好，{{customer.name}}。' });
    expect(renamed.name).toBe('受理通知（新）');
    const edited = await updateMacro(desk.agent1.ctx, mine.id, { name: '我的结束语', body: '再见！' });
    expect(edited.unknownPlaceholders).toEqual([]);

    // Names are unique per scope (case-insensitive), but the same name may be shared and personal.
    await expectCode(createMacro(desk.lead.ctx, { name: '受理通知（新）', body: 'a', shared: true }), 'conflict.name_taken');
    await expectCode(createMacro(desk.agent1.ctx, { name: '我的结束语', body: 'a' }), 'conflict.name_taken');
    await createMacro(desk.agent2.ctx, { name: '我的结束语', body: 'a' });
    await createMacro(desk.agent1.ctx, { name: '受理通知（新）', body: 'a' });

    // Supervisors (no request.handle, no macro.manage) may not use macros.
    await expectCode(listMacros(desk.supervisor.ctx), 'forbidden');

    await deleteMacro(desk.agent1.ctx, mine.id);
    await deleteMacro(desk.lead.ctx, shared.id);
    expect((await listMacros(desk.agent1.ctx)).map((m) => m.id)).not.toContain(mine.id);

    const db = desk.org.app.database.db;
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.entityType, 'macro'), eq(auditLog.entityId, shared.id)));
    expect(entries.map((e) => e.action).sort()).toEqual(['macro.create', 'macro.delete', 'macro.update']);
  });

  it('validates input', async () => {
    await expectCode(createMacro(desk.agent1.ctx, { name: ' ', body: 'a' }), 'validation_failed');
    await expectCode(createMacro(desk.agent1.ctx, { name: 'a', body: '' }), 'validation_failed');
    await expectCode(createMacro(desk.agent1.ctx, { name: 'a', body: 'b', ownerId: desk.agent2.staff.id }), 'validation_failed');
  });
});

describe('macros: rendered for a request', () => {
  it('fills the request, customer, agent, organization and today, and reports what it could not fill', async () => {
    const now = new Date('2026-11-23T17:30:00Z'); // already 24 November in Shanghai
    const agent = ctxAs(desk.org.app, desk.agent1.actor, { now: () => now });
    const customer = await createCustomer(desk.admin.ctx, { name: '王芳' });
    const request = await registerRequest(agent, { type: 'consultation', channel: 'web', subject: '退款进度', customerId: customer.id });
    const macro = await createMacro(agent, { name: '全量', body: '{{customer.name}}您好！工单{{request.number}}「{{request.subject}}」由{{agent.name}}处理。{{org.name}} {{today}} {{nope}}' });
    const out = await renderMacroFor(agent, request.id, macro.id);
    expect(out.text).toBe(`王芳您好！工单${request.number}「退款进度」由${desk.agent1.actor.name}处理。测试组织 ${desk.org.code} 2026-11-24 {{nope}}`);
    expect(out.unknown).toEqual(['nope']);
    expect(out.empty).toEqual([]);

    // An anonymous requester without a name: the placeholder stays for the agent to fill in.
    const anonymous = await registerRequest(agent, { type: 'consultation', channel: 'web', subject: '匿名咨询' });
    const left = await renderMacroFor(agent, anonymous.id, macro.id);
    expect(left.text.startsWith('{{customer.name}}您好！')).toBe(true);
    expect(left.empty).toEqual(['customer.name']);
    // A contact name stands in for a customer record.
    const named = await registerRequest(agent, { type: 'consultation', channel: 'web', subject: '来电', contactName: '李先生' });
    expect((await renderMacroFor(agent, named.id, macro.id)).text.startsWith('李先生您好！')).toBe(true);

    // Someone else's personal macro cannot be rendered; nor a request of another organization.
    await expectCode(renderMacroFor(desk.agent2.ctx, request.id, macro.id), 'not_found');
    const other = await buildDesk();
    await expectCode(renderMacroFor(other.agent1.ctx, request.id, macro.id), 'not_found');
  });

  it('serves the API: list, create, update, delete and render', async () => {
    const server: FastifyInstance = await buildServer(desk.org.app, { web: false });
    try {
      const signIn = async (username: string) => {
        const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password: TEST_PASSWORD } });
        expect(res.statusCode).toBe(200);
        return `pledge_session=${res.cookies.find((c) => c.name === 'pledge_session')!.value}`;
      };
      const agent = await buildStaff(desk.org, 'agent');
      const cookie = await signIn(agent.username);
      const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
        server.inject({ method, url: `/api/v1${url}`, headers: { cookie, 'accept-language': 'en-US' }, ...(payload ? { payload } : {}) });

      const created = await call('POST', '/macros', { name: 'API', body: 'Hello {{customer.name}}, thanks! {{request.number}}' });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      expect((await call('POST', '/macros', { name: 'Shared', body: 'x', shared: true })).statusCode).toBe(403);
      const list = await call('GET', '/macros?scope=personal');
      expect(list.json<{ id: string }[]>().map((m) => m.id)).toEqual([id]);
      expect((await call('PUT', `/macros/${id}`, { name: 'API 2', body: 'Hello {{customer.name}} {{request.number}}' })).json<{ name: string }>().name).toBe('API 2');

      const request = await registerRequest(agent.ctx, { type: 'consultation', channel: 'email', subject: 'Invoice', contactName: 'Ms Li', contactEmail: 'li@example.com' });
      const rendered = await call('POST', `/requests/${request.id}/macros/${id}/render`);
      expect(rendered.statusCode).toBe(200);
      expect(rendered.json()).toEqual({ macroId: id, name: 'API 2', text: `Hello Ms Li ${request.number}`, unknown: [], empty: [] });

      const missing = await call('POST', `/requests/${request.id}/macros/00000000-0000-4000-8000-000000000000/render`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json<{ error: { message: string } }>().error.message).toBe('This canned response was not found');
      const doc = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/macros', '/api/v1/macros/{id}', '/api/v1/requests/{id}/macros/{macroId}/render']));
      expect((await call('DELETE', `/macros/${id}`)).json()).toEqual({ ok: true });
      expect((await call('DELETE', `/macros/${id}`)).statusCode).toBe(404);
    } finally {
      await server.close();
    }
  });
});
