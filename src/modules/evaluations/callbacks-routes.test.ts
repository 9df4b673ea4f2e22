import { describe, expect, it } from 'vitest';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { createApiToken } from '../org/auth.js';
import * as R from '../requests/service.js';
import { updateCallbackSettings } from './callback-settings.js';

describe('callbacks and appeals API', () => {
  it('works the queue over HTTP and answers bad input with 4xx codes, never 500', async () => {
    const desk = await buildDesk();
    await updateCallbackSettings(desk.manager.ctx, { allComplaints: true, percent: 100, seed: 'http', maxAttempts: 3 });
    const agent = desk.agent1.ctx;
    const r = await R.registerRequest(agent, { type: 'consultation', channel: 'web', subject: '咨询', contactPhone: '13900139000' });
    await R.transitionRequest(agent, r.id, { action: 'analyse' });
    await R.assignRequest(desk.lead.ctx, r.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await R.transitionRequest(agent, r.id, { action: 'start_handling' });
    await R.transitionRequest(agent, r.id, { action: 'deliver_result', result: '已答复' });
    await R.transitionRequest(agent, r.id, { action: 'archive' });

    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.supervisor.ctx, { name: '回访', scopes: ['callback.manage', 'evaluation.read', 'appeal.decide'] });
    const { token: agentToken } = await createApiToken(desk.agent1.ctx, { name: '坐席', scopes: ['evaluation.read', 'appeal.file'] });
    const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, t = token) =>
      server.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${t}`, 'accept-language': 'en-US' }, ...(payload ? { payload } : {}) });

    const list = await call('GET', '/callbacks?state=pending&purpose=sample');
    expect(list.statusCode, list.body).toBe(200);
    const id = list.json().items[0].id as string;
    const detail = await call('GET', `/callbacks/${id}`);
    expect(detail.json().contact.phone).toBe('139****9000'); // the token does not carry pii:read

    expect((await call('GET', '/callbacks?state=nonsense')).statusCode).toBe(400);
    expect((await call('GET', '/callbacks/not-a-uuid')).statusCode).toBe(400);
    expect((await call('GET', '/callbacks/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await call('GET', '/callbacks', undefined, agentToken)).statusCode).toBe(403);
    expect((await call('POST', `/callbacks/${id}/perform`, { outcome: 'maybe' })).statusCode).toBe(400);
    const noLevel = await call('POST', `/callbacks/${id}/perform`, { outcome: 'reached' });
    expect(noLevel.statusCode).toBe(400);
    expect(noLevel.json().error.code).toBe('callback.level_required');
    expect((await call('POST', `/callbacks/${id}/assign`, { assigneeId: desk.agent1.staff.id })).statusCode).toBe(400);
    const done = await call('POST', `/callbacks/${id}/perform`, { outcome: 'reached', level: 5, remarks: '很满意' });
    expect(done.statusCode, done.body).toBe(200);
    const again = await call('POST', `/callbacks/${id}/perform`, { outcome: 'not_reached' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'callback.not_pending', message: 'This callback is done and can no longer change' });
    const dup = await call('POST', '/callbacks', { requestId: r.id });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('callback.duplicate');

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const preview = await call('POST', '/callbacks/sample/preview', { from, to });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ considered: 1, drawn: [{ requestId: r.id, alreadySampled: true }] });
    expect((await call('POST', '/callbacks/sample', { from: to, to: from })).statusCode).toBe(400);
    expect((await call('POST', '/callbacks/sample', { from: 'yesterday', to })).statusCode).toBe(400);
    expect((await call('GET', '/callbacks/settings')).json()).toMatchObject({ percent: 100, seed: 'http' });
    expect((await call('PUT', '/callbacks/settings', { allComplaints: true, percent: 5, seed: 's', maxAttempts: 3 })).statusCode).toBe(403);

    const appeal = await call('POST', `/evaluations/${done.json().recordedEvaluationId as string}/appeals`, { reason: '不服' }, agentToken);
    expect(appeal.statusCode).toBe(409);
    expect(appeal.json().error.code).toBe('appeal.not_allowed');
    expect((await call('POST', '/evaluations/00000000-0000-4000-8000-000000000000/appeals', { reason: 'x' }, agentToken)).statusCode).toBe(404);
    expect((await call('POST', '/appeals/00000000-0000-4000-8000-000000000000/decision', { decision: 'upheld', reason: 'x' })).statusCode).toBe(404);
    expect((await call('POST', '/appeals/00000000-0000-4000-8000-000000000000/decision', { decision: 'maybe', reason: 'x' })).statusCode).toBe(400);
    expect((await call('GET', '/appeals?state=pending')).statusCode).toBe(200);
    expect((await call('GET', '/appeals/candidates', undefined, agentToken)).json()).toEqual({ items: [] });
    const spec = await server.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(Object.keys(spec.json().paths)).toEqual(expect.arrayContaining(['/api/v1/callbacks', '/api/v1/callbacks/{id}/perform', '/api/v1/appeals/{id}/decision', '/api/v1/evaluations/{id}/appeals']));
    await server.close();
  });
});
