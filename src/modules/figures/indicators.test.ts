/**
 * Hand-checked figures of the indicators added to the engine: initial-solution and complaint-handling compliance,
 * complaint handling time in working days, the phone service level (against GET /calls/service-level's own
 * computation) and the backlog at the end of days and months, across the October/November boundary in
 * Asia/Shanghai. Facts are inserted into the raw tables directly and rolled up by the job.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../http/server.js';
import { KpiRollupWorker } from '../../jobs/kpi-rollup.js';
import { buildOrg, buildStaff, type TestOrg } from '../../test/harness.js';
import { createCalendar } from '../calendars/service.js';
import { callServiceLevel } from '../channels/calls.js';
import { createApiToken } from '../org/auth.js';
import type { KpiValue } from './contracts.js';
import { snapshot } from './rollup-snapshot.js';
import { kpiHeatmap, kpiValues, rebuildKpis } from './service.js';

const local = (s: string) => new Date(`${s}+08:00`);
const pick = (values: KpiValue[], period: string, indicator: string, value = '') => values.find((v) => v.period === period && v.indicator === indicator && v.value === value);

async function request(org: TestOrg, r: { type?: string; state?: string; created: string; resolved?: string; archived?: string; agent?: string | null; reopen?: number }) {
  const id = randomUUID();
  await org.app.database.db.execute(sql`INSERT INTO requests (id, org_id, number, type, priority, channel, state, subject, branch_id, assignee_id, reopen_count, last_activity_at, created_at, updated_at, resolved_at, archived_at)
    VALUES (${id}, ${org.orgId}, ${`N-${id.slice(0, 8)}`}, ${r.type ?? 'consultation'}, 'general', 'web', ${r.state ?? 'handling'}, 's', ${org.headOfficeId}, ${r.agent ?? null}, ${r.reopen ?? 0},
      ${local(r.created)}, ${local(r.created)}, ${local(r.created)}, ${r.resolved ? local(r.resolved) : null}, ${r.archived ? local(r.archived) : null})`);
  return id;
}

async function categorize(org: TestOrg, requestId: string, categoryId: string | null) {
  await org.app.database.db.execute(sql`UPDATE requests SET category_id = ${categoryId} WHERE id = ${requestId}`);
}

async function clock(org: TestOrg, requestId: string, kind: string, outcome: { met?: string; breached?: string }) {
  const state = outcome.met ? 'met' : 'breached';
  await org.app.database.db.execute(sql`INSERT INTO clocks (org_id, subject_type, subject_id, kind, target_key, calendar_id, duration, state, started_at, due_at, met_at, breached_at, created_at, updated_at)
    VALUES (${org.orgId}, 'request', ${requestId}, ${kind}, ${kind}, ${randomUUID()}, 'PT1H', ${state}, ${local('2026-11-01T09:00:00')}, ${local('2026-11-01T10:00:00')},
      ${outcome.met ? local(outcome.met) : null}, ${outcome.breached ? local(outcome.breached) : null}, ${local('2026-11-01T09:00:00')}, ${local('2026-11-01T09:00:00')})`);
}

describe('the indicators added to the engine, by hand', () => {
  it('initial-solution and complaint-handling compliance; complaint handling time in working days of the default calendar', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    // Office week; Wednesday 4 November a holiday, Saturday 7 November a working day (调休).
    const office = [['09:00', '12:00'], ['13:30', '18:00']];
    await createCalendar(admin.ctx, { name: '办公', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: { '2026-11-04': [], '2026-11-07': office } }, { isDefault: true, holidayRegion: null });

    const r = await request(org, { created: '2026-11-01T09:00:00' });
    await clock(org, r, 'initial_solution', { met: '2026-11-02T10:00:00' }); // on time
    await clock(org, r, 'initial_solution', { breached: '2026-11-03T10:00:00' }); // breached, still unmet
    await clock(org, r, 'initial_solution', { met: '2026-11-03T12:00:00', breached: '2026-11-03T11:00:00' }); // met late
    await clock(org, r, 'first_response', { met: '2026-11-02T10:00:00' }); // not an initial solution
    await clock(org, r, 'resolved', { met: '2026-11-04T10:00:00' }); // not a complaint: not handling
    // C1: registered Monday 2 November, result delivered Monday 9 November: 3rd, 5th, 6th, 7th, 9th = 5 working days.
    const c1 = await request(org, { type: 'complaint', created: '2026-11-02T10:00:00', resolved: '2026-11-09T15:00:00' });
    await clock(org, c1, 'result.delivered', { met: '2026-11-04T10:00:00' }); // on time
    await clock(org, c1, 'resolved', { breached: '2026-11-04T11:00:00' }); // breached
    await clock(org, c1, 'complaint.registered', { met: '2026-11-04T12:00:00' }); // registration: not handling
    await clock(org, c1, 'archived', { met: '2026-11-05T12:00:00', breached: '2026-11-05T11:00:00' }); // late
    await clock(org, c1, 'initial_solution', { met: '2026-11-05T10:00:00' }); // initial solution of a complaint: counts there
    // C2: Friday 23:30, delivered Monday 00:30 local (Sunday in UTC): Saturday 7th and Monday 9th = 2 working days.
    await request(org, { type: 'complaint', created: '2026-11-06T23:30:00', resolved: '2026-11-09T00:30:00' });
    await request(org, { type: 'consultation', created: '2026-11-02T10:00:00', resolved: '2026-11-09T10:00:00' }); // not a complaint
    await request(org, { type: 'complaint', state: 'merged', created: '2026-11-02T10:00:00', resolved: '2026-11-09T10:00:00' }); // merged
    await new KpiRollupWorker(org.app).runOnce();

    const ids = 'initial_solution_compliance,complaint_handling_compliance,complaint_handling_days';
    const month = await kpiValues(manager.ctx, { indicators: ids, grain: 'month', from: '2026-11-01', to: '2026-11-30' });
    expect(pick(month.values, '2026-11', 'initial_solution_compliance')).toMatchObject({ unit: 'percent', figure: 50, numerator: 2, denominator: 4 });
    expect(pick(month.values, '2026-11', 'complaint_handling_compliance')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(pick(month.values, '2026-11', 'complaint_handling_compliance')!.figure).toBeCloseTo(100 / 3, 10);
    expect(pick(month.values, '2026-11', 'complaint_handling_days')).toMatchObject({ unit: 'working_days', figure: 3.5, count: 2, mean: 3.5 });
    const days = await kpiValues(manager.ctx, { indicators: ids, grain: 'day', from: '2026-11-03', to: '2026-11-09' });
    expect(pick(days.values, '2026-11-03', 'initial_solution_compliance')).toMatchObject({ numerator: 0, denominator: 2, figure: 0 });
    expect(pick(days.values, '2026-11-04', 'complaint_handling_compliance')).toMatchObject({ numerator: 1, denominator: 2, figure: 50 });
    expect(pick(days.values, '2026-11-08', 'complaint_handling_days')).toMatchObject({ figure: null, count: 0 });
    expect(pick(days.values, '2026-11-09', 'complaint_handling_days')).toMatchObject({ figure: 3.5, count: 2 });
    // A rebuild changes nothing.
    const before = await snapshot(org.app.database.db, org.orgId);
    await rebuildKpis(org.system, { from: '2026-10-25', to: '2026-11-15' });
    expect(await snapshot(org.app.database.db, org.orgId)).toEqual(before);
  }, 60_000);

  it('without a default calendar, complaint handling days are not measured (null, not 0)', async () => {
    const org = await buildOrg();
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    await request(org, { type: 'complaint', created: '2026-11-02T10:00:00', resolved: '2026-11-09T15:00:00' });
    await new KpiRollupWorker(org.app).runOnce();
    const v = await kpiValues(manager.ctx, { indicators: 'complaint_handling_days', grain: 'month', from: '2026-11-01', to: '2026-11-30' });
    expect(v.values).toEqual([expect.objectContaining({ figure: null, count: 0 })]);
  }, 60_000);

  it('phone service level: the rule and counts of GET /calls/service-level, by the local day the call rang', async () => {
    const org = await buildOrg();
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const agent = randomUUID();
    const call = (ring: string, extra: { answerAfter?: number; endAfter?: number | null; direction?: string; agent?: string }) => {
      const at = local(ring);
      const answered = extra.answerAfter === undefined ? null : new Date(at.getTime() + extra.answerAfter * 1000);
      const ended = extra.endAfter === undefined || extra.endAfter === null ? null : new Date(at.getTime() + extra.endAfter * 1000);
      return org.app.database.db.execute(sql`INSERT INTO calls (org_id, direction, ring_at, answered_at, ended_at, agent_id, outcome, created_at, updated_at)
        VALUES (${org.orgId}, ${extra.direction ?? 'inbound'}, ${at}, ${answered}, ${ended}, ${extra.agent ?? null}, 'open', ${at}, ${at})`);
    };
    await call('2026-11-02T10:00:00', { answerAfter: 20, endAfter: 100, agent }); // within 20 s (inclusive)
    await call('2026-11-02T10:01:00', { answerAfter: 21, endAfter: 100, agent }); // answered late
    await call('2026-11-02T10:02:00', { endAfter: 4 }); // short abandon: not offered
    await call('2026-11-02T10:03:00', { endAfter: 5 }); // abandoned
    await call('2026-11-02T10:04:00', { endAfter: null }); // unanswered, no end: abandoned
    await call('2026-11-02T10:05:00', { direction: 'outbound', answerAfter: 1, endAfter: 60, agent }); // not inbound
    await call('2026-11-02T23:59:50', { answerAfter: 3, endAfter: 60, agent }); // 2 November local
    await call('2026-11-03T00:00:10', { answerAfter: 3, endAfter: 60 }); // 3 November local, 2 November in UTC
    await new KpiRollupWorker(org.app).runOnce();

    const v = await kpiValues(manager.ctx, { indicators: 'phone_service_level', grain: 'day', from: '2026-11-02', to: '2026-11-03' });
    expect(pick(v.values, '2026-11-02', 'phone_service_level')).toMatchObject({
      unit: 'percent', figure: 40, numerator: 2, denominator: 5, parts: { offered: 5, answered: 3, answeredWithin: 2, abandoned: 2, thresholdSeconds: 20, shortAbandonSeconds: 5 },
    });
    expect(pick(v.values, '2026-11-03', 'phone_service_level')).toMatchObject({ figure: 100, numerator: 1, denominator: 1 });
    // The phone module's own computation of the same local day agrees.
    const own = await callServiceLevel(manager.ctx, { from: '2026-11-01T16:00:00.000Z', to: '2026-11-02T16:00:00.000Z' });
    expect(own).toMatchObject({ offered: 5, answered: 3, answeredWithin: 2, serviceLevel: 0.4, thresholdSeconds: 20, shortAbandonSeconds: 5 });
    // Per agent: the agent took three of the offered calls; unanswered calls are nobody's.
    const agents = await kpiValues(manager.ctx, { indicators: 'phone_service_level', grain: 'month', from: '2026-11-01', to: '2026-11-30', dimension: 'agent' });
    expect(pick(agents.values, '2026-11', 'phone_service_level', agent)).toMatchObject({ numerator: 2, denominator: 3 });
    expect(pick(agents.values, '2026-11', 'phone_service_level', '')).toMatchObject({ numerator: 1, denominator: 3 });
    const channels = await kpiValues(manager.ctx, { indicators: 'phone_service_level', grain: 'month', from: '2026-11-01', to: '2026-11-30', dimension: 'channel' });
    expect(pick(channels.values, '2026-11', 'phone_service_level', 'phone')).toMatchObject({ numerator: 3, denominator: 6 });
  }, 60_000);

  it('backlog: open requests at the end of each day and month, per agent adding up to the organization', async () => {
    const org = await buildOrg();
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const [a1, a2] = [randomUUID(), randomUUID()];
    await request(org, { created: '2026-09-15T10:00:00', state: 'archived', archived: '2026-09-16T10:00:00' }); // F: closed in September
    await request(org, { created: '2026-09-20T10:00:00' }); // G: open since September, nobody's
    await request(org, { created: '2026-10-20T10:00:00', state: 'archived', archived: '2026-11-03T10:00:00', agent: a1 }); // A
    await request(org, { created: '2026-10-31T23:50:00', agent: a1 }); // B: October's, open
    await request(org, { created: '2026-11-01T00:10:00', state: 'archived', archived: '2026-12-02T10:00:00', agent: a2 }); // C: November's (October in UTC)
    await request(org, { created: '2026-11-05T10:00:00', state: 'merged', agent: a2 }); // D: a merged duplicate is not open
    await request(org, { created: '2026-11-10T10:00:00', state: 'handling', reopen: 1, agent: a2 }); // E: archived then reopened: open
    await new KpiRollupWorker(org.app).runOnce();

    const months = await kpiValues(manager.ctx, { indicators: 'backlog', grain: 'month', from: '2026-10-01', to: '2026-12-31' });
    expect(months.values.map((v) => [v.period, v.figure])).toEqual([['2026-10', 3], ['2026-11', 4], ['2026-12', 3]]);
    expect(pick(months.values, '2026-11', 'backlog')).toMatchObject({ unit: 'count', parts: { accepted: 2, completed: 1 } }); // C and E; A archived
    // Days: the base before the first day comes from September and October's monthly rows and 1 November's daily row.
    const days = await kpiValues(manager.ctx, { indicators: 'backlog', grain: 'day', from: '2026-11-02', to: '2026-11-03' });
    expect(days.values.map((v) => [v.period, v.figure])).toEqual([['2026-11-02', 4], ['2026-11-03', 3]]);
    const oct31 = await kpiValues(manager.ctx, { indicators: 'backlog', grain: 'day', from: '2026-10-31', to: '2026-10-31' });
    expect(oct31.values[0]!.figure).toBe(3);
    // A later month with no activity still has its backlog.
    const jan = await kpiValues(manager.ctx, { indicators: 'backlog', grain: 'month', from: '2027-01-01', to: '2027-01-31' });
    expect(jan.values[0]!.figure).toBe(2 + 0 + 1);

    const agents = await kpiValues(manager.ctx, { indicators: 'backlog', grain: 'month', from: '2026-10-01', to: '2026-12-31', dimension: 'agent' });
    const series = (value: string) => agents.values.filter((v) => v.value === value).map((v) => [v.period, v.figure]);
    expect(series(a1)).toEqual([['2026-10', 2], ['2026-11', 1], ['2026-12', 1]]);
    expect(series(a2)).toEqual([['2026-10', 0], ['2026-11', 2], ['2026-12', 1]]);
    expect(series('')).toEqual([['2026-10', 1], ['2026-11', 1], ['2026-12', 1]]);
    const one = await kpiValues(manager.ctx, { indicators: 'backlog', grain: 'month', from: '2026-12-01', to: '2026-12-31', dimension: 'agent', value: a2 });
    expect(one.values.map((v) => [v.value, v.figure])).toEqual([[a2, 1]]);
  }, 60_000);

  it('category: requests, their clocks, ratings and corrective actions count under the request\'s category; recategorizing moves them', async () => {
    const org = await buildOrg();
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const db = org.app.database.db;
    const [billing, network] = [randomUUID(), randomUUID()];
    const r1 = await request(org, { created: '2026-11-02T10:00:00', state: 'archived', archived: '2026-11-03T10:00:00' });
    const r2 = await request(org, { created: '2026-11-02T11:00:00' });
    await request(org, { created: '2026-11-02T12:00:00' }); // no category
    await categorize(org, r1, billing);
    await categorize(org, r2, network);
    await clock(org, r1, 'first_response', { met: '2026-11-02T10:10:00' });
    await db.execute(sql`INSERT INTO evaluations (org_id, source, request_id, level, branch_id, channel, request_type, at, created_at, updated_at)
      VALUES (${org.orgId}, 'survey', ${r1}, 5, ${org.headOfficeId}, 'web', 'consultation', ${local('2026-11-05T10:00:00')}, ${local('2026-11-05T10:00:00')}, ${local('2026-11-05T10:00:00')})`);
    await db.execute(sql`INSERT INTO corrective_actions (org_id, number, source, source_key, request_id, finding, state, deadline_duration, due_at, created_at, updated_at)
      VALUES (${org.orgId}, 'ZG-1', 'manual', 'k1', ${r2}, 'f', 'open', 'P5D', ${local('2026-11-20T10:00:00')}, ${local('2026-11-06T10:00:00')}, ${local('2026-11-06T10:00:00')})`);
    await new KpiRollupWorker(org.app).runOnce();

    const ids = 'service_completion_rate,first_response_compliance,satisfaction_score,corrective_actions';
    const read = async () => {
      const v = await kpiValues(manager.ctx, { indicators: ids, grain: 'month', from: '2026-11-01', to: '2026-11-30', dimension: 'category' });
      expect(v.dimension).toBe('category');
      return (value: string, indicator: string) => pick(v.values, '2026-11', indicator, value);
    };
    let at = await read();
    expect(at(billing, 'service_completion_rate')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(at(billing, 'first_response_compliance')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(at(billing, 'satisfaction_score')).toMatchObject({ figure: 5, count: 1 });
    expect(at(network, 'service_completion_rate')).toMatchObject({ numerator: 0, denominator: 1 });
    expect(at(network, 'corrective_actions')).toMatchObject({ parts: { opened: 1 } });
    expect(at('', 'service_completion_rate')).toMatchObject({ numerator: 0, denominator: 1 });
    // Only the billing category, by value.
    const one = await kpiValues(manager.ctx, { indicators: 'service_completion_rate', grain: 'month', from: '2026-11-01', to: '2026-11-30', dimension: 'category', value: billing });
    expect(one.values.map((v) => v.value)).toEqual([billing]);

    // Recategorizing R1 moves its registration, archive, clock and rating (on other days) to the network category.
    await categorize(org, r1, network);
    await new KpiRollupWorker(org.app).runOnce();
    at = await read();
    expect(at(billing, 'service_completion_rate')).toBeUndefined();
    expect(at(network, 'service_completion_rate')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(at(network, 'first_response_compliance')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(at(network, 'satisfaction_score')).toMatchObject({ figure: 5, count: 1 });
    // Deleting a request with a category moves its ratings to "no category".
    await db.execute(sql`DELETE FROM requests WHERE id = ${r1}`);
    await new KpiRollupWorker(org.app).runOnce();
    at = await read();
    expect(at(network, 'satisfaction_score')).toMatchObject({ figure: null, count: 0 });
    expect(at('', 'satisfaction_score')).toMatchObject({ figure: 5, count: 1 });
    const before = await snapshot(db, org.orgId);
    await rebuildKpis(org.system, { from: '2026-11-01', to: '2026-11-30' });
    expect(await snapshot(db, org.orgId)).toEqual(before);
  }, 60_000);

  it('heat map: registrations by local hour and ISO weekday across the Sunday/Monday boundary in Asia/Shanghai; scope and API', async () => {
    const org = await buildOrg();
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const agent = randomUUID();
    await request(org, { created: '2026-11-01T23:30:00' }); // Sunday 23:xx
    await request(org, { created: '2026-11-02T00:10:00', agent }); // Monday 00:xx (still Sunday 16:10 in UTC)
    await request(org, { created: '2026-11-02T09:05:00', agent });
    await request(org, { created: '2026-11-02T09:55:00' });
    await request(org, { created: '2026-11-02T09:10:00', state: 'merged' }); // a merged duplicate is not counted
    await request(org, { created: '2026-11-09T09:30:00', agent }); // the next Monday
    await request(org, { created: '2026-11-10T09:30:00' }); // after the range
    await new KpiRollupWorker(org.app).runOnce();

    const map = await kpiHeatmap(manager.ctx, { from: '2026-11-01', to: '2026-11-09' });
    expect(map).toMatchObject({ timeZone: 'Asia/Shanghai', measure: 'accepted', from: '2026-11-01', to: '2026-11-09', dimension: 'org', value: null, max: 3, total: 5, pendingDays: 0 });
    expect(map.cells).toHaveLength(168);
    const cell = (weekday: number, hour: number) => map.cells.find((c) => c.weekday === weekday && c.hour === hour)!.count;
    expect(cell(7, 23)).toBe(1);
    expect(cell(1, 0)).toBe(1);
    expect(cell(1, 9)).toBe(3);
    expect(cell(7, 16)).toBe(0); // where grouping by UTC would have put the 00:10 registration
    expect(map.cells.filter((c) => c.count > 0)).toHaveLength(3);
    const mine = await kpiHeatmap(manager.ctx, { from: '2026-11-01', to: '2026-11-09', dimension: 'agent', value: agent });
    expect(mine).toMatchObject({ dimension: 'agent', value: agent, total: 3, max: 2 });
    expect(mine.cells.find((c) => c.weekday === 1 && c.hour === 9)!.count).toBe(2);
    // A branch reader sees their branch (the requests are the head office's); other dimensions are forbidden.
    const branchLead = await buildStaff(org, 'team_lead', { scope: 'branch', branchId: org.branchId });
    expect(await kpiHeatmap(branchLead.ctx, { from: '2026-11-01', to: '2026-11-09' })).toMatchObject({ total: 0, max: 0, dimension: 'org' });
    await expect(kpiHeatmap(branchLead.ctx, { from: '2026-11-01', to: '2026-11-09', dimension: 'agent' })).rejects.toMatchObject({ code: 'forbidden' });

    const server = await buildServer(org.app, { web: false });
    const { token } = await createApiToken(manager.ctx, { name: 'kpi', scopes: ['request.read'] });
    const get = (url: string) => server.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });
    const ok = await get('/kpis/heatmap?from=2026-11-01&to=2026-11-09&dimension=category');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ total: number; cells: unknown[] }>()).toMatchObject({ total: 5 });
    for (const bad of ['from=2026-11-09&to=2026-11-01', 'from=2026-11-01', 'from=2026-11-01&to=2026-11-09&dimension=hour', 'from=2026-11-01&to=2026-11-09&measure=x']) {
      const res = await get(`/kpis/heatmap?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
    await server.close();
  }, 60_000);
});
