import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../core/events.js';
import { auditLog } from '../../core/db/core-schema.js';
import { AppError } from '../../core/errors.js';
import { buildServer } from '../../http/server.js';
import { buildOrg, buildStaff, ctxAs, TEST_PASSWORD } from '../../test/harness.js';
import { savedViews } from './schema.js';
import { MAX_SAVED_VIEWS } from './views-contracts.js';
import * as V from './views.js';

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe('saved views', () => {
  it('keeps a person’s named filters: create with the contract’s defaults, list by name, update, delete — audited, with events', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const events: DomainEvent[] = [];
    const off = org.app.bus.subscribe('*', (e) => {
      if (e.orgId === org.orgId && e.type.startsWith('saved_view.')) events.push(e);
    });

    const mine = await V.createSavedView(agent.ctx, { name: '我的超时投诉', filters: { queue: 'mine', types: ['complaint'], clock: 'breached' } });
    expect(mine.filters).toEqual({ queue: 'mine', types: ['complaint'], clock: 'breached', sort: 'created_desc' });
    const search = await V.createSavedView(agent.ctx, { name: ' 退款 ', filters: { q: '退款 refund', open: true, sort: 'due_asc', createdFrom: '2026-01-01T00:00:00+08:00' } });
    expect(search.name).toBe('退款');
    expect(search.filters).toMatchObject({ queue: 'all', q: '退款 refund', open: true, sort: 'due_asc' });
    // By pinyin: tuì before wǒ.
    expect((await V.listSavedViews(agent.ctx)).map((v) => v.name)).toEqual(['退款', '我的超时投诉']);

    const renamed = await V.updateSavedView(agent.ctx, mine.id, { name: '我的超时', filters: { queue: 'mine', clock: 'breached', sort: 'due_asc' } });
    expect(renamed).toMatchObject({ id: mine.id, name: '我的超时', filters: { queue: 'mine', clock: 'breached', sort: 'due_asc' } });
    expect(renamed.filters.types).toBeUndefined();
    // Keeping its own name is not a conflict.
    await V.updateSavedView(agent.ctx, mine.id, { name: '我的超时', filters: { queue: 'team' } });

    expect(await V.deleteSavedView(agent.ctx, search.id)).toEqual({ ok: true });
    expect((await V.listSavedViews(agent.ctx)).map((v) => v.id)).toEqual([mine.id]);
    await expectCode(V.deleteSavedView(agent.ctx, search.id), 'not_found');

    const trail = await org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.entityType, 'saved_view')));
    expect(trail.map((a) => a.action).sort()).toEqual(['saved_view.create', 'saved_view.create', 'saved_view.delete', 'saved_view.update', 'saved_view.update']);
    const update = trail.find((a) => a.action === 'saved_view.update' && a.entityId === mine.id && (a.before as { name: string }).name === '我的超时投诉')!;
    expect(update.diff).toHaveProperty('name', ['我的超时投诉', '我的超时']);
    expect(update.actorId).toBe(agent.staff.id);

    await org.app.bus.drain();
    off();
    expect(events.map((e) => e.type)).toEqual(['saved_view.created', 'saved_view.created', 'saved_view.updated', 'saved_view.updated', 'saved_view.deleted']);
    expect(events.every((e) => e.data?.staffId === agent.staff.id && e.actorId === agent.staff.id)).toBe(true);
  });

  it('are private: another person — even an administrator — neither lists, changes nor deletes them; names are unique per person', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const admin = await buildStaff(org, 'admin');
    const other = await buildOrg();
    const stranger = await buildStaff(other, 'admin');
    const view = await V.createSavedView(agent.ctx, { name: '未分派', filters: { queue: 'unassigned' } });

    expect(await V.listSavedViews(admin.ctx)).toEqual([]);
    expect(await V.listSavedViews(stranger.ctx)).toEqual([]);
    await expectCode(V.updateSavedView(admin.ctx, view.id, { name: '改', filters: {} }), 'not_found');
    await expectCode(V.deleteSavedView(admin.ctx, view.id), 'not_found');
    await expectCode(V.deleteSavedView(stranger.ctx, view.id), 'not_found');

    // The same name is refused for the same person, free for another.
    const taken = await expectCode(V.createSavedView(agent.ctx, { name: '未分派', filters: { queue: 'all' } }), 'conflict.name_taken');
    expect(taken.details).toEqual({ field: 'name' });
    const second = await V.createSavedView(agent.ctx, { name: '全部', filters: {} });
    await expectCode(V.updateSavedView(agent.ctx, second.id, { name: '未分派', filters: {} }), 'conflict.name_taken');
    await V.createSavedView(admin.ctx, { name: '未分派', filters: { queue: 'unassigned' } });
    expect((await V.listSavedViews(agent.ctx)).map((v) => v.name)).toEqual(['全部', '未分派']);
  });

  it('validates filters with the console contract and refuses the system, a token without request.read, and the limit', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    await expectCode(V.createSavedView(agent.ctx, { name: 'x', filters: { states: ['closed'] } }), 'validation_failed');
    await expectCode(V.createSavedView(agent.ctx, { name: 'x', filters: { queue: 'everyone' } }), 'validation_failed');
    await expectCode(V.createSavedView(agent.ctx, { name: 'x', filters: { color: 'red' } }), 'validation_failed');
    const date = await expectCode(V.createSavedView(agent.ctx, { name: 'x', filters: { createdTo: 'next tuesday' } }), 'validation_failed');
    expect(JSON.stringify(date.details)).toContain('filters.createdTo');
    await expectCode(V.createSavedView(agent.ctx, { name: '   ', filters: {} }), 'validation_failed');
    await expectCode(V.createSavedView(agent.ctx, { name: 'x'.repeat(61), filters: {} }), 'validation_failed');

    await expectCode(V.listSavedViews(org.system), 'forbidden');
    const narrowed = ctxAs(org.app, { ...agent.actor, kind: 'staff', tokenScopes: ['org.read'] } as typeof agent.actor);
    await expectCode(V.listSavedViews(narrowed), 'forbidden');
    await expectCode(V.createSavedView(narrowed, { name: 'x', filters: {} }), 'forbidden');

    await org.app.database.db.insert(savedViews).values(
      Array.from({ length: MAX_SAVED_VIEWS }, (_, i) => ({ orgId: org.orgId, staffId: agent.staff.id, name: `v${String(i).padStart(2, '0')}`, filters: {}, createdAt: new Date(), updatedAt: new Date() })),
    );
    const limit = await expectCode(V.createSavedView(agent.ctx, { name: '再来一个', filters: {} }), 'view.limit_reached');
    expect(limit.params).toEqual({ max: MAX_SAVED_VIEWS });
    expect(await V.listSavedViews(agent.ctx)).toHaveLength(MAX_SAVED_VIEWS);
  });

  it('reads views stored under an older contract by dropping the filters that no longer validate', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    await org.app.database.db.insert(savedViews).values({
      orgId: org.orgId, staffId: agent.staff.id, name: '旧视图',
      filters: { queue: 'mine', states: ['handling', 'closed'], legacyFlag: true, q: '退款', sort: 'oldest' },
      createdAt: new Date(), updatedAt: new Date(),
    });
    const [view] = await V.listSavedViews(agent.ctx);
    expect(view!.filters).toEqual({ queue: 'mine', q: '退款', sort: 'created_desc' });
  });

  it('serves /api/v1/saved-views to the signed-in person with localized errors', async () => {
    const org = await buildOrg();
    const server = await buildServer(org.app, { web: false });
    const agent = await buildStaff(org, 'agent');
    const lead = await buildStaff(org, 'team_lead');
    const cookie = async (username: string) => {
      const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password: TEST_PASSWORD } });
      return `pledge_session=${res.cookies.find((c) => c.name === 'pledge_session')!.value}`;
    };
    const agentCookie = await cookie(agent.username);
    const leadCookie = await cookie(lead.username);
    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, c: string, payload?: object, lang = 'zh-CN') =>
      server.inject({ method, url: `/api/v1${url}`, headers: { cookie: c, 'accept-language': lang }, ...(payload ? { payload } : {}) });

    const created = await call('POST', '/saved-views', agentCookie, { name: '紧急未分派', filters: { queue: 'unassigned', priorities: ['urgent', 'major'] } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(created.json().filters).toEqual({ queue: 'unassigned', priorities: ['urgent', 'major'], sort: 'created_desc' });
    expect((await call('GET', '/saved-views', agentCookie)).json()).toHaveLength(1);
    expect((await call('GET', '/saved-views', leadCookie)).json()).toEqual([]);

    const bad = await call('POST', '/saved-views', agentCookie, { name: 'x', filters: { priorities: ['low'] } }, 'en-US');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const dup = await call('POST', '/saved-views', agentCookie, { name: '紧急未分派', filters: {} });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toBe('名称“紧急未分派”已存在');
    const foreign = await call('PUT', `/saved-views/${id}`, leadCookie, { name: '抢', filters: {} }, 'en-US');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.message).toBe('This saved view was not found');

    const put = await call('PUT', `/saved-views/${id}`, agentCookie, { name: '紧急', filters: { queue: 'team', sort: 'due_asc' } });
    expect(put.json()).toMatchObject({ id, name: '紧急', filters: { queue: 'team', sort: 'due_asc' } });
    expect((await call('DELETE', `/saved-views/${id}`, agentCookie)).json()).toEqual({ ok: true });
    expect((await call('GET', '/saved-views', agentCookie)).json()).toEqual([]);
    expect((await server.inject({ method: 'GET', url: '/api/v1/saved-views' })).statusCode).toBe(401);
    await server.close();
  });
});
