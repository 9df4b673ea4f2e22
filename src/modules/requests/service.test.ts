import { describe, expect, it } from 'vitest';
import { transact, type Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { buildStaff, ctxAs } from '../../test/harness.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { listRequests, requestDetail } from './queries.js';
import { createCategory, updateCategory } from './categories.js';
import { createRoutingRule } from './routing.js';
import * as R from './service.js';

/** Contexts of the desk's people that read a movable clock. */
function clockAt(desk: Desk, start: string) {
  let now = new Date(start);
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(desk.org.app, p.actor, { now: () => now });
  return {
    set: (iso: string) => (now = new Date(iso)),
    agent1: as(desk.agent1),
    agent2: as(desk.agent2),
    lead: as(desk.lead),
    admin: as(desk.admin),
    specialist: as(desk.specialist),
    system: { ...desk.org.system, now: () => now },
  };
}

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

const clockOf = (view: { clocks: { kind: string; state: string; dueAt: string }[] }, kind: string) => view.clocks.find((c) => c.kind === kind);

describe('requests: registration and clocks', () => {
  it('registers with a tracking number, pins the commitment and starts the matching clocks on the calendar', async () => {
    const desk = await buildDesk();
    const c = clockAt(desk, '2026-11-23T10:00:00+08:00');
    const view = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'web', subject: '申请退款进度查询', description: '上周申请的退款还没到账', contactName: '王女士', contactPhone: '13800138000' });
    expect(view.state).toBe('registered');
    expect(view.number).toMatch(/^20261123\d{6,}$/);
    expect(view.commitmentVersionIds).toEqual([desk.versionId]);
    expect(view.contactPhone).toBe('138****8000');
    expect(view.allowedActions).toEqual(['analyse', 'merge']);
    expect(clockOf(view, 'first_response')!.dueAt).toBe(new Date('2026-11-23T10:30:00+08:00').toISOString());
    // 4 business hours from 10:00: 10–12, then 13:30–15:30.
    expect(clockOf(view, 'initial_solution')!.dueAt).toBe(new Date('2026-11-23T15:30:00+08:00').toISOString());
    expect(clockOf(view, 'resolved')!.dueAt).toBe(new Date('2026-11-30T18:00:00+08:00').toISOString());
    expect(clockOf(view, 'result.delivered')).toBeUndefined(); // complaints only
    expect(view.nextDueAt).toBe(new Date('2026-11-23T10:30:00+08:00').toISOString());

    const detail = await requestDetail(c.agent1, view.id);
    const first = detail.explanations.find((e) => e.stop === 'first_response')!;
    expect(first).toMatchObject({ commitmentNumber: `D-${desk.org.code}`, version: 1, start: 'request.registered', duration: 'PT30M', calendarName: '办公时间', pausedMs: 0 });
    expect(first.targetName).toEqual({ 'zh-CN': '首次响应', 'en-US': 'First response' });
    expect(detail.timeline.some((e) => e.type === 'event' && e.kind === 'register')).toBe(true);
    expect(detail.timeline.filter((e) => e.type === 'clock' && e.event === 'started')).toHaveLength(3);
  });

  it('walks the whole loop: analyse, assign, handle, wait (paused), customer replies, reply, deliver, confirm → archived', async () => {
    const desk = await buildDesk();
    const c = clockAt(desk, '2026-11-23T10:00:00+08:00');
    const r = await R.registerRequest(c.agent1, { type: 'service_request', channel: 'web', subject: '宽带报修', description: '家里网络断了' });
    await R.transitionRequest(c.agent1, r.id, { action: 'analyse' });
    await expectCode(R.transitionRequest(c.agent1, r.id, { action: 'start_handling' }), 'request.assignee_invalid');
    await R.assignRequest(c.lead, r.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    c.set('2026-11-23T10:20:00+08:00');
    let v = await R.transitionRequest(c.agent1, r.id, { action: 'start_handling', reason: '已分类，派给张三' });
    expect(v.state).toBe('handling');
    expect(v.responsible?.id).toBe(desk.agent1.staff.id);
    expect(clockOf(v, 'initial_solution')!.state).toBe('met');

    // Waiting on the customer from 11:00 to 14:00 (1 h + 30 min of business time) pauses the clocks.
    c.set('2026-11-23T11:00:00+08:00');
    await expectCode(R.transitionRequest(c.agent1, r.id, { action: 'wait_customer' }), 'request.reason_required');
    v = await R.transitionRequest(c.agent1, r.id, { action: 'wait_customer', reason: '请客户提供设备序列号' });
    expect(v.state).toBe('waiting_customer');
    expect(clockOf(v, 'first_response')!.state).toBe('running'); // 10:30 passed: an overdue clock is not paused (the watcher breaches it)
    expect(clockOf(v, 'resolved')!.state).toBe('paused');
    c.set('2026-11-23T14:00:00+08:00');
    const row = await R.loadRequest(desk.org.app.database.db, c.system, r.id);
    await transact(c.system, (t) => R.customerMessageTx(t, row, { body: '序列号是 SN-12345', authorName: '客户' }));
    v = (await requestDetail(c.agent1, r.id)).request;
    expect(v.state).toBe('handling');
    expect(clockOf(v, 'resolved')!.state).toBe('running');
    // The resolution deadline moved by the 1.5 business hours of waiting.
    expect(clockOf(v, 'resolved')!.dueAt).toBe(new Date('2026-12-01T10:30:00+08:00').toISOString());
    expect(clockOf(v, 'next_reply')!.state).toBe('running');

    c.set('2026-11-23T14:30:00+08:00');
    await R.addMessage(c.agent1, r.id, { kind: 'reply', body: '您好，已安排师傅上门。谢谢！' });
    v = (await requestDetail(c.agent1, r.id)).request;
    expect(clockOf(v, 'next_reply')!.state).toBe('met');
    expect(v.firstResponseAt).toBe(new Date('2026-11-23T14:30:00+08:00').toISOString());
    const late = v.clocks.find((k) => k.kind === 'first_response')!;
    expect(late).toMatchObject({ state: 'met' });
    expect(late.breachedAt).not.toBeNull();

    v = await R.transitionRequest(c.agent1, r.id, { action: 'deliver_result', result: '已修复，请确认。' });
    expect(v.state).toBe('feedback');
    expect(clockOf(v, 'resolved')!.state).toBe('met');
    const fb = await R.loadRequest(desk.org.app.database.db, c.system, r.id);
    await transact(c.system, (t) => R.customerConfirmTx(t, fb, { solved: true, rating: 5, comment: '很满意' }));
    const detail = await requestDetail(c.agent1, r.id);
    expect(detail.request).toMatchObject({ state: 'archived', rating: 5, reopenCount: 0 });
    expect(detail.request.confirmedAt).not.toBeNull();
    const steps = detail.timeline.filter((e) => e.type === 'event' && e.kind === 'transition').map((e) => (e.type === 'event' ? e.action : null));
    expect(steps).toEqual(['analyse', 'start_handling', 'wait_customer', 'customer_replied', 'deliver_result', 'archive']);
  });

  it('refuses an illegal step with 409 naming the allowed actions, in the caller language', async () => {
    const desk = await buildDesk();
    const r = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'phone', subject: '咨询' });
    const e = await expectCode(R.transitionRequest(desk.agent1.ctx, r.id, { action: 'deliver_result', result: 'x' }), 'request.illegal_transition');
    expect(e.details).toEqual({ from: 'registered', action: 'deliver_result', allowed: ['analyse', 'merge'] });
    // Phone and walk-in: the agent is talking to the customer, so the first response happens at registration.
    expect(clockOf(r, 'first_response')!.state).toBe('met');
  });

  it('reopening counts and starts the reopened clocks; the customer saying "not solved" reopens too', async () => {
    const desk = await buildDesk();
    const c = clockAt(desk, '2026-11-24T09:30:00+08:00');
    const r = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'web', subject: '发票', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
    for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(c.agent1, r.id, { action });
    await R.transitionRequest(c.agent1, r.id, { action: 'deliver_result', result: '已开具' });
    const fb = await R.loadRequest(desk.org.app.database.db, c.system, r.id);
    await transact(c.system, (t) => R.customerConfirmTx(t, fb, { solved: false, comment: '发票抬头错了' }));
    let v = (await requestDetail(c.agent1, r.id)).request;
    expect(v).toMatchObject({ state: 'handling', reopenCount: 1, resolvedAt: null });
    await R.transitionRequest(c.agent1, r.id, { action: 'deliver_result', result: '已重开' });
    await R.transitionRequest(c.agent1, r.id, { action: 'archive' });
    await expectCode(R.transitionRequest(c.agent1, r.id, { action: 'reopen' }), 'request.reason_required');
    v = await R.transitionRequest(c.agent1, r.id, { action: 'reopen', reason: '客户再次来电' });
    expect(v).toMatchObject({ state: 'handling', reopenCount: 2, archivedAt: null });
  });
});

describe('requests: escalation, reclassification, merge, routing, permissions', () => {
  it('escalates major complaints to the special team at once, with the emergency clock on 7×24', async () => {
    const desk = await buildDesk();
    const c = clockAt(desk, '2026-11-28T22:00:00+08:00'); // a Saturday night
    const v = await R.registerRequest(c.agent1, { type: 'complaint', priority: 'major', channel: 'web', subject: '多次上门未修好' });
    expect(v.escalated).toBe(true);
    expect(v.escalationTeamId).toBe(desk.special.id);
    expect(clockOf(v, 'emergency_response')!.dueAt).toBe(new Date('2026-11-29T00:00:00+08:00').toISOString());
    expect(clockOf(v, 'result.delivered')!.state).toBe('running');
    // The special team sees it in its team queue and acknowledges.
    const queue = await listRequests(c.specialist, { queue: 'team' });
    expect(queue.items.map((i) => i.id)).toContain(v.id);
    const acked = await R.acknowledgeEscalation(c.specialist, v.id);
    expect(clockOf(acked, 'emergency_response')!.state).toBe('met');
    await expectCode(R.escalateRequest(c.agent1, v.id, { reason: '再升级' }), 'request.already_escalated');
  });

  it('a consultation reclassified as a complaint is measured as one from registration', async () => {
    const desk = await buildDesk();
    const c = clockAt(desk, '2026-11-23T10:00:00+08:00');
    const r = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'email', subject: '服务态度差' });
    c.set('2026-11-23T11:00:00+08:00');
    const v = await R.updateRequest(c.agent1, r.id, { type: 'complaint', reason: '客户实为投诉' });
    const complaint = clockOf(v, 'result.delivered')!;
    expect(complaint.state).toBe('running');
    expect(complaint.dueAt).toBe(new Date('2026-11-26T18:00:00+08:00').toISOString()); // P3D from 11/23
    expect(v.clocks.find((k) => k.kind === 'resolved')!.state).toBe('cancelled');
  });

  it('merges a duplicate: its clocks are cancelled and the original notes it', async () => {
    const desk = await buildDesk();
    const a = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '重复' });
    const b = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'email', subject: '重复' });
    await expectCode(R.transitionRequest(desk.agent1.ctx, b.id, { action: 'merge', reason: '重复', mergeIntoId: b.id }), 'request.merge_invalid');
    const merged = await R.transitionRequest(desk.agent1.ctx, b.id, { action: 'merge', reason: '重复提交', mergeIntoId: a.id });
    expect(merged).toMatchObject({ state: 'merged', mergedIntoId: a.id, allowedActions: [] });
    expect(merged.clocks.every((k) => k.state === 'cancelled' || k.state === 'met')).toBe(true);
    const target = await requestDetail(desk.agent1.ctx, a.id);
    expect(target.timeline.some((e) => e.type === 'event' && e.kind === 'merge')).toBe(true);
    await expectCode(R.addMessage(desk.agent1.ctx, b.id, { kind: 'reply', body: 'x' }), 'request.closed');
  });

  it('routes by rule to the team, round-robin among agents on duty; transfer needs a reason', async () => {
    const desk = await buildDesk();
    const c = clockAt(desk, '2026-11-23T10:00:00+08:00');
    await createRoutingRule(c.admin, { name: '宽带', conditions: { types: ['service_request'] }, teamId: desk.team.id, strategy: 'round_robin' });
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await R.registerRequest(c.agent1, { type: 'service_request', channel: 'web', subject: `报修 ${i}` })).assignee!.id);
    const members = [desk.lead.staff.id, desk.agent1.staff.id, desk.agent2.staff.id].sort();
    expect(got.slice(0, 3).sort()).toEqual(members);
    expect(got[3]).toBe(got[0]);
    // At night nobody is on duty: the request waits in the team queue, unassigned.
    c.set('2026-11-23T22:00:00+08:00');
    const night = await R.registerRequest(c.agent1, { type: 'service_request', channel: 'web', subject: '夜间报修' });
    expect(night.team?.id).toBe(desk.team.id);
    expect(night.assignee).toBeNull();

    c.set('2026-11-24T10:00:00+08:00');
    const r = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'web', subject: '转派', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await R.transitionRequest(c.agent1, r.id, { action: 'analyse' });
    await R.transitionRequest(c.agent1, r.id, { action: 'start_handling' });
    await expectCode(R.assignRequest(c.lead, r.id, { assigneeId: desk.agent2.staff.id }), 'request.reason_required');
    const moved = await R.assignRequest(c.lead, r.id, { assigneeId: desk.agent2.staff.id, reason: '张三休假' });
    expect(moved.assignee?.id).toBe(desk.agent2.staff.id);
    // Naming a team the person is not in is refused; naming no team brings the request into theirs.
    await expectCode(R.assignRequest(c.lead, r.id, { teamId: desk.team.id, assigneeId: desk.specialist.staff.id, reason: 'x' }), 'request.assignee_invalid');
    const toSpecialist = await R.assignRequest(c.lead, r.id, { assigneeId: desk.specialist.staff.id, reason: '需要专项处理' });
    expect(toSpecialist.assignee?.id).toBe(desk.specialist.staff.id);
    expect(toSpecialist.team?.id).toBe(desk.special.id);
    // Someone outside the routed team taking an unassigned request brings it into their own team.
    const routed = await R.registerRequest(c.agent1, { type: 'consultation', channel: 'web', subject: '我来处理', teamId: desk.team.id });
    const taken = await R.assignRequest(c.specialist, routed.id, { assigneeId: desk.specialist.staff.id });
    expect(taken.assignee?.id).toBe(desk.specialist.staff.id);
    expect(taken.team?.id).toBe(desk.special.id);
  });

  it('a category no longer in use cannot be chosen, but a request filed under it keeps it', async () => {
    const desk = await buildDesk();
    const billing = await createCategory(desk.admin.ctx, { name: '账单' });
    const filed = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '账单疑问', categoryId: billing.id });
    await updateCategory(desk.admin.ctx, billing.id, { name: '账单', active: false });
    const refused = await expectCode(R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '又一个账单疑问', categoryId: billing.id }), 'request.category_inactive');
    expect(refused.details).toMatchObject({ field: 'categoryId' });
    const kept = await R.updateRequest(desk.agent1.ctx, filed.id, { categoryId: billing.id, priority: 'urgent' });
    expect(kept.categoryId).toBe(billing.id);
    expect(kept.priority).toBe('urgent');
    const other = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '改分类' });
    await expectCode(R.updateRequest(desk.agent1.ctx, other.id, { categoryId: billing.id }), 'request.category_inactive');
  });

  it('checks permissions: auditors read only; branch staff do not see other branches', async () => {
    const desk = await buildDesk();
    const auditor = await buildStaff(desk.org, 'auditor');
    const branchAgent = await buildStaff(desk.org, 'agent', { branchId: desk.org.branchId });
    const r = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '权限' });
    await expectCode(R.transitionRequest(auditor.ctx, r.id, { action: 'analyse' }), 'forbidden');
    expect((await requestDetail(auditor.ctx, r.id)).request.id).toBe(r.id);
    await expectCode(requestDetail(branchAgent.ctx, r.id), 'not_found');
    expect((await listRequests(branchAgent.ctx, {})).items.map((i) => i.id)).not.toContain(r.id);
  });
});
