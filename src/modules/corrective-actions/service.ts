/**
 * Corrective actions (整改): raised from findings, worked by their owner, verified by a supervisor, closed.
 * `raiseFindingTx` is the one way an action is created (every source calls it in its own transaction); each
 * exported `(ctx, …)` function is one write path (authorize, validate, one transaction, audit, events).
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, isNull, like, lt, lte, max, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Actor, type Ctx, type TxCtx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter, can } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { parseDuration } from '../calendars/calendar.js';
import { calendarsOf, cancelClocks, meetClocks, startClock } from '../clocks/service.js';
import { readSection, writeSectionTx } from '../evaluations/settings-store.js';
import { notifyCorrectiveTx } from '../notifications/service.js';
import { branches, organizations, staff, teams } from '../org/schema.js';
import { fileContent, presentAttachment, storeFileTx, type Upload } from '../requests/attachments.js';
import type { RequestRow } from '../requests/records.js';
import { attachments, requests } from '../requests/schema.js';
import { allowedSteps as lifecycleSteps, caTransition, isActive, isWorkable, type CaState, type CaStep } from './ca-loop.js';
import * as C from './contracts.js';
import { correctiveActionEvents, correctiveActionRequests, correctiveActions } from './schema.js';

export type ActionRow = typeof correctiveActions.$inferSelect;

/** The clock of an action's deadline: subject `corrective_action`, kind `rectify`. */
export const SUBJECT = 'corrective_action';
export const CLOCK_KIND = 'rectify';

const DAY_MS = 86_400_000;

// ---------- settings ----------

export function correctiveSettingsOf(exec: Executor, orgId: string): Promise<C.CorrectiveSettings> {
  return readSection(exec, orgId, 'corrective', C.CorrectiveSettings);
}

export async function getCorrectiveSettings(ctx: Ctx): Promise<C.CorrectiveSettings> {
  authorize(ctx, 'corrective.read');
  return correctiveSettingsOf(ctx.app.database.db, ctx.orgId);
}

export async function updateCorrectiveSettings(ctx: Ctx, input: unknown): Promise<C.CorrectiveSettings> {
  authorize(ctx, 'evaluation.configure');
  const patch = parse(C.CorrectiveSettingsInput, input);
  return transact(ctx, async (t) => {
    const before = await correctiveSettingsOf(t.tx, t.orgId);
    const after = parse(C.CorrectiveSettings, { ...before, ...patch });
    parseDuration(after.deadline);
    await writeSectionTx(t, 'corrective', after);
    await audit(t, { action: 'corrective_settings.update', entityType: 'evaluation_settings', entityId: t.orgId, before, after });
    await t.emit('corrective_settings.updated', { entityType: 'evaluation_settings', entityId: t.orgId });
    return after;
  });
}

// ---------- raising ----------

export interface Finding {
  source: C.CaSource;
  /** One finding, one action: a second raise with the same key returns the first action. */
  sourceKey: string;
  sourceRef?: Record<string, unknown>;
  requestId?: string | null;
  finding: string;
  agentId?: string | null;
  teamId?: string | null;
  branchId?: string | null;
  ownerId?: string | null;
  /** More requests behind the finding (a cluster's complaints); the request of `requestId` is linked too. */
  requestIds?: readonly string[];
}

/** The day part of the number (yyyymmdd) in the organization's zone. */
function dayIn(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}`;
}

/** ZG-yyyymmdd-nnnn: the organization's n-th action of its day (the caller holds the organization's raising lock). */
async function nextNumber(t: TxCtx, at: Date): Promise<string> {
  const [org] = await t.tx.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, t.orgId));
  const prefix = `ZG-${dayIn(org?.timeZone ?? 'Asia/Shanghai', at)}-`;
  const [last] = await t.tx
    .select({ number: correctiveActions.number })
    .from(correctiveActions)
    .where(and(eq(correctiveActions.orgId, t.orgId), like(correctiveActions.number, `${prefix}%`)))
    .orderBy(desc(sql`length(${correctiveActions.number})`), desc(correctiveActions.number))
    .limit(1);
  const n = last ? Number(last.number.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}

/** The owner by default: the lead of the team, else a manager of the branch, else nobody (managers see it unassigned). */
async function defaultOwner(t: TxCtx, teamId: string | null, branchId: string | null): Promise<string | null> {
  if (teamId) {
    const [lead] = await t.tx
      .select({ id: staff.id })
      .from(teams)
      .innerJoin(staff, eq(staff.id, teams.leadId))
      .where(and(eq(teams.id, teamId), eq(teams.orgId, t.orgId), eq(staff.active, true)));
    if (lead) return lead.id;
  }
  if (branchId) {
    const [manager] = await t.tx
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.orgId, t.orgId), eq(staff.branchId, branchId), eq(staff.role, 'manager'), eq(staff.active, true)))
      .orderBy(staff.displayName, staff.id)
      .limit(1);
    if (manager) return manager.id;
  }
  return null;
}

/**
 * Appends to an action's timeline. Steps taken at one instant (a frozen clock, one transaction) keep their
 * order: each event is at least a millisecond after the previous one of the action.
 */
async function addEvent(t: TxCtx, actionId: string, kind: string, note: string | null = null, data: Record<string, unknown> = {}) {
  const [last] = await t.tx.select({ at: max(correctiveActionEvents.at) }).from(correctiveActionEvents).where(eq(correctiveActionEvents.actionId, actionId));
  const now = t.now().getTime();
  const at = new Date(last?.at ? Math.max(now, last.at.getTime() + 1) : now);
  await t.tx.insert(correctiveActionEvents).values({ orgId: t.orgId, actionId, kind, note, data, actorId: actorId(t.actor), actorName: t.actor.name, at });
}

/** Links requests to an action (each once). */
export async function linkRequestsTx(t: TxCtx, actionId: string, requestIds: readonly string[]): Promise<void> {
  const ids = [...new Set(requestIds)];
  if (ids.length === 0) return;
  await t.tx.insert(correctiveActionRequests).values(ids.map((requestId) => ({ orgId: t.orgId, actionId, requestId }))).onConflictDoNothing();
}

function snapshot(row: ActionRow) {
  return {
    number: row.number, source: row.source, state: row.state, ownerId: row.ownerId, dueAt: row.dueAt, rootCause: row.rootCause, actionsTaken: row.actionsTaken,
    recontactedAt: row.recontactedAt, verifiedById: row.verifiedById, verificationNote: row.verificationNote, returnCount: row.returnCount, closedOnTime: row.closedOnTime,
  };
}

/**
 * Raises a corrective action for a finding inside the caller's transaction (no permission check: callers check
 * their own). The deadline is a clock on the organization's default calendar (holidays and make-up workdays
 * count as the calendar says); without a calendar it falls back to calendar days. Returns the existing action
 * when the finding was raised already (`created: false`).
 */
export async function raiseFindingTx(t: TxCtx, f: Finding): Promise<{ row: ActionRow; created: boolean }> {
  // Raising is serialized per organization (a transaction-scoped lock): the same finding raised at once by
  // two transactions (two watcher nodes) waits here and then finds the first action instead of colliding.
  await t.tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`corrective:${t.orgId}`}))`);
  const [existing] = await t.tx.select().from(correctiveActions).where(and(eq(correctiveActions.orgId, t.orgId), eq(correctiveActions.sourceKey, f.sourceKey)));
  if (existing) return { row: existing, created: false };
  const settings = await correctiveSettingsOf(t.tx, t.orgId);
  let request: RequestRow | undefined;
  if (f.requestId) {
    [request] = await t.tx.select().from(requests).where(and(eq(requests.id, f.requestId), eq(requests.orgId, t.orgId)));
    if (!request) throw new AppError('org.invalid_reference', { entity: 'request' }, { field: 'requestId' });
  }
  const teamId = f.teamId ?? request?.teamId ?? null;
  let branchId = f.branchId ?? request?.branchId ?? null;
  if (!branchId && teamId) {
    const [team] = await t.tx.select({ branchId: teams.branchId }).from(teams).where(and(eq(teams.id, teamId), eq(teams.orgId, t.orgId)));
    branchId = team?.branchId ?? null;
  }
  const ownerId = f.ownerId ?? (await defaultOwner(t, teamId, branchId));
  const at = t.now();
  const id = randomUUID();
  const number = await nextNumber(t, at);
  const duration = settings.deadlineBySource[f.source] ?? settings.deadline;
  const { fallback } = await calendarsOf(t);
  let dueAt: Date;
  if (fallback) {
    const clock = await startClock(t, { subjectType: SUBJECT, subjectId: id, kind: CLOCK_KIND, label: number, calendarId: fallback.id, duration, warnRatio: settings.warnRatio, startedAt: at });
    dueAt = new Date(clock.dueAt);
  } else {
    const d = parseDuration(duration);
    dueAt = new Date(at.getTime() + (d.kind === 'workingDays' ? d.days * DAY_MS : d.ms));
  }
  const [row] = await t.tx
    .insert(correctiveActions)
    .values({
      id, orgId: t.orgId, number, source: f.source, sourceRef: f.sourceRef ?? {}, sourceKey: f.sourceKey, requestId: request?.id ?? null, finding: f.finding.slice(0, 4000),
      state: 'open', branchId, teamId, ownerId, agentId: f.agentId ?? request?.assigneeId ?? null, deadlineDuration: duration, dueAt, createdAt: at, updatedAt: at,
    })
    .returning();
  const action = row!;
  await linkRequestsTx(t, id, [...(request ? [request.id] : []), ...(f.requestIds ?? [])]);
  await addEvent(t, id, 'created', action.finding, { source: f.source, ownerId, dueAt: dueAt.toISOString(), deadline: duration });
  await audit(t, { action: 'corrective_action.raise', entityType: 'corrective_action', entityId: id, after: { ...snapshot(action), sourceKey: f.sourceKey, requestId: action.requestId } });
  await t.emit('corrective_action.raised', { entityType: 'corrective_action', entityId: id, data: { number, source: f.source, requestId: action.requestId, ownerId, dueAt: dueAt.toISOString() } });
  if (ownerId) await notifyCorrectiveTx(t, action, 'corrective.raised');
  return { row: action, created: true };
}

/** Adds a note to an action's timeline from a finding that joined it (a further breach, a further complaint). */
export async function noteFindingTx(t: TxCtx, action: ActionRow, kind: 'finding' | 'linked' | 'overdue', note: string | null, data: Record<string, unknown> = {}): Promise<void> {
  await addEvent(t, action.id, kind, note, data);
  await t.tx.update(correctiveActions).set({ updatedAt: t.now() }).where(eq(correctiveActions.id, action.id));
}

// ---------- reading ----------

function resourceOf(row: ActionRow) {
  return { orgId: row.orgId, branchId: row.branchId, entity: 'corrective_action' };
}

/** May the actor do the owner's work (analysis, actions, evidence, re-contact, start, submit)? The owner, or whoever manages actions there. */
function mayWork(actor: Actor, row: ActionRow): boolean {
  if (!can(actor, 'corrective.handle', resourceOf(row)) && !can(actor, 'corrective.manage', resourceOf(row))) return false;
  return (actor.kind === 'staff' && row.ownerId === actor.id) || can(actor, 'corrective.manage', resourceOf(row));
}

function mayStep(actor: Actor, row: ActionRow, step: CaStep): boolean {
  switch (step) {
    case 'start':
    case 'submit':
      return mayWork(actor, row) && can(actor, 'corrective.handle', resourceOf(row));
    case 'accept':
    case 'return':
      return can(actor, 'corrective.verify', resourceOf(row)) && !(actor.kind === 'staff' && actor.id === row.ownerId);
    case 'cancel':
      return can(actor, 'corrective.manage', resourceOf(row));
  }
}

async function loadAction(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<ActionRow> {
  const q = exec.select().from(correctiveActions).where(and(eq(correctiveActions.id, id), eq(correctiveActions.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'corrective_action' });
  authorize(ctx, 'corrective.read', resourceOf(row), 'corrective.read');
  return row;
}

function isOverdue(row: ActionRow, now: Date): boolean {
  return isActive(row.state as CaState) && (row.overdueAt !== null || row.dueAt.getTime() <= now.getTime());
}

/** The API view of actions (names looked up in one query per kind). */
export async function presentActions(exec: Executor, ctx: Ctx, rows: readonly ActionRow[]): Promise<C.CaView[]> {
  if (rows.length === 0) return [];
  const people = [...new Set(rows.flatMap((r) => [r.ownerId, r.agentId, r.verifiedById]).filter((v): v is string => v !== null))];
  const teamIds = [...new Set(rows.map((r) => r.teamId).filter((v): v is string => v !== null))];
  const branchIds = [...new Set(rows.map((r) => r.branchId).filter((v): v is string => v !== null))];
  const requestIds = [...new Set(rows.map((r) => r.requestId).filter((v): v is string => v !== null))];
  const [staffRows, teamRows, branchRows, requestRows] = await Promise.all([
    people.length ? exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, people)) : [],
    teamIds.length ? exec.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds)) : [],
    branchIds.length ? exec.select({ id: branches.id, name: branches.name }).from(branches).where(inArray(branches.id, branchIds)) : [],
    requestIds.length ? exec.select({ id: requests.id, number: requests.number, subject: requests.subject }).from(requests).where(inArray(requests.id, requestIds)) : [],
  ]);
  const ref = (list: { id: string; name: string }[], id: string | null) => (id ? (list.find((x) => x.id === id) ?? { id, name: '—' }) : null);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const now = ctx.now();
  return rows.map((r) => {
    const state = r.state as CaState;
    return {
      id: r.id, number: r.number, source: r.source as C.CaSource, sourceRef: r.sourceRef, state, finding: r.finding,
      request: r.requestId ? (requestRows.find((x) => x.id === r.requestId) ?? null) : null,
      owner: ref(staffRows, r.ownerId), agent: ref(staffRows, r.agentId), team: ref(teamRows, r.teamId), branch: ref(branchRows, r.branchId),
      deadlineDuration: r.deadlineDuration, dueAt: r.dueAt.toISOString(), overdue: isOverdue(r, now), overdueAt: iso(r.overdueAt),
      rootCause: r.rootCause, actionsTaken: r.actionsTaken, recontactedAt: iso(r.recontactedAt), recontactNote: r.recontactNote, submittedAt: iso(r.submittedAt),
      verifiedBy: ref(staffRows, r.verifiedById), verifiedAt: iso(r.verifiedAt), verificationNote: r.verificationNote, returnCount: r.returnCount,
      closedAt: iso(r.closedAt), closedOnTime: r.closedOnTime === null ? null : r.closedOnTime === 'yes', createdAt: r.createdAt.toISOString(),
      allowedSteps: lifecycleSteps(state).filter((step) => mayStep(ctx.actor, r, step)),
      canWork: isWorkable(state) && mayWork(ctx.actor, r),
    };
  });
}

export async function presentAction(exec: Executor, ctx: Ctx, row: ActionRow): Promise<C.CaView> {
  return (await presentActions(exec, ctx, [row]))[0]!;
}

type Cursor = [string, string];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === 'string' && UUID.test(value[1])) return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', { summary: 'cursor' }, { field: 'cursor' });
}

/** Actions, newest first (keyset pages), within the reader's scope. */
export async function listActions(ctx: Ctx, query: unknown): Promise<C.CaPage> {
  authorize(ctx, 'corrective.read');
  const q = parse(C.CaListQuery, query);
  const db = ctx.app.database.db;
  const conditions: SQL[] = [eq(correctiveActions.orgId, ctx.orgId)];
  const confined = branchFilter(ctx.actor);
  if (confined) conditions.push(or(eq(correctiveActions.branchId, confined), isNull(correctiveActions.branchId))!);
  if (q.states?.length) conditions.push(inArray(correctiveActions.state, q.states));
  if (q.source) conditions.push(eq(correctiveActions.source, q.source));
  if (q.ownerId) conditions.push(eq(correctiveActions.ownerId, q.ownerId));
  if (q.teamId) conditions.push(eq(correctiveActions.teamId, q.teamId));
  if (q.branchId) conditions.push(eq(correctiveActions.branchId, q.branchId));
  if (q.requestId) {
    const linked = db.select({ id: correctiveActionRequests.actionId }).from(correctiveActionRequests).where(and(eq(correctiveActionRequests.orgId, ctx.orgId), eq(correctiveActionRequests.requestId, q.requestId)));
    conditions.push(or(eq(correctiveActions.requestId, q.requestId), inArray(correctiveActions.id, linked))!);
  }
  if (q.mine) conditions.push(eq(correctiveActions.ownerId, actorId(ctx.actor) ?? '00000000-0000-0000-0000-000000000000'));
  const active = notInArray(correctiveActions.state, ['closed', 'cancelled']);
  const late = or(isNotNull(correctiveActions.overdueAt), lte(correctiveActions.dueAt, ctx.now()))!;
  if (q.overdue === true) conditions.push(active, late);
  if (q.overdue === false) conditions.push(or(notInArray(correctiveActions.state, ['open', 'in_progress', 'submitted']), sql`NOT (${late})`)!);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    const before = new Date(at);
    conditions.push(or(lt(correctiveActions.createdAt, before), and(eq(correctiveActions.createdAt, before), lt(correctiveActions.id, id)))!);
  }
  const rows = await db.select().from(correctiveActions).where(and(...conditions)).orderBy(desc(correctiveActions.createdAt), desc(correctiveActions.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: await presentActions(db, ctx, page),
    nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url') : null,
  };
}

/** One action with its timeline, its requests and its evidence. */
export async function getAction(ctx: Ctx, id: string): Promise<C.CaDetail> {
  const db = ctx.app.database.db;
  const row = await loadAction(db, ctx, id);
  const [view, events, linked, files] = await Promise.all([
    presentAction(db, ctx, row),
    db.select().from(correctiveActionEvents).where(eq(correctiveActionEvents.actionId, id)).orderBy(correctiveActionEvents.at, correctiveActionEvents.id),
    db
      .select({ id: requests.id, number: requests.number, subject: requests.subject, state: requests.state })
      .from(correctiveActionRequests)
      .innerJoin(requests, eq(requests.id, correctiveActionRequests.requestId))
      .where(eq(correctiveActionRequests.actionId, id))
      .orderBy(requests.createdAt),
    db.select().from(attachments).where(and(eq(attachments.orgId, ctx.orgId), eq(attachments.correctiveActionId, id))).orderBy(attachments.createdAt),
  ]);
  return {
    ...view,
    events: events.map((e) => ({ id: e.id, kind: e.kind, note: e.note, data: e.data, actorName: e.actorName, at: e.at.toISOString() })),
    requests: linked,
    evidence: files.map(presentAttachment),
  };
}

// ---------- the owner's work ----------

/** Work may be written while the action is open or in progress; the first piece of work starts it. */
async function beginWork(t: TxCtx, row: ActionRow): Promise<ActionRow> {
  if (!mayWork(t.actor, row)) throw new AppError('forbidden', { action: 'corrective.handle' });
  const state = row.state as CaState;
  if (!isWorkable(state)) {
    throw new AppError(isActive(state) ? 'corrective.illegal_transition' : 'corrective.closed', { status: state, action: 'work', allowed: lifecycleSteps(state).join(',') });
  }
  if (state === 'open') return applyStep(t, row, 'start', null);
  return row;
}

async function writeWork(ctx: Ctx, id: string, fn: (t: TxCtx, row: ActionRow) => Promise<ActionRow>): Promise<C.CaView> {
  const row = await transact(ctx, async (t) => fn(t, await beginWork(t, await loadAction(t.tx, t, id, true))));
  return presentAction(ctx.app.database.db, ctx, row);
}

/** Root-cause analysis and the actions taken (原因分析、整改措施). */
export async function recordWork(ctx: Ctx, id: string, input: unknown): Promise<C.CaView> {
  const data = parse(C.CaWork, input);
  return writeWork(ctx, id, async (t, row) => {
    const changes = { ...(data.rootCause !== undefined ? { rootCause: data.rootCause } : {}), ...(data.actionsTaken !== undefined ? { actionsTaken: data.actionsTaken } : {}), updatedAt: t.now() };
    const [updated] = await t.tx.update(correctiveActions).set(changes).where(eq(correctiveActions.id, row.id)).returning();
    await addEvent(t, row.id, 'analysed', null, { rootCause: data.rootCause ?? null, actionsTaken: data.actionsTaken ?? null });
    await audit(t, { action: 'corrective_action.work', entityType: 'corrective_action', entityId: row.id, before: snapshot(row), after: snapshot(updated!) });
    await t.emit('corrective_action.updated', { entityType: 'corrective_action', entityId: row.id, data: { fields: Object.keys(data) } });
    return updated!;
  });
}

/** Re-contact with the customer (回访客户). */
export async function recordRecontact(ctx: Ctx, id: string, input: unknown): Promise<C.CaView> {
  const data = parse(C.CaRecontact, input);
  return writeWork(ctx, id, async (t, row) => {
    const at = t.now();
    const [updated] = await t.tx.update(correctiveActions).set({ recontactedAt: at, recontactNote: data.note, updatedAt: at }).where(eq(correctiveActions.id, row.id)).returning();
    await addEvent(t, row.id, 'recontacted', data.note);
    await audit(t, { action: 'corrective_action.recontact', entityType: 'corrective_action', entityId: row.id, before: snapshot(row), after: snapshot(updated!) });
    await t.emit('corrective_action.updated', { entityType: 'corrective_action', entityId: row.id, data: { fields: ['recontact'] } });
    return updated!;
  });
}

/** Evidence (整改佐证): a stored file attached to the action (the organization's size and type limits apply). */
export async function uploadEvidence(ctx: Ctx, id: string, upload: Upload) {
  return transact(ctx, async (t) => {
    const row = await beginWork(t, await loadAction(t.tx, t, id, true));
    const file = await storeFileTx(t, upload, t.actor.name, null);
    await t.tx.update(attachments).set({ correctiveActionId: row.id }).where(eq(attachments.id, file.id));
    await addEvent(t, row.id, 'evidence', file.filename, { attachmentId: file.id, size: file.size });
    await t.tx.update(correctiveActions).set({ updatedAt: t.now() }).where(eq(correctiveActions.id, row.id));
    await audit(t, { action: 'corrective_action.evidence', entityType: 'corrective_action', entityId: row.id, after: { attachmentId: file.id, filename: file.filename } });
    await t.emit('corrective_action.updated', { entityType: 'corrective_action', entityId: row.id, data: { fields: ['evidence'] } });
    return file;
  });
}

/** An evidence file, for whoever may read the action. */
export async function downloadEvidence(ctx: Ctx, id: string, attachmentId: string) {
  const db = ctx.app.database.db;
  await loadAction(db, ctx, id);
  const file = await fileContent(db, ctx.orgId, attachmentId);
  if (file.row.correctiveActionId !== id) throw new AppError('not_found', { entity: 'attachment' });
  return file;
}

/** Gives the action to another owner (corrective.manage). */
export async function assignOwner(ctx: Ctx, id: string, input: unknown): Promise<C.CaView> {
  const data = parse(C.CaOwnerInput, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadAction(t.tx, t, id, true);
    authorize(t, 'corrective.manage', resourceOf(current));
    if (!isActive(current.state as CaState)) throw new AppError('corrective.closed', { status: current.state });
    const [person] = await t.tx.select().from(staff).where(and(eq(staff.id, data.ownerId), eq(staff.orgId, t.orgId)));
    if (!person?.active) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field: 'ownerId' });
    const [updated] = await t.tx.update(correctiveActions).set({ ownerId: person.id, updatedAt: t.now() }).where(eq(correctiveActions.id, id)).returning();
    await addEvent(t, id, 'assigned', null, { fromOwnerId: current.ownerId, toOwnerId: person.id, toOwnerName: person.displayName });
    await audit(t, { action: 'corrective_action.assign', entityType: 'corrective_action', entityId: id, before: { ownerId: current.ownerId }, after: { ownerId: person.id } });
    await t.emit('corrective_action.assigned', { entityType: 'corrective_action', entityId: id, data: { ownerId: person.id } });
    if (person.id !== current.ownerId) await notifyCorrectiveTx(t, updated!, 'corrective.raised');
    return updated!;
  });
  return presentAction(ctx.app.database.db, ctx, row);
}

// ---------- the lifecycle ----------

const EVENT_KIND: Record<CaStep, string> = { start: 'started', submit: 'submitted', accept: 'accepted', return: 'returned', cancel: 'cancelled' };
const DOMAIN_EVENT: Record<CaStep, string> = { start: 'corrective_action.started', submit: 'corrective_action.submitted', accept: 'corrective_action.closed', return: 'corrective_action.returned', cancel: 'corrective_action.cancelled' };

/** Applies one lifecycle step inside the caller's transaction (the caller has checked who may take it). */
export async function applyStep(t: TxCtx, row: ActionRow, step: CaStep, note: string | null): Promise<ActionRow> {
  const result = caTransition(row.state as CaState, step);
  if (!result.ok) {
    throw new AppError('corrective.illegal_transition', { status: result.from, action: step, allowed: result.allowed.join(',') }, { from: result.from, step, allowed: result.allowed });
  }
  if ((step === 'return' || step === 'cancel') && !note) throw new AppError('corrective.reason_required');
  const at = t.now();
  const changes: Partial<ActionRow> = { state: result.to, updatedAt: at };
  switch (step) {
    case 'start':
      if (!row.ownerId && t.actor.kind === 'staff') changes.ownerId = t.actor.id;
      break;
    case 'submit': {
      const missing = [...(row.rootCause ? [] : ['root_cause']), ...(row.actionsTaken ? [] : ['actions_taken'])];
      if (missing.length > 0) throw new AppError('corrective.incomplete', { missing: missing.join(',') }, { missing });
      changes.submittedAt = at;
      break;
    }
    case 'accept':
      changes.verifiedById = actorId(t.actor);
      changes.verifiedAt = at;
      changes.verificationNote = note;
      changes.closedAt = at;
      changes.closedOnTime = row.overdueAt === null && at.getTime() <= row.dueAt.getTime() ? 'yes' : 'no';
      await meetClocks(t, SUBJECT, row.id, [CLOCK_KIND], at);
      break;
    case 'return':
      changes.returnCount = row.returnCount + 1;
      changes.verificationNote = note;
      break;
    case 'cancel':
      await cancelClocks(t, SUBJECT, row.id, at);
      break;
  }
  const [updated] = await t.tx.update(correctiveActions).set(changes).where(eq(correctiveActions.id, row.id)).returning();
  await addEvent(t, row.id, EVENT_KIND[step], note, { from: row.state, to: result.to, ...(step === 'accept' ? { closedOnTime: changes.closedOnTime === 'yes' } : {}) });
  await audit(t, { action: `corrective_action.${step}`, entityType: 'corrective_action', entityId: row.id, before: snapshot(row), after: { ...snapshot(updated!), note } });
  await t.emit(DOMAIN_EVENT[step], { entityType: 'corrective_action', entityId: row.id, data: { number: row.number, from: row.state, to: result.to, ownerId: updated!.ownerId } });
  return updated!;
}

/** One step of the lifecycle: start, submit, accept, return (with a reason), cancel (with a reason). */
export async function stepAction(ctx: Ctx, id: string, input: unknown): Promise<C.CaView> {
  const data = parse(C.CaStepInput, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadAction(t.tx, t, id, true);
    if (!mayStep(t.actor, current, data.step)) {
      if ((data.step === 'accept' || data.step === 'return') && t.actor.kind === 'staff' && t.actor.id === current.ownerId && can(t.actor, 'corrective.verify', resourceOf(current))) throw new AppError('corrective.self_verify');
      const needed = data.step === 'accept' || data.step === 'return' ? 'corrective.verify' : data.step === 'cancel' ? 'corrective.manage' : 'corrective.handle';
      throw new AppError('forbidden', { action: needed });
    }
    return applyStep(t, current, data.step, data.note || null);
  });
  return presentAction(ctx.app.database.db, ctx, row);
}

// ---------- manual and inspection findings ----------

/** A corrective action raised by hand or from an inspection (corrective.manage). */
export async function createAction(ctx: Ctx, input: unknown): Promise<C.CaView> {
  const data = parse(C.CaCreate, input);
  authorize(ctx, 'corrective.manage', data.branchId ? { orgId: ctx.orgId, branchId: data.branchId, entity: 'corrective_action' } : undefined);
  const row = await transact(ctx, async (t) => {
    if (data.branchId) {
      const [branch] = await t.tx.select({ id: branches.id }).from(branches).where(and(eq(branches.id, data.branchId), eq(branches.orgId, t.orgId)));
      if (!branch) throw new AppError('org.invalid_reference', { entity: 'branch' }, { field: 'branchId' });
    }
    if (data.teamId) {
      const [team] = await t.tx.select({ id: teams.id }).from(teams).where(and(eq(teams.id, data.teamId), eq(teams.orgId, t.orgId)));
      if (!team) throw new AppError('org.invalid_reference', { entity: 'team' }, { field: 'teamId' });
    }
    for (const [field, personId] of [['ownerId', data.ownerId], ['agentId', data.agentId]] as const) {
      if (!personId) continue;
      const [person] = await t.tx.select({ id: staff.id, active: staff.active }).from(staff).where(and(eq(staff.id, personId), eq(staff.orgId, t.orgId)));
      if (!person?.active) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field });
    }
    if (data.requestId) {
      const [request] = await t.tx.select({ orgId: requests.orgId, branchId: requests.branchId }).from(requests).where(and(eq(requests.id, data.requestId), eq(requests.orgId, t.orgId)));
      if (!request) throw new AppError('org.invalid_reference', { entity: 'request' }, { field: 'requestId' });
      authorize(t, 'request.read', { ...request, entity: 'request' }, 'request.read');
    }
    const { row: created } = await raiseFindingTx(t, {
      source: data.source, sourceKey: `${data.source}:${randomUUID()}`, sourceRef: data.reference ? { reference: data.reference } : {},
      requestId: data.requestId ?? null, finding: data.finding, agentId: data.agentId ?? null, teamId: data.teamId ?? null, branchId: data.branchId ?? null, ownerId: data.ownerId ?? null,
    });
    return created;
  });
  return presentAction(ctx.app.database.db, ctx, row);
}

/** The actions of a request (its own and those that link it), for the request page. */
export async function actionsOfRequest(exec: Executor, ctx: Ctx, requestId: string): Promise<C.CaView[]> {
  const linked = exec.select({ id: correctiveActionRequests.actionId }).from(correctiveActionRequests).where(and(eq(correctiveActionRequests.orgId, ctx.orgId), eq(correctiveActionRequests.requestId, requestId)));
  const rows = await exec
    .select()
    .from(correctiveActions)
    .where(and(eq(correctiveActions.orgId, ctx.orgId), or(eq(correctiveActions.requestId, requestId), inArray(correctiveActions.id, linked))))
    .orderBy(desc(correctiveActions.createdAt));
  return presentActions(exec, ctx, rows.filter((r) => can(ctx.actor, 'corrective.read', resourceOf(r))));
}
