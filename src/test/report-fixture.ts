/**
 * A hand-checked month for the monthly report's tests: the service desk of desk.ts, two named agents, three
 * requests on both sides of the October/November 2026 boundary in Asia/Shanghai (as in the figures' tests), and
 * a second commitment with rate targets (one met, one missed, one without a data source in Pledge), rolled up.
 *
 * November, by hand: accepted 2 (R2 complaint by web, 李四; R3 consultation by web, 张三), completed 1 (R3, after a
 * reopening), complaints 1, first responses 2 (R3 in 10 min on time, R2 after 33 h 50 min late), resolution time of
 * R3 40 min. October: R1 by phone (张三), accepted, answered at once, resolved in 10 min and archived.
 */
import type { Ctx } from '../core/context.js';
import { KpiRollupWorker } from '../jobs/kpi-rollup.js';
import * as commitments from '../modules/commitments/service.js';
import { updateStaff } from '../modules/org/staff.js';
import * as R from '../modules/requests/service.js';
import { buildDesk, type Desk } from './desk.js';
import { ctxAs } from './harness.js';

export async function publishRateCommitment(desk: Desk) {
  const v = await commitments.createCommitment(desk.manager.ctx, {
    number: `Q-${desk.org.code}`, title: '服务质量承诺', bodyZh: '正文',
    targets: [
      { kind: 'rate', key: 'completion', name: { 'zh-CN': '服务完成率不低于 90%', 'en-US': 'Service completion at least 90 %' }, metric: 'service_completion_rate', period: 'month', comparator: '>=', threshold: 90 },
      { kind: 'rate', key: 'complaints', name: { 'zh-CN': '月投诉不超过 5 件', 'en-US': 'At most 5 complaints a month' }, metric: 'complaint_count', period: 'month', comparator: '<=', threshold: 5 },
      { kind: 'rate', key: 'training', name: { 'zh-CN': '人均培训学时不少于 8 小时' }, metric: 'training_hours_per_agent', period: 'month', comparator: '>=', threshold: 8 },
    ],
  });
  await commitments.submitForReview(desk.manager.ctx, v.id);
  await commitments.decideStep(desk.supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
  await commitments.decideStep(desk.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
  await commitments.decideStep(desk.admin.ctx, v.id, 'decision_body', { decision: 'approved' });
  await commitments.publishVersion(desk.admin.ctx, v.id);
}

export async function reportFixture() {
  const desk = await buildDesk();
  await updateStaff(desk.org.system, desk.agent1.staff.id, { displayName: '张三' });
  await updateStaff(desk.org.system, desk.agent2.staff.id, { displayName: '李四' });
  let now = new Date('2026-10-31T23:30:00+08:00');
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(desk.org.app, p.actor, { now: () => now });
  const a1 = as(desk.agent1);
  const a2 = as(desk.agent2);
  const set = (iso: string) => (now = new Date(iso));

  const r1 = await R.registerRequest(a1, { type: 'consultation', channel: 'phone', subject: '话费查询', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  await R.transitionRequest(a1, r1.id, { action: 'analyse' });
  await R.transitionRequest(a1, r1.id, { action: 'start_handling' });
  set('2026-10-31T23:40:00+08:00');
  await R.transitionRequest(a1, r1.id, { action: 'deliver_result', result: '已查询，余额充足。' });
  await R.transitionRequest(a1, r1.id, { action: 'archive' });

  set('2026-11-01T00:10:00+08:00');
  const r2 = await R.registerRequest(a2, { type: 'complaint', channel: 'web', subject: '投诉：服务态度', assigneeId: desk.agent2.staff.id, teamId: desk.team.id });
  set('2026-11-02T10:00:00+08:00');
  await R.addMessage(a2, r2.id, { kind: 'reply', body: '您好，已收到您的投诉。' });

  set('2026-11-02T09:05:00+08:00');
  const r3 = await R.registerRequest(a1, { type: 'consultation', channel: 'web', subject: '发票', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
  set('2026-11-02T09:15:00+08:00');
  await R.addMessage(a1, r3.id, { kind: 'reply', body: '您好，马上处理。' });
  for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(a1, r3.id, { action });
  set('2026-11-02T09:20:00+08:00');
  await R.transitionRequest(a1, r3.id, { action: 'deliver_result', result: '已开具' });
  await R.transitionRequest(a1, r3.id, { action: 'archive' });
  await R.transitionRequest(a1, r3.id, { action: 'reopen', reason: '抬头错误' });
  set('2026-11-02T09:45:00+08:00');
  await R.transitionRequest(a1, r3.id, { action: 'deliver_result', result: '已重开' });
  await R.transitionRequest(a1, r3.id, { action: 'archive' });

  await publishRateCommitment(desk);
  await new KpiRollupWorker(desk.org.app).runOnce();
  return desk;
}
