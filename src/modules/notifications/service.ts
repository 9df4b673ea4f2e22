/**
 * Staff notifications (通知): a clock's warning or breach, an escalation, an assignment, an @mention.
 *
 * Exactly once, by construction: notification rows are written inside the transaction of the change that
 * causes them — the request services call the `notify…Tx` functions, the clock watcher calls
 * {@link notifyClockTx} in the transaction that records the warning or breach (and that transaction claims the
 * clock with FOR UPDATE SKIP LOCKED, so one watcher on one node records it). Event subscribers run after the
 * commit on every node, so creating rows there would need a dedupe key per cause; in the writer's
 * transaction a rollback takes the notifications away too and nothing can write them twice.
 *
 * Rows wait until their `deliverAt` (now, or the start of the recipient's duty); the dispatcher
 * (src/jobs/notification-dispatcher.ts) then shows them live and e-mails them through the outbox.
 */
import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { actorId, transact, type Ctx, type TxCtx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { calendars } from '../calendars/schema.js';
import { compiledOf } from '../calendars/service.js';
import type { CompiledCalendar } from '../calendars/calendar.js';
import type { clocks } from '../clocks/schema.js';
import { correctiveActions } from '../corrective-actions/schema.js';
import { publicFeedback } from '../evaluations/schema.js';
import { staff, teamMembers, teams } from '../org/schema.js';
import type { RequestRow } from '../requests/records.js';
import { notifications, requestSettings, requests } from '../requests/schema.js';
import { parse } from '../../core/validate.js';
import * as C from './contracts.js';
import type { NotificationParams } from './messages.js';
import { DEFAULT_CHAIN, deliveryInstant, isUrgent, normalizeChain, resolveLadder, type NotificationKind, type NotifyChain, type Occasion, type Person } from './recipients.js';

export type NotificationRow = typeof notifications.$inferSelect;
type ClockRow = typeof clocks.$inferSelect;

/** The event that tells dispatchers (on every node, through NOTIFY) that notifications are due at `data.at`. */
export const SCHEDULED_EVENT = 'notifications.scheduled';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

async function chainOf(t: TxCtx): Promise<NotifyChain> {
  const [row] = await t.tx.select({ chain: requestSettings.notifyChain }).from(requestSettings).where(eq(requestSettings.orgId, t.orgId));
  return row ? normalizeChain(row.chain) : DEFAULT_CHAIN;
}

type PersonRow = Person & { dutyCalendarId: string | null };

/** The people who may be named: these ids, and everyone of the roles the chain names by role. */
async function peopleFor(t: TxCtx, ids: readonly string[], roles: readonly string[]): Promise<PersonRow[]> {
  const wanted = [...new Set(ids)];
  const named: SQL[] = [];
  if (wanted.length > 0) named.push(inArray(staff.id, wanted));
  if (roles.length > 0) named.push(inArray(staff.role, [...roles]));
  if (named.length === 0) return [];
  return t.tx
    .select({ id: staff.id, role: staff.role, scope: staff.scope, branchId: staff.branchId, active: staff.active, dutyCalendarId: staff.dutyCalendarId })
    .from(staff)
    .where(and(eq(staff.orgId, t.orgId), or(...named)))
    .orderBy(staff.id);
}

/** Each person's duty calendar: their own, else the organization's default (none: always on duty). */
async function dutyCalendars(t: TxCtx, people: readonly PersonRow[]): Promise<Map<string, CompiledCalendar | null>> {
  const own = [...new Set(people.map((p) => p.dutyCalendarId).filter((id): id is string => id !== null))];
  const rows = await t.tx
    .select()
    .from(calendars)
    .where(and(eq(calendars.orgId, t.orgId), own.length > 0 ? or(eq(calendars.isDefault, true), inArray(calendars.id, own)) : eq(calendars.isDefault, true)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const fallback = rows.find((r) => r.isDefault) ?? null;
  const out = new Map<string, CompiledCalendar | null>();
  for (const p of people) {
    // A duty calendar that was deleted falls back to the default rather than silencing the person.
    const row = (p.dutyCalendarId ? byId.get(p.dutyCalendarId) : undefined) ?? fallback;
    out.set(p.id, row ? compiledOf(row) : null);
  }
  return out;
}

interface Draft {
  kind: NotificationKind;
  request: RequestRow;
  /** Which chain of the settings applies, if any. */
  occasion: Occasion | null;
  /** People named directly (special team, mentioned, assignee). */
  direct: readonly string[];
  /** The team whose lead the chain names (default: the request's team). */
  teamId?: string | null;
  params: NotificationParams;
}

/**
 * Writes the notifications of one cause inside the caller's transaction; returns how many were written.
 * A chain step with a delay is written now, due at the occasion + its delay (then held for the recipient's
 * duty like any other); its params carry `afterMinutes`, which tells the dispatcher to check that the reason
 * still holds before delivering it. Its `createdAt` is the instant the step falls due (when it is caused).
 */
async function notifyTx(t: TxCtx, draft: Draft): Promise<number> {
  const { request } = draft;
  const chain = draft.occasion ? (await chainOf(t))[draft.occasion] : [];
  let teamLeadId: string | null = null;
  const teamId = draft.teamId === undefined ? request.teamId : draft.teamId;
  if (chain.some((s) => s.role === 'team_lead') && teamId) {
    const [team] = await t.tx.select({ leadId: teams.leadId }).from(teams).where(and(eq(teams.id, teamId), eq(teams.orgId, t.orgId)));
    teamLeadId = team?.leadId ?? null;
  }
  const byRole = [...new Set(chain.map((s) => s.role).filter((r) => r === 'manager' || r === 'supervisor'))];
  const people = await peopleFor(t, [...draft.direct, ...(request.assigneeId ? [request.assigneeId] : []), ...(teamLeadId ? [teamLeadId] : [])], byRole);
  const ladder = resolveLadder({ chain, request: { assigneeId: request.assigneeId, teamLeadId, branchId: request.branchId }, people, direct: draft.direct, actorId: actorId(t.actor) });
  if (ladder.length === 0) return 0;
  const urgent = isUrgent(draft.kind, request);
  const now = t.now();
  const recipients = people.filter((p) => ladder.some((r) => r.id === p.id));
  const duty = urgent ? new Map<string, CompiledCalendar | null>() : await dutyCalendars(t, recipients);
  const values = ladder.map(({ id: recipientId, afterMinutes }) => {
    const stepAt = new Date(now.getTime() + afterMinutes * 60_000);
    return {
      orgId: t.orgId, recipientId, kind: draft.kind, requestId: request.id, params: afterMinutes > 0 ? { ...draft.params, afterMinutes } : draft.params, urgent,
      deliverAt: deliveryInstant(urgent, duty.get(recipientId) ?? null, stepAt), createdAt: stepAt,
    };
  });
  await t.tx.insert(notifications).values(values);
  const first = new Date(Math.min(...values.map((v) => v.deliverAt.getTime())));
  await t.emit(SCHEDULED_EVENT, { orgId: t.orgId, entityType: 'request', entityId: request.id, data: { at: first.toISOString(), count: values.length } });
  return values.length;
}

function baseParams(t: TxCtx, request: RequestRow): NotificationParams {
  return {
    number: request.number, subject: clip(request.subject, 120), type: request.type, priority: request.priority,
    actorName: t.actor.kind === 'staff' ? t.actor.name : null,
  };
}

/**
 * A request clock warned or breached (called by the clock watcher in the transaction that records it):
 * the warning or breach chain of the organization is told. Clocks of other records are not ours.
 */
export async function notifyClockTx(t: TxCtx, clock: Pick<ClockRow, 'id' | 'subjectType' | 'subjectId' | 'kind' | 'label' | 'dueAt'>, event: 'warning' | 'breached'): Promise<number> {
  if (clock.subjectType === 'corrective_action' && UUID.test(clock.subjectId)) {
    const [action] = await t.tx.select().from(correctiveActions).where(and(eq(correctiveActions.id, clock.subjectId), eq(correctiveActions.orgId, t.orgId)));
    if (!action || action.state === 'closed' || action.state === 'cancelled') return 0;
    return notifyCorrectiveTx(t, action, event === 'warning' ? 'corrective.warning' : 'corrective.overdue', clock.id);
  }
  if (clock.subjectType === 'feedback' && UUID.test(clock.subjectId)) {
    const [item] = await t.tx.select().from(publicFeedback).where(and(eq(publicFeedback.id, clock.subjectId), eq(publicFeedback.orgId, t.orgId)));
    if (!item || item.state !== 'received') return 0;
    return notifyFeedbackTx(t, item, event === 'warning' ? 'feedback.warning' : 'feedback.overdue', clock.id, clock.dueAt);
  }
  if (clock.subjectType !== 'request' || !UUID.test(clock.subjectId)) return 0;
  const [request] = await t.tx.select().from(requests).where(and(eq(requests.id, clock.subjectId), eq(requests.orgId, t.orgId)));
  if (!request || request.state === 'archived' || request.state === 'merged') return 0;
  return notifyTx(t, {
    kind: event === 'warning' ? 'clock.warning' : 'clock.breached', request, occasion: event === 'warning' ? 'warning' : 'breach', direct: [],
    params: { ...baseParams(t, request), clockId: clock.id, clockKind: clock.kind, clockLabel: clock.label, dueAt: clock.dueAt.toISOString() },
  });
}

type CorrectiveKind = 'corrective.raised' | 'corrective.warning' | 'corrective.overdue';

/**
 * A corrective action's notifications: raised (or given to someone) — its owner is told; its deadline's
 * warning and breach (overdue) — the organization's warning and breach chains are told as for a request,
 * the owner standing where the assignee stands, then the lead of the action's team and the managers and
 * supervisors who reach its branch (with the chain's delays; a later step is dropped if the action was closed
 * or cancelled by then). The rows carry no request: their params name the action (`actionId`).
 */
export async function notifyCorrectiveTx(
  t: TxCtx,
  action: Pick<typeof correctiveActions.$inferSelect, 'id' | 'number' | 'finding' | 'ownerId' | 'teamId' | 'branchId' | 'dueAt'>,
  kind: CorrectiveKind,
  clockId: string | null = null,
): Promise<number> {
  const occasion: Occasion | null = kind === 'corrective.warning' ? 'warning' : kind === 'corrective.overdue' ? 'breach' : null;
  const chain = occasion ? (await chainOf(t))[occasion] : [];
  let teamLeadId: string | null = null;
  if (chain.some((s) => s.role === 'team_lead') && action.teamId) {
    const [team] = await t.tx.select({ leadId: teams.leadId }).from(teams).where(and(eq(teams.id, action.teamId), eq(teams.orgId, t.orgId)));
    teamLeadId = team?.leadId ?? null;
  }
  const direct = occasion ? [] : action.ownerId ? [action.ownerId] : [];
  const byRole = [...new Set(chain.map((s) => s.role).filter((r) => r === 'manager' || r === 'supervisor'))];
  const people = await peopleFor(t, [...direct, ...(action.ownerId ? [action.ownerId] : []), ...(teamLeadId ? [teamLeadId] : [])], byRole);
  // An action of the whole organization (no branch) reaches organization-wide managers and supervisors only.
  const branchId = action.branchId ?? '00000000-0000-0000-0000-000000000000';
  const ladder = resolveLadder({ chain, request: { assigneeId: action.ownerId, teamLeadId, branchId }, people, direct, actorId: actorId(t.actor) });
  const params: NotificationParams = {
    actionId: action.id, number: action.number, subject: clip(action.finding, 120), dueAt: action.dueAt.toISOString(),
    actorName: t.actor.kind === 'staff' ? t.actor.name : null, ...(clockId ? { clockId } : {}),
  };
  return insertLadderTx(t, ladder, people, kind, params, { entityType: 'corrective_action', entityId: action.id });
}

/** Writes one notification per rung (delayed rungs at their instant, each within its recipient's duty hours). */
async function insertLadderTx(
  t: TxCtx,
  ladder: readonly { id: string; afterMinutes: number }[],
  people: readonly PersonRow[],
  kind: NotificationKind,
  params: NotificationParams,
  entity: { entityType: string; entityId: string },
): Promise<number> {
  if (ladder.length === 0) return 0;
  const now = t.now();
  const duty = await dutyCalendars(t, people.filter((p) => ladder.some((r) => r.id === p.id)));
  const values = ladder.map(({ id: recipientId, afterMinutes }) => {
    const stepAt = new Date(now.getTime() + afterMinutes * 60_000);
    return {
      orgId: t.orgId, recipientId, kind, requestId: null, params: afterMinutes > 0 ? { ...params, afterMinutes } : params, urgent: false,
      deliverAt: deliveryInstant(false, duty.get(recipientId) ?? null, stepAt), createdAt: stepAt,
    };
  });
  await t.tx.insert(notifications).values(values);
  const first = new Date(Math.min(...values.map((v) => v.deliverAt.getTime())));
  await t.emit(SCHEDULED_EVENT, { orgId: t.orgId, ...entity, data: { at: first.toISOString(), count: values.length } });
  return values.length;
}

/**
 * A piece of public feedback (意见反馈) nearing or past its answer deadline: the keepers of the feedback inbox
 * are told — the organization's managers and supervisors (organization-wide; feedback belongs to no branch or
 * team), at once, within their duty hours. Once it is answered or marked invalid its clock is met or
 * cancelled, so nothing more is raised.
 */
export async function notifyFeedbackTx(
  t: TxCtx,
  item: Pick<typeof publicFeedback.$inferSelect, 'id' | 'number' | 'body'>,
  kind: 'feedback.warning' | 'feedback.overdue',
  clockId: string,
  dueAt: Date,
): Promise<number> {
  const chain = [{ role: 'manager' as const, afterMinutes: 0 }, { role: 'supervisor' as const, afterMinutes: 0 }];
  const people = await peopleFor(t, [], ['manager', 'supervisor']);
  const ladder = resolveLadder({ chain, request: { assigneeId: null, teamLeadId: null, branchId: '00000000-0000-0000-0000-000000000000' }, people, direct: [], actorId: actorId(t.actor) });
  const params: NotificationParams = { feedbackId: item.id, number: item.number, subject: clip(item.body, 120), dueAt: dueAt.toISOString(), clockId, actorName: null };
  return insertLadderTx(t, ladder, people, kind, params, { entityType: 'feedback', entityId: item.id });
}

/**
 * A request was escalated: the special team (its lead and members) and the escalation chain are told. The
 * request now belongs to the special team, so the chain's team lead is the lead of the team it came from
 * (`fromTeamId`): the front line hears that its request went up.
 */
export async function notifyEscalationTx(t: TxCtx, request: RequestRow, reason: string, fromTeamId: string | null): Promise<number> {
  const direct: string[] = [];
  if (request.escalationTeamId) {
    const [team] = await t.tx.select({ leadId: teams.leadId }).from(teams).where(and(eq(teams.id, request.escalationTeamId), eq(teams.orgId, t.orgId)));
    if (team?.leadId) direct.push(team.leadId);
    const members = await t.tx.select({ id: teamMembers.staffId }).from(teamMembers).where(eq(teamMembers.teamId, request.escalationTeamId)).orderBy(teamMembers.staffId);
    direct.push(...members.map((m) => m.id));
  }
  return notifyTx(t, { kind: 'escalated', request, occasion: 'escalation', direct, teamId: fromTeamId, params: { ...baseParams(t, request), reason: clip(reason, 200) } });
}

/** A request was given to someone (assigned, transferred, routed at registration): they are told. */
export async function notifyAssignmentTx(t: TxCtx, request: RequestRow, transfer = false): Promise<number> {
  if (!request.assigneeId) return 0;
  return notifyTx(t, { kind: 'assigned', request, occasion: null, direct: [request.assigneeId], params: { ...baseParams(t, request), transfer: transfer ? 1 : 0 } });
}

/** People @mentioned in a note (or reply) are told, with the start of the message. */
export async function notifyMentionsTx(t: TxCtx, request: RequestRow, message: { id: string; body: string; mentions: readonly string[] }): Promise<number> {
  if (message.mentions.length === 0) return 0;
  return notifyTx(t, { kind: 'mention', request, occasion: null, direct: message.mentions, params: { ...baseParams(t, request), excerpt: clip(message.body, 140), messageId: message.id } });
}

// ---------- reading (the signed-in person's own notifications) ----------

/** Notifications are personal: only a member of staff has them, and only their own. */
function recipientOf(ctx: Ctx): string {
  if (ctx.actor.kind !== 'staff') throw new AppError('forbidden', { action: 'notifications' });
  return ctx.actor.id;
}

/** The API view of a delivered notification. */
export function presentNotification(row: NotificationRow): C.NotificationView {
  return {
    id: row.id, kind: row.kind as C.NotificationKind, requestId: row.requestId, params: row.params, urgent: row.urgent,
    createdAt: row.createdAt.toISOString(), deliveredAt: (row.deliveredAt ?? row.deliverAt).toISOString(), readAt: row.readAt?.toISOString() ?? null,
  };
}

type Cursor = [string, string];

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === 'string' && UUID.test(value[1])) return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', { summary: 'cursor' }, { field: 'cursor' });
}

/** My delivered notifications, newest first (keyset pages), and how many are unread. */
export async function listNotifications(ctx: Ctx, query: unknown): Promise<C.NotificationPage> {
  const me = recipientOf(ctx);
  const q = parse(C.NotificationQuery, query);
  const db = ctx.app.database.db;
  const mine = and(eq(notifications.orgId, ctx.orgId), eq(notifications.recipientId, me), isNotNull(notifications.deliveredAt));
  const conditions: SQL[] = [mine!];
  if (q.unread) conditions.push(isNull(notifications.readAt));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    const before = new Date(at);
    conditions.push(or(lt(notifications.createdAt, before), and(eq(notifications.createdAt, before), lt(notifications.id, id)))!);
  }
  const [rows, [unread]] = await Promise.all([
    db.select().from(notifications).where(and(...conditions)).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(q.limit + 1),
    db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(mine, isNull(notifications.readAt))),
  ]);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentNotification),
    unreadCount: Number(unread?.n ?? 0),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

// Marking read is the person's own reading state, not a business record: it is not written to the audit
// log (which would grow by every click); the event keeps the person's other tabs in step.

/** Marks one of my notifications read (again: no change). */
export async function markNotificationRead(ctx: Ctx, id: string): Promise<C.NotificationView> {
  const me = recipientOf(ctx);
  return transact(ctx, async (t) => {
    const [row] = await t.tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.orgId, t.orgId), eq(notifications.recipientId, me), isNotNull(notifications.deliveredAt)))
      .for('update');
    if (!row) throw new AppError('not_found', { entity: 'notification' });
    if (row.readAt) return presentNotification(row);
    const [updated] = await t.tx.update(notifications).set({ readAt: t.now() }).where(eq(notifications.id, id)).returning();
    await t.emit('notification.read', { entityType: 'notification', entityId: id, data: { recipientId: me, ids: [id] } });
    return presentNotification(updated!);
  });
}

/** Marks all my delivered notifications read. */
export async function markAllNotificationsRead(ctx: Ctx): Promise<{ updated: number }> {
  const me = recipientOf(ctx);
  return transact(ctx, async (t) => {
    const rows = await t.tx
      .update(notifications)
      .set({ readAt: t.now() })
      .where(and(eq(notifications.orgId, t.orgId), eq(notifications.recipientId, me), isNotNull(notifications.deliveredAt), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    if (rows.length > 0) await t.emit('notification.read', { entityType: 'notification', data: { recipientId: me, all: true } });
    return { updated: rows.length };
  });
}
