import { randomUUID } from 'node:crypto';
import { and, eq, lte } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context.js';
import { buildServer } from '../../http/server.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { buildOrg, buildStaff, ctxAs } from '../../test/harness.js';
import { clocks } from '../clocks/schema.js';
import { createApiToken } from '../org/auth.js';
import { listRequests } from './queries.js';
import { requests } from './schema.js';
import * as R from './service.js';
import { requestSummary, SUMMARY_CAP, type SummaryFilters } from './summary.js';

/** Contexts of the desk's people that read a movable clock (as in service.test.ts). */
function clockAt(desk: Desk, start: string) {
  let now = new Date(start);
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(desk.org.app, p.actor, { now: () => now });
  return {
    set: (iso: string) => (now = new Date(iso)),
    /** What the clock watcher does at this instant, for this organization's clocks only (the test database is shared). */
    breachDue: () =>
      desk.org.app.database.db.update(clocks).set({ state: 'breached', breachedAt: now, updatedAt: now })
        .where(and(eq(clocks.orgId, desk.org.orgId), eq(clocks.state, 'running'), lte(clocks.dueAt, now))),
    agent1: as(desk.agent1),
    agent2: as(desk.agent2),
    lead: as(desk.lead),
    manager: as(desk.manager),
    specialist: as(desk.specialist),
    as,
  };
}

/** The console's list for these filters, every page: the ids it shows. */
async function consoleIds(ctx: Ctx, filters: SummaryFilters): Promise<string[]> {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) query[key] = Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? String(value) : value;
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRequests(ctx, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/** Every figure of the summary equals the row count of the console list it links to. */
async function expectFiguresMatchConsole(ctx: Ctx) {
  const s = await requestSummary(ctx);
  for (const f of [s.mine, s.mineDueSoon, s.mineBreached, s.waitingCustomer, ...s.teamUnassigned.teams, ...(s.escalatedOpen ? [s.escalatedOpen] : [])]) {
    expect({ filters: f.filters, count: f.count }).toEqual({ filters: f.filters, count: (await consoleIds(ctx, f.filters)).length });
  }
  expect(s.teamUnassigned.count).toBe(s.teamUnassigned.teams.reduce((n, t) => n + t.count, 0));
  return s;
}

describe('requests: my work (home page summary)', () => {
  it('counts mine, due soon, breached, waiting on the customer, team unassigned and unacknowledged escalations, as the console lists them', async () => {
    const desk = await buildDesk();
    const c = clockAt(desk, '2026-11-23T10:00:00+08:00'); // a Monday, office hours
    const me = desk.agent1.staff.id;
    const mineIn = (subject: string, extra: object = {}) => R.registerRequest(c.agent1, { type: 'consultation', channel: 'web', subject, teamId: desk.team.id, assigneeId: me, ...extra });

    // 10:00: one that will breach (first response in 30 min) and one waiting on the customer (clocks paused).
    const late = await mineIn('逾期未响应');
    const waiting = await mineIn('等客户补材料');
    await R.transitionRequest(c.agent1, waiting.id, { action: 'analyse' });
    await R.transitionRequest(c.agent1, waiting.id, { action: 'start_handling' });
    await R.transitionRequest(c.agent1, waiting.id, { action: 'wait_customer', reason: '请客户补充材料' });
    // 10:50: due soon at 11:15 (first response due 11:20, warning at 80 %: 11:14).
    c.set('2026-11-23T10:50:00+08:00');
    const soon = await mineIn('即将超时');
    // 11:10: running, not yet at its warning instant at 11:15.
    c.set('2026-11-23T11:10:00+08:00');
    const calm = await mineIn('刚登记');
    // Closed ones do not count: a duplicate merged into another.
    const duplicate = await mineIn('重复');
    await R.transitionRequest(c.agent1, duplicate.id, { action: 'merge', reason: '重复提交', mergeIntoId: calm.id });
    // Someone else's.
    await R.registerRequest(c.agent2, { type: 'consultation', channel: 'web', subject: '别人的', teamId: desk.team.id, assigneeId: desk.agent2.staff.id });
    // Unassigned in the front-line team: one in the head office, one in the other branch (the manager registers it there).
    const unassigned = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'phone', subject: '待分派', teamId: desk.team.id });
    expect(unassigned.assignee).toBeNull();
    const elsewhere = await R.registerRequest(c.manager, { type: 'consultation', channel: 'phone', subject: '分公司待分派', teamId: desk.team.id, branchId: desk.org.branchId });
    expect(elsewhere.branchId).toBe(desk.org.branchId);
    // Escalations (major complaints go to the special team at once): one waiting here, one in the branch, one taken up.
    const escalated = await R.registerRequest(c.agent1, { type: 'complaint', priority: 'major', channel: 'phone', subject: '重大投诉' });
    const escalatedElsewhere = await R.registerRequest(c.manager, { type: 'complaint', priority: 'major', channel: 'phone', subject: '分公司重大投诉', branchId: desk.org.branchId });
    const acknowledged = await R.registerRequest(c.agent1, { type: 'complaint', priority: 'major', channel: 'phone', subject: '已受理的升级' });
    expect([escalated.escalated, escalatedElsewhere.escalated, acknowledged.escalated]).toEqual([true, true, true]);
    await R.acknowledgeEscalation(c.specialist, acknowledged.id);

    // 11:15: the breach (due 10:30) is recorded; the warning (11:14) needs no record (running, past warning_at).
    c.set('2026-11-23T11:15:00+08:00');
    await c.breachDue();

    const s = await expectFiguresMatchConsole(c.agent1);
    expect(s.cap).toBe(SUMMARY_CAP);
    expect(s.mine).toMatchObject({ count: 4, capped: false, filters: { queue: 'mine' } });
    expect(s.mineDueSoon).toMatchObject({ count: 1, filters: { queue: 'mine', clock: 'warning' } });
    expect(await consoleIds(c.agent1, s.mineDueSoon.filters)).toEqual([soon.id]);
    expect(s.mineBreached).toMatchObject({ count: 1, filters: { queue: 'mine', clock: 'breached' } });
    expect(await consoleIds(c.agent1, s.mineBreached.filters)).toEqual([late.id]);
    expect(s.waitingCustomer).toMatchObject({ count: 1, filters: { queue: 'mine', states: ['waiting_customer'] } });
    expect(await consoleIds(c.agent1, s.waitingCustomer.filters)).toEqual([waiting.id]);
    // agent1 is branch-scoped (head office): the branch's unassigned request is not theirs to see.
    expect(s.teamUnassigned).toMatchObject({ count: 1, capped: false, teams: [{ teamId: desk.team.id, teamName: '一线', count: 1, filters: { queue: 'unassigned', teamId: desk.team.id } }] });
    // Neither in the special team nor holding request.assign.
    expect(s.escalatedOpen).toBeNull();

    // The team lead (request.assign, head office): the escalation waiting in the head office only.
    const lead = await expectFiguresMatchConsole(c.lead);
    expect(lead.mine.count).toBe(0);
    expect(lead.teamUnassigned.count).toBe(1);
    expect(lead.escalatedOpen).toMatchObject({ count: 1, capped: false, teamId: desk.special.id, filters: { queue: 'all', teamId: desk.special.id, open: true, escalation: 'pending' } });
    // The console view it links to lists exactly the escalations waiting to be taken up; "any" adds the acknowledged one.
    expect(await consoleIds(c.lead, lead.escalatedOpen!.filters)).toEqual([escalated.id]);
    const anyEscalated = await consoleIds(c.lead, { ...lead.escalatedOpen!.filters, escalation: 'any' });
    expect(anyEscalated.sort()).toEqual([escalated.id, acknowledged.id].sort());
    expect(anyEscalated).not.toContain(escalatedElsewhere.id);

    // The specialist (special team, organization-wide): both waiting escalations, and the special team's unassigned ones.
    const specialist = await expectFiguresMatchConsole(c.specialist);
    expect(specialist.escalatedOpen).toMatchObject({ count: 2 });
    expect(specialist.teamUnassigned.teams.map((t) => t.teamId)).toEqual([desk.special.id]);
    expect(specialist.teamUnassigned.count).toBe((await consoleIds(c.specialist, { queue: 'unassigned', teamId: desk.special.id })).length);

    // The manager (organization-wide, request.assign, no team): both escalations, no team figures.
    const manager = await expectFiguresMatchConsole(c.manager);
    expect(manager.escalatedOpen).toMatchObject({ count: 2 });
    expect(manager.teamUnassigned).toEqual({ count: 0, capped: false, teams: [] });

    // Replying meets the late request's first response but its breach stays; resuming the waiting one moves it.
    await R.transitionRequest(c.agent1, waiting.id, { action: 'customer_replied' });
    const after = await expectFiguresMatchConsole(c.agent1);
    expect(after.waitingCustomer.count).toBe(0);
    expect(after.mineBreached.count).toBe(1);
  });

  it('caps each count at 999 ("999+") and answers over HTTP', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const db = org.app.database.db;
    const now = new Date();
    const rows = (n: number) =>
      Array.from({ length: n }, () => ({
        orgId: org.orgId, number: `9${randomUUID().replace(/\D/g, '').slice(0, 15).padEnd(15, '0')}`, type: 'consultation', priority: 'general', channel: 'web', state: 'handling',
        subject: '批量', branchId: org.headOfficeId, assigneeId: agent.staff.id, lastActivityAt: now, createdAt: now, updatedAt: now,
      }));
    await db.insert(requests).values(rows(SUMMARY_CAP));
    expect((await requestSummary(agent.ctx)).mine).toMatchObject({ count: SUMMARY_CAP, capped: false });
    await db.insert(requests).values(rows(1));
    expect((await requestSummary(agent.ctx)).mine).toMatchObject({ count: SUMMARY_CAP, capped: true });

    const server = await buildServer(org.app, { web: false });
    const { token } = await createApiToken(agent.ctx, { name: '首页', scopes: ['request.read'] });
    const res = await server.inject({ method: 'GET', url: '/api/v1/requests/summary', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ cap: SUMMARY_CAP, mine: { count: SUMMARY_CAP, capped: true, filters: { queue: 'mine' } }, mineBreached: { count: 0 }, escalatedOpen: null });
    const { token: noRead } = await createApiToken(agent.ctx, { name: '无读取', scopes: ['request.create'] });
    expect((await server.inject({ method: 'GET', url: '/api/v1/requests/summary', headers: { authorization: `Bearer ${noRead}` } })).statusCode).toBe(403);
    const spec = await server.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(spec.json().paths['/api/v1/requests/summary'].get.tags).toEqual(['requests']);
    await server.close();
  });
});
