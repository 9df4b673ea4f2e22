/**
 * Requests: registration, the closed loop, assignment and transfer, escalation to the special team, messages
 * and notes. Each exported `(ctx, …)` function is one write path (authorize, validate, one transaction,
 * audit, events); the `…Tx` functions are the same work inside a caller's transaction, for the channels.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Actor, type Ctx, type TxCtx } from '../../core/context.js';
import { encrypt, lookupHash, normalizePhone } from '../../core/crypto.js';
import { rowsOf, type Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize, can } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { localDateOf } from '../calendars/calendar.js';
import { compiledOf } from '../calendars/service.js';
import { cancelClocks, meetClocks, pauseClocks, resumeClocks } from '../clocks/service.js';
import { applyTargets, reapplyTargets } from '../commitments/apply-targets.js';
import type { StartEvent } from '../commitments/contracts.js';
import { normalizeChain } from '../notifications/recipients.js';
import { notifyAssignmentTx, notifyEscalationTx, notifyMentionsTx } from '../notifications/service.js';
import { branches, customers, staff, teamMembers, teams } from '../org/schema.js';
import { queueEmailReply } from '../channels/email-outbound.js';
import { attachPending, DEFAULT_TYPES } from './attachments.js';
import * as C from './contracts.js';
import { allowedActions, transition, type LoopAction, type LoopState } from './loop.js';
import { afterCustomerConfirm, afterRequestStep } from './step-hooks.js';
import { factsOf, loadRequest, refreshNextDue, requestEvent, resource, snapshot, startEvent, SUBJECT, viewRequest, type RequestRow } from './records.js';
import { requestCategories, requestEvents, requestMessages, requestSettings, requests } from './schema.js';
import { searchDocument } from './search.js';
import { settingsOf, type RequestSettings } from './settings-of.js';
import { planRoute, recordRoute } from './routing.js';
import { branchesOf, categoriesOf, inactiveCategoriesOf, requestSettingsOf, versionsInForceOf } from './config.js';
import { generationColumns, primeGeneration } from '../../core/org-cache.js';
import { calendarsOf, type ClockView } from '../clocks/service.js';
import { randomUUID } from 'node:crypto';

export { loadRequest, viewRequest, type RequestRow };

export function actorName(actor: Actor): string {
  return actor.name;
}

function actorType(actor: Actor): string {
  return actor.kind;
}

// ---------- settings ----------

export { settingsOf, type RequestSettings };

function presentSettings(s: RequestSettings) {
  return {
    specialTeamId: s.specialTeamId, autoEscalateTypes: s.autoEscalateTypes as C.RequestType[], autoEscalateComplaintPriorities: s.autoEscalateComplaintPriorities as C.Priority[],
    notifyChain: normalizeChain(s.notifyChain) as C.RequestSettingsView['notifyChain'],
    maxAttachmentBytes: s.maxAttachmentBytes, allowedAttachmentTypes: s.allowedAttachmentTypes, inboundAddresses: s.inboundAddresses,
  };
}

/** The settings page's view: the settings plus the built-in attachment list (not part of the audit record). */
function withDefaultTypes(view: ReturnType<typeof presentSettings>): C.RequestSettingsView {
  return { ...view, defaultAttachmentTypes: Object.entries(DEFAULT_TYPES).map(([type, extensions]) => ({ type, extensions: [...extensions] })) };
}

export async function getRequestSettings(ctx: Ctx) {
  authorize(ctx, 'request.read');
  return withDefaultTypes(presentSettings(await settingsOf(ctx.app.database.db, ctx.orgId)));
}

export async function updateRequestSettings(ctx: Ctx, input: unknown) {
  authorize(ctx, 'request.configure');
  const data = parse(C.RequestSettingsInput, input);
  return transact(ctx, async (t) => {
    const before = await settingsOf(t.tx, t.orgId);
    if (data.specialTeamId) await requireTeam(t.tx, t.orgId, data.specialTeamId);
    const now = t.now();
    const values = {
      specialTeamId: data.specialTeamId === undefined ? before.specialTeamId : data.specialTeamId,
      autoEscalateTypes: data.autoEscalateTypes ?? before.autoEscalateTypes,
      autoEscalateComplaintPriorities: data.autoEscalateComplaintPriorities ?? before.autoEscalateComplaintPriorities,
      notifyChain: data.notifyChain ?? before.notifyChain,
      maxAttachmentBytes: data.maxAttachmentBytes ?? before.maxAttachmentBytes,
      allowedAttachmentTypes: data.allowedAttachmentTypes ?? before.allowedAttachmentTypes,
      inboundAddresses: (data.inboundAddresses ?? before.inboundAddresses).map((a) => a.toLowerCase()),
      updatedAt: now,
    };
    const [row] = await t.tx
      .insert(requestSettings)
      .values({ orgId: t.orgId, ...values, createdAt: now })
      .onConflictDoUpdate({ target: requestSettings.orgId, set: values })
      .returning();
    const view = presentSettings(row!);
    await audit(t, { action: 'request_settings.update', entityType: 'request_settings', entityId: t.orgId, before: presentSettings(before), after: view });
    await t.emit('request_settings.updated', { entityType: 'request_settings', entityId: t.orgId });
    return withDefaultTypes(view);
  });
}

// ---------- references ----------

async function requireTeam(exec: Executor, orgId: string, id: string) {
  const [row] = await exec.select().from(teams).where(and(eq(teams.id, id), eq(teams.orgId, orgId)));
  if (!row) throw new AppError('org.invalid_reference', { entity: 'team' }, { field: 'teamId' });
  return row;
}

/** A category a request may be filed under: the organization's, and still in use unless the request already has it. */
async function requireCategory(exec: Executor, orgId: string, id: string, currentId: string | null = null) {
  const [row] = await exec.select().from(requestCategories).where(and(eq(requestCategories.id, id), eq(requestCategories.orgId, orgId)));
  if (!row) throw new AppError('org.invalid_reference', { entity: 'category' }, { field: 'categoryId' });
  if (!row.active && row.id !== currentId) throw new AppError('request.category_inactive', {}, { field: 'categoryId' });
  return row;
}

/** Checks that a person may take a request of a team: active, in the organization, and in the team if one is given. */
async function requireAssignee(exec: Executor, orgId: string, assigneeId: string, teamId: string | null) {
  const [person] = await exec.select().from(staff).where(and(eq(staff.id, assigneeId), eq(staff.orgId, orgId)));
  if (!person) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field: 'assigneeId' });
  if (!person.active) throw new AppError('request.assignee_invalid', { why: 'inactive' });
  if (teamId) {
    const [member] = await exec.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.staffId, assigneeId)));
    if (!member) throw new AppError('request.assignee_invalid', { why: 'not_in_team' });
  }
  return person;
}

/** The team a new assignee works the request in: the current one if they belong to it, else their first active team, else none. */
async function teamOfAssignee(exec: Executor, assigneeId: string, currentTeamId: string): Promise<string | null> {
  const rows = await exec
    .select({ teamId: teamMembers.teamId, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.staffId, assigneeId), eq(teams.active, true)))
    .orderBy(teams.name);
  if (rows.some((r) => r.teamId === currentTeamId)) return currentTeamId;
  return rows[0]?.teamId ?? null;
}

async function recordEvent(
  t: TxCtx,
  row: RequestRow,
  e: { kind: string; action?: string | null; fromState?: string | null; toState?: string | null; reason?: string | null; responsibleId?: string | null; data?: Record<string, unknown> },
) {
  await t.tx.insert(requestEvents).values({
    orgId: t.orgId, requestId: row.id, kind: e.kind, action: e.action ?? null, fromState: e.fromState ?? null, toState: e.toState ?? null,
    reason: e.reason ?? null, responsibleId: e.responsibleId ?? null, data: e.data ?? {}, actorType: actorType(t.actor), actorId: actorId(t.actor),
    actorName: actorName(t.actor), at: t.now(),
  });
}

// ---------- registration ----------

export interface RegisterOptions {
  /** When the request reached the organization (a call's ring time, an e-mail's arrival); defaults to now. */
  at?: Date;
  /** The first customer message to store (e-mail body, chat line); defaults to none (the description holds it). */
  firstMessage?: { body: string; emailMessageId?: string | null; emailInReplyTo?: string | null; authorName?: string };
  /** Staff talking to the customer at registration (phone, walk-in): the first response happens now. */
  respondedAtRegistration?: boolean;
  /** When that first response happened if not at `at` (a call answered some seconds after it rang). */
  respondedAt?: Date;
  /** Skip routing rules (the caller assigns explicitly). */
  skipRouting?: boolean;
}

/** Registers a request inside the caller's transaction (no permission check: callers check their own). */
export async function registerRequestTx(t: TxCtx, input: C.RequestCreate, options: RegisterOptions = {}): Promise<RequestRow> {
  return (await register(t, input, options)).row;
}

/**
 * Registration. The organization's configuration (versions in force, calendars, settings, rules, webhooks,
 * categories, branches) comes from the configuration cache, checked current in the same round trip that
 * takes the tracking number's sequence value; clocks, routing and the final row are computed before the
 * request is written once. Returns the clocks as well when they are known without reading them back.
 */
async function register(t: TxCtx, input: C.RequestCreate, options: RegisterOptions): Promise<{ row: RequestRow; clocks: ClockView[] | null }> {
  const at = options.at ?? t.now();
  const [seq] = rowsOf<{ n: string; cfg_generation: string; cfg_own: boolean }>(
    await t.tx.execute(sql`SELECT nextval('request_number_seq')::text AS n, ${generationColumns(t.orgId)}`),
  );
  primeGeneration(t, seq!);
  let flags = new Set<string>(input.customerFlags);
  let contactName = input.contactName ?? null;
  let contactEmail = input.contactEmail ?? null;
  if (input.customerId) {
    const [customer] = await t.tx.select().from(customers).where(and(eq(customers.id, input.customerId), eq(customers.orgId, t.orgId)));
    if (!customer) throw new AppError('org.invalid_reference', { entity: 'customer' }, { field: 'customerId' });
    flags = new Set([...flags, ...customer.flags]);
    contactName ??= customer.name;
    contactEmail ??= customer.email;
  }
  if (input.categoryId && !(await categoriesOf(t)).has(input.categoryId)) throw new AppError('org.invalid_reference', { entity: 'category' }, { field: 'categoryId' });
  if (input.categoryId && (await inactiveCategoriesOf(t)).has(input.categoryId)) throw new AppError('request.category_inactive', {}, { field: 'categoryId' });
  const orgBranches = await branchesOf(t);
  const branchId = input.branchId ?? (t.actor.kind === 'staff' ? t.actor.branchId : orgBranches.headOfficeId);
  if (!branchId) throw new AppError('org.head_office_required');
  if (!orgBranches.ids.has(branchId)) throw new AppError('org.invalid_reference', { entity: 'branch' }, { field: 'branchId' });
  if (input.teamId) await requireTeam(t.tx, t.orgId, input.teamId);
  if (input.assigneeId) await requireAssignee(t.tx, t.orgId, input.assigneeId, input.teamId ?? null);
  const { fallback } = await calendarsOf(t);
  const day = (fallback ? localDateOf(compiledOf(fallback), at) : at.toISOString().slice(0, 10)).replaceAll('-', '');
  const id = randomUUID();
  const customerFlags = [...flags];

  // Clocks: the commitment versions in force now are pinned on the request.
  const events: StartEvent[] = input.type === 'complaint' ? ['request.registered', 'complaint.received', 'complaint.registered'] : ['request.registered'];
  const facts = { type: input.type, priority: input.priority, channel: input.channel, customerFlags: customerFlags as ('elderly' | 'disabled' | 'vip')[], branchId, departmentId: null };
  const applied = await applyTargets(t, { subjectType: SUBJECT, subjectId: id, facts, event: events, versions: await versionsInForceOf(t), at });
  const started = applied.clocks.map((c) => c.clock);
  const open = started.filter((c) => c.state === 'running' || c.state === 'breached').map((c) => Date.parse(c.dueAt));

  // Routing: the first matching rule sends the request to a team or a person.
  const plan = options.skipRouting || input.assigneeId ? null : await planRoute(t, { type: input.type, priority: input.priority, channel: input.channel, categoryId: input.categoryId ?? null, customerFlags, branchId, teamId: input.teamId ?? null });
  const registeredBy = actorId(t.actor);
  const respondedAt = options.respondedAtRegistration ? (options.respondedAt ?? at) : null;
  const phone = input.contactPhone ?? null;
  const [row] = await t.tx
    .insert(requests)
    .values({
      id, orgId: t.orgId, number: `${day}${seq!.n.padStart(6, '0')}`, type: input.type, priority: input.priority, channel: input.channel, state: 'registered',
      subject: input.subject, description: input.description, customerId: input.customerId ?? null, contactName, contactEmail: contactEmail?.toLowerCase() ?? null,
      contactPhoneEnc: phone ? encrypt(t.app.keys, phone) : null, contactPhoneHash: phone ? lookupHash(t.app.keys, 'phone', phone) : null,
      contactPhoneLast4: phone ? normalizePhone(phone).slice(-4) : null, customerFlags, categoryId: input.categoryId ?? null, branchId,
      teamId: plan ? plan.teamId : (input.teamId ?? null), assigneeId: plan ? plan.assigneeId : (input.assigneeId ?? null),
      responsibleId: plan?.assigneeId ?? input.assigneeId ?? registeredBy, tags: [...new Set(input.tags)],
      commitmentVersionIds: applied.versionIds, happened: events.map((event) => ({ event, at: at.toISOString() })), firstResponseAt: respondedAt,
      nextDueAt: open.length > 0 ? new Date(Math.min(...open)) : null,
      lastActivityAt: at, registeredById: registeredBy, createdAt: at, updatedAt: t.now(),
      searchVector: sql`${searchDocument([input.subject, input.description])}::tsvector`,
    })
    .returning();
  let request = row!;
  await recordEvent(t, request, { kind: 'register', toState: 'registered', responsibleId: input.assigneeId ?? registeredBy, data: { channel: input.channel } });
  if (options.firstMessage) {
    await addMessageRow(t, request, { kind: 'customer', body: options.firstMessage.body, authorName: options.firstMessage.authorName ?? contactName ?? '—', emailMessageId: options.firstMessage.emailMessageId ?? null, emailInReplyTo: options.firstMessage.emailInReplyTo ?? null, at });
  }
  if (input.attachmentIds.length > 0) await attachPending(t, request.id, null, input.attachmentIds);
  // Clocks met at registration: complaint registration itself, and the first response when staff talk to the customer.
  let changed = false;
  if (input.type === 'complaint' && started.some((c) => c.kind === 'complaint.registered')) changed = (await meetClocks(t, SUBJECT, request.id, ['complaint.registered'], at)).length > 0 || changed;
  if (respondedAt && started.some((c) => c.kind === 'first_response')) changed = (await meetClocks(t, SUBJECT, request.id, ['first_response'], respondedAt)).length > 0 || changed;
  if (plan) await recordRoute(t, request, plan);
  const escalated = await autoEscalate(t, request);
  if (escalated !== request) changed = true;
  if (changed) {
    await refreshNextDue(t, request.id);
    [request] = (await t.tx.select().from(requests).where(eq(requests.id, request.id))) as [RequestRow];
  }
  await audit(t, { action: 'request.register', entityType: 'request', entityId: request.id, after: snapshot(request) });
  await requestEvent(t, 'request.registered', request, { type: request.type, priority: request.priority, channel: request.channel });
  if (request.assigneeId) await notifyAssignmentTx(t, request);
  return { row: request, clocks: changed ? null : started };
}

/** Registers a request (登记) from the console or the API. */
export async function registerRequest(ctx: Ctx, input: unknown): Promise<C.RequestView> {
  const data = parse(C.RequestCreate, input);
  if (data.branchId) authorize(ctx, 'request.create', { orgId: ctx.orgId, branchId: data.branchId, entity: 'request' });
  else authorize(ctx, 'request.create');
  const { row, clocks } = await transact(ctx, async (t) =>
    register(t, data, { respondedAtRegistration: data.channel === 'phone' || data.channel === 'walk_in' }),
  );
  // The view is built from what was just written; only names the caller does not know are read.
  const staffNames = new Map(ctx.actor.kind === 'staff' ? [[ctx.actor.id, ctx.actor.name]] : []);
  return viewRequest(ctx.app.database.db, ctx, row, clocks ? { clocks, staffNames } : { staffNames });
}

// ---------- escalation ----------

/** Escalates a request to the special team (专项小组); its own clocks (request.escalated targets) start now. */
export async function escalateTx(t: TxCtx, row: RequestRow, reason: string): Promise<RequestRow> {
  if (row.escalatedAt) throw new AppError('request.already_escalated');
  const settings = await requestSettingsOf(t);
  if (!settings.specialTeamId) throw new AppError('request.no_special_team');
  const at = t.now();
  const [updated] = await t.tx
    .update(requests)
    .set({ escalatedAt: at, escalationTeamId: settings.specialTeamId, teamId: settings.specialTeamId, lastActivityAt: at, updatedAt: at })
    .where(eq(requests.id, row.id))
    .returning();
  const request = updated!;
  await startEvent(t, request, 'request.escalated', at);
  await recordEvent(t, request, { kind: 'escalate', reason, data: { teamId: settings.specialTeamId, fromTeamId: row.teamId } });
  await refreshNextDue(t, request.id);
  await audit(t, { action: 'request.escalate', entityType: 'request', entityId: request.id, before: { escalatedAt: null }, after: { escalatedAt: at, escalationTeamId: settings.specialTeamId, reason } });
  await requestEvent(t, 'request.escalated', request, { teamId: settings.specialTeamId, reason, urgent: request.priority !== 'general' || request.type === 'urgent_fault' });
  await notifyEscalationTx(t, request, reason, row.teamId);
  return request;
}

/** Major complaints and urgent faults (as the settings say) go to the special team at once. */
async function autoEscalate(t: TxCtx, row: RequestRow): Promise<RequestRow> {
  if (row.escalatedAt) return row;
  const settings = await requestSettingsOf(t);
  const due = settings.autoEscalateTypes.includes(row.type) || (row.type === 'complaint' && settings.autoEscalateComplaintPriorities.includes(row.priority));
  if (!due || !settings.specialTeamId) return row;
  return escalateTx(t, row, row.type === 'complaint' ? 'auto: major complaint' : `auto: ${row.type}`);
}

export async function escalateRequest(ctx: Ctx, id: string, input: unknown) {
  const data = parse(C.EscalateInput, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadRequest(t.tx, t, id, true);
    authorize(t, 'request.handle', resource(current), 'request.read');
    assertOpen(current);
    return escalateTx(t, current, data.reason);
  });
  return viewRequest(ctx.app.database.db, ctx, await loadRequest(ctx.app.database.db, ctx, row.id));
}

/** The special team takes up an escalated request: its emergency-response clock is met. */
export async function acknowledgeEscalation(ctx: Ctx, id: string) {
  const row = await transact(ctx, async (t) => {
    const current = await loadRequest(t.tx, t, id, true);
    authorize(t, 'request.handle', resource(current), 'request.read');
    if (!current.escalatedAt) throw new AppError('request.illegal_transition', { status: current.state, action: 'acknowledge', allowed: allowedActions(current.state as LoopState).join(',') });
    const met = await meetClocks(t, SUBJECT, current.id, ['emergency_response']);
    await recordEvent(t, current, { kind: 'escalation_ack', responsibleId: actorId(t.actor) });
    await refreshNextDue(t, current.id);
    await audit(t, { action: 'request.escalation_ack', entityType: 'request', entityId: current.id, after: { clocks: met.map((c) => c.id) } });
    await requestEvent(t, 'request.escalation_acknowledged', current);
    return current;
  });
  return viewRequest(ctx.app.database.db, ctx, await loadRequest(ctx.app.database.db, ctx, row.id));
}

// ---------- the loop ----------

function assertOpen(row: RequestRow) {
  if (row.state === 'archived' || row.state === 'merged') throw new AppError('request.closed', { status: row.state });
}

const NEEDS_REASON: ReadonlySet<LoopAction> = new Set(['reopen', 'merge', 'wait_customer']);

/** Applies one step of the loop inside a transaction. */
export async function transitionTx(t: TxCtx, current: RequestRow, input: C.TransitionInput): Promise<RequestRow> {
  const result = transition(current.state as LoopState, input.action);
  if (!result.ok) {
    throw new AppError('request.illegal_transition', { status: result.from, action: result.action, allowed: result.allowed.join(',') }, { from: result.from, action: result.action, allowed: result.allowed });
  }
  if (NEEDS_REASON.has(input.action) && !input.reason) throw new AppError('request.reason_required');
  if (input.action === 'start_handling' && !current.assigneeId) throw new AppError('request.assignee_invalid', { why: 'unassigned' });
  const at = t.now();
  const responsibleId = input.responsibleId ?? current.assigneeId ?? actorId(t.actor);
  if (input.responsibleId) await requireAssignee(t.tx, t.orgId, input.responsibleId, null);
  const changes: Partial<RequestRow> = { state: result.to, responsibleId, lastActivityAt: at, updatedAt: at };
  switch (input.action) {
    case 'start_handling':
      await meetClocks(t, SUBJECT, current.id, ['initial_solution'], at);
      break;
    case 'wait_customer':
      await pauseClocks(t, SUBJECT, current.id, at);
      break;
    case 'customer_replied':
      await resumeClocks(t, SUBJECT, current.id, at);
      break;
    case 'deliver_result': {
      if (input.result) await addMessageTx(t, current, { kind: 'reply', body: input.result, mentions: [], attachmentIds: [] });
      else if (!current.firstResponseAt) throw new AppError('request.result_required');
      await meetClocks(t, SUBJECT, current.id, ['resolved', 'result.delivered'], at);
      changes.resolvedAt = at;
      break;
    }
    case 'archive':
      await meetClocks(t, SUBJECT, current.id, ['archived'], at);
      await cancelClocks(t, SUBJECT, current.id, at);
      changes.archivedAt = at;
      break;
    case 'reopen':
      changes.reopenCount = current.reopenCount + 1;
      changes.resolvedAt = null;
      changes.confirmedAt = null;
      changes.archivedAt = null;
      break;
    case 'merge': {
      if (!input.mergeIntoId || input.mergeIntoId === current.id) throw new AppError('request.merge_invalid', { why: 'self' });
      const target = await loadRequest(t.tx, t, input.mergeIntoId, true);
      if (target.state === 'archived' || target.state === 'merged') throw new AppError('request.merge_invalid', { why: 'target_closed' });
      await cancelClocks(t, SUBJECT, current.id, at);
      changes.mergedIntoId = target.id;
      await addMessageRow(t, target, { kind: 'system', body: `merged:${current.number}`, authorName: actorName(t.actor), at });
      await recordEvent(t, target, { kind: 'merge', data: { from: current.id, fromNumber: current.number }, reason: input.reason ?? null });
      break;
    }
    default:
      break;
  }
  const [updated] = await t.tx.update(requests).set(changes).where(eq(requests.id, current.id)).returning();
  let request = updated!;
  if (input.action === 'customer_replied') await startEvent(t, request, 'customer.replied', at);
  if (input.action === 'reopen') await startEvent(t, request, 'request.reopened', at);
  await recordEvent(t, request, { kind: 'transition', action: input.action, fromState: current.state, toState: result.to, reason: input.reason ?? null, responsibleId, data: input.mergeIntoId ? { mergeIntoId: input.mergeIntoId } : {} });
  await refreshNextDue(t, request.id);
  [request] = (await t.tx.select().from(requests).where(eq(requests.id, request.id))) as [RequestRow];
  await audit(t, { action: `request.${input.action}`, entityType: 'request', entityId: request.id, before: { state: current.state }, after: { state: request.state, reason: input.reason ?? null, responsibleId } });
  await requestEvent(t, 'request.transitioned', request, { action: input.action, from: current.state, to: result.to });
  await afterRequestStep(t, { action: input.action, before: current, after: request });
  return request;
}

export async function transitionRequest(ctx: Ctx, id: string, input: unknown): Promise<C.RequestView> {
  const data = parse(C.TransitionInput, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadRequest(t.tx, t, id, true);
    authorize(t, 'request.handle', resource(current), 'request.read');
    return transitionTx(t, current, data);
  });
  return viewRequest(ctx.app.database.db, ctx, await loadRequest(ctx.app.database.db, ctx, row.id));
}

// ---------- classification and facts ----------

export async function updateRequest(ctx: Ctx, id: string, input: unknown): Promise<C.RequestView> {
  const data = parse(C.RequestUpdate, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadRequest(t.tx, t, id, true);
    authorize(t, 'request.handle', resource(current), 'request.read');
    assertOpen(current);
    if (data.categoryId) await requireCategory(t.tx, t.orgId, data.categoryId, current.categoryId);
    let flags = data.customerFlags ?? current.customerFlags;
    if (data.customerId) {
      const [customer] = await t.tx.select().from(customers).where(and(eq(customers.id, data.customerId), eq(customers.orgId, t.orgId)));
      if (!customer) throw new AppError('org.invalid_reference', { entity: 'customer' }, { field: 'customerId' });
      flags = [...new Set([...flags, ...customer.flags])];
    }
    const at = t.now();
    const changes: Partial<RequestRow> = { updatedAt: at, lastActivityAt: at, customerFlags: flags };
    if (data.type) changes.type = data.type;
    if (data.priority) changes.priority = data.priority;
    if (data.subject) changes.subject = data.subject;
    if (data.description !== undefined) changes.description = data.description;
    if (data.customerId !== undefined) changes.customerId = data.customerId;
    if (data.categoryId !== undefined) changes.categoryId = data.categoryId;
    if (data.tags) changes.tags = [...new Set(data.tags)];
    const [updated] = await t.tx.update(requests).set(changes).where(eq(requests.id, current.id)).returning();
    let request = updated!;
    if (data.subject || data.description !== undefined) await reindex(t, request.id);
    const factsChanged = request.type !== current.type || request.priority !== current.priority || request.customerFlags.join() !== current.customerFlags.join();
    if (factsChanged) {
      let happened = request.happened.map((h) => ({ event: h.event as StartEvent, at: new Date(h.at) }));
      // A request reclassified as a complaint: its complaint clocks count from registration.
      if (request.type === 'complaint' && !happened.some((h) => h.event === 'complaint.registered')) {
        const registeredAt = request.createdAt;
        happened = [...happened, { event: 'complaint.received', at: registeredAt }, { event: 'complaint.registered', at: registeredAt }];
        await t.tx.update(requests).set({ happened: happened.map((h) => ({ event: h.event, at: h.at.toISOString() })) }).where(eq(requests.id, request.id));
      }
      await reapplyTargets(t, { subjectType: SUBJECT, subjectId: request.id, facts: factsOf(request), pinnedVersionIds: request.commitmentVersionIds, happened });
      if (request.type === 'complaint') await meetClocks(t, SUBJECT, request.id, ['complaint.registered'], at);
      if (request.firstResponseAt) await meetClocks(t, SUBJECT, request.id, ['first_response'], at);
      request = await autoEscalate(t, request);
      await refreshNextDue(t, request.id);
    }
    [request] = (await t.tx.select().from(requests).where(eq(requests.id, request.id))) as [RequestRow];
    await recordEvent(t, request, { kind: 'update', reason: data.reason ?? null, data: { fields: Object.keys(data).filter((k) => k !== 'reason') } });
    await audit(t, { action: 'request.update', entityType: 'request', entityId: request.id, before: snapshot(current), after: snapshot(request) });
    await requestEvent(t, 'request.updated', request, { fields: Object.keys(data).filter((k) => k !== 'reason') });
    return request;
  });
  return viewRequest(ctx.app.database.db, ctx, await loadRequest(ctx.app.database.db, ctx, row.id));
}

/** Assignment (分派) or, once handling has started, transfer (转派, a reason is required). */
export async function assignTx(t: TxCtx, current: RequestRow, data: C.AssignInput): Promise<RequestRow> {
  assertOpen(current);
  const branchId = data.branchId ?? current.branchId;
  if (data.branchId) {
    const [branch] = await t.tx.select({ id: branches.id }).from(branches).where(and(eq(branches.id, data.branchId), eq(branches.orgId, t.orgId)));
    if (!branch) throw new AppError('org.invalid_reference', { entity: 'branch' }, { field: 'branchId' });
    authorize(t, 'request.assign', { orgId: t.orgId, branchId: data.branchId, entity: 'request' });
  }
  const assigneeId = data.assigneeId === undefined ? current.assigneeId : data.assigneeId;
  let teamId = data.teamId === undefined ? current.teamId : data.teamId;
  // A person given (or taking) a request without naming a team brings it into a team of theirs, or into
  // none, rather than being refused for not belonging to the team it was routed to.
  // An escalated request stays with the special team.
  if (data.teamId === undefined && assigneeId && assigneeId !== current.assigneeId && teamId && teamId !== current.escalationTeamId) {
    teamId = await teamOfAssignee(t.tx, assigneeId, teamId);
  }
  if (teamId && teamId !== current.teamId) await requireTeam(t.tx, t.orgId, teamId);
  if (assigneeId) await requireAssignee(t.tx, t.orgId, assigneeId, teamId);
  const isTransfer = current.state !== 'registered' && current.state !== 'analysing' && current.assigneeId !== null;
  if (isTransfer && !data.reason) throw new AppError('request.reason_required');
  const at = t.now();
  const [updated] = await t.tx
    .update(requests)
    .set({ branchId, teamId, assigneeId, responsibleId: assigneeId ?? current.responsibleId, lastActivityAt: at, updatedAt: at })
    .where(eq(requests.id, current.id))
    .returning();
  const request = updated!;
  const kind = isTransfer ? 'transfer' : 'assign';
  await recordEvent(t, request, {
    kind, reason: data.reason ?? null, responsibleId: request.responsibleId,
    data: { fromTeamId: current.teamId, toTeamId: teamId, fromAssigneeId: current.assigneeId, toAssigneeId: assigneeId, fromBranchId: current.branchId, toBranchId: branchId },
  });
  await audit(t, { action: `request.${kind}`, entityType: 'request', entityId: request.id, before: { branchId: current.branchId, teamId: current.teamId, assigneeId: current.assigneeId }, after: { branchId, teamId, assigneeId, reason: data.reason ?? null } });
  await requestEvent(t, 'request.assigned', request, { teamId, assigneeId, transfer: isTransfer });
  if (assigneeId && assigneeId !== current.assigneeId) await notifyAssignmentTx(t, request, isTransfer);
  return request;
}

export async function assignRequest(ctx: Ctx, id: string, input: unknown): Promise<C.RequestView> {
  const data = parse(C.AssignInput, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadRequest(t.tx, t, id, true);
    // Taking an unassigned request for oneself is handling; giving it to others is assigning.
    const self = data.assigneeId === actorId(t.actor) && data.teamId === undefined && data.branchId === undefined;
    authorize(t, self && current.assigneeId === null ? 'request.handle' : 'request.assign', resource(current), 'request.read');
    return assignTx(t, current, data);
  });
  return viewRequest(ctx.app.database.db, ctx, await loadRequest(ctx.app.database.db, ctx, row.id));
}

// ---------- messages ----------

async function addMessageRow(
  t: TxCtx,
  row: RequestRow,
  m: { kind: 'customer' | 'reply' | 'note' | 'system'; body: string; authorName: string; mentions?: string[]; emailMessageId?: string | null; emailInReplyTo?: string | null; at?: Date; channel?: string },
) {
  const [message] = await t.tx
    .insert(requestMessages)
    .values({
      orgId: t.orgId, requestId: row.id, kind: m.kind, channel: m.channel ?? row.channel, body: m.body, authorStaffId: t.actor.kind === 'staff' && m.kind !== 'customer' ? t.actor.id : null,
      authorName: m.authorName, mentions: m.mentions ?? [], emailMessageId: m.emailMessageId ?? null, emailInReplyTo: m.emailInReplyTo ?? null, createdAt: m.at ?? t.now(),
    })
    .returning();
  // Rebuilt from every text rather than appended, so the vector stays within its bounded size.
  if (m.kind !== 'system') await reindex(t, row.id);
  return message!;
}

async function reindex(t: TxCtx, requestId: string) {
  const [row] = await t.tx.select({ subject: requests.subject, description: requests.description }).from(requests).where(eq(requests.id, requestId));
  const bodies = await t.tx.select({ body: requestMessages.body }).from(requestMessages).where(and(eq(requestMessages.requestId, requestId), inArray(requestMessages.kind, ['customer', 'reply', 'note'])));
  await t.tx.update(requests).set({ searchVector: sql`${searchDocument([row!.subject, row!.description, ...bodies.map((b) => b.body)])}::tsvector` }).where(eq(requests.id, requestId));
}

export type MessageRow = typeof requestMessages.$inferSelect;

/**
 * A reply to the customer or an internal note, by staff. A reply meets the first-response and next-reply
 * clocks; the reply leaves the system through the request's channel (e-mail: queueEmailReply puts the threaded
 * mail in the outbox, in this transaction).
 */
export async function addMessageTx(t: TxCtx, row: RequestRow, input: C.MessageCreate, extra: { emailMessageId?: string | null } = {}): Promise<MessageRow> {
  if (row.state === 'merged') throw new AppError('request.closed', { status: row.state });
  if (input.kind === 'reply' && row.state === 'archived') throw new AppError('request.closed', { status: row.state });
  if (input.mentions.length > 0) {
    const found = await t.tx.select({ id: staff.id }).from(staff).where(and(eq(staff.orgId, t.orgId), inArray(staff.id, input.mentions)));
    if (found.length !== new Set(input.mentions).size) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field: 'mentions' });
  }
  const at = t.now();
  const message = await addMessageRow(t, row, { kind: input.kind, body: input.body, authorName: actorName(t.actor), mentions: [...new Set(input.mentions)], emailMessageId: extra.emailMessageId ?? null, at });
  if (input.attachmentIds.length > 0) await attachPending(t, row.id, message.id, input.attachmentIds);
  // A reply on an e-mail conversation leaves as threaded mail through the outbox, in this transaction.
  if (input.kind === 'reply') await queueEmailReply(t, row, message);
  const changes: Partial<RequestRow> = { lastActivityAt: at, updatedAt: at };
  if (input.kind === 'reply') {
    await meetClocks(t, SUBJECT, row.id, row.firstResponseAt ? ['next_reply'] : ['first_response', 'next_reply'], at);
    if (!row.firstResponseAt) changes.firstResponseAt = at;
  }
  await t.tx.update(requests).set(changes).where(eq(requests.id, row.id));
  Object.assign(row, changes);
  if (input.kind === 'reply') await refreshNextDue(t, row.id);
  await audit(t, { action: input.kind === 'reply' ? 'request.reply' : 'request.note', entityType: 'request', entityId: row.id, after: { messageId: message.id, mentions: message.mentions } });
  await requestEvent(t, input.kind === 'reply' ? 'request.replied' : 'request.noted', row, { messageId: message.id, kind: input.kind, mentions: message.mentions, channel: row.channel });
  await notifyMentionsTx(t, row, message);
  return message;
}

export async function addMessage(ctx: Ctx, id: string, input: unknown): Promise<{ id: string }> {
  const data = parse(C.MessageCreate, input);
  return transact(ctx, async (t) => {
    const current = await loadRequest(t.tx, t, id, true);
    authorize(t, 'request.handle', resource(current), 'request.read');
    const message = await addMessageTx(t, current, data);
    return { id: message.id };
  });
}

/**
 * A message from the customer (portal, e-mail, chat) inside the caller's transaction. A customer writing
 * while the request waits on them resumes it; one writing after the result was delivered is recorded (the
 * confirmation decides about reopening).
 */
export async function customerMessageTx(
  t: TxCtx,
  row: RequestRow,
  m: { body: string; authorName: string; channel?: string; emailMessageId?: string | null; emailInReplyTo?: string | null; attachmentIds?: string[] },
): Promise<MessageRow> {
  if (row.state === 'merged') throw new AppError('request.closed', { status: row.state });
  const at = t.now();
  const message = await addMessageRow(t, row, { kind: 'customer', body: m.body, authorName: m.authorName, channel: m.channel, emailMessageId: m.emailMessageId ?? null, emailInReplyTo: m.emailInReplyTo ?? null, at });
  if (m.attachmentIds && m.attachmentIds.length > 0) await attachPending(t, row.id, message.id, m.attachmentIds);
  await t.tx.update(requests).set({ lastActivityAt: at, lastCustomerMessageAt: at, updatedAt: at }).where(eq(requests.id, row.id));
  if (row.state === 'waiting_customer') {
    await transitionTx(t, row, { action: 'customer_replied', reason: null });
  } else if (row.state === 'handling' || row.state === 'analysing' || row.state === 'registered') {
    await startEvent(t, row, 'customer.replied', at);
    await refreshNextDue(t, row.id);
  }
  await audit(t, { action: 'request.customer_message', entityType: 'request', entityId: row.id, after: { messageId: message.id, channel: m.channel ?? row.channel } });
  await requestEvent(t, 'request.customer_message', row, { messageId: message.id, channel: m.channel ?? row.channel });
  return message;
}

/**
 * The customer's confirmation in the feedback step: solved → archived with the rating; not solved →
 * reopened (it counts against first-contact resolution).
 */
export async function customerConfirmTx(t: TxCtx, row: RequestRow, input: { solved: boolean; rating?: number; comment?: string | null }): Promise<RequestRow> {
  if (row.state !== 'feedback') throw new AppError('request.not_awaiting_confirmation');
  const at = t.now();
  await t.tx.update(requests).set({ confirmedAt: input.solved ? at : null, rating: input.rating ?? null, ratingComment: input.comment ?? null, updatedAt: at }).where(eq(requests.id, row.id));
  const fresh = await loadRequest(t.tx, t, row.id, true);
  await afterCustomerConfirm(t, fresh, input);
  if (input.solved) return transitionTx(t, fresh, { action: 'archive', reason: input.comment ?? null });
  return transitionTx(t, fresh, { action: 'reopen', reason: input.comment ?? 'customer: not solved' });
}

// ---------- bulk ----------

/** Bulk assign and/or transition: all or nothing, in one transaction. */
export async function bulkUpdate(ctx: Ctx, input: unknown): Promise<{ updated: number }> {
  const data = parse(C.BulkInput, input);
  if (!data.assign && !data.transition) return { updated: 0 };
  return transact(ctx, async (t) => {
    for (const id of [...new Set(data.ids)]) {
      let current = await loadRequest(t.tx, t, id, true);
      if (data.assign) {
        authorize(t, 'request.assign', resource(current), 'request.read');
        current = await assignTx(t, current, data.assign);
      }
      if (data.transition) {
        authorize(t, 'request.handle', resource(current), 'request.read');
        await transitionTx(t, current, data.transition);
      }
    }
    return { updated: new Set(data.ids).size };
  });
}

/** May the actor read this request? (For channels that show a request to staff.) */
export function canRead(ctx: Ctx, row: RequestRow): boolean {
  return can(ctx.actor, 'request.read', resource(row));
}
