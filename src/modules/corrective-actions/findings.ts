/**
 * Findings that raise corrective actions, each in the transaction of what found it:
 * - a bad rating (不满意 or worse, not a default): evaluation-hooks.ts calls {@link correctiveOnBadRating};
 * - a breached request clock: the clock watcher calls {@link correctiveAfterClockTx} (which also marks a
 *   corrective action's own clock overdue);
 * - an upheld complaint: {@link complaintVerdict} (POST /requests/:id/complaint-verdict);
 * - a cluster: the same category drawing ≥ N complaints within the window raises one action linking them
 *   ({@link clusterTx}, checked when a complaint is classified and when one is upheld);
 * - inspections and manual findings come through the API (service.ts `createAction`).
 */
import { and, eq, gt, lte, ne, notInArray, sql } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Ctx, type TxCtx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../core/i18n.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import type { clocks } from '../clocks/schema.js';
import { localTime } from '../notifications/messages.js';
import { organizations } from '../org/schema.js';
import { loadRequest, resource, type RequestRow } from '../requests/records.js';
import { requestCategories, requestEvents, requests } from '../requests/schema.js';
import { detectCluster } from './cluster.js';
import { findingText } from './finding-text.js';
import * as C from './contracts.js';
import { correctiveActionRequests, correctiveActions } from './schema.js';
import { actionsOfRequest, applyStep, correctiveSettingsOf, linkRequestsTx, noteFindingTx, raiseFindingTx, SUBJECT, type ActionRow } from './service.js';
import { BAD_LEVEL, type EvaluationRow } from '../evaluations/evaluation-hooks.js';
import { evaluations } from '../evaluations/schema.js';

type ClockRow = typeof clocks.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organization's default language and time zone (findings are written in them). */
async function orgOf(t: TxCtx): Promise<{ locale: Locale; timeZone: string }> {
  const [org] = await t.tx.select({ timeZone: organizations.timeZone, locale: organizations.defaultLocale }).from(organizations).where(eq(organizations.id, t.orgId));
  return { locale: isLocale(org?.locale) ? org.locale : DEFAULT_LOCALE, timeZone: org?.timeZone ?? 'Asia/Shanghai' };
}

/** A bad rating raises an action for its request (one per request: a callback confirming a bad survey joins it). */
export async function correctiveOnBadRating(t: TxCtx, evaluation: EvaluationRow): Promise<void> {
  const settings = await correctiveSettingsOf(t.tx, t.orgId);
  if (!settings.onBadRating) return;
  const text = findingText((await orgOf(t)).locale, { kind: 'bad_rating', level: evaluation.level, source: evaluation.source, comment: evaluation.comment });
  const key = evaluation.requestId ? `bad_rating:${evaluation.requestId}` : `bad_rating:evaluation:${evaluation.id}`;
  const { row, created } = await raiseFindingTx(t, {
    source: 'bad_rating', sourceKey: key, sourceRef: { evaluationId: evaluation.id, level: evaluation.level, evaluationSource: evaluation.source },
    requestId: evaluation.requestId, finding: text, agentId: evaluation.agentId, teamId: evaluation.teamId, branchId: evaluation.branchId,
  });
  if (!created) await noteFindingTx(t, row, 'finding', text, { evaluationId: evaluation.id, level: evaluation.level });
}

/**
 * An upheld appeal took a bad rating out of the figures: the action it raised is cancelled, unless another bad
 * rating of the same request still counts (then the finding stands) or the action is already closed.
 */
export async function correctiveOnRatingWithdrawn(t: TxCtx, evaluation: EvaluationRow): Promise<void> {
  const key = evaluation.requestId ? `bad_rating:${evaluation.requestId}` : `bad_rating:evaluation:${evaluation.id}`;
  const [action] = await t.tx.select().from(correctiveActions).where(and(eq(correctiveActions.orgId, t.orgId), eq(correctiveActions.sourceKey, key))).for('update');
  if (!action || action.state === 'closed' || action.state === 'cancelled') return;
  if (evaluation.requestId) {
    const [other] = await t.tx
      .select({ id: evaluations.id })
      .from(evaluations)
      .where(and(eq(evaluations.orgId, t.orgId), eq(evaluations.requestId, evaluation.requestId), ne(evaluations.id, evaluation.id), lte(evaluations.level, BAD_LEVEL), ne(evaluations.source, 'default'), eq(evaluations.excluded, false)))
      .limit(1);
    if (other) return;
  }
  await applyStep(t, action, 'cancel', `申诉成立，差评不计入（appeal upheld: the rating no longer counts）`);
}

/** Does this breached request clock raise an action under the settings? Pure. */
export function breachRaises(settings: C.CorrectiveSettings, request: { type: string }, clockKind: string): boolean {
  if (!settings.onBreach.enabled) return false;
  return (settings.onBreach.allComplaintClocks && request.type === 'complaint') || settings.onBreach.kinds.includes(clockKind);
}

/**
 * The clock watcher's hook, in the transaction that records a warning or breach: a breached request clock
 * raises an action (one per request; further breaches join its timeline); a corrective action's own clock
 * breaching marks the action overdue (its notifications are written by notifyClockTx).
 */
export async function correctiveAfterClockTx(watcher: TxCtx, clock: Pick<ClockRow, 'id' | 'subjectType' | 'subjectId' | 'kind' | 'label' | 'dueAt'>, event: 'warning' | 'breached'): Promise<void> {
  // Clocks of other records, or of ids that are not ours (subject ids are free text), are not looked up.
  if (event !== 'breached' || !UUID.test(clock.subjectId)) return;
  // The watcher's transaction spans organizations: events written here belong to the clock's organization.
  const t: TxCtx = { ...watcher, emit: (type, e = {}) => watcher.emit(type, { ...e, orgId: e.orgId ?? watcher.orgId }) };
  if (clock.subjectType === SUBJECT) {
    const at = t.now();
    const [action] = await t.tx
      .update(correctiveActions)
      .set({ overdueAt: at, updatedAt: at })
      .where(and(eq(correctiveActions.id, clock.subjectId), eq(correctiveActions.orgId, t.orgId), notInArray(correctiveActions.state, ['closed', 'cancelled'])))
      .returning();
    if (!action) return;
    await noteFindingTx(t, action, 'overdue', null, { dueAt: action.dueAt.toISOString(), clockId: clock.id });
    await audit(t, { action: 'corrective_action.overdue', entityType: 'corrective_action', entityId: action.id, after: { overdueAt: at, dueAt: action.dueAt } });
    await t.emit('corrective_action.overdue', { entityType: 'corrective_action', entityId: action.id, data: { number: action.number, ownerId: action.ownerId, dueAt: action.dueAt.toISOString() } });
    return;
  }
  if (clock.subjectType !== 'request') return;
  const [request] = await t.tx.select().from(requests).where(and(eq(requests.id, clock.subjectId), eq(requests.orgId, t.orgId)));
  if (!request || request.state === 'merged') return;
  const settings = await correctiveSettingsOf(t.tx, t.orgId);
  if (!breachRaises(settings, request, clock.kind)) return;
  const org = await orgOf(t);
  const text = findingText(org.locale, { kind: 'breach', number: request.number, clock: clock.label ?? clock.kind, dueLocal: localTime(clock.dueAt.toISOString(), org.timeZone) });
  const { row, created } = await raiseFindingTx(t, {
    source: 'breach', sourceKey: `breach:${request.id}`, sourceRef: { clockId: clock.id, clockKind: clock.kind, dueAt: clock.dueAt.toISOString() }, requestId: request.id, finding: text,
  });
  if (!created) await noteFindingTx(t, row, 'finding', text, { clockId: clock.id, clockKind: clock.kind });
}

/**
 * Cluster findings: a complaint in a category that already has an open cluster action is linked to it; else,
 * if the category drew ≥ threshold complaints within the window ending now, one cluster action is raised
 * linking them all. Returns the cluster action the request now belongs to, or null.
 */
export async function clusterTx(t: TxCtx, request: RequestRow): Promise<ActionRow | null> {
  if (request.type !== 'complaint' || !request.categoryId) return null;
  const settings = await correctiveSettingsOf(t.tx, t.orgId);
  if (!settings.cluster.enabled) return null;
  const [open] = await t.tx
    .select()
    .from(correctiveActions)
    .where(
      and(
        eq(correctiveActions.orgId, t.orgId), eq(correctiveActions.source, 'cluster'), sql`${correctiveActions.sourceRef}->>'categoryId' = ${request.categoryId}`,
        notInArray(correctiveActions.state, ['closed', 'cancelled']),
      ),
    )
    .limit(1);
  if (open) {
    const [already] = await t.tx
      .select({ id: correctiveActionRequests.requestId })
      .from(correctiveActionRequests)
      .where(and(eq(correctiveActionRequests.actionId, open.id), eq(correctiveActionRequests.requestId, request.id)));
    if (!already) {
      await linkRequestsTx(t, open.id, [request.id]);
      await noteFindingTx(t, open, 'linked', request.number, { requestId: request.id });
    }
    return open;
  }
  const at = t.now();
  const from = new Date(at.getTime() - settings.cluster.windowDays * 86_400_000);
  const candidates = await t.tx
    .select({ id: requests.id, at: requests.createdAt, branchId: requests.branchId })
    .from(requests)
    .where(and(eq(requests.orgId, t.orgId), eq(requests.type, 'complaint'), eq(requests.categoryId, request.categoryId), ne(requests.state, 'merged'), gt(requests.createdAt, from), lte(requests.createdAt, at)));
  const found = detectCluster(candidates, at, settings.cluster);
  if (!found) return null;
  const [category] = await t.tx.select({ name: requestCategories.name }).from(requestCategories).where(eq(requestCategories.id, request.categoryId));
  const name = category?.name ?? '—';
  const branchIds = new Set(candidates.filter((c) => found.some((f) => f.id === c.id)).map((c) => c.branchId));
  const { row } = await raiseFindingTx(t, {
    source: 'cluster', sourceKey: `cluster:${request.categoryId}:${request.id}`,
    sourceRef: { categoryId: request.categoryId, categoryName: name, from: from.toISOString(), to: at.toISOString(), count: found.length, windowDays: settings.cluster.windowDays },
    finding: findingText((await orgOf(t)).locale, { kind: 'cluster', category: name, windowDays: settings.cluster.windowDays, count: found.length }),
    // A cluster within one branch belongs to it (its manager owns it); across branches it is the organization's.
    branchId: branchIds.size === 1 ? [...branchIds][0]! : null, requestIds: found.map((f) => f.id),
  });
  return row;
}

/** An upheld complaint: joins (or raises) its category's cluster, else raises its own action. */
export async function complaintFindingTx(t: TxCtx, request: RequestRow, note: string): Promise<ActionRow | null> {
  const settings = await correctiveSettingsOf(t.tx, t.orgId);
  if (!settings.onUpheldComplaint) return null;
  const cluster = await clusterTx(t, request);
  if (cluster) return cluster;
  const { row } = await raiseFindingTx(t, {
    source: 'complaint', sourceKey: `complaint:${request.id}`, sourceRef: { note }, requestId: request.id, finding: findingText((await orgOf(t)).locale, { kind: 'complaint', subject: request.subject, note }),
  });
  return row;
}

/** The complaint verdict (投诉是否属实), by whoever handles the request; an upheld complaint raises an action. */
export async function complaintVerdict(ctx: Ctx, requestId: string, input: unknown): Promise<C.ComplaintVerdictView> {
  const data = parse(C.ComplaintVerdict, input);
  await transact(ctx, async (t) => {
    const request = await loadRequest(t.tx, t, requestId, true);
    authorize(t, 'request.handle', resource(request), 'request.read');
    if (request.type !== 'complaint') throw new AppError('corrective.not_complaint');
    if (request.state === 'merged') throw new AppError('request.closed', { status: request.state });
    const at = t.now();
    const [updated] = await t.tx.update(requests).set({ complaintUpheld: data.upheld, updatedAt: at }).where(eq(requests.id, request.id)).returning();
    await t.tx.insert(requestEvents).values({
      orgId: t.orgId, requestId: request.id, kind: 'complaint_verdict', reason: data.note, data: { upheld: data.upheld }, actorType: t.actor.kind, actorId: actorId(t.actor), actorName: t.actor.name, at,
    });
    await audit(t, { action: 'request.complaint_verdict', entityType: 'request', entityId: request.id, before: { complaintUpheld: request.complaintUpheld }, after: { complaintUpheld: data.upheld, note: data.note } });
    await t.emit('request.complaint_verdict', { entityType: 'request', entityId: request.id, data: { upheld: data.upheld } });
    if (data.upheld) await complaintFindingTx(t, updated!, data.note);
  });
  const db = ctx.app.database.db;
  const [row] = await db.select({ upheld: requests.complaintUpheld }).from(requests).where(eq(requests.id, requestId));
  return { requestId, complaintUpheld: row?.upheld ?? null, actions: await actionsOfRequest(db, ctx, requestId) };
}

/** The actions of a request for its page (request.read on the request, corrective.read on each action). */
export async function requestActions(ctx: Ctx, requestId: string): Promise<C.ComplaintVerdictView> {
  const db = ctx.app.database.db;
  const request = await loadRequest(db, ctx, requestId);
  authorize(ctx, 'request.read', resource(request), 'request.read');
  authorize(ctx, 'corrective.read');
  return { requestId, complaintUpheld: request.complaintUpheld, actions: await actionsOfRequest(db, ctx, requestId) };
}

