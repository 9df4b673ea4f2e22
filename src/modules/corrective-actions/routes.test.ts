import { describe, expect, it } from 'vitest';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { createApiToken } from '../org/auth.js';
import * as R from '../requests/service.js';

describe('corrective actions API', () => {
  it('serves the lifecycle over HTTP with 4xx codes for bad input, missing rights, unknown ids and illegal steps', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    const tokenOf = async (ctx: typeof desk.lead.ctx, scopes: string[]) => (await createApiToken(ctx, { name: 'ca', scopes: scopes as never })).token;
    const lead = await tokenOf(desk.lead.ctx, ['corrective.read', 'corrective.handle', 'corrective.manage', 'request.read', 'request.handle']);
    const supervisor = await tokenOf(desk.supervisor.ctx, ['corrective.read', 'corrective.verify', 'corrective.manage']);
    const agent = await tokenOf(desk.agent1.ctx, ['corrective.read', 'corrective.handle', 'request.read', 'request.handle']);
    const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      server.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en-US' }, ...(payload ? { payload } : {}) });

    expect((await server.inject({ method: 'GET', url: '/api/v1/corrective-actions' })).statusCode).toBe(401);
    expect((await call(lead, 'POST', '/corrective-actions', { finding: '' })).statusCode).toBe(400);
    expect((await call(agent, 'POST', '/corrective-actions', { finding: '巡检发现' })).statusCode).toBe(403);
    const created = await call(lead, 'POST', '/corrective-actions', { finding: '巡检发现：窗口无人', source: 'inspection', teamId: desk.team.id });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string; number: string }>().id;
    expect(created.json<{ number: string }>().number).toMatch(/^ZG-\d{8}-\d{4}$/);
    expect((await call(lead, 'GET', '/corrective-actions/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await call(lead, 'GET', '/corrective-actions/not-a-uuid')).statusCode).toBe(400);

    const early = await call(supervisor, 'POST', `/corrective-actions/${id}/steps`, { step: 'accept' });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ error: { code: string; details: { allowed: string[] } } }>().error).toMatchObject({ code: 'corrective.illegal_transition', details: { allowed: ['start', 'cancel'] } });
    expect((await call(lead, 'POST', `/corrective-actions/${id}/steps`, { step: 'fly' })).statusCode).toBe(400);
    expect((await call(lead, 'PUT', `/corrective-actions/${id}/work`, {})).statusCode).toBe(400);
    expect((await call(lead, 'PUT', `/corrective-actions/${id}/work`, { rootCause: '午间无人值守', actionsTaken: '调整排班' })).statusCode).toBe(200);
    const upload = await server.inject({ method: 'POST', url: `/api/v1/corrective-actions/${id}/evidence?filename=${encodeURIComponent('照片.png')}`, headers: { authorization: `Bearer ${lead}`, 'content-type': 'image/png' }, payload: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
    expect(upload.statusCode, upload.body).toBe(201);
    const file = await call(supervisor, 'GET', `/corrective-actions/${id}/evidence/${upload.json<{ id: string }>().id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect((await call(lead, 'POST', `/corrective-actions/${id}/recontact`, { note: '已回访' })).statusCode).toBe(200);
    expect((await call(lead, 'POST', `/corrective-actions/${id}/steps`, { step: 'submit' })).statusCode).toBe(200);
    expect((await call(agent, 'POST', `/corrective-actions/${id}/steps`, { step: 'accept' })).statusCode).toBe(403);
    expect((await call(supervisor, 'POST', `/corrective-actions/${id}/steps`, { step: 'return' })).statusCode).toBe(400);
    const closed = await call(supervisor, 'POST', `/corrective-actions/${id}/steps`, { step: 'accept', note: 'OK' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ state: 'closed', closedOnTime: true });
    const detail = await call(lead, 'GET', `/corrective-actions/${id}`);
    expect(detail.json<{ evidence: unknown[]; events: unknown[] }>().evidence).toHaveLength(1);
    const list = await call(lead, 'GET', '/corrective-actions?states=closed&mine=true&overdue=false&limit=1');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([id]);
    expect((await call(lead, 'GET', '/corrective-actions?overdue=maybe')).statusCode).toBe(400);
    expect((await call(lead, 'GET', '/corrective-actions?cursor=garbage')).statusCode).toBe(400);

    // Settings and the complaint verdict.
    expect((await call(lead, 'GET', '/corrective-actions/settings')).json()).toMatchObject({ deadline: 'P5D' });
    expect((await call(lead, 'PUT', '/corrective-actions/settings', { deadline: 'P3D' })).statusCode).toBe(403);
    const complaint = await R.registerRequest(desk.agent1.ctx, { type: 'complaint', channel: 'web', subject: '态度差', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    expect((await call(agent, 'POST', `/requests/${complaint.id}/complaint-verdict`, { upheld: true })).statusCode).toBe(400);
    const verdict = await call(agent, 'POST', `/requests/${complaint.id}/complaint-verdict`, { upheld: true, note: '属实' });
    expect(verdict.statusCode, verdict.body).toBe(200);
    expect(verdict.json<{ actions: { source: string }[] }>().actions.map((a) => a.source)).toEqual(['complaint']);
    expect((await call(agent, 'GET', `/requests/${complaint.id}/corrective-actions`)).json()).toMatchObject({ complaintUpheld: true });
    const question = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '咨询' });
    expect((await call(agent, 'POST', `/requests/${question.id}/complaint-verdict`, { upheld: true, note: 'x' })).statusCode).toBe(409);
    const spec = (await server.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/corrective-actions', '/api/v1/corrective-actions/{id}/steps', '/api/v1/requests/{id}/complaint-verdict']));
    await server.close();
  });
});
