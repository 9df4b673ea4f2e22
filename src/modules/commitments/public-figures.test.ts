/**
 * Public figures: nothing is published until chosen; only the chosen targets show a figure, equal to targetFigures
 * for the last full month and quarter in Asia/Shanghai; the choice is validated, authorized and audited; the
 * public page's figures are cached for a minute while the choice applies at once.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../core/context.js';
import { auditLog } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { KpiRollupWorker } from '../../jobs/kpi-rollup.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { ctxAs } from '../../test/harness.js';
import { createApiToken } from '../org/auth.js';
import * as R from '../requests/service.js';
import { targetFigures } from '../figures/targets.js';
import { publicPage } from './public.js';
import { getPublicFigures, lastFullPeriods, updatePublicFigures } from './public-figures.js';
import type { PublicFiguresView } from './public-figures-contracts.js';
import * as commitments from './service.js';

const ZONE = 'Asia/Shanghai';

async function publish(desk: Desk, number: string, targets: unknown[]) {
  const v = await commitments.createCommitment(desk.manager.ctx, { number, title: '第二份承诺', bodyZh: '正文', targets });
  await commitments.submitForReview(desk.manager.ctx, v.id);
  await commitments.decideStep(desk.supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
  await commitments.decideStep(desk.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
  await commitments.decideStep(desk.admin.ctx, v.id, 'decision_body', { decision: 'approved' });
  await commitments.publishVersion(desk.admin.ctx, v.id);
}

const rate = (key: string, metric: string, threshold: number, period = 'month') => ({ kind: 'rate', key, name: { 'zh-CN': key }, metric, period, comparator: '>=', threshold });

/**
 * R0 on September 30th at 23:50 (Q3), archived at 23:55; R1 on October 31st at 23:30, archived at 23:40; R2 on
 * November 1st at 00:10 (still October 31st in UTC), never archived; R3 on November 2nd, archived. All by phone
 * (answered at registration), so every first-response clock is met on time.
 */
async function scenario() {
  const desk = await buildDesk();
  const second = `P-${desk.org.code}`;
  await publish(desk, second, [rate('completion', 'service_completion_rate', 60), rate('training', 'training_hours_per_agent', 8, 'quarter')]);
  let now = new Date();
  const agent = ctxAs(desk.org.app, desk.agent1.actor, { now: () => now });
  const request = async (registered: string, archived: string | null) => {
    now = new Date(registered);
    const r = await R.registerRequest(agent, { type: 'consultation', channel: 'phone', subject: '话费查询', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
    if (!archived) return r;
    for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(agent, r.id, { action });
    now = new Date(archived);
    await R.transitionRequest(agent, r.id, { action: 'deliver_result', result: '已查询' });
    await R.transitionRequest(agent, r.id, { action: 'archive' });
    return r;
  };
  await request('2026-09-30T23:50:00+08:00', '2026-09-30T23:55:00+08:00');
  await request('2026-10-31T23:30:00+08:00', '2026-10-31T23:40:00+08:00');
  await request('2026-11-01T00:10:00+08:00', null);
  await request('2026-11-02T09:05:00+08:00', '2026-11-02T09:20:00+08:00');
  await new KpiRollupWorker(desk.org.app).runOnce();
  return { desk, second, desks: `D-${desk.org.code}`, request };
}

const page = (desk: Desk, now: string) => publicPage(desk.org.app, desk.org.code, 'zh-CN', new Date(now));
const figuresOf = async (desk: Desk, now: string) => (await page(desk, now)).commitments.flatMap((c) => c.figures.map((f) => ({ number: c.number, ...f })));
const at = (desk: Desk, who: { actor: Ctx['actor'] }, now: string) => ctxAs(desk.org.app, who.actor, { now: () => new Date(now) });

describe('the last full month and quarter', () => {
  it('are those of the organization’s zone, across the month, quarter and year boundaries', () => {
    const keys = (iso: string) => {
      const p = lastFullPeriods(new Date(iso), ZONE);
      return [p.month.key, p.month.firstDay, p.month.lastDay, p.quarter.key, p.quarter.firstDay, p.quarter.lastDay];
    };
    // 2026-11-30T23:59:59 in Shanghai is still November there; one second later it is December.
    expect(keys('2026-11-30T15:59:59Z')).toEqual(['2026-10', '2026-10-01', '2026-10-31', '2026-Q3', '2026-07-01', '2026-09-30']);
    expect(keys('2026-11-30T16:00:00Z')).toEqual(['2026-11', '2026-11-01', '2026-11-30', '2026-Q3', '2026-07-01', '2026-09-30']);
    // New Year in Shanghai: December and Q4 become the last full ones, though it is still December 31st in UTC.
    expect(keys('2026-12-31T15:59:59Z')).toEqual(['2026-11', '2026-11-01', '2026-11-30', '2026-Q3', '2026-07-01', '2026-09-30']);
    expect(keys('2026-12-31T16:00:00Z')).toEqual(['2026-12', '2026-12-01', '2026-12-31', '2026-Q4', '2026-10-01', '2026-12-31']);
    // The first day of a quarter: the previous quarter is full, and its last month too.
    expect(keys('2026-09-30T16:00:00Z')).toEqual(['2026-09', '2026-09-01', '2026-09-30', '2026-Q3', '2026-07-01', '2026-09-30']);
    // Another zone moves the boundary: 2026-11-30T16:00Z is still November 30th in London.
    expect(lastFullPeriods(new Date('2026-11-30T16:00:00Z'), 'Europe/London').month.key).toBe('2026-10');
  });
});

describe('public figures', () => {
  it('publishes nothing until chosen, then exactly the chosen targets, with the figures of targetFigures', async () => {
    const { desk, second, desks } = await scenario();
    const now = '2026-12-01T00:00:00+08:00';
    expect(await figuresOf(desk, now)).toEqual([]);

    // The choices: every target in force (both letters), none published; the training hours cannot be measured.
    const before = await getPublicFigures(at(desk, desk.agent1, now));
    expect(before.targets.map((t) => t.ref)).toEqual([
      ...['first-response', 'initial-solution', 'resolution', 'complaint-result', 'next-reply', 'emergency'].map((k) => `${desks}:${k}`),
      `${second}:completion`, `${second}:training`,
    ]);
    expect(before.targets.every((t) => !t.published)).toBe(true);
    expect(before.targets.find((t) => t.key === 'training')).toMatchObject({ indicator: null, unmeasured: 'no_source' });
    expect(before).toMatchObject({ timeZone: ZONE, targetKeys: [], updatedAt: null });

    const saved = await updatePublicFigures(at(desk, desk.admin, now), { targetKeys: [`${second}:completion`, `${desks}:first-response`] });
    expect(saved.targets.filter((t) => t.published).map((t) => t.ref)).toEqual([`${desks}:first-response`, `${second}:completion`]);
    expect(saved.updatedAt).toBe(new Date(now).toISOString());

    const shown = await figuresOf(desk, now);
    expect(shown.map((f) => `${f.number}:${f.targetKey}`)).toEqual([`${desks}:first-response`, `${second}:completion`]);
    // By hand: November archived R3 of R2 and R3 (50 % < 60 %); Q3 archived R0 of R0 (100 %).
    const completion = shown.find((f) => f.targetKey === 'completion')!;
    expect(completion).toMatchObject({
      indicator: 'service_completion_rate', comparator: '>=', threshold: 60, unit: 'percent',
      month: { period: '2026-11', firstDay: '2026-11-01', lastDay: '2026-11-30', figure: 50, met: false },
      quarter: { period: '2026-Q3', firstDay: '2026-07-01', lastDay: '2026-09-30', figure: 100, met: true },
    });
    // The desk's time limit has no compliance goal: a figure, but neither met nor missed.
    expect(shown.find((f) => f.targetKey === 'first-response')).toMatchObject({ indicator: 'target_compliance', threshold: null, month: { figure: 100, met: null }, quarter: { figure: 100, met: null } });

    // The same numbers as targetFigures (the dashboards' and the monthly report's).
    const db = desk.org.app.database.db;
    const month = await targetFigures(db, desk.org.orgId, { grain: 'month', from: '2026-11-01', to: '2026-11-30' });
    const quarter = await targetFigures(db, desk.org.orgId, { grain: 'quarter', from: '2026-07-01', to: '2026-09-30' });
    for (const f of shown) {
      const m = month.targets.find((t) => `${t.commitmentNumber}:${t.key}` === `${f.number}:${f.targetKey}`)!;
      const q = quarter.targets.find((t) => `${t.commitmentNumber}:${t.key}` === `${f.number}:${f.targetKey}`)!;
      expect([f.month.figure, f.month.met]).toEqual([m.values[0]!.figure, m.values[0]!.met]);
      expect([f.quarter.figure, f.quarter.met]).toEqual([q.values[0]!.figure, q.values[0]!.met]);
    }

    // One second before midnight on November 30th in Shanghai, the last full month is October (R1: 100 %).
    const october = (await figuresOf(desk, '2026-11-30T23:59:59+08:00')).find((f) => f.targetKey === 'completion')!;
    expect(october.month).toMatchObject({ period: '2026-10', figure: 100, met: true });
    expect(october.quarter).toMatchObject({ period: '2026-Q3', figure: 100 });
    // On New Year's Day in Shanghai: December (nothing measured) and Q4 (R1 and R3 of R1, R2, R3).
    const january = (await figuresOf(desk, '2027-01-01T00:00:00+08:00')).find((f) => f.targetKey === 'completion')!;
    expect(january.month).toMatchObject({ period: '2026-12', figure: null, met: null });
    expect(january.quarter.period).toBe('2026-Q4');
    expect(january.quarter.figure).toBeCloseTo(200 / 3, 10);

    // Audited with what was published before and after.
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'commitment.public_figures')));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: desk.admin.staff.id, before: { targetKeys: [] }, after: { targetKeys: [`${second}:completion`, `${desks}:first-response`] } });
  }, 120_000);

  it('refuses targets that are unknown or cannot be measured; only administrators choose', async () => {
    const { desk, second } = await scenario();
    const now = '2026-12-01T00:00:00+08:00';
    const admin = at(desk, desk.admin, now);
    await expect(updatePublicFigures(admin, { targetKeys: [`${second}:training`] })).rejects.toMatchObject({ code: 'validation_failed', details: { invalid: [`${second}:training`] } });
    await expect(updatePublicFigures(admin, { targetKeys: [`${second}:nope`] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updatePublicFigures(admin, { targetKeys: ['HX-FW-2026-01/first-response'] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updatePublicFigures(admin, { targetKeys: 'completion' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updatePublicFigures(at(desk, desk.manager, now), { targetKeys: [] })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await getPublicFigures(admin)).targetKeys).toEqual([]);

    // Over HTTP: an administrator's token chooses; the public page shows it; the manager's is refused.
    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.admin.ctx, { name: 'public', scopes: ['org.update', 'commitment.read'] });
    const { token: managerToken } = await createApiToken(desk.manager.ctx, { name: 'public', scopes: ['commitment.read'] });
    const put = (body: unknown, bearer = token) => server.inject({ method: 'PUT', url: '/api/v1/commitments/public-figures', headers: { authorization: `Bearer ${bearer}` }, payload: body as object });
    const ok = await put({ targetKeys: [`${second}:completion`] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<PublicFiguresView>().targets.find((t) => t.key === 'completion')?.published).toBe(true);
    const bad = await put({ targetKeys: [`${second}:training`] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    expect((await put({ targetKeys: [] }, managerToken)).statusCode).toBe(403);
    const listed = await server.inject({ method: 'GET', url: '/api/v1/commitments/public-figures', headers: { authorization: `Bearer ${managerToken}` } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<PublicFiguresView>().targetKeys).toEqual([`${second}:completion`]);
    const pub = await server.inject({ method: 'GET', url: `/api/v1/public/${desk.org.code}` });
    expect(pub.statusCode).toBe(200);
    const body = pub.json<{ commitments: { number: string; figures: { targetKey: string }[] }[] }>();
    expect(body.commitments.find((c) => c.number === second)!.figures.map((f) => f.targetKey)).toEqual(['completion']);
    expect(body.commitments.find((c) => c.number !== second)!.figures).toEqual([]);
    await server.close();
  }, 120_000);

  it('keeps the figures for a minute, while a change of the choice shows at once', async () => {
    const { desk, second, request } = await scenario();
    const now = '2026-12-01T00:00:00+08:00';
    await updatePublicFigures(at(desk, desk.admin, now), { targetKeys: [`${second}:completion`] });
    const completion = async (when: string) => (await figuresOf(desk, when)).find((f) => f.targetKey === 'completion')?.month.figure;
    expect(await completion(now)).toBe(50);
    // Another November request, archived: 2 of 3. Within the minute the cached figure stands; after it, the new one.
    await request('2026-11-20T10:00:00+08:00', '2026-11-20T10:30:00+08:00');
    await new KpiRollupWorker(desk.org.app).runOnce();
    expect(await completion('2026-12-01T00:00:59+08:00')).toBe(50);
    expect(await completion('2026-12-01T00:01:01+08:00')).toBeCloseTo(200 / 3, 10);
    // Unpublished: gone at once, cache or not.
    await updatePublicFigures(at(desk, desk.admin, now), { targetKeys: [] });
    expect(await figuresOf(desk, '2026-12-01T00:01:02+08:00')).toEqual([]);
  }, 120_000);
});
