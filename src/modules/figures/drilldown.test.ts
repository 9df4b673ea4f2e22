/**
 * Drill-down: on random data the list behind every figure numbers exactly the figure's denominator (or count),
 * its numerator and parts, per period and dimension value, as /kpis/values gives them; hand-checked items of
 * requests moved through the real services; paging; scope, permission and 4xx codes through the API.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context.js';
import { buildServer } from '../../http/server.js';
import { buildOrg, buildStaff, testApp } from '../../test/harness.js';
import { createCalendar } from '../calendars/service.js';
import { createApiToken } from '../org/auth.js';
import type { KpiValue } from './contracts.js';
import type { KpiDrilldownView, KpiDrillItem } from './drill-contracts.js';
import { partsOf } from './drill-rules.js';
import { kpiDrilldown } from './drilldown.js';
import { parsePeriod } from './periods.js';
import { kpiHeatmap, kpiValues, rebuildKpis } from './service.js';
import { mulberry32 as prng } from '../../core/prng.js';
import { monthBoundaryScenario } from '../../test/kpi-fixture.js';

const DRILLED = [
  'service_completion_rate', 'resolution_rate', 'first_contact_resolution_rate', 'reopen_rate', 'complaint_count', 'first_response_compliance', 'target_compliance',
  'first_response_time', 'resolution_time', 'satisfaction_score', 'satisfaction_rate', 'callback_rate', 'corrective_actions',
  'initial_solution_compliance', 'complaint_handling_compliance', 'complaint_handling_days', 'phone_service_level', 'backlog',
];

/**
 * Random requests, clocks, ratings, callbacks and corrective actions written straight to the tables (as the
 * rollup test does) on instants around the October/November boundary in Asia/Shanghai, then rebuilt.
 */
async function randomDesk(seed: number) {
  const app = await testApp();
  const org = await buildOrg(app);
  const db = app.database.db;
  const manager = await buildStaff(org, 'manager', { scope: 'organization' });
  const a1 = await buildStaff(org, 'agent');
  const a2 = await buildStaff(org, 'agent');
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  // The default calendar counts complaint handling days (a holiday inside the window).
  const office = [['09:00', '12:00'], ['13:30', '18:00']];
  await createCalendar(org.system, { name: '办公', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: { '2026-10-28': [] } }, { isDefault: true, holidayRegion: null });
  // 2026-10-25 .. 2026-11-08 local: both sides of the month boundary, a few days each.
  const start = Date.parse('2026-10-24T16:00:00Z');
  const instant = () => new Date(start + Math.floor(rnd() * 15 * 86_400_000));
  const later = (d: Date) => new Date(d.getTime() + Math.floor(rnd() * 4 * 86_400_000));
  const agents = [a1.staff.id, a2.staff.id, null];
  const teams = [randomUUID(), randomUUID(), null];
  const categories = [randomUUID(), randomUUID(), null];
  const branches = [org.headOfficeId, org.branchId];
  const types = ['consultation', 'complaint', 'service_request'];
  const channels = ['phone', 'web', 'email'];
  const ids: { id: string; created: Date }[] = [];
  for (let i = 0; i < 90; i++) {
    const created = instant();
    const id = randomUUID();
    const fate = rnd();
    const resolved = fate < 0.7 ? later(created) : null;
    const archived = fate < 0.5 && resolved ? later(resolved) : null;
    const state = fate > 0.95 ? 'merged' : archived ? 'archived' : resolved ? 'feedback' : 'handling';
    await db.execute(sql`INSERT INTO requests (id, org_id, number, type, priority, channel, state, subject, branch_id, team_id, assignee_id, category_id, reopen_count, last_activity_at, created_at, updated_at, resolved_at, archived_at)
      VALUES (${id}, ${org.orgId}, ${`D${seed}-${i}`}, ${pick(types)}, 'general', ${pick(channels)}, ${state}, ${`主题 ${i}`}, ${pick(branches)}, ${pick(teams)}, ${pick(agents)}, ${pick(categories)},
        ${rnd() < 0.25 ? 1 : 0}, ${created}, ${created}, ${created}, ${resolved}, ${archived})`);
    ids.push({ id, created });
    for (const [kind, key] of [['first_response', 'first-response'], ['resolved', 'resolution'], ['initial_solution', 'initial-solution'], ['result.delivered', 'complaint-result']] as const) {
      if (rnd() < 0.2) continue;
      const due = later(created);
      const outcome = pick(['met', 'late', 'breached', 'running', 'cancelled'] as const);
      const metAt = outcome === 'met' ? new Date(created.getTime() + Math.floor(rnd() * (due.getTime() - created.getTime()))) : outcome === 'late' ? later(due) : null;
      // Two clocks of one target on one request now and then (next-reply clocks are many per request).
      for (let copies = rnd() < 0.1 ? 2 : 1; copies > 0; copies--) {
        await db.execute(sql`INSERT INTO clocks (org_id, subject_type, subject_id, kind, target_key, calendar_id, duration, state, started_at, due_at, met_at, breached_at, cancelled_at, created_at, updated_at)
          VALUES (${org.orgId}, 'request', ${id}, ${kind}, ${key}, ${randomUUID()}, 'PT1H', ${outcome === 'late' ? 'met' : outcome}, ${created}, ${due}, ${metAt},
            ${outcome === 'late' || outcome === 'breached' ? due : null}, ${outcome === 'cancelled' ? due : null}, ${created}, ${created})`);
      }
    }
  }
  for (let i = 0; i < 40; i++) {
    const r = rnd() < 0.85 ? pick(ids) : null;
    const at = instant();
    await db.execute(sql`INSERT INTO evaluations (org_id, source, request_id, level, agent_id, team_id, branch_id, channel, request_type, verification, excluded, at, created_at, updated_at)
      VALUES (${org.orgId}, ${r ? pick(['survey', 'portal', 'callback', 'default']) : 'campaign'}, ${r?.id ?? null}, ${1 + Math.floor(rnd() * 5)}, ${pick(agents)}, ${pick(teams)}, ${pick(branches)},
        ${pick(channels)}, ${pick(types)}, ${pick([null, null, 'pending', 'confirmed'])}, ${rnd() < 0.1}, ${at}, ${at}, ${at})`);
  }
  for (let i = 0; i < 20; i++) {
    const r = pick(ids);
    await db.execute(sql`INSERT INTO callbacks (org_id, request_id, purpose, state, called_at, created_at, updated_at) VALUES (${org.orgId}, ${r.id}, 'sample', ${pick(['done', 'done', 'unreachable'])}, ${instant()}, ${r.created}, ${r.created})`);
  }
  for (let i = 0; i < 40; i++) {
    // Calls: answered within 20 s or later, abandoned after a long or a short ring (short ones are not offered), some outbound.
    const ring = instant();
    const answered = rnd() < 0.7 ? new Date(ring.getTime() + Math.floor(rnd() * 40_000)) : null;
    const ended = new Date(ring.getTime() + Math.floor(rnd() * 600_000));
    await db.execute(sql`INSERT INTO calls (org_id, direction, ring_at, answered_at, ended_at, agent_id, request_id, outcome, created_at, updated_at)
      VALUES (${org.orgId}, ${pick(['inbound', 'inbound', 'outbound'])}, ${ring}, ${answered}, ${ended}, ${answered ? pick(agents) : null}, ${rnd() < 0.4 ? pick(ids).id : null}, 'open', ${ring}, ${ring})`);
  }
  for (let i = 0; i < 20; i++) {
    const created = instant();
    const closed = rnd() < 0.6 ? later(created) : null;
    await db.execute(sql`INSERT INTO corrective_actions (org_id, number, source, source_key, request_id, finding, state, branch_id, team_id, agent_id, deadline_duration, due_at, closed_at, closed_on_time, overdue_at, created_at, updated_at)
      VALUES (${org.orgId}, ${`ZG-${seed}-${i}`}, 'manual', ${randomUUID()}, ${rnd() < 0.6 ? pick(ids).id : null}, 'f', ${closed ? 'closed' : pick(['open', 'cancelled'])}, ${pick(branches)}, ${pick(teams)}, ${pick(agents)},
        'P5D', ${later(created)}, ${closed}, ${closed ? pick(['yes', 'no']) : null}, ${rnd() < 0.3 ? later(created) : null}, ${created}, ${created})`);
  }
  await rebuildKpis(org.system, { from: '2026-10-01', to: '2026-11-30' });
  return { org, manager, a1, a2 };
}

async function allPages(ctx: Ctx, query: Record<string, unknown>, limit: number): Promise<{ total: number; items: KpiDrillItem[] }> {
  const items: KpiDrillItem[] = [];
  let cursor: string | undefined;
  let total = -1;
  for (let page = 0; page < 500; page++) {
    const p: KpiDrilldownView = await kpiDrilldown(ctx, { ...query, limit, ...(cursor ? { cursor } : {}) });
    if (total === -1) total = p.total;
    expect(p.total).toBe(total);
    items.push(...p.items);
    if (!p.nextCursor) return { total, items };
    expect(p.items).toHaveLength(limit);
    cursor = p.nextCursor;
  }
  throw new Error('too many pages');
}

/** Drill-down totals for one figure value (the query's period/dimension/value), against the value. */
async function checkValue(ctx: Ctx, base: Record<string, unknown>, v: KpiValue) {
  const query = { ...base, indicator: v.indicator, ...(v.target ? { target: v.target } : {}) };
  const label = JSON.stringify(query);
  const total = (extra: Record<string, unknown> = {}) => kpiDrilldown(ctx, { ...query, ...extra, limit: 1 }).then((p) => p.total);
  if (v.denominator !== null) {
    expect(await total(), label).toBe(v.denominator);
    expect(await total({ part: 'numerator' }), label).toBe(v.numerator);
  } else if (v.count !== null) {
    expect(await total(), label).toBe(v.count);
  } else {
    expect(await total(), label).toBe(v.figure);
  }
  for (const [part, n] of Object.entries(v.parts ?? {})) {
    if ((partsOf(v.indicator) as string[]).includes(part)) expect(await total({ part }), `${label} ${part}`).toBe(n);
  }
}

describe('drill-down = the figures, on random data', () => {
  // The second seed checks fewer cuts (months; agents and categories): the suite's time goes to the first.
  for (const [seed, full] of [[11, true], [12, false]] as const) {
    it(`seed ${seed}: every figure's list numbers its denominator, numerator and parts, per period and dimension value`, async () => {
      const { manager } = await randomDesk(seed);
      const ctx = manager.ctx;
      let checked = 0;
      let mixed = 0;
      // The organization, in a month each side of the boundary, the week across it, and one day; every item listed.
      const grains = [['month', '2026-10-01', '2026-11-30'], ['week', '2026-10-26', '2026-11-01'], ['day', '2026-11-02', '2026-11-02']] as const;
      for (const [grain, from, to] of full ? grains : grains.slice(0, 1)) {
        const values = await kpiValues(ctx, { indicators: DRILLED.join(','), grain, from, to });
        for (const v of values.values) {
          const base = { period: v.period, grain };
          await checkValue(ctx, base, v);
          if (v.numerator !== null && v.numerator > 0 && v.numerator < v.denominator!) mixed += 1;
          if (grain !== 'month') continue;
          // Every item, through pages of 11, is the one page of 200 (identical facts, e.g. two clocks of a target
          // met at once, are listed as many times as they count); the flags add up to the numerator.
          const query = { ...base, indicator: v.indicator, ...(v.target ? { target: v.target } : {}) };
          const { total, items } = await allPages(ctx, query, 11);
          expect(items).toHaveLength(total);
          expect(items).toEqual((await kpiDrilldown(ctx, { ...query, limit: 200 })).items);
          if (partsOf(v.indicator).includes('missed')) expect(items.filter((x) => x.inNumerator === true).length).toBe(v.numerator);
          // Each fact counts on an instant of the period in Asia/Shanghai.
          const { start, end } = parsePeriod(v.period, 'Asia/Shanghai');
          // (The backlog's items are the requests open at the end of it, registered then or before.)
          for (const x of items) expect((v.indicator === 'backlog' || x.at >= start.toISOString()) && x.at < end.toISOString(), `${x.at} in ${v.period}`).toBe(true);
          checked += 1;
        }
      }
      // Every dimension value in November.
      for (const dimension of full ? (['agent', 'team', 'branch', 'channel', 'type', 'category'] as const) : (['agent', 'category'] as const)) {
        const values = await kpiValues(ctx, { indicators: DRILLED.join(','), grain: 'month', from: '2026-11-01', to: '2026-11-30', dimension });
        expect(new Set(values.values.map((v) => v.value)).size).toBeGreaterThan(1);
        for (const v of values.values) {
          await checkValue(ctx, { period: v.period, dimension, value: v.value }, v);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(full ? 200 : 100);
      // Not a test of empty figures: rates with both flags in many periods, and each new kind of fact present.
      expect(mixed).toBeGreaterThan(10);
      const nov = (await kpiValues(ctx, { indicators: DRILLED.join(','), grain: 'month', from: '2026-11-01', to: '2026-11-30' })).values;
      const of = (id: string) => nov.find((v) => v.indicator === id)!;
      for (const id of ['phone_service_level', 'initial_solution_compliance', 'complaint_handling_compliance']) expect(of(id).denominator, id).toBeGreaterThan(0);
      expect(of('complaint_handling_days').count).toBeGreaterThan(0);
      expect(of('backlog').figure).toBeGreaterThan(0);
      // The heat map's cells: registrations by local weekday and hour are the accepted requests listed for that cell.
      if (full) {
        const heat = await kpiHeatmap(ctx, { from: '2026-10-25', to: '2026-11-08' });
        expect(heat.total).toBeGreaterThan(50);
        for (const cell of heat.cells.filter((c, i) => c.count > 0 || i % 29 === 0)) {
          const drilled = await kpiDrilldown(ctx, { indicator: 'service_completion_rate', from: '2026-10-25', to: '2026-11-08', weekday: cell.weekday, hour: cell.hour, limit: 200 });
          expect(drilled.total, JSON.stringify(cell)).toBe(cell.count);
          for (const x of drilled.items) {
            const local = new Date(Date.parse(x.at) + 8 * 3_600_000);
            expect([local.getUTCDay() || 7, local.getUTCHours()]).toEqual([cell.weekday, cell.hour]);
          }
        }
      }
    }, 240_000);
  }
});


describe('drill-down of requests moved through the loop', () => {
  it('lists each fact with its request, the instant it counts on, its flag and duration; pages by cursor', async () => {
    const { desk, r1, r2, r3 } = await monthBoundaryScenario();
    const ctx = desk.manager.ctx;
    const complaints = await kpiDrilldown(ctx, { indicator: 'complaint_count', period: '2026-11' });
    expect(complaints).toEqual({
      total: 1, nextCursor: null,
      items: [{
        requestId: r2.id, number: r2.number, subject: '投诉：服务态度', type: 'complaint', channel: 'web', state: r2.state, priority: r2.priority,
        assigneeId: desk.agent2.staff.id, assigneeName: desk.agent2.staff.displayName, teamId: desk.team.id, createdAt: '2026-10-31T16:10:00.000Z',
        at: '2026-10-31T16:10:00.000Z', inNumerator: null, seconds: null,
      }],
    });
    // October holds R1 only: 23:30 on the 31st local is October's, though R2 (16:10Z the same UTC day) is not.
    expect((await kpiDrilldown(ctx, { indicator: 'service_completion_rate', period: '2026-10', grain: 'month' })).items.map((x) => x.number)).toEqual([r1.number]);
    expect((await kpiDrilldown(ctx, { indicator: 'complaint_count', from: '2026-10-01', to: '2026-10-31' })).total).toBe(0);

    // First response in November: R3 on time at 09:15 (600 s), R2 late at 10:00 on Nov 2 (33 h 50 min), by instant.
    const fr = await kpiDrilldown(ctx, { indicator: 'first_response_compliance', period: '2026-11' });
    expect(fr.items.map((x) => [x.number, x.at, x.inNumerator, x.seconds])).toEqual([
      [r3.number, '2026-11-02T01:15:00.000Z', true, 600],
      [r2.number, '2026-11-02T02:00:00.000Z', false, 121_800],
    ]);
    expect((await kpiDrilldown(ctx, { indicator: 'first_response_compliance', period: '2026-11', part: 'metLate' })).items.map((x) => x.number)).toEqual([r2.number]);
    expect((await kpiDrilldown(ctx, { indicator: 'first_response_compliance', period: '2026-11', part: 'missed' })).items.map((x) => x.number)).toEqual([r2.number]);
    expect((await kpiDrilldown(ctx, { indicator: 'first_response_time', period: '2026-11-02' })).items.map((x) => x.seconds)).toEqual([600, 121_800]);
    const page1 = await kpiDrilldown(ctx, { indicator: 'first_response_compliance', period: '2026-11', limit: 1 });
    expect(page1).toMatchObject({ total: 2, items: [{ number: r3.number }] });
    const page2 = await kpiDrilldown(ctx, { indicator: 'first_response_compliance', period: '2026-11', limit: 1, cursor: page1.nextCursor });
    expect(page2).toMatchObject({ total: 2, items: [{ number: r2.number }], nextCursor: null });

    // R3 was reopened before it was archived; it resolved at the last delivery (09:05 → 09:45).
    expect((await kpiDrilldown(ctx, { indicator: 'reopen_rate', period: '2026-W45' })).items.map((x) => [x.number, x.inNumerator])).toEqual([[r3.number, true]]);
    expect((await kpiDrilldown(ctx, { indicator: 'resolution_time', period: '2026-Q4' })).items.map((x) => [x.number, x.seconds, x.at])).toEqual([
      [r1.number, 600, '2026-10-31T15:40:00.000Z'], [r3.number, 2400, '2026-11-02T01:45:00.000Z'],
    ]);
    expect((await kpiDrilldown(ctx, { indicator: 'target_compliance', target: 'first-response', period: '2026' })).items.map((x) => [x.number, x.inNumerator])).toEqual([
      [r1.number, true], [r3.number, true], [r2.number, false],
    ]);
    // Per agent, and the unassigned ('' = none): R2 is agent2's.
    expect((await kpiDrilldown(ctx, { indicator: 'complaint_count', period: '2026-11', dimension: 'agent', value: desk.agent2.staff.id })).total).toBe(1);
    expect((await kpiDrilldown(ctx, { indicator: 'complaint_count', period: '2026-11', dimension: 'agent', value: desk.agent1.staff.id })).total).toBe(0);
    expect((await kpiDrilldown(ctx, { indicator: 'service_completion_rate', period: '2026-11', dimension: 'agent', value: '' })).total).toBe(0);
    expect((await kpiDrilldown(ctx, { indicator: 'service_completion_rate', period: '2026-11', dimension: 'channel', value: 'web' })).total).toBe(2);
  }, 60_000);

  it('scopes a branch reader to the branch; 4xx codes for bad input and missing permission through the API', async () => {
    const { desk } = await monthBoundaryScenario();
    const other = await buildStaff(desk.org, 'team_lead', { scope: 'branch', branchId: desk.org.branchId });
    // The requests are the head office's: the head office's lead (branch scope) sees them, the branch's lead none.
    expect((await kpiDrilldown(desk.lead.ctx, { indicator: 'service_completion_rate', period: '2026-11' })).total).toBe(2);
    expect((await kpiDrilldown(other.ctx, { indicator: 'service_completion_rate', period: '2026-11' })).total).toBe(0);
    expect((await kpiDrilldown(other.ctx, { indicator: 'service_completion_rate', period: '2026-11', dimension: 'branch' })).total).toBe(0);
    await expect(kpiDrilldown(other.ctx, { indicator: 'service_completion_rate', period: '2026-11', dimension: 'branch', value: desk.org.headOfficeId })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(kpiDrilldown(other.ctx, { indicator: 'service_completion_rate', period: '2026-11', dimension: 'agent' })).rejects.toMatchObject({ code: 'forbidden' });

    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.manager.ctx, { name: 'drill', scopes: ['request.read'] });
    const { token: noRead } = await createApiToken(desk.manager.ctx, { name: 'no-read', scopes: ['evaluation.read'] });
    const get = (query: string, bearer = token) => server.inject({ method: 'GET', url: `/api/v1/kpis/drilldown?${query}`, headers: { authorization: `Bearer ${bearer}`, 'accept-language': 'en-US' } });
    const ok = await get('indicator=first_response_compliance&period=2026-11&grain=month&limit=1');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<KpiDrilldownView>()).toMatchObject({ total: 2, items: [{ inNumerator: true, seconds: 600 }] });
    const next = await get(`indicator=first_response_compliance&period=2026-11&limit=1&cursor=${ok.json<KpiDrilldownView>().nextCursor}`);
    expect(next.json<KpiDrilldownView>()).toMatchObject({ total: 2, items: [{ inNumerator: false }], nextCursor: null });
    expect((await get('indicator=complaint_count&from=2026-11-01&to=2026-11-30&dimension=channel&value=web')).json<KpiDrilldownView>().total).toBe(1);

    const bad: [string, string][] = [
      ['indicator=complaint_count', 'period'], // neither period nor from/to
      ['indicator=complaint_count&period=2026-11&from=2026-11-01&to=2026-11-30', 'period'],
      ['indicator=complaint_count&from=2026-11-01', 'to'],
      ['indicator=complaint_count&period=2026-13', 'period'],
      ['indicator=complaint_count&period=2026-11&grain=week', 'grain'],
      ['indicator=complaint_count&from=2026-11-31&to=2026-12-01', 'from'],
      ['indicator=complaint_count&from=2026-12-01&to=2026-11-01', 'from'],
      ['indicator=complaint_count&from=2025-01-01&to=2026-11-30', 'to'],
      ['indicator=nope&period=2026-11', 'indicator'],
      ['indicator=target_compliance&period=2026-11', 'target'],
      ['indicator=reopen_rate&period=2026-11&target=first-response', 'target'],
      ['indicator=complaint_count&period=2026-11&part=numerator', 'part'],
      ['indicator=complaint_count&period=2026-11&part=everything', 'part'],
      ['indicator=complaint_count&period=2026-11&dimension=planet', 'dimension'],
      ['indicator=complaint_count&period=2026-11&limit=500', 'limit'],
      ['indicator=complaint_count&period=2026-11&weekday=0', 'weekday'],
      ['indicator=complaint_count&period=2026-11&hour=24', 'hour'],
      ['indicator=complaint_count&period=2026-11&cursor=not-a-cursor', 'cursor'],
      ['indicator=complaint_count&period=2026-11&sort=x', ''],
    ];
    for (const [query, field] of bad) {
      const res = await get(query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      const body = res.json<{ error: { code: string; message: string; details?: unknown } }>();
      expect(body.error.code, query).toBe('validation_failed');
      if (field) expect(JSON.stringify(body), query).toContain(field);
    }
    expect((await get('indicator=complaint_count&period=2026-11', noRead)).statusCode).toBe(403);
    expect((await server.inject({ method: 'GET', url: '/api/v1/kpis/drilldown?indicator=complaint_count&period=2026-11' })).statusCode).toBe(401);
    await server.close();
  }, 60_000);
});
