/**
 * Hand-checked figures through the real services: requests registered and moved through the loop on both sides
 * of the October/November boundary in Asia/Shanghai, rolled up by the job, read back per month and day; the
 * API's contracts, branch scope and 4xx codes.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { buildServer } from '../../http/server.js';
import { buildStaff } from '../../test/harness.js';
import { createApiToken } from '../org/auth.js';
import { kpiDrilldown } from './drilldown.js';
import { snapshot } from './rollup-snapshot.js';
import { kpiDefinitions, kpiValues, rebuildKpis } from './service.js';
import type { KpiValue } from './contracts.js';
import { monthBoundaryScenario } from '../../test/kpi-fixture.js';

const pick = (values: KpiValue[], period: string, indicator: string, target: string | null = null) => values.find((v) => v.period === period && v.indicator === indicator && v.target === target);


describe('figures from the daily rollups', () => {
  it('counts each indicator by hand on both sides of the month boundary in Asia/Shanghai; rebuild changes nothing', async () => {
    const { desk } = await monthBoundaryScenario();
    const all = ['service_completion_rate', 'resolution_rate', 'first_contact_resolution_rate', 'reopen_rate', 'complaint_count', 'first_response_compliance', 'first_response_time', 'target_compliance', 'resolution_time'];
    const month = await kpiValues(desk.manager.ctx, { indicators: all.join(','), grain: 'month', from: '2026-10-01', to: '2026-11-30' });
    expect(month.timeZone).toBe('Asia/Shanghai');
    expect(month.periods.map((p) => p.key)).toEqual(['2026-10', '2026-11']);
    const v = month.values;
    // October: R1 only (23:30 on the 31st counts in October).
    expect(pick(v, '2026-10', 'service_completion_rate')).toMatchObject({ figure: 100, numerator: 1, denominator: 1 });
    expect(pick(v, '2026-10', 'resolution_rate')).toMatchObject({ figure: 100, numerator: 1, denominator: 1 });
    expect(pick(v, '2026-10', 'first_contact_resolution_rate')).toMatchObject({ figure: 100, numerator: 1, denominator: 1 });
    expect(pick(v, '2026-10', 'complaint_count')).toMatchObject({ figure: 0 });
    expect(pick(v, '2026-10', 'first_response_compliance')).toMatchObject({ figure: 100, numerator: 1, denominator: 1 });
    expect(pick(v, '2026-10', 'first_response_time')).toMatchObject({ count: 1, mean: 0, median: 0, p90: 0, errorBound: 0.01 });
    expect(pick(v, '2026-10', 'target_compliance', 'first-response')).toMatchObject({ figure: 100, numerator: 1, denominator: 1 });
    expect(pick(v, '2026-10', 'resolution_time')).toMatchObject({ count: 1, mean: 600, min: 600, max: 600 });
    // November: R2 (00:10 on the 1st) and R3; R3 archived after a reopening.
    expect(pick(v, '2026-11', 'service_completion_rate')).toMatchObject({ figure: 50, numerator: 1, denominator: 2 });
    expect(pick(v, '2026-11', 'first_contact_resolution_rate')).toMatchObject({ figure: 0, numerator: 0, denominator: 1 });
    expect(pick(v, '2026-11', 'reopen_rate')).toMatchObject({ figure: 100, numerator: 1, denominator: 1 });
    expect(pick(v, '2026-11', 'complaint_count')).toMatchObject({ figure: 1 });
    expect(pick(v, '2026-11', 'first_response_compliance')).toMatchObject({ figure: 50, numerator: 1, denominator: 2, parts: { metOnTime: 1, metLate: 1, breached: 0 } });
    // R3: 10 min; R2: 00:10 Sunday to 10:00 Monday = 33 h 50 min (elapsed time from the clock's start).
    const fr = pick(v, '2026-11', 'first_response_time')!;
    expect(fr).toMatchObject({ count: 2, mean: (600 + 121_800) / 2, median: 600, min: 600, max: 121_800 });
    expect(pick(v, '2026-11', 'target_compliance', 'first-response')).toMatchObject({ figure: 50, numerator: 1, denominator: 2 });
    // The resolution time of R3 counts from registration to the last delivery (09:05 → 09:45).
    expect(pick(v, '2026-11', 'resolution_time')).toMatchObject({ count: 1, mean: 2400 });

    // Days: the boundary day by day.
    const days = await kpiValues(desk.manager.ctx, { indicators: 'complaint_count,service_completion_rate', grain: 'day', from: '2026-10-31', to: '2026-11-01' });
    expect(pick(days.values, '2026-10-31', 'service_completion_rate')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(pick(days.values, '2026-11-01', 'service_completion_rate')).toMatchObject({ numerator: 0, denominator: 1, figure: 0 });
    expect(pick(days.values, '2026-11-01', 'complaint_count')).toMatchObject({ figure: 1 });

    // Per agent: agent1 holds R1 and R3, agent2 R2.
    const agents = await kpiValues(desk.manager.ctx, { indicators: 'service_completion_rate', grain: 'quarter', from: '2026-10-01', to: '2026-12-31', dimension: 'agent' });
    expect(agents.values.map((x) => [x.value, x.numerator, x.denominator]).sort()).toEqual([[desk.agent1.staff.id, 2, 2], [desk.agent2.staff.id, 0, 1]].sort());

    // An empty period is a row of nulls, not a gap; a rebuild of the range leaves every row as the job left it.
    const dec = await kpiValues(desk.manager.ctx, { indicators: 'reopen_rate', grain: 'month', from: '2026-12-01', to: '2026-12-31' });
    expect(dec.values).toEqual([expect.objectContaining({ period: '2026-12', figure: null, numerator: 0, denominator: 0 })]);
    const before = await snapshot(desk.org.app.database.db, desk.org.orgId);
    expect(await rebuildKpis(desk.org.system, { from: '2026-10-01', to: '2026-11-30' })).toMatchObject({ days: 61 });
    expect(await snapshot(desk.org.app.database.db, desk.org.orgId)).toEqual(before);
  }, 60_000);

  it('scopes a branch reader to the branch; refuses unknown indicators and bad ranges with 400; serves the API', async () => {
    const { desk } = await monthBoundaryScenario();
    const branchLead = await buildStaff(desk.org, 'team_lead', { scope: 'branch', branchId: desk.org.branchId });
    const scoped = await kpiValues(branchLead.ctx, { indicators: 'complaint_count', grain: 'month', from: '2026-11-01', to: '2026-11-30' });
    expect(scoped.values).toEqual([expect.objectContaining({ period: '2026-11', figure: 0, value: desk.org.branchId })]); // the requests are the head office's
    await expect(kpiValues(branchLead.ctx, { indicators: 'complaint_count', from: '2026-11-01', to: '2026-11-30', dimension: 'agent' })).rejects.toMatchObject({ code: 'forbidden' });
    // Their own figures as an agent (their page), but no one else's.
    const own = await kpiValues(branchLead.ctx, { indicators: 'complaint_count', from: '2026-11-01', to: '2026-11-30', dimension: 'agent', value: branchLead.staff.id });
    expect(own.dimension).toBe('agent');
    expect(own.values.every((v) => v.value === branchLead.staff.id)).toBe(true);
    await expect(kpiValues(branchLead.ctx, { indicators: 'complaint_count', from: '2026-11-01', to: '2026-11-30', dimension: 'agent', value: desk.agent1.staff.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(kpiDrilldown(branchLead.ctx, { indicator: 'complaint_count', grain: 'month', period: '2026-11', dimension: 'agent', value: branchLead.staff.id })).resolves.toMatchObject({ total: 0 });
    await expect(kpiDrilldown(branchLead.ctx, { indicator: 'complaint_count', grain: 'month', period: '2026-11', dimension: 'agent', value: desk.agent1.staff.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(kpiValues(desk.manager.ctx, { indicators: 'training_hours', from: '2026-11-01', to: '2026-11-30' })).rejects.toBeInstanceOf(AppError);
    expect(kpiDefinitions(desk.agent1.ctx).indicators.every((d) => d.available)).toBe(true);
    await expect(kpiValues(desk.manager.ctx, { indicators: 'reopen_rate', from: '2026-11-31', to: '2026-11-30' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(kpiValues(desk.manager.ctx, { indicators: 'reopen_rate', from: '2026-12-01', to: '2026-11-30' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(rebuildKpis(desk.agent1.ctx, { from: '2026-11-01', to: '2026-11-30' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(kpiDefinitions(desk.agent1.ctx).indicators.find((d) => d.id === 'reopen_rate')).toMatchObject({ available: true, unit: 'percent', better: 'lower' });

    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.manager.ctx, { name: 'kpi', scopes: ['request.read'] });
    const get = (url: string) => server.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });
    expect((await server.inject({ method: 'GET', url: '/api/v1/kpis/definitions' })).statusCode).toBe(401);
    expect((await get('/kpis/definitions')).json<{ indicators: unknown[] }>().indicators.length).toBeGreaterThan(10);
    const ok = await get('/kpis/values?indicators=complaint_count,reopen_rate&grain=month&from=2026-11-01&to=2026-11-30');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ values: KpiValue[] }>().values.find((x) => x.indicator === 'complaint_count')).toMatchObject({ figure: 1 });
    expect((await get('/kpis/values?indicators=complaint_count&grain=fortnight&from=2026-11-01&to=2026-11-30')).statusCode).toBe(400);
    expect((await get('/kpis/values?indicators=nope&from=2026-11-01&to=2026-11-30')).statusCode).toBe(400);
    await server.close();
  }, 60_000);
});
