/**
 * Callbacks (回访): phone calls by the supervision group to customers of resolved requests.
 *
 * - **Sample** callbacks: at archive every complaint and x % of the rest are drawn (callback-settings.ts);
 *   supervisors may also sample a period on demand (preview, then create) or add one by hand. A request gets
 *   one sample callback at most. Reaching the customer records their rating as an evaluation with source
 *   `callback` (which counts in satisfaction with the callback weight).
 * - **Verify** callbacks (核实): every bad rating (不满意 or worse) gets one; while it is pending the rating does
 *   not count against the agent. The call records the verdict: confirmed, mistaken or malicious. A
 *   verification that reaches nobody after the configured attempts counts as *confirmed* by default and is
 *   shown as unverified (未核实) — a rating may not stay out of the figures just because nobody answered.
 *
 * Every callback belongs to the branch of its request; branch-scoped supervisors work their branch's queue.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Ctx, type TxCtx } from '../../core/context.js';
import { decrypt, maskPhone } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter, can, ROLE_PERMISSIONS, type Role } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { branches, customers, staff } from '../org/schema.js';
import type { RequestType } from '../requests/contracts.js';
import type { RequestRow } from '../requests/records.js';
import { requestMessages, requests } from '../requests/schema.js';
import type { RequestStep } from '../requests/step-hooks.js';
import { readCallbackSettings, samplingRuleOf } from './callback-settings.js';
import * as C from './callbacks-contracts.js';
import type { EvaluationRow } from './evaluation-hooks.js';
import { recordEvaluationTx } from './evaluations.js';
import { callbacks, evaluations } from './schema.js';

export type CallbackRow = typeof callbacks.$inferSelect;

/** On-demand sampling looks at one query's worth of archived requests. */
const MAX_SAMPLE_DAYS = 366;
const MAX_SAMPLE_REQUESTS = 20_000;

// ---------- creating callbacks ----------

function auditView(row: CallbackRow) {
  return {
    requestId: row.requestId, purpose: row.purpose, evaluationId: row.evaluationId, rule: row.rule, assigneeId: row.assigneeId, state: row.state,
    attempts: row.attempts, level: row.level, remarks: row.remarks, verdict: row.verdict, calledById: row.calledById, calledAt: row.calledAt, branchId: row.branchId,
  };
}

async function callbackEvent(t: TxCtx, type: string, row: CallbackRow, data: Record<string, unknown> = {}): Promise<void> {
  await t.emit(type, { entityType: 'callback', entityId: row.id, data: { callbackId: row.id, requestId: row.requestId, purpose: row.purpose, state: row.state, branchId: row.branchId, assigneeId: row.assigneeId, ...data } });
}

async function hasSampleCallback(exec: Executor, orgId: string, requestId: string): Promise<boolean> {
  const [row] = await exec.select({ id: callbacks.id }).from(callbacks).where(and(eq(callbacks.orgId, orgId), eq(callbacks.requestId, requestId), eq(callbacks.purpose, 'sample'))).limit(1);
  return row !== undefined;
}

/** A sample callback for the request, unless it has one already (null then). */
async function createSampleTx(t: TxCtx, request: Pick<RequestRow, 'id' | 'branchId'>, rule: C.CallbackRule, assigneeId: string | null = null): Promise<CallbackRow | null> {
  if (await hasSampleCallback(t.tx, t.orgId, request.id)) return null;
  const at = t.now();
  const [row] = await t.tx
    .insert(callbacks)
    .values({ orgId: t.orgId, requestId: request.id, purpose: 'sample', rule, assigneeId, state: 'pending', attempts: 0, branchId: request.branchId, createdAt: at, updatedAt: at })
    .returning();
  await audit(t, { action: 'callback.create', entityType: 'callback', entityId: row!.id, after: auditView(row!) });
  await callbackEvent(t, 'callback.created', row!, { rule });
  return row!;
}

/** A request there is a number to call for: its contact's phone, or its customer's. */
function reachableByPhone(): SQL {
  return sql`(${requests.contactPhoneEnc} IS NOT NULL OR EXISTS (SELECT 1 FROM ${customers} WHERE ${customers.id} = ${requests.customerId} AND ${customers.phoneEnc} IS NOT NULL))`;
}

/**
 * At archive: the request is sampled for a callback by the organization's rules (once per request). A callback
 * is a phone call, so a request with no number to call (a web form with an e-mail only) is not drawn.
 */
export async function callbacksAfterStep(t: TxCtx, step: RequestStep): Promise<void> {
  if (step.action !== 'archive') return;
  const settings = await readCallbackSettings(t.tx, t.orgId);
  const rule = samplingRuleOf(settings, { id: step.after.id, type: step.after.type as RequestType });
  if (!rule) return;
  const [reachable] = await t.tx.select({ id: requests.id }).from(requests).where(and(eq(requests.id, step.after.id), reachableByPhone()));
  if (reachable) await createSampleTx(t, step.after, rule);
}

/**
 * A bad rating gets its verification callback (核实) and waits for it (verification `pending`: it does not
 * count against the agent meanwhile). A bad rating given on a callback was heard on a real-name call by the
 * supervision group already: it is confirmed at once. A rating of no request (a campaign's) rates no agent and
 * is not verified.
 */
export async function verificationOnBadRating(t: TxCtx, evaluation: EvaluationRow): Promise<void> {
  const at = t.now();
  if (evaluation.source === 'callback') {
    await t.tx.update(evaluations).set({ verification: 'confirmed', updatedAt: at }).where(eq(evaluations.id, evaluation.id));
    return;
  }
  if (!evaluation.requestId) return;
  let branchId = evaluation.branchId;
  if (!branchId) {
    const [r] = await t.tx.select({ branchId: requests.branchId }).from(requests).where(eq(requests.id, evaluation.requestId));
    branchId = r?.branchId ?? null;
  }
  const [row] = await t.tx
    .insert(callbacks)
    .values({ orgId: t.orgId, requestId: evaluation.requestId, purpose: 'verify', evaluationId: evaluation.id, state: 'pending', attempts: 0, branchId, createdAt: at, updatedAt: at })
    .onConflictDoNothing()
    .returning();
  if (!row) return;
  await t.tx.update(evaluations).set({ verification: 'pending', updatedAt: at }).where(eq(evaluations.id, evaluation.id));
  await audit(t, { action: 'callback.create', entityType: 'callback', entityId: row.id, after: auditView(row) });
  await callbackEvent(t, 'callback.created', row, { evaluationId: evaluation.id });
}

// ---------- reading ----------

async function loadCallback(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<CallbackRow> {
  const q = exec.select().from(callbacks).where(and(eq(callbacks.id, id), eq(callbacks.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'callback' });
  return row;
}

function resourceOf(row: CallbackRow) {
  return { orgId: row.orgId, branchId: row.branchId, entity: 'callback' };
}

async function presentCallbacks(exec: Executor, ctx: Ctx, rows: CallbackRow[]): Promise<C.CallbackView[]> {
  if (rows.length === 0) return [];
  const settings = await readCallbackSettings(exec, ctx.orgId);
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((v): v is string => v !== null))];
  const requestIds = uniq(rows.map((r) => r.requestId));
  const evalIds = uniq(rows.map((r) => r.evaluationId));
  const callbackIds = rows.map((r) => r.id);
  const [reqs, evals, recorded] = await Promise.all([
    exec.select({ id: requests.id, number: requests.number, subject: requests.subject, type: requests.type, channel: requests.channel, state: requests.state, assigneeId: requests.assigneeId }).from(requests).where(inArray(requests.id, requestIds)),
    evalIds.length ? exec.select().from(evaluations).where(inArray(evaluations.id, evalIds)) : [],
    exec.select({ id: evaluations.id, callbackId: evaluations.callbackId }).from(evaluations).where(and(eq(evaluations.orgId, ctx.orgId), inArray(evaluations.callbackId, callbackIds))),
  ]);
  const staffIds = uniq([...rows.flatMap((r) => [r.assigneeId, r.calledById]), ...reqs.map((r) => r.assigneeId), ...evals.map((e) => e.agentId)]);
  const branchIds = uniq(rows.map((r) => r.branchId));
  const [people, branchRows] = await Promise.all([
    staffIds.length ? exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, staffIds)) : [],
    branchIds.length ? exec.select({ id: branches.id, name: branches.name }).from(branches).where(inArray(branches.id, branchIds)) : [],
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? '?' } : null);
  const branchNames = new Map(branchRows.map((b) => [b.id, b.name]));
  const reqById = new Map(reqs.map((r) => [r.id, r]));
  const evalById = new Map(evals.map((e) => [e.id, e]));
  const recordedBy = new Map(recorded.map((e) => [e.callbackId, e.id]));
  return rows.map((row) => {
    const r = reqById.get(row.requestId);
    const e = row.evaluationId ? evalById.get(row.evaluationId) : undefined;
    return {
      id: row.id, purpose: row.purpose as C.CallbackPurpose, rule: (row.rule as C.CallbackRule | null) ?? null, state: row.state as C.CallbackState,
      attempts: row.attempts, maxAttempts: settings.maxAttempts, level: row.level, remarks: row.remarks, verdict: (row.verdict as C.Verdict | null) ?? null,
      unverified: row.purpose === 'verify' && row.state === 'unreachable',
      request: { id: row.requestId, number: r?.number ?? '?', subject: r?.subject ?? '', type: (r?.type ?? 'consultation') as RequestType, channel: r?.channel ?? '', state: r?.state ?? '', agent: ref(r?.assigneeId ?? null) },
      evaluation: e
        ? { id: e.id, source: e.source, level: e.level, comment: e.comment, at: e.at.toISOString(), verification: e.verification, appealState: e.appealState, excluded: e.excluded, agent: ref(e.agentId) }
        : null,
      recordedEvaluationId: recordedBy.get(row.id) ?? null,
      assignee: ref(row.assigneeId), calledBy: ref(row.calledById), calledAt: row.calledAt?.toISOString() ?? null,
      branch: row.branchId ? { id: row.branchId, name: branchNames.get(row.branchId) ?? '?' } : null,
      createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
    };
  });
}

async function detailOf(exec: Executor, ctx: Ctx, row: CallbackRow): Promise<C.CallbackDetail> {
  const [view] = await presentCallbacks(exec, ctx, [row]);
  const [request] = await exec.select().from(requests).where(eq(requests.id, row.requestId));
  if (!request) throw new AppError('not_found', { entity: 'request' });
  let name = request.contactName;
  let phoneEnc = request.contactPhoneEnc;
  if (request.customerId) {
    const [c] = await exec.select({ name: customers.name, phoneEnc: customers.phoneEnc }).from(customers).where(eq(customers.id, request.customerId));
    name ??= c?.name ?? null;
    phoneEnc ??= c?.phoneEnc ?? null;
  }
  const phone = phoneEnc ? decrypt(ctx.app.keys, phoneEnc) : null;
  const [reply] = await exec
    .select({ body: requestMessages.body })
    .from(requestMessages)
    .where(and(eq(requestMessages.requestId, request.id), eq(requestMessages.kind, 'reply')))
    .orderBy(desc(requestMessages.createdAt))
    .limit(1);
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
  return {
    ...view!,
    contact: { name, phone: phone === null ? null : can(ctx.actor, 'pii:read') ? phone : maskPhone(phone), email: request.contactEmail },
    summary: { description: clip(request.description, 1000), result: reply ? clip(reply.body, 1000) : null, registeredAt: request.createdAt.toISOString(), resolvedAt: request.resolvedAt?.toISOString() ?? null },
  };
}

/** The queue: pending oldest first; otherwise most recently changed first. */
export async function listCallbacks(ctx: Ctx, query: unknown): Promise<C.CallbackPage> {
  authorize(ctx, 'callback.manage');
  const q = parse(C.CallbackListQuery, query);
  const conditions: SQL[] = [eq(callbacks.orgId, ctx.orgId)];
  const only = branchFilter(ctx.actor);
  if (only) conditions.push(eq(callbacks.branchId, only));
  if (q.branchId) conditions.push(eq(callbacks.branchId, q.branchId));
  if (q.state?.length) conditions.push(inArray(callbacks.state, q.state));
  if (q.purpose) conditions.push(eq(callbacks.purpose, q.purpose));
  if (q.assigneeId) conditions.push(eq(callbacks.assigneeId, q.assigneeId));
  if (q.unassigned === true) conditions.push(isNull(callbacks.assigneeId));
  if (q.requestType) conditions.push(sql`${callbacks.requestId} IN (SELECT id FROM ${requests} WHERE ${requests.orgId} = ${ctx.orgId} AND ${requests.type} = ${q.requestType})`);
  const where = and(...conditions);
  const pendingOnly = q.state?.length === 1 && q.state[0] === 'pending';
  const db = ctx.app.database.db;
  const [rows, [total]] = await Promise.all([
    db.select().from(callbacks).where(where)
      .orderBy(...(pendingOnly ? [asc(callbacks.createdAt), asc(callbacks.id)] : [desc(callbacks.updatedAt), desc(callbacks.id)]))
      .limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(callbacks).where(where),
  ]);
  return { items: await presentCallbacks(db, ctx, rows), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

/** One callback with the customer's contact (masked unless pii:read) and the request's summary. */
export async function getCallback(ctx: Ctx, id: string): Promise<C.CallbackDetail> {
  const db = ctx.app.database.db;
  const row = await loadCallback(db, ctx, id);
  authorize(ctx, 'callback.manage', resourceOf(row));
  return detailOf(db, ctx, row);
}

// ---------- working the queue ----------

function assertPending(row: CallbackRow): void {
  if (row.state !== 'pending') throw new AppError('callback.not_pending', { status: row.state });
}

/** The assignee must be active staff whose role works callbacks and who reaches the callback's branch. */
async function requireCaller(exec: Executor, orgId: string, staffId: string, branchId: string | null): Promise<void> {
  const [s] = await exec.select().from(staff).where(and(eq(staff.id, staffId), eq(staff.orgId, orgId)));
  const fits = s && s.active && ROLE_PERMISSIONS[s.role as Role].has('callback.manage') && (s.scope === 'organization' || branchId === null || s.branchId === branchId);
  if (!fits) throw new AppError('callback.assignee_invalid', {}, { field: 'assigneeId' });
}

/** Assigns the callback to a supervisor (or nobody). */
export async function assignCallback(ctx: Ctx, id: string, input: unknown): Promise<C.CallbackDetail> {
  const data = parse(C.CallbackAssign, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadCallback(t.tx, t, id, true);
    authorize(t, 'callback.manage', resourceOf(current));
    assertPending(current);
    if (data.assigneeId) await requireCaller(t.tx, t.orgId, data.assigneeId, current.branchId);
    const [updated] = await t.tx.update(callbacks).set({ assigneeId: data.assigneeId, updatedAt: t.now() }).where(eq(callbacks.id, id)).returning();
    await audit(t, { action: 'callback.assign', entityType: 'callback', entityId: id, before: auditView(current), after: auditView(updated!) });
    await callbackEvent(t, 'callback.assigned', updated!);
    return updated!;
  });
  return detailOf(ctx.app.database.db, ctx, row);
}

/** The verdict of a verification written onto the rating (and, when decided by default, marked so). */
async function setVerification(t: TxCtx, evaluationId: string | null, verdict: C.Verdict): Promise<void> {
  if (!evaluationId) return;
  const [before] = await t.tx.select({ verification: evaluations.verification }).from(evaluations).where(eq(evaluations.id, evaluationId)).for('update');
  await t.tx.update(evaluations).set({ verification: verdict, updatedAt: t.now() }).where(eq(evaluations.id, evaluationId));
  await audit(t, { action: 'evaluation.verify', entityType: 'evaluation', entityId: evaluationId, before: { verification: before?.verification ?? null }, after: { verification: verdict } });
  await t.emit('evaluation.verified', { entityType: 'evaluation', entityId: evaluationId, data: { verification: verdict } });
}

/**
 * Records a call. Not reached: one attempt more; at the configured number the callback is unreachable (a
 * verification then counts as confirmed, unverified). Reached: a sample callback records the customer's
 * rating (source callback); a verification records its verdict on the rating.
 */
export async function performCallback(ctx: Ctx, id: string, input: unknown): Promise<C.CallbackDetail> {
  const data = parse(C.CallbackPerform, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadCallback(t.tx, t, id, true);
    authorize(t, 'callback.manage', resourceOf(current));
    assertPending(current);
    const at = t.now();
    const base = { calledById: actorId(t.actor), calledAt: at, remarks: data.remarks ?? null, updatedAt: at };
    let changes: Partial<CallbackRow>;
    if (data.outcome === 'not_reached') {
      const { maxAttempts } = await readCallbackSettings(t.tx, t.orgId);
      const attempts = current.attempts + 1;
      const unreachable = attempts >= maxAttempts;
      changes = { ...base, attempts, state: unreachable ? 'unreachable' : 'pending', ...(unreachable && current.purpose === 'verify' ? { verdict: 'confirmed' } : {}) };
      if (unreachable && current.purpose === 'verify') await setVerification(t, current.evaluationId, 'confirmed');
    } else if (current.purpose === 'sample') {
      if (data.level === undefined) throw new AppError('callback.level_required', {}, { field: 'level' });
      if (data.verdict !== undefined) throw new AppError('validation_failed', { summary: 'verdict: only for verification callbacks' }, { field: 'verdict' });
      changes = { ...base, attempts: current.attempts + 1, state: 'done', level: data.level };
    } else {
      if (data.verdict === undefined) throw new AppError('callback.verdict_required', {}, { field: 'verdict' });
      changes = { ...base, attempts: current.attempts + 1, state: 'done', verdict: data.verdict, level: data.level ?? null };
      await setVerification(t, current.evaluationId, data.verdict);
    }
    const [updated] = await t.tx.update(callbacks).set(changes).where(eq(callbacks.id, id)).returning();
    await audit(t, { action: 'callback.perform', entityType: 'callback', entityId: id, before: auditView(current), after: auditView(updated!) });
    await callbackEvent(t, 'callback.performed', updated!, { outcome: data.outcome });
    if (data.outcome === 'reached' && current.purpose === 'sample') {
      await recordEvaluationTx(t, { source: 'callback', requestId: current.requestId, callbackId: current.id, level: data.level!, comment: data.remarks ?? null, at });
    }
    return updated!;
  });
  return detailOf(ctx.app.database.db, ctx, row);
}

/** Adds a sample callback by hand for one resolved request (one per request). */
export async function createCallback(ctx: Ctx, input: unknown): Promise<C.CallbackDetail> {
  const data = parse(C.CallbackCreate, input);
  authorize(ctx, 'callback.manage');
  const row = await transact(ctx, async (t) => {
    const [request] = await t.tx.select().from(requests).where(and(eq(requests.id, data.requestId), eq(requests.orgId, t.orgId))).for('update');
    if (!request) throw new AppError('not_found', { entity: 'request' });
    authorize(t, 'callback.manage', { orgId: request.orgId, branchId: request.branchId, entity: 'request' }, 'request.read');
    if (request.state !== 'feedback' && request.state !== 'archived') throw new AppError('callback.request_not_resolved', { status: request.state });
    if (data.assigneeId) await requireCaller(t.tx, t.orgId, data.assigneeId, request.branchId);
    const created = await createSampleTx(t, request, 'manual', data.assigneeId ?? null);
    if (!created) throw new AppError('callback.duplicate', { number: request.number });
    return created;
  });
  return detailOf(ctx.app.database.db, ctx, row);
}

// ---------- sampling on demand ----------

interface Drawn extends C.SampleDrawn {
  branchId: string;
}

async function drawPeriod(exec: Executor, ctx: Ctx, input: unknown): Promise<{ seed: string; considered: number; drawn: Drawn[] }> {
  authorize(ctx, 'callback.manage');
  const q = parse(C.SampleRun, input);
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (from >= to || to.getTime() - from.getTime() > MAX_SAMPLE_DAYS * 86_400_000) {
    throw new AppError('validation_failed', { summary: `from < to, at most ${MAX_SAMPLE_DAYS} days` }, { field: 'from' });
  }
  const settings = await readCallbackSettings(exec, ctx.orgId);
  const rules = { allComplaints: q.allComplaints ?? settings.allComplaints, percent: q.percent ?? settings.percent, percentByType: q.percent === undefined ? settings.percentByType : {}, seed: q.seed ?? settings.seed };
  const conditions: SQL[] = [eq(requests.orgId, ctx.orgId), eq(requests.state, 'archived'), gte(requests.archivedAt, from), lt(requests.archivedAt, to), reachableByPhone()];
  const only = branchFilter(ctx.actor) ?? q.branchId ?? null;
  if (only) conditions.push(eq(requests.branchId, only));
  if (q.requestTypes?.length) conditions.push(inArray(requests.type, q.requestTypes));
  const rows = await exec
    .select({ id: requests.id, number: requests.number, subject: requests.subject, type: requests.type, branchId: requests.branchId })
    .from(requests)
    .where(and(...conditions))
    .orderBy(asc(requests.archivedAt), asc(requests.id))
    .limit(MAX_SAMPLE_REQUESTS + 1);
  if (rows.length > MAX_SAMPLE_REQUESTS) throw new AppError('validation_failed', { summary: `more than ${MAX_SAMPLE_REQUESTS} requests: choose a shorter period` }, { field: 'to' });
  const hits = rows.flatMap((r) => {
    const rule = samplingRuleOf(rules, { id: r.id, type: r.type as RequestType });
    return rule ? [{ ...r, rule }] : [];
  });
  const sampled = new Set<string>();
  for (let i = 0; i < hits.length; i += 1000) {
    const ids = hits.slice(i, i + 1000).map((h) => h.id);
    const found = await exec.select({ requestId: callbacks.requestId }).from(callbacks).where(and(eq(callbacks.orgId, ctx.orgId), eq(callbacks.purpose, 'sample'), inArray(callbacks.requestId, ids)));
    for (const f of found) sampled.add(f.requestId);
  }
  const drawn: Drawn[] = hits.map((r) => ({ requestId: r.id, number: r.number, subject: r.subject, type: r.type as RequestType, rule: r.rule, alreadySampled: sampled.has(r.id), branchId: r.branchId }));
  return { seed: rules.seed, considered: rows.length, drawn };
}

/** What sampling the period would draw (nothing is written). */
export async function previewSample(ctx: Ctx, input: unknown): Promise<C.SamplePreview> {
  const { seed, considered, drawn } = await drawPeriod(ctx.app.database.db, ctx, input);
  return { seed, considered, drawn: drawn.map(({ branchId: _b, ...d }) => d) };
}

/** Samples the period: a callback for every request drawn that has none yet. The same input draws the same requests. */
export async function runSample(ctx: Ctx, input: unknown): Promise<C.SampleResult> {
  return transact(ctx, async (t) => {
    const { seed, considered, drawn } = await drawPeriod(t.tx, t, input);
    let created = 0;
    for (const d of drawn) if (await createSampleTx(t, { id: d.requestId, branchId: d.branchId }, d.rule)) created++;
    const result = { seed, considered, created, skipped: drawn.length - created };
    await audit(t, { action: 'callback.sample_run', entityType: 'callback_sample', entityId: null, after: { ...result, input: parse(C.SampleRun, input) } });
    return result;
  });
}
