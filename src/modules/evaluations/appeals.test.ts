import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { auditLog } from '../../core/db/core-schema.js';
import { AppError } from '../../core/errors.js';
import { buildStaff } from '../../test/harness.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import * as R from '../requests/service.js';
import { updateCallbackSettings } from './callback-settings.js';
import * as A from './appeals.js';
import * as CB from './callbacks.js';
import { recordEvaluationTx } from './evaluations.js';
import { correctiveActionEvents, correctiveActions } from '../corrective-actions/schema.js';
import { callbacks, evaluations } from './schema.js';

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

/** A bad survey rating of agent1, verified with the given verdict. */
async function verifiedBadRating(desk: Desk, verdict: 'confirmed' | 'mistaken' | 'malicious' | null) {
  await updateCallbackSettings(desk.manager.ctx, { allComplaints: false, percent: 0, seed: 's', maxAttempts: 3 });
  const r = await resolvedRequest(desk, 'consultation');
  const e = await transact(desk.org.system, (t) => recordEvaluationTx(t, { source: 'survey', requestId: r.id, level: 1, comment: '态度差' }));
  const [cb] = await desk.org.app.database.db.select().from(callbacks).where(and(eq(callbacks.evaluationId, e.id), eq(callbacks.purpose, 'verify')));
  if (verdict) await CB.performCallback(desk.supervisor.ctx, cb!.id, { outcome: 'reached', verdict, remarks: '核实记录' });
  return { request: r, evaluation: e };
}

async function resolvedRequest(desk: Desk, type: 'consultation') {
  const agent = desk.agent1.ctx;
  const r = await R.registerRequest(agent, { type, channel: 'phone', subject: '测试', contactName: '王女士', contactPhone: '13800138000' });
  await R.transitionRequest(agent, r.id, { action: 'analyse' });
  await R.assignRequest(desk.lead.ctx, r.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
  await R.transitionRequest(agent, r.id, { action: 'start_handling' });
  await R.transitionRequest(agent, r.id, { action: 'deliver_result', result: '已处理' });
  await R.transitionRequest(agent, r.id, { action: 'archive' });
  return r;
}

async function row(desk: Desk, id: string) {
  const [e] = await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.id, id));
  return e!;
}

describe('appeals', () => {
  it('only after a mistaken or malicious verdict; one open appeal; upheld → excluded, still listed, decision audited', async () => {
    const desk = await buildDesk();
    const pending = await verifiedBadRating(desk, null);
    await expectCode(A.fileAppeal(desk.agent1.ctx, pending.evaluation.id, { reason: '客户误评' }), 'appeal.not_allowed');
    const confirmed = await verifiedBadRating(desk, 'confirmed');
    await expectCode(A.fileAppeal(desk.agent1.ctx, confirmed.evaluation.id, { reason: '不服' }), 'appeal.not_allowed');

    const { evaluation } = await verifiedBadRating(desk, 'malicious');
    expect((await A.appealCandidates(desk.agent1.ctx)).items.map((i) => i.id)).toEqual([evaluation.id]);
    await expectCode(A.fileAppeal(desk.agent1.ctx, evaluation.id, { reason: '  ' }), 'validation_failed');
    const appeal = await A.fileAppeal(desk.agent1.ctx, evaluation.id, { reason: '回访核实为恶意差评，申请撤销' });
    expect(appeal).toMatchObject({ state: 'pending', appellant: { id: desk.agent1.staff.id }, rating: { id: evaluation.id, appealState: 'pending', verification: 'malicious', verificationRemarks: '核实记录' } });
    await expectCode(A.fileAppeal(desk.lead.ctx, evaluation.id, { reason: '再次申诉' }), 'appeal.already_open');
    expect((await A.appealCandidates(desk.agent1.ctx)).items).toHaveLength(0);

    // Agents may not decide; the supervisor upholds.
    await expectCode(A.decideAppeal(desk.agent1.ctx, appeal.id, { decision: 'upheld', reason: '自己' }), 'forbidden');
    const decided = await A.decideAppeal(desk.supervisor.ctx, appeal.id, { decision: 'upheld', reason: '录音证实客户恶意差评' });
    expect(decided).toMatchObject({ state: 'upheld', decidedBy: { id: desk.supervisor.staff.id }, decision: '录音证实客户恶意差评', rating: { excluded: true, appealState: 'upheld' } });
    expect(await row(desk, evaluation.id)).toMatchObject({ excluded: true, appealState: 'upheld', level: 1 });
    await expectCode(A.decideAppeal(desk.supervisor.ctx, appeal.id, { decision: 'rejected', reason: '改判' }), 'appeal.not_pending');
    await expectCode(A.fileAppeal(desk.agent1.ctx, evaluation.id, { reason: '再来' }), 'appeal.already_decided');

    // Still listed (visible, marked appealed), to the decider and to the agent it is about.
    expect((await A.listAppeals(desk.supervisor.ctx, { state: 'upheld' })).items.map((a) => a.id)).toEqual([appeal.id]);
    expect((await A.listAppeals(desk.agent1.ctx, {})).items.map((a) => a.id)).toEqual([appeal.id]);
    expect((await A.listAppeals(desk.agent2.ctx, {})).items).toHaveLength(0);
    const auditor = await buildStaff(desk.org, 'auditor', { scope: 'organization' });
    expect((await A.appealsOfEvaluation(auditor.ctx, evaluation.id)).map((a) => a.state)).toEqual(['upheld']);

    const db = desk.org.app.database.db;
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'appeal.decide'), eq(auditLog.entityId, appeal.id)));
    expect(entry).toMatchObject({ actorId: desk.supervisor.staff.id, after: { state: 'upheld', decision: '录音证实客户恶意差评' } });
    const [onRating] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'evaluation.appeal_decided'), eq(auditLog.entityId, evaluation.id)));
    expect(onRating?.after).toEqual({ appealState: 'upheld', excluded: true });
  });

  it('an upheld appeal cancels the corrective action the bad rating raised; a rejected one leaves it', async () => {
    const desk = await buildDesk();
    const db = desk.org.app.database.db;
    const actionOf = async (requestId: string) => (await db.select().from(correctiveActions).where(and(eq(correctiveActions.orgId, desk.org.orgId), eq(correctiveActions.requestId, requestId))))[0];

    const upheld = await verifiedBadRating(desk, 'malicious');
    expect((await actionOf(upheld.request.id))?.state).toBe('open');
    const appeal = await A.fileAppeal(desk.agent1.ctx, upheld.evaluation.id, { reason: '恶意差评' });
    await A.decideAppeal(desk.supervisor.ctx, appeal.id, { decision: 'upheld', reason: '录音证实' });
    const cancelled = await actionOf(upheld.request.id);
    expect(cancelled?.state).toBe('cancelled');
    const [event] = await db.select().from(correctiveActionEvents).where(and(eq(correctiveActionEvents.actionId, cancelled!.id), eq(correctiveActionEvents.kind, 'cancelled')));
    expect(event?.note).toContain('申诉成立');

    const rejected = await verifiedBadRating(desk, 'mistaken');
    const second = await A.fileAppeal(desk.agent1.ctx, rejected.evaluation.id, { reason: '误评' });
    await A.decideAppeal(desk.supervisor.ctx, second.id, { decision: 'rejected', reason: '证据不足' });
    expect((await actionOf(rejected.request.id))?.state).toBe('open');
  });

  it('rejected: the rating stays in the figures, appealState rejected', async () => {
    const desk = await buildDesk();
    const { evaluation } = await verifiedBadRating(desk, 'mistaken');
    const appeal = await A.fileAppeal(desk.lead.ctx, evaluation.id, { reason: '客户误操作' });
    const decided = await A.decideAppeal(desk.manager.ctx, appeal.id, { decision: 'rejected', reason: '证据不足' });
    expect(decided.state).toBe('rejected');
    expect(await row(desk, evaluation.id)).toMatchObject({ excluded: false, appealState: 'rejected' });
  });

  it('who may file: the agent, staff of the branch, organization-wide leads and managers — not agents of another branch or supervisors; nobody decides their own', async () => {
    const desk = await buildDesk();
    const { evaluation } = await verifiedBadRating(desk, 'mistaken');
    const otherBranchAgent = await buildStaff(desk.org, 'agent', { branchId: desk.org.branchId });
    await expectCode(A.fileAppeal(otherBranchAgent.ctx, evaluation.id, { reason: '代为申诉' }), 'not_found');
    const orgAgent = await buildStaff(desk.org, 'agent', { branchId: desk.org.branchId, scope: 'organization' });
    await expectCode(A.fileAppeal(orgAgent.ctx, evaluation.id, { reason: '代为申诉' }), 'forbidden');
    await expectCode(A.fileAppeal(desk.supervisor.ctx, evaluation.id, { reason: '代为申诉' }), 'forbidden'); // no appeal.file
    await expectCode(A.fileAppeal(desk.agent1.ctx, '00000000-0000-4000-8000-000000000000', { reason: 'x' }), 'not_found');
    // A colleague in the same branch may file for the branch.
    expect(A.mayFile(desk.agent2.actor, evaluation)).toBe(true);
    const appeal = await A.fileAppeal(desk.manager.ctx, evaluation.id, { reason: '分公司申诉' });
    await expectCode(A.decideAppeal(desk.manager.ctx, appeal.id, { decision: 'upheld', reason: '自己批' }), 'appeal.own_appeal');
    const elsewhere = await buildStaff(desk.org, 'supervisor', { branchId: desk.org.branchId, scope: 'branch' });
    await expectCode(A.decideAppeal(elsewhere.ctx, appeal.id, { decision: 'upheld', reason: '越权' }), 'not_found');
    expect((await A.decideAppeal(desk.supervisor.ctx, appeal.id, { decision: 'upheld', reason: '成立' })).state).toBe('upheld');
  });
});
