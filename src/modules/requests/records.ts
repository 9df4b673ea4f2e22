/**
 * The shared plumbing of request services: loading with scope checks, the request's clocks (started, met,
 * paused from loop events), loop events with their webhooks, and the views. Channel services (portal,
 * e-mail, chat, phone) call the `…Tx` functions of service.ts inside their own transactions.
 */
import { createHmac } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx, TxCtx } from '../../core/context.js';
import { decrypt, maskPhone, type Keys } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { enqueue } from '../../core/outbox.js';
import { can } from '../../core/policy.js';
import { clocks } from '../clocks/schema.js';
import type { ClockView } from '../clocks/service.js';
import { applyTargets } from '../commitments/apply-targets.js';
import type { StartEvent } from '../commitments/contracts.js';
import { customers, staff, teams } from '../org/schema.js';
import type * as C from './contracts.js';
import { allowedActions, type LoopState } from './loop.js';
import { webhooksFor } from './config.js';
import { requestCategories, requests } from './schema.js';

export type RequestRow = typeof requests.$inferSelect;
type ClockRow = typeof clocks.$inferSelect;

export const SUBJECT = 'request';

export function resource(row: { orgId: string; branchId: string }) {
  return { orgId: row.orgId, branchId: row.branchId, entity: 'request' };
}

export async function loadRequest(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<RequestRow> {
  const q = exec.select().from(requests).where(and(eq(requests.id, id), eq(requests.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'request' });
  return row;
}

/** The facts commitments match on. */
export function factsOf(row: RequestRow) {
  return {
    type: row.type as C.RequestType, priority: row.priority as C.Priority, channel: row.channel as C.Channel,
    customerFlags: row.customerFlags as ('elderly' | 'disabled' | 'vip')[], branchId: row.branchId, departmentId: null,
  };
}

/** Starts the clocks of the targets a loop event starts (versions pinned on the request), and records that it happened. */
export async function startEvent(t: TxCtx, row: RequestRow, event: StartEvent, at = t.now()): Promise<void> {
  await applyTargets(t, { subjectType: SUBJECT, subjectId: row.id, facts: factsOf(row), event, pinnedVersionIds: row.commitmentVersionIds, at });
  const happened = [...row.happened, { event, at: at.toISOString() }];
  await t.tx.update(requests).set({ happened }).where(eq(requests.id, row.id));
  row.happened = happened;
}

/** Keeps `next_due_at` (the most urgent open deadline) true after clocks change. */
export async function refreshNextDue(t: TxCtx, requestId: string): Promise<void> {
  await t.tx.execute(sql`
    UPDATE requests SET next_due_at = (
      SELECT min(due_at) FROM clocks
      WHERE org_id = ${t.orgId} AND subject_type = ${SUBJECT} AND subject_id = ${requestId} AND state IN ('running', 'breached')
    ) WHERE id = ${requestId}`);
}

/** Emits a request event and queues it to the organization's webhooks subscribed to it (signed, through the outbox). */
export async function requestEvent(t: TxCtx, type: string, row: RequestRow, data: Record<string, unknown> = {}): Promise<void> {
  const payload = { requestId: row.id, number: row.number, state: row.state, branchId: row.branchId, teamId: row.teamId, assigneeId: row.assigneeId, ...data };
  await t.emit(type, { entityType: 'request', entityId: row.id, data: payload });
  for (const hook of await webhooksFor(t, type)) {
    const bodyText = JSON.stringify({ event: type, at: t.now().toISOString(), webhookId: hook.id, data: payload });
    const signature = `sha256=${createHmac('sha256', hook.secret).update(bodyText).digest('hex')}`;
    await enqueue(t, { kind: 'webhook', payload: { url: hook.url, bodyText, signature } });
  }
}

// ---------- views ----------

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function summarizeClock(row: ClockRow, now: Date): C.ClockSummary {
  return {
    id: row.id, kind: row.kind, label: row.label, state: row.state as C.ClockSummary['state'],
    warning: row.state === 'running' && row.warningAt !== null && row.warningAt <= now,
    dueAt: row.dueAt.toISOString(), warningAt: iso(row.warningAt), startedAt: row.startedAt.toISOString(), pausedAt: iso(row.pausedAt),
    breachedAt: iso(row.breachedAt), metAt: iso(row.metAt), duration: row.duration, calendarId: row.calendarId,
    commitmentVersionId: row.commitmentVersionId, targetKey: row.targetKey,
  };
}

/** The same summary from a clock's API view (a clock just started, not read back). */
export function summarizeClockView(view: ClockView, now: Date): C.ClockSummary {
  return {
    id: view.id, kind: view.kind, label: view.label, state: view.state,
    warning: view.state === 'running' && view.warningAt !== null && new Date(view.warningAt) <= now,
    dueAt: view.dueAt, warningAt: view.warningAt, startedAt: view.startedAt, pausedAt: view.pausedAt,
    breachedAt: view.breachedAt, metAt: view.metAt, duration: view.duration, calendarId: view.calendarId,
    commitmentVersionId: view.commitmentVersionId, targetKey: view.targetKey,
  };
}

/** The most urgent clock state of a request. */
export function clockStateOf(list: readonly C.ClockSummary[]): C.RequestListItem['clockState'] {
  if (list.some((c) => c.state === 'breached')) return 'breached';
  if (list.some((c) => c.warning)) return 'warning';
  if (list.some((c) => c.state === 'running')) return 'running';
  if (list.some((c) => c.state === 'paused')) return 'paused';
  return 'none';
}

export async function clocksByRequest(exec: Executor, orgId: string, ids: readonly string[], now: Date): Promise<Map<string, C.ClockSummary[]>> {
  const out = new Map<string, C.ClockSummary[]>();
  if (ids.length === 0) return out;
  const rows = await exec
    .select()
    .from(clocks)
    .where(and(eq(clocks.orgId, orgId), eq(clocks.subjectType, SUBJECT), inArray(clocks.subjectId, [...ids])))
    .orderBy(asc(clocks.startedAt));
  for (const row of rows) {
    const list = out.get(row.subjectId) ?? [];
    list.push(summarizeClock(row, now));
    out.set(row.subjectId, list);
  }
  return out;
}

async function namesOf(exec: Executor, table: typeof staff | typeof teams, ids: (string | null)[], known?: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))].filter((id) => {
    const name = known?.get(id);
    if (name !== undefined) out.set(id, name);
    return name === undefined;
  });
  if (wanted.length === 0) return out;
  if (table === staff) {
    const rows = await exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, wanted));
    for (const r of rows) out.set(r.id, r.name);
    return out;
  }
  const rows = await exec.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

const ref = (names: Map<string, string>, id: string | null) => (id ? { id, name: names.get(id) ?? '?' } : null);

/** What a caller already holds about a request it just wrote (so its view needs no reading back). */
export interface KnownParts {
  /** The request's clocks, complete. */
  clocks?: readonly ClockView[];
  /** Display names of staff by id (e.g. the caller's own). */
  staffNames?: ReadonlyMap<string, string>;
}

/** List items for rows, with their people, teams, customers and clock states in four queries. */
export async function listItems(exec: Executor, ctx: Ctx, rows: RequestRow[], known: KnownParts = {}): Promise<C.RequestListItem[]> {
  const now = ctx.now();
  const ids = rows.map((r) => r.id);
  const [people, teamNames, clockMap, customerNames] = await Promise.all([
    namesOf(exec, staff, rows.map((r) => r.assigneeId), known.staffNames),
    namesOf(exec, teams, rows.map((r) => r.teamId)),
    known.clocks && rows.length === 1 ? new Map([[rows[0]!.id, known.clocks.map((c) => summarizeClockView(c, now))]]) : clocksByRequest(exec, ctx.orgId, ids, now),
    customerNamesOf(exec, rows.map((r) => r.customerId)),
  ]);
  return rows.map((row) => {
    const list = clockMap.get(row.id) ?? [];
    return {
      id: row.id, number: row.number, type: row.type as C.RequestType, priority: row.priority as C.Priority, channel: row.channel as C.Channel,
      state: row.state as C.LoopState, subject: row.subject,
      customerName: (row.customerId ? customerNames.get(row.customerId) : null) ?? row.contactName ?? null,
      customerFlags: row.customerFlags as C.RequestListItem['customerFlags'], categoryId: row.categoryId, branchId: row.branchId, teamId: row.teamId,
      team: ref(teamNames, row.teamId), assignee: ref(people, row.assigneeId), tags: row.tags, escalated: row.escalatedAt !== null,
      nextDueAt: iso(row.nextDueAt), clockState: clockStateOf(list), createdAt: row.createdAt.toISOString(), lastActivityAt: row.lastActivityAt.toISOString(),
    };
  });
}

async function customerNamesOf(exec: Executor, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await exec.select({ id: customers.id, name: customers.name }).from(customers).where(inArray(customers.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

function contactPhoneOf(ctx: Ctx, keys: Keys, row: RequestRow): string | null {
  if (!row.contactPhoneEnc) return null;
  const phone = decrypt(keys, row.contactPhoneEnc);
  return can(ctx.actor, 'pii:read') ? phone : maskPhone(phone);
}

/** The request as its page shows it. */
export async function viewRequest(exec: Executor, ctx: Ctx, row: RequestRow, known: KnownParts = {}): Promise<C.RequestView> {
  const [item] = await listItems(exec, ctx, [row], known);
  const clockList = known.clocks
    ? known.clocks.map((c) => summarizeClockView(c, ctx.now()))
    : ((await clocksByRequest(exec, ctx.orgId, [row.id], ctx.now())).get(row.id) ?? []);
  const people = await namesOf(exec, staff, [row.responsibleId], known.staffNames);
  let category: C.RequestView['category'] = null;
  if (row.categoryId) {
    const all = await exec.select().from(requestCategories).where(eq(requestCategories.orgId, ctx.orgId));
    const byId = new Map(all.map((c) => [c.id, c]));
    const path: string[] = [];
    for (let c = byId.get(row.categoryId); c && path.length < 10; c = c.parentId ? byId.get(c.parentId) : undefined) path.unshift(c.name);
    const own = byId.get(row.categoryId);
    if (own) category = { id: own.id, name: own.name, path };
  }
  return {
    ...item!,
    description: row.description, customerId: row.customerId, contactName: row.contactName, contactPhone: contactPhoneOf(ctx, ctx.app.keys, row),
    contactEmail: row.contactEmail, category, responsible: ref(people, row.responsibleId), commitmentVersionIds: row.commitmentVersionIds,
    escalatedAt: iso(row.escalatedAt), escalationTeamId: row.escalationTeamId, firstResponseAt: iso(row.firstResponseAt), resolvedAt: iso(row.resolvedAt),
    confirmedAt: iso(row.confirmedAt), rating: row.rating, ratingComment: row.ratingComment, reopenCount: row.reopenCount, mergedIntoId: row.mergedIntoId,
    archivedAt: iso(row.archivedAt), allowedActions: allowedActions(row.state as LoopState), clocks: clockList, updatedAt: row.updatedAt.toISOString(),
  };
}

/** A short snapshot for the audit log. */
export function snapshot(row: RequestRow) {
  return {
    number: row.number, type: row.type, priority: row.priority, channel: row.channel, state: row.state, subject: row.subject, categoryId: row.categoryId,
    branchId: row.branchId, teamId: row.teamId, assigneeId: row.assigneeId, responsibleId: row.responsibleId, tags: row.tags, customerId: row.customerId,
    customerFlags: row.customerFlags,
  };
}
