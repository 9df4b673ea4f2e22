import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transact, type Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { ClockWatcher } from '../../jobs/clock-watcher.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { buildStaff, ctxAs } from '../../test/harness.js';
import { clocks } from '../clocks/schema.js';
import type { EvaluationRow } from '../evaluations/evaluation-hooks.js';
import * as categories from '../requests/categories.js';
import { notifications } from '../requests/schema.js';
import * as R from '../requests/service.js';
import { complaintVerdict, correctiveOnBadRating } from './findings.js';
import * as S from './service.js';

const at = (s: string) => new Date(s);

/** The desk's people acting at a movable instant, and a clock watcher reading the same clock. */
function desk$(desk: Desk, start: string) {
  let now = at(start);
  const app = desk.org.app;
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(app, p.actor, { now: () => now });
  return {
    set: (iso: string) => (now = at(iso)),
    now: () => now,
    agent1: as(desk.agent1), agent2: as(desk.agent2), lead: as(desk.lead), manager: as(desk.manager), supervisor: as(desk.supervisor), admin: as(desk.admin),
    system: { ...desk.org.system, now: () => now },
    watcher: new ClockWatcher(app, { now: () => now }),
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'ok';
}

function evaluation(desk: Desk, requestId: string, over: Partial<EvaluationRow> = {}): EvaluationRow {
  const now = new Date();
  return {
    id: crypto.randomUUID(), orgId: desk.org.orgId, source: 'survey', requestId, surveyId: null, callbackId: null, campaignId: null, level: 2, attitude: 2, speed: 2, result: 2, nps: null,
    comment: '等了三天没人管', resolved: false, agentId: desk.agent1.staff.id, teamId: desk.team.id, branchId: desk.org.headOfficeId, channel: 'web', requestType: 'service_request',
    verification: null, appealState: null, excluded: false, at: now, createdAt: now, updatedAt: now, ...over,
  };
}

describe('corrective actions: raising and deadlines', () => {
  it('raised on 2026-09-30 with P5D, the deadline lands after National Day, counting the make-up Saturday 10 October; numbered per day in the zone', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-09-30T10:00:00+08:00');
    const first = await S.createAction(d.manager, { finding: '窗口服务态度差（暗访）', source: 'inspection', reference: 'JC-2026-17', teamId: desk.team.id });
    // Working days after the 30th: 8, 9, 10 (Saturday, 调休), 12, 13 October; the office day ends at 18:00.
    expect(first.dueAt).toBe(at('2026-10-13T18:00:00+08:00').toISOString());
    expect(first.deadlineDuration).toBe('P5D');
    expect(first.number).toBe('ZG-20260930-0001');
    expect(first.owner?.id).toBe(desk.lead.staff.id); // the team's lead
    expect(first.state).toBe('open');
    expect(first.sourceRef).toEqual({ reference: 'JC-2026-17' });
    const [clock] = await desk.org.app.database.db.select().from(clocks).where(and(eq(clocks.subjectType, 'corrective_action'), eq(clocks.subjectId, first.id)));
    expect(clock).toMatchObject({ kind: 'rectify', state: 'running', duration: 'P5D', calendarId: desk.officeCal.id });
    // 23:30 Beijing time on the 30th is still the 30th in the organization's zone (15:30 UTC).
    d.set('2026-09-30T23:30:00+08:00');
    const second = await S.createAction(d.manager, { finding: '第二项' });
    expect(second.number).toBe('ZG-20260930-0002');
    expect(second.owner).toBeNull(); // no team nor branch named: unassigned, for managers to give out
  });

  it('settings: a per-source deadline overrides the default; bad input is refused', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    expect((await S.getCorrectiveSettings(d.lead)).deadline).toBe('P5D');
    expect(await codeOf(S.updateCorrectiveSettings(d.lead, { deadline: 'P3D' }))).toBe('forbidden');
    expect(await codeOf(S.updateCorrectiveSettings(d.admin, { deadline: '5 days' }))).toBe('validation_failed');
    const saved = await S.updateCorrectiveSettings(d.admin, { deadlineBySource: { inspection: 'P2D' } });
    expect(saved).toMatchObject({ deadline: 'P5D', deadlineBySource: { inspection: 'P2D' }, cluster: { threshold: 3, windowDays: 30 } });
    const a = await S.createAction(d.manager, { finding: '检查发现', source: 'inspection', teamId: desk.team.id });
    // Tuesday 13 January + 2 working days: Thursday 15th, 18:00.
    expect(a.dueAt).toBe(at('2026-01-15T18:00:00+08:00').toISOString());
  });

  it('a bad rating raises one action per request for the team lead, who is told; a second bad rating joins it', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const r = await R.registerRequest(d.agent1, { type: 'service_request', channel: 'web', subject: '宽带报修', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await transact(d.system, (t) => correctiveOnBadRating(t, evaluation(desk, r.id)));
    await transact(d.system, (t) => correctiveOnBadRating(t, evaluation(desk, r.id, { source: 'callback', level: 1, comment: '回访确认不满意' })));
    const { items } = await S.listActions(d.lead, { mine: true });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ source: 'bad_rating', owner: { id: desk.lead.staff.id }, agent: { id: desk.agent1.staff.id }, request: { id: r.id, number: r.number } });
    expect(items[0]!.finding).toContain('不满意');
    const detail = await S.getAction(d.lead, items[0]!.id);
    expect(detail.events.map((e) => e.kind)).toEqual(['created', 'finding']);
    expect(detail.requests.map((x) => x.id)).toEqual([r.id]);
    const told = await desk.org.app.database.db.select().from(notifications).where(and(eq(notifications.orgId, desk.org.orgId), eq(notifications.kind, 'corrective.raised')));
    expect(told.map((n) => [n.recipientId, n.params.actionId])).toEqual([[desk.lead.staff.id, items[0]!.id]]);
    // The request page lists it.
    expect((await S.actionsOfRequest(desk.org.app.database.db, d.agent1, r.id)).map((a) => a.id)).toEqual([items[0]!.id]);
  });
});

describe('corrective actions: the lifecycle and permissions', () => {
  it('the owner works it, a supervisor returns it, then accepts it; agents cannot verify, the owner cannot verify their own', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const a = await S.createAction(d.manager, { finding: '回复不及时', teamId: desk.team.id, agentId: desk.agent1.staff.id });
    // The supervisor verifies and may cancel but does not work actions; the lead (owner) and the manager may start it.
    expect((await S.getAction(d.supervisor, a.id)).allowedSteps).toEqual(['cancel']);
    expect((await S.getAction(d.lead, a.id)).allowedSteps).toEqual(['start', 'cancel']);
    expect((await S.getAction(d.agent1, a.id)).allowedSteps).toEqual([]);
    // An agent who is not the owner may not work it nor verify it.
    expect(await codeOf(S.recordWork(d.agent1, a.id, { rootCause: 'x' }))).toBe('forbidden');
    expect(await codeOf(S.stepAction(d.agent1, a.id, { step: 'accept' }))).toBe('forbidden');
    // Verification before submission: 409 with the allowed steps.
    const early = await S.stepAction(d.supervisor, a.id, { step: 'accept' }).catch((e: AppError) => e);
    expect(early).toMatchObject({ code: 'corrective.illegal_transition', details: { allowed: ['start', 'cancel'] } });

    d.set('2026-01-14T09:30:00+08:00');
    const worked = await S.recordWork(d.lead, a.id, { rootCause: '排班不足，午间无人值守' });
    expect(worked.state).toBe('in_progress'); // the first piece of work starts it
    expect(await codeOf(S.stepAction(d.lead, a.id, { step: 'submit' }))).toBe('corrective.incomplete');
    await S.recordWork(d.lead, a.id, { actionsTaken: '调整午间排班，增加一名值守' });
    await S.recordRecontact(d.lead, a.id, { note: '已电话回访客户，客户表示理解' });
    const file = await S.uploadEvidence(d.lead, a.id, { filename: '排班表.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 test') });
    expect(await codeOf(S.uploadEvidence(d.lead, a.id, { filename: 'setup.exe', contentType: 'application/x-msdownload', content: Buffer.from('MZ') }))).toBe('file.type_not_allowed');
    expect((await S.downloadEvidence(d.supervisor, a.id, file.id)).content.toString()).toBe('%PDF-1.4 test');
    const submitted = await S.stepAction(d.lead, a.id, { step: 'submit' });
    expect(submitted.state).toBe('submitted');
    expect(submitted.canWork).toBe(false);
    expect(await codeOf(S.recordWork(d.lead, a.id, { rootCause: 'changed' }))).toBe('corrective.illegal_transition');

    // The lead (owner) holds no corrective.verify; the manager does but a manager who owns an action cannot verify it.
    expect(await codeOf(S.stepAction(d.lead, a.id, { step: 'accept' }))).toBe('forbidden');
    expect(await codeOf(S.stepAction(d.supervisor, a.id, { step: 'return' }))).toBe('corrective.reason_required');
    const returned = await S.stepAction(d.supervisor, a.id, { step: 'return', note: '请补充排班调整后的效果' });
    expect(returned).toMatchObject({ state: 'in_progress', returnCount: 1, verificationNote: '请补充排班调整后的效果' });
    await S.recordWork(d.lead, a.id, { actionsTaken: '调整午间排班；一周内午间接通率 98%' });
    await S.stepAction(d.lead, a.id, { step: 'submit' });
    d.set('2026-01-16T11:00:00+08:00');
    const closed = await S.stepAction(d.supervisor, a.id, { step: 'accept', note: '整改到位' });
    expect(closed).toMatchObject({ state: 'closed', closedOnTime: true, verifiedBy: { id: desk.supervisor.staff.id }, allowedSteps: [], overdue: false });
    const [clock] = await desk.org.app.database.db.select().from(clocks).where(and(eq(clocks.subjectType, 'corrective_action'), eq(clocks.subjectId, a.id)));
    expect(clock!.state).toBe('met');
    const detail = await S.getAction(d.supervisor, a.id);
    expect(detail.events.map((e) => e.kind)).toEqual(['created', 'started', 'analysed', 'analysed', 'recontacted', 'evidence', 'submitted', 'returned', 'analysed', 'submitted', 'accepted']);
    expect(detail.evidence.map((e) => e.filename)).toEqual(['排班表.pdf']);
    expect(await codeOf(S.stepAction(d.manager, a.id, { step: 'cancel', note: 'x' }))).toBe('corrective.illegal_transition');

    // A manager owning an action may not verify it.
    const own = await S.createAction(d.manager, { finding: '自查', ownerId: desk.manager.staff.id });
    await S.recordWork(d.manager, own.id, { rootCause: 'a', actionsTaken: 'b' });
    await S.stepAction(d.manager, own.id, { step: 'submit' });
    expect(await codeOf(S.stepAction(d.manager, own.id, { step: 'accept' }))).toBe('corrective.self_verify');
    expect(await codeOf(S.stepAction(d.agent1, own.id, { step: 'cancel', note: 'x' }))).toBe('forbidden');
    expect((await S.stepAction(d.manager, own.id, { step: 'cancel', note: '重复' })).state).toBe('cancelled');
  });

  it('staff of another branch neither see nor find an action; agents cannot raise one', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const a = await S.createAction(d.manager, { finding: '总部问题', teamId: desk.team.id });
    const outsider = await buildStaff(desk.org, 'team_lead', { branchId: desk.org.branchId, scope: 'branch' });
    expect((await S.listActions(outsider.ctx, {})).items.map((x) => x.id)).not.toContain(a.id);
    expect(await codeOf(S.getAction(outsider.ctx, a.id))).toBe('not_found');
    expect(await codeOf(S.createAction(d.agent1, { finding: 'x' }))).toBe('forbidden');
    expect((await S.listActions(d.agent1, {})).items.map((x) => x.id)).toContain(a.id); // same branch, read
    expect((await S.listActions(d.lead, { states: 'open', overdue: 'false' })).items.map((x) => x.id)).toContain(a.id);
  });
});

describe('corrective actions: breaches, overdue escalation, complaints, clusters', () => {
  it('a breached complaint clock raises one action per request; a consultation\'s first-response breach does not', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T09:00:00+08:00');
    const complaint = await R.registerRequest(d.agent1, { type: 'complaint', channel: 'phone', subject: '营业厅排队太久', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    const question = await R.registerRequest(d.agent1, { type: 'consultation', channel: 'web', subject: '资费咨询', teamId: desk.team.id, assigneeId: desk.agent2.staff.id });
    // Friday 16 January: first response, initial solution and the complaint's result (P3D) have all run out.
    d.set('2026-01-19T09:00:00+08:00');
    while ((await d.watcher.runOnce()) > 0) { /* drain */ }
    const { items } = await S.listActions(d.manager, { source: 'breach' });
    const mine = items.filter((i) => i.request?.id === complaint.id || i.request?.id === question.id);
    expect(mine.map((i) => i.request!.id)).toEqual([complaint.id]);
    const detail = await S.getAction(d.manager, mine[0]!.id);
    expect(detail.owner?.id).toBe(desk.lead.staff.id);
    expect(detail.finding).toMatch(new RegExp(`^工单 ${complaint.number} 的“.+”时限已于 2026-01-1\\d \\d{2}:\\d{2} 超时$`)); // local time
    expect(detail.events.filter((e) => e.kind === 'finding').length).toBeGreaterThanOrEqual(1); // further breaches joined it
  });

  it('an overdue action notifies its owner at the warning, then owner and lead at the breach and the manager two hours later; it is marked overdue', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const a = await S.createAction(d.supervisor, { finding: '超期测试', teamId: desk.team.id, ownerId: desk.agent2.staff.id });
    expect(a.dueAt).toBe(at('2026-01-20T18:00:00+08:00').toISOString());
    d.set('2026-01-19T17:00:00+08:00'); // past 80 % of the business time of five working days
    await d.watcher.runOnce();
    d.set('2026-01-20T18:00:00+08:00');
    await d.watcher.runOnce();
    const rows = await desk.org.app.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.orgId, desk.org.orgId))
      .orderBy(asc(notifications.createdAt), asc(notifications.kind), asc(notifications.recipientId));
    const line = (id: string) => ({ [desk.agent2.staff.id]: 'owner', [desk.lead.staff.id]: 'lead', [desk.manager.staff.id]: 'manager' })[id] ?? id;
    const of = rows.filter((n) => n.params.actionId === a.id).map((n) => [n.kind, line(n.recipientId), n.params.afterMinutes ?? 0]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(of).toEqual([
      ['corrective.overdue', 'lead', 0],
      ['corrective.overdue', 'manager', 120],
      ['corrective.overdue', 'owner', 0],
      ['corrective.raised', 'owner', 0],
      ['corrective.warning', 'owner', 0],
    ]);
    const view = await S.getAction(d.manager, a.id);
    expect(view).toMatchObject({ overdue: true, overdueAt: at('2026-01-20T18:00:00+08:00').toISOString() });
    expect(view.events.at(-1)!.kind).toBe('overdue');
    expect((await S.listActions(d.manager, { overdue: true })).items.map((x) => x.id)).toEqual([a.id]);
    // Closed late: not on time.
    d.set('2026-01-21T10:00:00+08:00');
    await S.recordWork(d.agent2, a.id, { rootCause: 'a', actionsTaken: 'b' });
    await S.stepAction(d.agent2, a.id, { step: 'submit' });
    expect((await S.stepAction(d.supervisor, a.id, { step: 'accept' })).closedOnTime).toBe(false);
  });

  it('complaint verdict: upheld raises an action, not upheld does not; only for complaints', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const c1 = await R.registerRequest(d.agent1, { type: 'complaint', channel: 'web', subject: '装维人员迟到', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    const c2 = await R.registerRequest(d.agent1, { type: 'complaint', channel: 'web', subject: '误解资费', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    const q = await R.registerRequest(d.agent1, { type: 'consultation', channel: 'web', subject: '咨询', teamId: desk.team.id });
    const upheld = await complaintVerdict(d.agent1, c1.id, { upheld: true, note: '经核实迟到两小时' });
    expect(upheld.complaintUpheld).toBe(true);
    expect(upheld.actions.map((a) => [a.source, a.owner?.id])).toEqual([['complaint', desk.lead.staff.id]]);
    expect((await complaintVerdict(d.agent1, c2.id, { upheld: false, note: '客户误解' })).actions).toEqual([]);
    expect(await codeOf(complaintVerdict(d.agent1, q.id, { upheld: true, note: 'x' }))).toBe('corrective.not_complaint');
    expect(await codeOf(complaintVerdict(d.supervisor, c1.id, { upheld: true, note: 'x' }))).toBe('forbidden');
    // Judged again: still one action.
    expect((await complaintVerdict(d.agent1, c1.id, { upheld: true, note: '再次确认' })).actions).toHaveLength(1);
  });

  it('three complaints of one category within 30 days raise one cluster action linking them; a fourth joins it, and its upheld verdict raises nothing separate', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-03-02T10:00:00+08:00');
    const cat = await categories.createCategory(desk.admin.ctx, { name: '宽带装机' });
    const other = await categories.createCategory(desk.admin.ctx, { name: '话费' });
    const complain = async (subject: string, categoryId: string) => {
      const r = await R.registerRequest(d.agent1, { type: 'complaint', channel: 'web', subject, categoryId, teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
      await R.transitionRequest(d.agent1, r.id, { action: 'analyse' });
      return r;
    };
    const c1 = await complain('装机慢 1', cat.id);
    d.set('2026-03-20T10:00:00+08:00');
    await complain('话费 1', other.id);
    const c2 = await complain('装机慢 2', cat.id);
    expect((await S.listActions(d.manager, { source: 'cluster' })).items).toHaveLength(0);
    d.set('2026-03-31T10:00:00+08:00');
    const c3 = await complain('装机慢 3', cat.id);
    const clusters = (await S.listActions(d.manager, { source: 'cluster' })).items;
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.sourceRef).toMatchObject({ categoryId: cat.id, count: 3, windowDays: 30 });
    expect((await S.getAction(d.manager, clusters[0]!.id)).requests.map((r) => r.id).sort()).toEqual([c1.id, c2.id, c3.id].sort());
    const c4 = await complain('装机慢 4', cat.id);
    const verdict = await complaintVerdict(d.agent1, c4.id, { upheld: true, note: '属实' });
    expect(verdict.actions.map((a) => a.id)).toEqual([clusters[0]!.id]);
    const detail = await S.getAction(d.manager, clusters[0]!.id);
    expect(detail.requests).toHaveLength(4);
    expect(detail.events.filter((e) => e.kind === 'linked')).toHaveLength(1);
    expect((await S.listActions(d.manager, { source: 'complaint' })).items).toHaveLength(0);
  });
});
