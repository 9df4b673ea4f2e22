import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transact, type Ctx } from '../../core/context.js';
import { auditLog } from '../../core/db/core-schema.js';
import { AppError } from '../../core/errors.js';
import { buildStaff } from '../../test/harness.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import * as R from '../requests/service.js';
import type { RequestType } from '../requests/contracts.js';
import { updateCallbackSettings, getCallbackSettings } from './callback-settings.js';
import * as CB from './callbacks.js';
import { recordEvaluationTx } from './evaluations.js';
import { callbacks, evaluations } from './schema.js';

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** A request of the desk taken through the loop to feedback (and to archived unless told otherwise). */
async function resolvedRequest(desk: Desk, type: RequestType, options: { archive?: boolean; phone?: string | null; branchId?: string } = {}) {
  const agent = desk.agent1.ctx;
  const contact = options.phone === null ? { contactEmail: 'wang@example.cn' } : { contactPhone: options.phone ?? '13800138000' };
  const r = await R.registerRequest(agent, { type, channel: options.phone === null ? 'web' : 'phone', subject: `测试${type}`, description: '客户来电', contactName: '王女士', ...contact });
  await R.transitionRequest(agent, r.id, { action: 'analyse' });
  await R.assignRequest(desk.lead.ctx, r.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id, ...(options.branchId ? { branchId: options.branchId } : {}) });
  await R.transitionRequest(agent, r.id, { action: 'start_handling' });
  await R.transitionRequest(agent, r.id, { action: 'deliver_result', result: '已为您处理完毕' });
  if (options.archive !== false) await R.transitionRequest(agent, r.id, { action: 'archive' });
  return r;
}

async function callbacksOf(desk: Desk, requestId: string) {
  return desk.org.app.database.db.select().from(callbacks).where(and(eq(callbacks.orgId, desk.org.orgId), eq(callbacks.requestId, requestId)));
}

async function setRules(desk: Desk, rules: Partial<{ allComplaints: boolean; percent: number; seed: string; maxAttempts: number; percentByType: Record<string, number> }>) {
  const current = await getCallbackSettings(desk.manager.ctx);
  return updateCallbackSettings(desk.manager.ctx, { ...current, ...rules });
}

/** A survey rating recorded the way the surveys module records it. */
async function rate(desk: Desk, requestId: string, level: number, ctx: Ctx = desk.org.system) {
  return transact(ctx, (t) => recordEvaluationTx(t, { source: 'survey', requestId, level, comment: '太慢了' }));
}

async function evaluationRow(desk: Desk, id: string) {
  const [row] = await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.id, id));
  return row!;
}

describe('callbacks: sampling at archive', () => {
  it('draws every complaint and nothing else at 0 %, every request at 100 %, once per request', async () => {
    const desk = await buildDesk();
    await setRules(desk, { allComplaints: true, percent: 0 });
    const complaint = await resolvedRequest(desk, 'complaint');
    const consultation = await resolvedRequest(desk, 'consultation');
    const [cb] = await callbacksOf(desk, complaint.id);
    expect(cb).toMatchObject({ purpose: 'sample', rule: 'all_complaints', state: 'pending', branchId: complaint.branchId });
    expect(await callbacksOf(desk, consultation.id)).toHaveLength(0);

    await setRules(desk, { percent: 100 });
    const drawn = await resolvedRequest(desk, 'consultation');
    expect((await callbacksOf(desk, drawn.id)).map((c) => c.rule)).toEqual(['percent']);
    // Reopened and archived again: still one sample callback.
    await R.transitionRequest(desk.agent1.ctx, drawn.id, { action: 'reopen', reason: '客户又来电' });
    await R.transitionRequest(desk.agent1.ctx, drawn.id, { action: 'deliver_result', result: '再次处理' });
    await R.transitionRequest(desk.agent1.ctx, drawn.id, { action: 'archive' });
    expect(await callbacksOf(desk, drawn.id)).toHaveLength(1);
  });

  it('never draws a request with no number to call (a callback is a phone call), at archive or on demand', async () => {
    const desk = await buildDesk();
    await setRules(desk, { allComplaints: true, percent: 100 });
    const mailOnly = await resolvedRequest(desk, 'complaint', { phone: null });
    const withPhone = await resolvedRequest(desk, 'complaint');
    expect(await callbacksOf(desk, mailOnly.id)).toHaveLength(0);
    expect(await callbacksOf(desk, withPhone.id)).toHaveLength(1);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const preview = await CB.previewSample(desk.supervisor.ctx, { from, to });
    expect(preview.drawn.map((d) => d.requestId)).not.toContain(mailOnly.id);
    expect(preview.drawn.map((d) => d.requestId)).toContain(withPhone.id);
  });

  it('uses the per-type percentage and leaves complaints to the percent rule when "all complaints" is off', async () => {
    const desk = await buildDesk();
    await setRules(desk, { allComplaints: false, percent: 100, percentByType: { complaint: 0 } });
    const complaint = await resolvedRequest(desk, 'complaint');
    const suggestion = await resolvedRequest(desk, 'suggestion');
    expect(await callbacksOf(desk, complaint.id)).toHaveLength(0);
    expect(await callbacksOf(desk, suggestion.id)).toHaveLength(1);
  });

  it('settings: supervisors read, only evaluation.configure saves; bad values are refused', async () => {
    const desk = await buildDesk();
    expect(await getCallbackSettings(desk.supervisor.ctx)).toMatchObject({ allComplaints: true, percent: 10, maxAttempts: 3 });
    await expectCode(updateCallbackSettings(desk.supervisor.ctx, { allComplaints: true, percent: 5, seed: 'x', maxAttempts: 3 }), 'forbidden');
    await expectCode(updateCallbackSettings(desk.manager.ctx, { allComplaints: true, percent: 150, seed: 'x', maxAttempts: 3 }), 'validation_failed');
    await expectCode(getCallbackSettings(desk.agent1.ctx), 'forbidden');
  });
});

describe('callbacks: the queue and the form', () => {
  it('records a reached customer’s rating as an evaluation with source callback; a finished callback cannot change', async () => {
    const desk = await buildDesk();
    await setRules(desk, { percent: 100 });
    const r = await resolvedRequest(desk, 'consultation');
    const [cb] = await callbacksOf(desk, r.id);
    const sup = desk.supervisor.ctx;

    const page = await CB.listCallbacks(sup, { state: 'pending', purpose: 'sample' });
    expect(page.items.map((i) => i.id)).toEqual([cb!.id]);
    expect(page.items[0]).toMatchObject({ request: { number: r.number, type: 'consultation', agent: { id: desk.agent1.staff.id } }, attempts: 0, maxAttempts: 3 });

    const detail = await CB.getCallback(sup, cb!.id);
    expect(detail.contact).toMatchObject({ name: '王女士', phone: '13800138000' }); // supervisors hold pii:read
    expect(detail.summary.result).toBe('已为您处理完毕');

    const assigned = await CB.assignCallback(sup, cb!.id, { assigneeId: desk.supervisor.staff.id });
    expect(assigned.assignee?.id).toBe(desk.supervisor.staff.id);
    await expectCode(CB.assignCallback(sup, cb!.id, { assigneeId: desk.agent1.staff.id }), 'callback.assignee_invalid');
    expect((await CB.listCallbacks(sup, { assigneeId: desk.supervisor.staff.id })).total).toBe(1);
    expect((await CB.listCallbacks(sup, { requestType: 'complaint' })).total).toBe(0);
    expect((await CB.listCallbacks(sup, { requestType: 'consultation', branchId: r.branchId })).total).toBe(1);

    await expectCode(CB.performCallback(sup, cb!.id, { outcome: 'reached', remarks: '客户满意' }), 'callback.level_required');
    await expectCode(CB.performCallback(sup, cb!.id, { outcome: 'reached', level: 6 }), 'validation_failed');
    const done = await CB.performCallback(sup, cb!.id, { outcome: 'reached', level: 4, remarks: '客户表示满意' });
    expect(done).toMatchObject({ state: 'done', level: 4, attempts: 1, calledBy: { id: desk.supervisor.staff.id } });
    const [ev] = await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.callbackId, cb!.id));
    expect(ev).toMatchObject({ source: 'callback', level: 4, requestId: r.id, agentId: desk.agent1.staff.id, comment: '客户表示满意', verification: null });
    expect(done.recordedEvaluationId).toBe(ev!.id);
    await expectCode(CB.performCallback(sup, cb!.id, { outcome: 'not_reached' }), 'callback.not_pending');
    expect((await CB.listCallbacks(sup, { state: 'done' })).items.map((i) => i.id)).toEqual([cb!.id]);
  });

  it('counts attempts and gives up after the configured number: unreachable', async () => {
    const desk = await buildDesk();
    await setRules(desk, { percent: 100, maxAttempts: 2 });
    const r = await resolvedRequest(desk, 'consultation');
    const [cb] = await callbacksOf(desk, r.id);
    const first = await CB.performCallback(desk.supervisor.ctx, cb!.id, { outcome: 'not_reached', remarks: '无人接听' });
    expect(first).toMatchObject({ state: 'pending', attempts: 1 });
    const second = await CB.performCallback(desk.supervisor.ctx, cb!.id, { outcome: 'not_reached', remarks: '关机' });
    expect(second).toMatchObject({ state: 'unreachable', attempts: 2, unverified: false });
    expect(await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.requestId, r.id))).toHaveLength(0);
  });

  it('permissions: agents have no queue; branch-scoped supervisors reach their branch only; phones masked without pii:read', async () => {
    const desk = await buildDesk();
    await setRules(desk, { percent: 100 });
    const r = await resolvedRequest(desk, 'consultation');
    const [cb] = await callbacksOf(desk, r.id);
    await expectCode(CB.listCallbacks(desk.agent1.ctx, {}), 'forbidden');
    await expectCode(CB.getCallback(desk.agent1.ctx, cb!.id), 'forbidden');
    const elsewhere = await buildStaff(desk.org, 'supervisor', { branchId: desk.org.branchId, scope: 'branch' });
    expect((await CB.listCallbacks(elsewhere.ctx, {})).total).toBe(0);
    await expectCode(CB.getCallback(elsewhere.ctx, cb!.id), 'forbidden');
    await expectCode(CB.performCallback(elsewhere.ctx, cb!.id, { outcome: 'not_reached' }), 'forbidden');
    await expectCode(CB.assignCallback(desk.supervisor.ctx, cb!.id, { assigneeId: elsewhere.staff.id }), 'callback.assignee_invalid');
    // A manager token without pii:read sees the phone masked.
    const masked = await CB.getCallback({ ...desk.manager.ctx, actor: { ...desk.manager.actor, tokenScopes: ['callback.manage'] } as Ctx['actor'] }, cb!.id);
    expect(masked.contact.phone).toBe('138****8000');
  });

  it('adds one by hand for a resolved request only, and never twice', async () => {
    const desk = await buildDesk();
    await setRules(desk, { allComplaints: false, percent: 0 });
    const open = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '还在处理' });
    await expectCode(CB.createCallback(desk.supervisor.ctx, { requestId: open.id }), 'callback.request_not_resolved');
    const r = await resolvedRequest(desk, 'consultation', { archive: false });
    const created = await CB.createCallback(desk.supervisor.ctx, { requestId: r.id, assigneeId: desk.supervisor.staff.id });
    expect(created).toMatchObject({ rule: 'manual', purpose: 'sample', state: 'pending', assignee: { id: desk.supervisor.staff.id } });
    await expectCode(CB.createCallback(desk.supervisor.ctx, { requestId: r.id }), 'callback.duplicate');
    // Archiving with the 100 % rule now does not add a second one.
    await setRules(desk, { percent: 100 });
    await R.transitionRequest(desk.agent1.ctx, r.id, { action: 'archive' });
    expect(await callbacksOf(desk, r.id)).toHaveLength(1);
    await expectCode(CB.createCallback(desk.agent1.ctx, { requestId: r.id }), 'forbidden');
  });

  it('samples a period on demand: the preview shows what the run creates, and the same input draws the same requests', async () => {
    const desk = await buildDesk();
    await setRules(desk, { allComplaints: false, percent: 0 });
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await resolvedRequest(desk, i % 3 === 0 ? 'complaint' : 'consultation'));
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const input = { from, to, allComplaints: true, percent: 50, seed: 'q3-2026' };
    const preview = await CB.previewSample(desk.supervisor.ctx, input);
    expect(preview.considered).toBe(6);
    const again = await CB.previewSample(desk.supervisor.ctx, input);
    expect(again.drawn).toEqual(preview.drawn);
    const complaints = made.filter((_, i) => i % 3 === 0).map((r) => r.id);
    for (const id of complaints) expect(preview.drawn.find((d) => d.requestId === id)?.rule).toBe('all_complaints');
    expect(await callbacksOf(desk, made[1]!.id)).toHaveLength(0); // preview writes nothing

    const run = await CB.runSample(desk.supervisor.ctx, input);
    expect(run).toMatchObject({ seed: 'q3-2026', considered: 6, created: preview.drawn.length, skipped: 0 });
    const second = await CB.runSample(desk.supervisor.ctx, input);
    expect(second).toMatchObject({ created: 0, skipped: preview.drawn.length });
    expect((await CB.previewSample(desk.supervisor.ctx, input)).drawn.every((d) => d.alreadySampled)).toBe(true);
    await expectCode(CB.previewSample(desk.supervisor.ctx, { from: to, to: from }), 'validation_failed');
    await expectCode(CB.runSample(desk.agent1.ctx, input), 'forbidden');
    const [entry] = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'callback.sample_run')));
    expect(entry?.after).toMatchObject({ created: preview.drawn.length });
  });
});

describe('callbacks: verification of bad ratings (核实)', () => {
  it('a bad rating gets a verify callback and is pending; the verdict is written onto the rating', async () => {
    const desk = await buildDesk();
    await setRules(desk, { allComplaints: false, percent: 0 });
    const r = await resolvedRequest(desk, 'consultation');
    const good = await rate(desk, r.id, 4);
    expect((await evaluationRow(desk, good.id)).verification).toBeNull();
    expect(await callbacksOf(desk, r.id)).toHaveLength(0);

    const bad = await rate(desk, r.id, 2);
    expect((await evaluationRow(desk, bad.id)).verification).toBe('pending');
    const [verify] = await callbacksOf(desk, r.id);
    expect(verify).toMatchObject({ purpose: 'verify', evaluationId: bad.id, state: 'pending' });
    const view = await CB.getCallback(desk.supervisor.ctx, verify!.id);
    expect(view.evaluation).toMatchObject({ id: bad.id, level: 2, verification: 'pending', agent: { id: desk.agent1.staff.id } });

    await expectCode(CB.performCallback(desk.supervisor.ctx, verify!.id, { outcome: 'reached', remarks: '已联系' }), 'callback.verdict_required');
    const done = await CB.performCallback(desk.supervisor.ctx, verify!.id, { outcome: 'reached', verdict: 'mistaken', remarks: '客户表示误点了不满意' });
    expect(done).toMatchObject({ state: 'done', verdict: 'mistaken', evaluation: { verification: 'mistaken' } });
    // The verification records no second rating.
    expect(await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.requestId, r.id))).toHaveLength(2);
    const audits = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.entityId, bad.id), eq(auditLog.action, 'evaluation.verify')));
    expect(audits.map((a) => a.after)).toEqual([{ verification: 'mistaken' }]);
  });

  it('an unreachable verification counts as confirmed, marked unverified', async () => {
    const desk = await buildDesk();
    await setRules(desk, { allComplaints: false, percent: 0, maxAttempts: 1 });
    const r = await resolvedRequest(desk, 'consultation');
    const bad = await rate(desk, r.id, 1);
    const [verify] = await callbacksOf(desk, r.id);
    const after = await CB.performCallback(desk.supervisor.ctx, verify!.id, { outcome: 'not_reached', remarks: '空号' });
    expect(after).toMatchObject({ state: 'unreachable', verdict: 'confirmed', unverified: true });
    expect((await evaluationRow(desk, bad.id)).verification).toBe('confirmed');
  });

  it('a bad rating given on a callback is confirmed at once (no second call)', async () => {
    const desk = await buildDesk();
    await setRules(desk, { percent: 100 });
    const r = await resolvedRequest(desk, 'consultation');
    const [cb] = await callbacksOf(desk, r.id);
    await CB.performCallback(desk.supervisor.ctx, cb!.id, { outcome: 'reached', level: 2, remarks: '客户不满意处理速度' });
    const [ev] = await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.callbackId, cb!.id));
    expect(ev!.verification).toBe('confirmed');
    expect((await callbacksOf(desk, r.id)).map((c) => c.purpose)).toEqual(['sample']);
  });
});
