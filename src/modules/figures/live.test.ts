/**
 * The live wall through the real services: requests registered on a Monday morning in Asia/Shanghai, their
 * first-response clocks (30 office minutes, warning at 80 %) passing warning and due while time moves, duty
 * calendars, team and branch scope, the API's codes.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context.js';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { buildStaff, ctxAs } from '../../test/harness.js';
import { createApiToken } from '../org/auth.js';
import { updateStaff } from '../org/staff.js';
import { getRequest } from '../requests/queries.js';
import * as R from '../requests/service.js';
import type { KpiLiveView } from './drill-contracts.js';
import { kpiLive } from './live.js';

const at = (hhmm: string) => `2026-11-23T${hhmm}:00+08:00`; // a Monday, office hours 09:00–12:00, 13:30–18:00

async function morning() {
  const desk = await buildDesk();
  let now = new Date(at('09:00'));
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(desk.org.app, p.actor, { now: () => now });
  const set = (hhmm: string) => (now = new Date(at(hhmm)));
  const [agent1, agent2, specialist, lead, admin] = [as(desk.agent1), as(desk.agent2), as(desk.specialist), as(desk.lead), as(desk.admin)];
  // A: agent1's, first response due 09:30 (warning 09:24).
  const a = await R.registerRequest(agent1, { type: 'consultation', channel: 'web', subject: '宽带报修', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  // D: agent1's, phone (answered at registration), delivered and archived: not open.
  const d = await R.registerRequest(agent1, { type: 'consultation', channel: 'phone', subject: '话费查询', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(agent1, d.id, { action });
  await R.transitionRequest(agent1, d.id, { action: 'deliver_result', result: '已查询' });
  await R.transitionRequest(agent1, d.id, { action: 'archive' });
  set('09:20');
  // B: agent2's complaint, answered at 09:21; C: the team's, nobody assigned; E: the special team's; F: the branch's.
  const b = await R.registerRequest(agent2, { type: 'complaint', channel: 'web', subject: '投诉：等待太久', assigneeId: desk.agent2.staff.id, teamId: desk.team.id });
  const c = await R.registerRequest(lead, { type: 'consultation', channel: 'email', subject: '发票抬头', teamId: desk.team.id });
  const e = await R.registerRequest(specialist, { type: 'service_request', channel: 'web', subject: '专线开通', assigneeId: desk.specialist.staff.id, teamId: desk.special.id });
  const f = await R.registerRequest(admin, { type: 'consultation', channel: 'web', subject: '分公司咨询', branchId: desk.org.branchId });
  set('09:21');
  await R.addMessage(agent2, b.id, { kind: 'reply', body: '您好，正在处理。' });
  return { desk, set, now: () => now, a, b, c, d, e, f, as };
}

describe('the live wall', () => {
  it('counts open, about to breach, breached and unassigned as time passes; agents with duty and load; the soonest clocks', async () => {
    const m = await morning();
    const { desk } = m;
    const wall = async (ctx: Ctx, query: Record<string, unknown> = {}) => kpiLive(ctx, query);

    m.set('09:25');
    const manager = m.as(desk.manager);
    let w = await wall(manager);
    expect(w.at).toBe(new Date(at('09:25')).toISOString());
    // A is past its warning (09:24); the others' first responses are due 09:50 (B's is met).
    expect(w).toMatchObject({ open: { total: 5 }, aboutToBreach: 1, breached: 0, unassigned: 2 });
    expect(Object.values(w.open.byState).reduce((s, n) => s + n, 0)).toBe(5);
    const states = await Promise.all([m.a, m.b, m.c, m.e, m.f].map((r) => getRequest(manager, r.id).then((v) => v.state)));
    expect(w.open.byState).toEqual(states.reduce<Record<string, number>>((o, s) => ({ ...o, [s]: (o[s] ?? 0) + 1 }), {}));

    // 09:35: A's first response is past due — breached, before the clock watcher records it.
    m.set('09:35');
    w = await wall(manager);
    expect(w).toMatchObject({ aboutToBreach: 0, breached: 1, unassigned: 2 });
    expect(w.soonest[0]).toMatchObject({ requestId: m.a.id, number: m.a.number, subject: '宽带报修', assigneeName: desk.agent1.staff.displayName, clockKind: 'first_response', dueAt: new Date(at('09:30')).toISOString(), state: 'breached' });
    expect(w.soonest.slice(1, 4).map((s) => [s.clockKind, s.dueAt, s.state])).toEqual(Array(3).fill(['first_response', new Date(at('09:50')).toISOString(), 'running']));
    expect(w.soonest.slice(1, 4).map((s) => s.requestId).sort()).toEqual([m.c.id, m.e.id, m.f.id].sort());
    expect(w.soonest.map((s) => s.dueAt)).toEqual([...w.soonest.map((s) => s.dueAt)].sort());
    expect(w.soonest.length).toBeLessThanOrEqual(20);
    expect(w.soonest.every((s) => s.requestId !== m.d.id && !(s.requestId === m.b.id && s.clockKind === 'first_response'))).toBe(true);

    // 09:45: C, E and F are past their warning (09:44); A stays breached, also once the watcher has recorded it.
    m.set('09:45');
    await desk.org.app.database.db.execute(sql`UPDATE clocks SET state = 'breached', breached_at = due_at WHERE subject_id = ${m.a.id} AND kind = 'first_response'`);
    w = await wall(manager);
    expect(w).toMatchObject({ open: { total: 5 }, aboutToBreach: 3, breached: 1, unassigned: 2 });
    const row = (view: KpiLiveView, id: string) => view.agents.find((x) => x.id === id);
    expect(w.agents.map((x) => x.id).sort()).toEqual([desk.lead.staff.id, desk.agent1.staff.id, desk.agent2.staff.id, desk.specialist.staff.id].sort());
    expect(row(w, desk.agent1.staff.id)).toEqual({ id: desk.agent1.staff.id, name: desk.agent1.staff.displayName, teamId: desk.team.id, onDuty: true, open: 1, aboutToBreach: 0, breached: 1 });
    expect(row(w, desk.agent2.staff.id)).toMatchObject({ open: 1, aboutToBreach: 0, breached: 0 });
    expect(row(w, desk.specialist.staff.id)).toMatchObject({ teamId: desk.special.id, open: 1, aboutToBreach: 1, breached: 0 });
    expect(row(w, desk.lead.staff.id)).toMatchObject({ open: 0, onDuty: true });

    // One team: its requests (A, B, C) and members; the special team's E and the branch's F are not in it.
    const team = await wall(manager, { team: desk.team.id });
    expect(team).toMatchObject({ open: { total: 3 }, aboutToBreach: 1, breached: 1, unassigned: 1 });
    expect(team.agents.map((x) => x.id).sort()).toEqual([desk.lead.staff.id, desk.agent1.staff.id, desk.agent2.staff.id].sort());
    expect(new Set(team.soonest.map((s) => s.requestId))).toEqual(new Set([m.a.id, m.b.id, m.c.id]));

    // Branch scope: the head office's lead sees the head office's requests in any team; the branch's lead only F.
    const hq = await wall(m.as(desk.lead));
    expect(hq).toMatchObject({ open: { total: 4 }, unassigned: 1 });
    expect((await wall(m.as(desk.lead), { team: desk.special.id })).open.total).toBe(1);
    const branchLead = await buildStaff(desk.org, 'team_lead', { scope: 'branch', branchId: desk.org.branchId });
    const b1 = await wall(m.as(branchLead));
    expect(b1).toMatchObject({ open: { total: 1 }, aboutToBreach: 1, unassigned: 1, agents: [] });
    expect([...new Set(b1.soonest.map((s) => s.requestId))]).toEqual([m.f.id]);
    // A branch reader looking at a head-office team sees its members, and none of its requests.
    expect(await wall(m.as(branchLead), { team: desk.team.id })).toMatchObject({ open: { total: 0 }, soonest: [] });

    // Lunch (12:30): the office calendar has no working time; agent2 keeps the 7×24 hotline's hours.
    await updateStaff(desk.admin.ctx, desk.agent2.staff.id, { dutyCalendarId: desk.hotlineCal.id });
    m.set('12:30');
    w = await wall(manager, { team: desk.team.id });
    expect(Object.fromEntries(w.agents.map((x) => [x.id, x.onDuty]))).toEqual({ [desk.lead.staff.id]: false, [desk.agent1.staff.id]: false, [desk.agent2.staff.id]: true });
    // Whoever holds an open request of the wall shows up, member of a team or not (a manager took C, which
    // leaves the team for none: the manager is in none).
    await R.assignRequest(m.as(desk.manager), m.c.id, { assigneeId: desk.manager.staff.id, reason: '亲自处理' });
    w = await wall(manager);
    expect(w).toMatchObject({ open: { total: 5 }, unassigned: 1 });
    expect(row(w, desk.manager.staff.id)).toMatchObject({ name: desk.manager.staff.displayName, teamId: null, open: 1 });
  }, 60_000);

  it('serves the API: 200 with the contract, 400 on bad input, 404 for an unknown team, 401 and 403', async () => {
    const m = await morning();
    const { desk } = m;
    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.lead.ctx, { name: 'wall', scopes: ['request.read'] });
    const { token: noRead } = await createApiToken(desk.lead.ctx, { name: 'no-read', scopes: ['evaluation.read'] });
    const get = (query: string, bearer = token) => server.inject({ method: 'GET', url: `/api/v1/kpis/live${query}`, headers: { authorization: `Bearer ${bearer}` } });
    const ok = await get(`?team=${desk.team.id}`);
    expect(ok.statusCode, ok.body).toBe(200);
    const view = ok.json<KpiLiveView>();
    expect(view.open.total).toBe(3);
    expect(view.agents).toHaveLength(3);
    expect((await get('')).json<KpiLiveView>().open.total).toBe(4);
    for (const query of ['?team=abc', '?team=', '?teams=x']) {
      const res = await get(query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
    const unknown = await get(`?team=${randomUUID()}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe('not_found');
    expect((await get('', noRead)).statusCode).toBe(403);
    expect((await server.inject({ method: 'GET', url: '/api/v1/kpis/live' })).statusCode).toBe(401);
    await server.close();
  }, 60_000);
});
