/**
 * The hand-checked requests of the figures tests (service.test.ts counts every indicator on them; drilldown.test.ts
 * lists them): R1 on October 31st local, R2 (a complaint) and R3 (reopened) in November, around the month
 * boundary in Asia/Shanghai, worked through the services with a moved clock and rolled up.
 */
import type { Ctx } from '../core/context.js';
import { KpiRollupWorker } from '../jobs/kpi-rollup.js';
import * as R from '../modules/requests/service.js';
import { buildDesk, type Desk } from './desk.js';
import { ctxAs } from './harness.js';

/** Contexts of the desk's agents whose clock the test sets. */
export function clockAt(desk: Desk, start: string) {
  let now = new Date(start);
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(desk.org.app, p.actor, { now: () => now });
  return { set: (iso: string) => (now = new Date(iso)), agent1: as(desk.agent1), agent2: as(desk.agent2), system: { ...desk.org.system, now: () => now } };
}

export async function monthBoundaryScenario() {
  const desk = await buildDesk();
  const c = clockAt(desk, '2026-10-31T23:30:00+08:00');
  // R1: 23:30 local on the last day of October, by phone (the first response happens at registration), resolved
  // and archived at 23:40: October's. R2 below (00:10 local on November 1st, 16:10Z on October 31st) is the one a
  // grouping by UTC date would wrongly put in October.
  const r1 = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'phone', subject: '话费查询', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  await R.transitionRequest(c.agent1, r1.id, { action: 'analyse' });
  await R.transitionRequest(c.agent1, r1.id, { action: 'start_handling' });
  c.set('2026-10-31T23:40:00+08:00');
  await R.transitionRequest(c.agent1, r1.id, { action: 'deliver_result', result: '已查询，余额充足。' });
  await R.transitionRequest(c.agent1, r1.id, { action: 'archive' });

  // R2: a complaint at 00:10 local on November 1st (still October 31st in UTC), answered late on Monday 10:00.
  c.set('2026-11-01T00:10:00+08:00');
  const r2 = await R.registerRequest(c.agent2, { type: 'complaint', channel: 'web', subject: '投诉：服务态度', assigneeId: desk.agent2.staff.id, teamId: desk.team.id });
  c.set('2026-11-02T10:00:00+08:00');
  await R.addMessage(c.agent2, r2.id, { kind: 'reply', body: '您好，已收到您的投诉。' });

  // R3: Monday 09:05, answered 09:15 (on time), archived, reopened, archived again on the same day.
  c.set('2026-11-02T09:05:00+08:00');
  const r3 = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'web', subject: '发票', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  c.set('2026-11-02T09:15:00+08:00');
  await R.addMessage(c.agent1, r3.id, { kind: 'reply', body: '您好，马上处理。' });
  for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(c.agent1, r3.id, { action });
  c.set('2026-11-02T09:20:00+08:00');
  await R.transitionRequest(c.agent1, r3.id, { action: 'deliver_result', result: '已开具' });
  await R.transitionRequest(c.agent1, r3.id, { action: 'archive' });
  await R.transitionRequest(c.agent1, r3.id, { action: 'reopen', reason: '抬头错误' });
  c.set('2026-11-02T09:45:00+08:00');
  await R.transitionRequest(c.agent1, r3.id, { action: 'deliver_result', result: '已重开' });
  await R.transitionRequest(c.agent1, r3.id, { action: 'archive' });
  await new KpiRollupWorker(desk.org.app).runOnce();
  return { desk, r1, r2, r3 };
}
