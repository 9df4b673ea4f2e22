/**
 * Appeals (申诉) — the last step of verifying a bad rating (核实 → 整改 → 反馈 → 复核): when the verification
 * callback found the rating mistaken or malicious, the agent concerned or staff of the branch may appeal with
 * a reason, and a supervisor upholds or rejects it with a reason. Upheld: the rating leaves the agent's
 * figures (`excluded`) but stays visible, marked appealed. One appeal per rating, and its decision is final.
 *
 * Who may file (besides holding `appeal.file` in the rating's branch): the agent the rating is about, staff of
 * the rating's branch, and organization-wide holders who are not agents (team leads, managers acting for a
 * branch). Nobody decides an appeal they filed.
 */
import { and, count, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Actor, type Ctx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter, can } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { correctiveOnRatingWithdrawn } from '../corrective-actions/findings.js';
import { branches, staff } from '../org/schema.js';
import { requests } from '../requests/schema.js';
import * as C from './appeals-contracts.js';
import type { EvaluationRow } from './evaluation-hooks.js';
import { callbacks, evaluationAppeals, evaluations } from './schema.js';

type AppealRow = typeof evaluationAppeals.$inferSelect;

/** Verdicts of the verification callback that open the way to an appeal. */
export const APPEALABLE = ['mistaken', 'malicious'] as const;

function ratingResource(e: EvaluationRow) {
  return { orgId: e.orgId, branchId: e.branchId, entity: 'evaluation' };
}

/** Whether the actor may appeal this rating (permission, branch, and being concerned). Pure. */
export function mayFile(actor: Actor, e: Pick<EvaluationRow, 'orgId' | 'branchId' | 'agentId'>): boolean {
  if (actor.kind !== 'staff') return actor.kind === 'system';
  if (!can(actor, 'appeal.file', { orgId: e.orgId, branchId: e.branchId })) return false;
  return e.agentId === actor.id || (e.branchId !== null && actor.branchId === e.branchId) || (actor.scope === 'organization' && actor.role !== 'agent');
}

async function loadEvaluation(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<EvaluationRow> {
  const q = exec.select().from(evaluations).where(and(eq(evaluations.id, id), eq(evaluations.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row || !can(ctx.actor, 'evaluation.read', ratingResource(row))) throw new AppError('not_found', { entity: 'evaluation' });
  return row;
}

async function presentRatings(exec: Executor, rows: EvaluationRow[]): Promise<C.AppealedRating[]> {
  if (rows.length === 0) return [];
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((v): v is string => v !== null))];
  const staffIds = uniq(rows.map((r) => r.agentId));
  const branchIds = uniq(rows.map((r) => r.branchId));
  const requestIds = uniq(rows.map((r) => r.requestId));
  const [people, branchRows, reqs, verifications] = await Promise.all([
    staffIds.length ? exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, staffIds)) : [],
    branchIds.length ? exec.select({ id: branches.id, name: branches.name }).from(branches).where(inArray(branches.id, branchIds)) : [],
    requestIds.length ? exec.select({ id: requests.id, number: requests.number, subject: requests.subject }).from(requests).where(inArray(requests.id, requestIds)) : [],
    exec.select({ evaluationId: callbacks.evaluationId, remarks: callbacks.remarks }).from(callbacks).where(and(eq(callbacks.purpose, 'verify'), inArray(callbacks.evaluationId, rows.map((r) => r.id)))),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const branchNames = new Map(branchRows.map((b) => [b.id, b.name]));
  const reqById = new Map(reqs.map((r) => [r.id, r]));
  const remarks = new Map(verifications.map((v) => [v.evaluationId, v.remarks]));
  return rows.map((e) => ({
    id: e.id, source: e.source, level: e.level, comment: e.comment, at: e.at.toISOString(), verification: e.verification,
    appealState: (e.appealState as C.AppealState | null) ?? null, excluded: e.excluded,
    agent: e.agentId ? { id: e.agentId, name: names.get(e.agentId) ?? '?' } : null,
    branch: e.branchId ? { id: e.branchId, name: branchNames.get(e.branchId) ?? '?' } : null,
    request: e.requestId && reqById.has(e.requestId) ? reqById.get(e.requestId)! : null,
    verificationRemarks: remarks.get(e.id) ?? null,
  }));
}

async function presentAppeals(exec: Executor, rows: AppealRow[]): Promise<C.AppealView[]> {
  if (rows.length === 0) return [];
  const evals = await exec.select().from(evaluations).where(inArray(evaluations.id, rows.map((r) => r.evaluationId)));
  const ratings = new Map((await presentRatings(exec, evals)).map((r) => [r.id, r]));
  const staffIds = [...new Set(rows.flatMap((r) => [r.appellantId, r.decidedById]).filter((v): v is string => v !== null))];
  const people = await exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, staffIds));
  const names = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((a) => ({
    id: a.id, state: a.state as C.AppealState, reason: a.reason,
    appellant: { id: a.appellantId, name: names.get(a.appellantId) ?? '?' },
    decidedBy: a.decidedById ? { id: a.decidedById, name: names.get(a.decidedById) ?? '?' } : null,
    decision: a.decision, decidedAt: a.decidedAt?.toISOString() ?? null, rating: ratings.get(a.evaluationId)!, createdAt: a.createdAt.toISOString(),
  }));
}

function auditView(a: AppealRow) {
  return { evaluationId: a.evaluationId, appellantId: a.appellantId, reason: a.reason, state: a.state, decidedById: a.decidedById, decision: a.decision, decidedAt: a.decidedAt };
}

/** Files an appeal against a bad rating verified as mistaken or malicious. */
export async function fileAppeal(ctx: Ctx, evaluationId: string, input: unknown): Promise<C.AppealView> {
  authorize(ctx, 'appeal.file');
  const data = parse(C.AppealCreate, input);
  const row = await transact(ctx, async (t) => {
    const e = await loadEvaluation(t.tx, t, evaluationId, true);
    if (!mayFile(t.actor, e)) throw new AppError('forbidden', { action: 'appeal.file' });
    if (!(APPEALABLE as readonly (string | null)[]).includes(e.verification)) throw new AppError('appeal.not_allowed', { status: e.verification ?? 'none' });
    if (e.appealState === 'pending') throw new AppError('appeal.already_open');
    if (e.appealState) throw new AppError('appeal.already_decided', { status: e.appealState });
    const at = t.now();
    const appellantId = t.actor.kind === 'staff' ? t.actor.id : e.agentId;
    if (!appellantId) throw new AppError('forbidden', { action: 'appeal.file' });
    const [appeal] = await t.tx.insert(evaluationAppeals).values({ orgId: t.orgId, evaluationId: e.id, appellantId, reason: data.reason, state: 'pending', createdAt: at, updatedAt: at }).returning();
    await t.tx.update(evaluations).set({ appealState: 'pending', updatedAt: at }).where(eq(evaluations.id, e.id));
    await audit(t, { action: 'appeal.file', entityType: 'appeal', entityId: appeal!.id, after: auditView(appeal!) });
    await t.emit('appeal.filed', { entityType: 'appeal', entityId: appeal!.id, data: { appealId: appeal!.id, evaluationId: e.id, agentId: e.agentId, branchId: e.branchId } });
    return appeal!;
  });
  const [view] = await presentAppeals(ctx.app.database.db, [row]);
  return view!;
}

/** A supervisor upholds (the rating leaves the agent's figures, still listed) or rejects the appeal. */
export async function decideAppeal(ctx: Ctx, appealId: string, input: unknown): Promise<C.AppealView> {
  authorize(ctx, 'appeal.decide');
  const data = parse(C.AppealDecision, input);
  const row = await transact(ctx, async (t) => {
    const [current] = await t.tx.select().from(evaluationAppeals).where(and(eq(evaluationAppeals.id, appealId), eq(evaluationAppeals.orgId, t.orgId))).for('update');
    if (!current) throw new AppError('not_found', { entity: 'appeal' });
    const e = await loadEvaluation(t.tx, t, current.evaluationId, true);
    authorize(t, 'appeal.decide', ratingResource(e), 'evaluation.read');
    if (current.state !== 'pending') throw new AppError('appeal.not_pending', { status: current.state });
    if (t.actor.kind === 'staff' && current.appellantId === t.actor.id) throw new AppError('appeal.own_appeal');
    const at = t.now();
    const [decided] = await t.tx
      .update(evaluationAppeals)
      .set({ state: data.decision, decision: data.reason, decidedById: t.actor.kind === 'staff' ? t.actor.id : null, decidedAt: at, updatedAt: at })
      .where(eq(evaluationAppeals.id, appealId))
      .returning();
    const excluded = data.decision === 'upheld';
    await t.tx.update(evaluations).set({ appealState: data.decision, excluded, updatedAt: at }).where(eq(evaluations.id, e.id));
    await audit(t, { action: 'appeal.decide', entityType: 'appeal', entityId: appealId, before: auditView(current), after: auditView(decided!) });
    await audit(t, { action: 'evaluation.appeal_decided', entityType: 'evaluation', entityId: e.id, before: { appealState: e.appealState, excluded: e.excluded }, after: { appealState: data.decision, excluded } });
    if (excluded) await correctiveOnRatingWithdrawn(t, { ...e, excluded: true, appealState: 'upheld' });
    await t.emit('appeal.decided', { entityType: 'appeal', entityId: appealId, data: { appealId, evaluationId: e.id, decision: data.decision, agentId: e.agentId, branchId: e.branchId } });
    return decided!;
  });
  const [view] = await presentAppeals(ctx.app.database.db, [row]);
  return view!;
}

/**
 * Appeals in the reader's reach: deciders see every appeal of their branches; others the appeals they filed
 * and those about their own ratings.
 */
export async function listAppeals(ctx: Ctx, query: unknown): Promise<C.AppealPage> {
  authorize(ctx, 'evaluation.read');
  const q = parse(C.AppealListQuery, query);
  const conditions: SQL[] = [eq(evaluationAppeals.orgId, ctx.orgId)];
  if (q.state) conditions.push(eq(evaluationAppeals.state, q.state));
  const only = branchFilter(ctx.actor);
  if (only) conditions.push(eq(evaluations.branchId, only));
  if (!can(ctx.actor, 'appeal.decide')) {
    const me = ctx.actor.kind === 'staff' ? ctx.actor.id : null;
    if (!me) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    conditions.push(or(eq(evaluationAppeals.appellantId, me), eq(evaluations.agentId, me))!);
  }
  const where = and(...conditions);
  const db = ctx.app.database.db;
  const [rows, [total]] = await Promise.all([
    db.select({ appeal: evaluationAppeals }).from(evaluationAppeals).innerJoin(evaluations, eq(evaluations.id, evaluationAppeals.evaluationId)).where(where)
      .orderBy(sql`${evaluationAppeals.state} = 'pending' DESC`, desc(evaluationAppeals.createdAt), desc(evaluationAppeals.id))
      .limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(evaluationAppeals).innerJoin(evaluations, eq(evaluations.id, evaluationAppeals.evaluationId)).where(where),
  ]);
  return { items: await presentAppeals(db, rows.map((r) => r.appeal)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

/** Ratings the reader may appeal now (verified mistaken or malicious, never appealed), newest first. */
export async function appealCandidates(ctx: Ctx): Promise<C.AppealCandidates> {
  authorize(ctx, 'appeal.file');
  const actor = ctx.actor;
  const conditions: SQL[] = [eq(evaluations.orgId, ctx.orgId), inArray(evaluations.verification, [...APPEALABLE]), isNull(evaluations.appealState)];
  const only = branchFilter(actor);
  if (only) conditions.push(eq(evaluations.branchId, only));
  if (actor.kind === 'staff' && !(actor.scope === 'organization' && actor.role !== 'agent')) {
    conditions.push(or(eq(evaluations.agentId, actor.id), eq(evaluations.branchId, actor.branchId))!);
  }
  const db = ctx.app.database.db;
  const rows = await db.select().from(evaluations).where(and(...conditions)).orderBy(desc(evaluations.at)).limit(100);
  return { items: await presentRatings(db, rows.filter((e) => mayFile(actor, e))) };
}

/** The appeals of one rating, newest first (for the rating's page). */
export async function appealsOfEvaluation(ctx: Ctx, evaluationId: string): Promise<C.AppealView[]> {
  const db = ctx.app.database.db;
  await loadEvaluation(db, ctx, evaluationId);
  const rows = await db.select().from(evaluationAppeals).where(and(eq(evaluationAppeals.orgId, ctx.orgId), eq(evaluationAppeals.evaluationId, evaluationId))).orderBy(desc(evaluationAppeals.createdAt));
  return presentAppeals(db, rows);
}
