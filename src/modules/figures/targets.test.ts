/**
 * Targets of the commitments in force against their threshold, by hand: the desk's commitment (time limits) and a
 * second one with rate targets, over requests on both sides of the October/November boundary in Asia/Shanghai.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context.js';
import { buildServer } from '../../http/server.js';
import { KpiRollupWorker } from '../../jobs/kpi-rollup.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { buildStaff, ctxAs } from '../../test/harness.js';
import * as commitments from '../commitments/service.js';
import { createApiToken } from '../org/auth.js';
import * as R from '../requests/service.js';
import type { KpiTargetsView } from './contracts.js';
import { kpiValues } from './service.js';
import { kpiTargets, targetFigures } from './targets.js';

async function publish(desk: Desk, number: string, content: Record<string, unknown>) {
  const v = await commitments.createCommitment(desk.manager.ctx, { number, title: '第二份承诺', bodyZh: '正文', ...content });
  await commitments.submitForReview(desk.manager.ctx, v.id);
  await commitments.decideStep(desk.supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
  await commitments.decideStep(desk.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
  await commitments.decideStep(desk.admin.ctx, v.id, 'decision_body', { decision: 'approved' });
  await commitments.publishVersion(desk.admin.ctx, v.id);
  return v;
}

const rate = (key: string, metric: string, comparator: '>=' | '<=', threshold: number, extra: Record<string, unknown> = {}) => ({ kind: 'rate', key, name: { 'zh-CN': key }, metric, period: 'month', comparator, threshold, ...extra });

async function scenario() {
  const desk = await buildDesk();
  await publish(desk, `R-${desk.org.code}`, {
    targets: [
      rate('completion', 'service_completion_rate', '>=', 60),
      rate('response', 'response_compliance_rate', '>=', 80),
      rate('complaints', 'complaint_count', '<=', 0),
      rate('avg-response', 'average_response_seconds', '<=', 3600),
      rate('phone-resolution', 'resolution_rate', '>=', 90, { appliesTo: { channels: ['phone'] } }),
      rate('two-limits', 'resolution_rate', '>=', 90, { appliesTo: { channels: ['phone'], requestTypes: ['complaint'] } }),
      rate('training', 'training_hours_per_agent', '>=', 8, { period: 'quarter' }),
      // Same key as the desk's first-response target, limited to a type no request has: no clocks of its own, and
      // its figure is the compliance of every clock with that key.
      { kind: 'time_limit', key: 'first-response', name: { 'zh-CN': '首次响应（建议）' }, start: 'request.registered', stop: 'first_response', duration: 'PT30M', complianceGoal: 90, appliesTo: { requestTypes: ['suggestion'] } },
    ],
  });
  let now = new Date('2026-10-31T23:30:00+08:00');
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(desk.org.app, p.actor, { now: () => now });
  const a1 = as(desk.agent1);
  const a2 = as(desk.agent2);
  // R1: by phone at 23:30 on October 31st (answered at registration), resolved and archived at 23:40: October's.
  const r1 = await R.registerRequest(a1, { type: 'consultation', channel: 'phone', subject: '话费查询', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(a1, r1.id, { action });
  now = new Date('2026-10-31T23:40:00+08:00');
  await R.transitionRequest(a1, r1.id, { action: 'deliver_result', result: '已查询' });
  await R.transitionRequest(a1, r1.id, { action: 'archive' });
  // R2: a web complaint at 00:10 on November 1st (October 31st in UTC), answered late on Monday 10:00.
  now = new Date('2026-11-01T00:10:00+08:00');
  const r2 = await R.registerRequest(a2, { type: 'complaint', channel: 'web', subject: '投诉', assigneeId: desk.agent2.staff.id, teamId: desk.team.id });
  now = new Date('2026-11-02T10:00:00+08:00');
  await R.addMessage(a2, r2.id, { kind: 'reply', body: '已收到' });
  // R3: web, Monday 09:05, answered 09:15, archived 09:20.
  now = new Date('2026-11-02T09:05:00+08:00');
  const r3 = await R.registerRequest(a1, { type: 'consultation', channel: 'web', subject: '发票', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  now = new Date('2026-11-02T09:15:00+08:00');
  await R.addMessage(a1, r3.id, { kind: 'reply', body: '马上处理' });
  for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(a1, r3.id, { action });
  now = new Date('2026-11-02T09:20:00+08:00');
  await R.transitionRequest(a1, r3.id, { action: 'deliver_result', result: '已开具' });
  await R.transitionRequest(a1, r3.id, { action: 'archive' });
  await new KpiRollupWorker(desk.org.app).runOnce();
  return desk;
}

const target = (view: KpiTargetsView, number: string, key: string) => view.targets.find((t) => t.commitmentNumber === number && t.key === key)!;
const values = (view: KpiTargetsView, number: string, key: string) => target(view, number, key).values.map((v) => [v.period, v.figure, v.met]);

describe('targets against their threshold', () => {
  it('measures each target per month and quarter by hand, with the figures of /kpis/values', async () => {
    const desk = await scenario();
    const second = `R-${desk.org.code}`;
    const desks = `D-${desk.org.code}`;
    const view = await targetFigures(desk.org.app.database.db, desk.org.orgId, { grain: 'month', from: '2026-10-01', to: '2026-11-30' });
    expect(view.timeZone).toBe('Asia/Shanghai');
    expect(view.periods.map((p) => p.key)).toEqual(['2026-10', '2026-11']);
    // Both commitments, in number order; every target of each.
    expect(view.targets.map((t) => `${t.commitmentNumber}:${t.key}`)).toEqual([
      ...['first-response', 'initial-solution', 'resolution', 'complaint-result', 'next-reply', 'emergency'].map((k) => `${desks}:${k}`),
      ...['completion', 'response', 'complaints', 'avg-response', 'phone-resolution', 'two-limits', 'training', 'first-response'].map((k) => `${second}:${k}`),
    ]);
    expect(target(view, second, 'completion')).toMatchObject({ kind: 'rate', metric: 'service_completion_rate', indicator: 'service_completion_rate', comparator: '>=', threshold: 60, unit: 'percent', targetPeriod: 'month', unmeasured: null, targetKey: null });
    // October: R1 (1 of 1 archived); November: R3 of R2 and R3.
    expect(values(view, second, 'completion')).toEqual([['2026-10', 100, true], ['2026-11', 50, false]]);
    expect(values(view, second, 'response')).toEqual([['2026-10', 100, true], ['2026-11', 50, false]]);
    expect(values(view, second, 'complaints')).toEqual([['2026-10', 0, true], ['2026-11', 1, false]]);
    // Mean first response: 0 s in October; (10 min + 33 h 50 min) / 2 = 61,200 s in November.
    expect(values(view, second, 'avg-response')).toEqual([['2026-10', 0, true], ['2026-11', 61_200, false]]);
    expect(target(view, second, 'avg-response')).toMatchObject({ indicator: 'first_response_time', unit: 'seconds', comparator: '<=' });
    // Only phone requests: R1 in October; none in November (no data is not 0 %).
    expect(values(view, second, 'phone-resolution')).toEqual([['2026-10', 100, true], ['2026-11', null, null]]);
    expect(target(view, second, 'two-limits')).toMatchObject({ unmeasured: 'filter', values: [{ figure: null, met: null }, { figure: null, met: null }] });
    expect(target(view, second, 'training')).toMatchObject({ indicator: null, unmeasured: 'no_source', targetPeriod: 'quarter', unit: 'hours' });
    // Time limits: the compliance of their clocks; the desk's have no compliance goal (met unknown), the second's 90 %.
    expect(target(view, desks, 'first-response')).toMatchObject({ kind: 'time_limit', indicator: 'target_compliance', targetKey: 'first-response', comparator: '>=', threshold: null, unit: 'percent', metric: null });
    expect(values(view, desks, 'first-response')).toEqual([['2026-10', 100, null], ['2026-11', 50, null]]);
    expect(values(view, second, 'first-response')).toEqual([['2026-10', 100, true], ['2026-11', 50, false]]);
    expect(values(view, desks, 'emergency')).toEqual([['2026-10', null, null], ['2026-11', null, null]]);

    // The same numbers as /kpis/values.
    const kv = await kpiValues(desk.manager.ctx, { indicators: 'service_completion_rate,first_response_time,target_compliance', grain: 'month', from: '2026-10-01', to: '2026-11-30' });
    for (const p of ['2026-10', '2026-11']) {
      const at = (i: string, t: string | null = null) => kv.values.find((v) => v.period === p && v.indicator === i && v.target === t)?.figure;
      expect(target(view, second, 'completion').values.find((v) => v.period === p)!.figure).toBe(at('service_completion_rate'));
      expect(target(view, second, 'avg-response').values.find((v) => v.period === p)!.figure).toBe(at('first_response_time'));
      expect(target(view, desks, 'first-response').values.find((v) => v.period === p)!.figure).toBe(at('target_compliance', 'first-response'));
    }

    // A quarter: 2 archived of 3 accepted.
    const q = await targetFigures(desk.org.app.database.db, desk.org.orgId, { grain: 'quarter', from: '2026-11-15', to: '2026-11-15' });
    expect(q.periods).toEqual([{ key: '2026-Q4', firstDay: '2026-10-01', lastDay: '2026-12-31' }]);
    expect(target(q, second, 'completion').values[0]!.figure).toBeCloseTo(200 / 3, 10);
    expect(target(q, second, 'completion').values[0]!.met).toBe(true);
  }, 90_000);

  it('a version not effective during the range is left out; a branch reader sees their branch; the API validates', async () => {
    const desk = await scenario();
    await publish(desk, `F-${desk.org.code}`, { effectiveFrom: '2027-01-01', targets: [rate('future', 'callback_rate', '>=', 10)] });
    const db = desk.org.app.database.db;
    expect((await targetFigures(db, desk.org.orgId, { grain: 'month', from: '2026-11-01', to: '2026-11-30' })).targets.some((t) => t.key === 'future')).toBe(false);
    expect((await targetFigures(db, desk.org.orgId, { grain: 'year', from: '2027-01-01', to: '2027-01-01' })).targets.find((t) => t.key === 'future')).toMatchObject({ indicator: 'callback_rate', values: [{ period: '2027', figure: null, met: null }] });

    // The requests are the head office's: the branch's figures are empty, and a channel limit cannot be cut by branch.
    const branchLead = await buildStaff(desk.org, 'team_lead', { scope: 'branch', branchId: desk.org.branchId });
    const scoped = await kpiTargets(branchLead.ctx, { grain: 'month', from: '2026-10-01', to: '2026-10-31' });
    const second = `R-${desk.org.code}`;
    expect(values(scoped, second, 'completion')).toEqual([['2026-10', null, null]]);
    expect(values(scoped, second, 'complaints')).toEqual([['2026-10', 0, true]]);
    expect(target(scoped, second, 'phone-resolution')).toMatchObject({ unmeasured: 'filter' });
    const whole = await kpiTargets(desk.manager.ctx, { from: '2026-10-01', to: '2026-10-31' });
    expect(whole.grain).toBe('month');
    expect(values(whole, second, 'completion')).toEqual([['2026-10', 100, true]]);
    await expect(kpiTargets(desk.manager.ctx, { grain: 'week', from: '2026-10-01', to: '2026-10-31' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(kpiTargets(desk.manager.ctx, { from: '2026-11-01', to: '2026-10-31' })).rejects.toMatchObject({ code: 'validation_failed' });

    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.manager.ctx, { name: 'kpi', scopes: ['request.read'] });
    const get = (url: string) => server.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });
    const ok = await get('/kpis/targets?grain=quarter&from=2026-10-01&to=2026-12-31');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(target(ok.json<KpiTargetsView>(), second, 'completion').values).toEqual([expect.objectContaining({ period: '2026-Q4', met: true })]);
    for (const bad of ['grain=day&from=2026-10-01&to=2026-10-31', 'from=2026-02-30&to=2026-03-01', 'from=2026-10-01']) {
      const res = await get(`/kpis/targets?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
    expect((await server.inject({ method: 'GET', url: '/api/v1/kpis/targets?from=2026-10-01&to=2026-10-31' })).statusCode).toBe(401);
    await server.close();
  }, 90_000);
});
