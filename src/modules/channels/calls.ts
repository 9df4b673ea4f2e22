/**
 * The phone channel: call records from the telephony system (API, CSV import) or typed in, the answer delay
 * as the phone's response time, and the two ways an agent deals with a call — turn it into a request, or
 * log it as resolved at first contact (a request registered and walked through the whole loop at once).
 *
 * A call belongs to the branch of its agent. Calls nobody took (no agent) are the shared hotline queue:
 * every holder of `call.manage` may deal with them, and branch-scoped staff see them too.
 */
import { and, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Ctx, type TxCtx } from '../../core/context.js';
import { decrypt, encrypt, lookupHash, maskPhone, normalizePhone, type Keys } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import type { Locale } from '../../core/i18n.js';
import { authorize, branchFilter, can } from '../../core/policy.js';
import { localizeIssues, parse } from '../../core/validate.js';
import { customers, organizations, staff } from '../org/schema.js';
import { RequestCreate } from '../requests/contracts.js';
import { requests } from '../requests/schema.js';
import { registerRequestTx, transitionTx, type RequestRow } from '../requests/service.js';
import * as C from './calls-contracts.js';
import { decodeCsv, mapHeader, parseCellTime, parseDirection, problemText, readTable, type CsvField, type RowProblem } from './calls-csv.js';
import { calls } from './schema.js';
import { serviceLevel } from './service-level.js';

type CallRow = typeof calls.$inferSelect;

/** Limits of one CSV import: bigger exports are imported in parts. */
export const MAX_IMPORT_ROWS = 50_000;
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Telephony clocks drift a little; a ring time further ahead than this is refused. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** The service level is computed from the calls themselves: one query's worth of them. */
const MAX_RANGE_DAYS = 366;
/** Rows listed in a `csv.invalid` error's details. */
const MAX_REPORTED_ERRORS = 500;

// ---------- the record ----------

/** A call as sent (API or CSV row), before encryption; null means "not given". */
interface Incoming {
  externalId: string | null;
  direction: C.CallDirection | null;
  caller: string | null;
  line: string | null;
  ringAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  agentId: string | null;
  recordingUrl: string | null;
  notes: string | null;
}

interface TimeProblem {
  field: CsvField;
  problem: RowProblem;
}

/** The order of the times: ring ≤ answer ≤ end (and ring ≤ end for calls nobody answered), ring not ahead of now. */
function timeProblems(r: { ringAt: Date; answeredAt: Date | null; endedAt: Date | null }, now: Date): TimeProblem[] {
  const out: TimeProblem[] = [];
  if (r.ringAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) out.push({ field: 'ring_at', problem: 'future' });
  if (r.answeredAt && r.answeredAt < r.ringAt) out.push({ field: 'answered_at', problem: 'answer_before_ring' });
  if (r.endedAt && r.answeredAt && r.endedAt < r.answeredAt) out.push({ field: 'ended_at', problem: 'end_before_answer' });
  else if (r.endedAt && r.endedAt < r.ringAt) out.push({ field: 'ended_at', problem: 'end_before_ring' });
  return out;
}

function callerColumns(keys: Keys, phone: string | null) {
  return {
    callerPhoneEnc: phone ? encrypt(keys, phone) : null,
    callerPhoneHash: phone ? lookupHash(keys, 'phone', phone) : null,
    callerPhoneLast4: phone ? normalizePhone(phone).slice(-4) : null,
  };
}

/** The columns of a new call. Unanswered calls start as missed; answered ones as open (not yet dealt with). */
function newRow(t: TxCtx, r: Incoming, customerId: string | null): typeof calls.$inferInsert {
  const now = t.now();
  return {
    orgId: t.orgId, externalId: r.externalId, direction: r.direction ?? 'inbound', ...callerColumns(t.app.keys, r.caller), line: r.line,
    ringAt: r.ringAt, answeredAt: r.answeredAt, endedAt: r.endedAt, agentId: r.agentId, recordingUrl: r.recordingUrl, notes: r.notes,
    outcome: r.answeredAt ? 'open' : 'missed', customerId, createdAt: now, updatedAt: now,
  };
}

/**
 * What a record sent again (same externalId) changes on the stored call. Only values it carries count: an
 * empty cell in a later export does not erase notes an agent wrote. Null when nothing changes (skipped).
 */
function mergeChanges(keys: Keys, row: CallRow, r: Incoming): Partial<CallRow> | null {
  const changes: Partial<CallRow> = {};
  const differs = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) !== (b?.getTime() ?? null);
  if (r.direction && r.direction !== row.direction) changes.direction = r.direction;
  if (r.caller && lookupHash(keys, 'phone', r.caller) !== row.callerPhoneHash) Object.assign(changes, callerColumns(keys, r.caller));
  if (r.line && r.line !== row.line) changes.line = r.line;
  if (differs(r.ringAt, row.ringAt)) changes.ringAt = r.ringAt;
  if (r.answeredAt && differs(r.answeredAt, row.answeredAt)) changes.answeredAt = r.answeredAt;
  if (r.endedAt && differs(r.endedAt, row.endedAt)) changes.endedAt = r.endedAt;
  if (r.agentId && r.agentId !== row.agentId) changes.agentId = r.agentId;
  if (r.recordingUrl && r.recordingUrl !== row.recordingUrl) changes.recordingUrl = r.recordingUrl;
  if (r.notes && r.notes !== row.notes) changes.notes = r.notes;
  if (Object.keys(changes).length === 0) return null;
  // A call first sent as missed and then with its answer time was answered after all.
  if (row.outcome === 'missed' && changes.answeredAt) changes.outcome = 'open';
  return changes;
}

/**
 * Emits a `call.*` event. It carries the branch of the call (its agent's; null for the shared queue) like
 * request events carry theirs, so the live stream shows it only to staff who reach that branch.
 */
async function callEvent(t: TxCtx, type: 'call.created' | 'call.updated' | 'call.handled', row: CallRow, data: Record<string, unknown> = {}): Promise<void> {
  const branchId = await branchOfStaff(t.tx, t.orgId, row.agentId);
  await t.emit(type, { entityType: 'call', entityId: row.id, data: { callId: row.id, outcome: row.outcome, agentId: row.agentId, branchId, ...data } });
}

// ---------- reading ----------

async function loadCall(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<CallRow> {
  const q = exec.select().from(calls).where(and(eq(calls.id, id), eq(calls.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'call' });
  return row;
}

async function branchOfStaff(exec: Executor, orgId: string, staffId: string | null): Promise<string | null> {
  if (!staffId) return null;
  const [row] = await exec.select({ branchId: staff.branchId }).from(staff).where(and(eq(staff.id, staffId), eq(staff.orgId, orgId)));
  return row?.branchId ?? null;
}

/** Checks an action on a call against the branch of its agent (calls nobody took are the shared queue). */
async function authorizeCall(ctx: Ctx, exec: Executor, row: CallRow, action: 'call.read' | 'call.manage'): Promise<void> {
  const branchId = await branchOfStaff(exec, ctx.orgId, row.agentId);
  if (action === 'call.manage' && branchId === null) {
    authorize(ctx, 'call.read', { orgId: row.orgId, branchId: null, entity: 'call' });
    authorize(ctx, 'call.manage');
    return;
  }
  authorize(ctx, action, { orgId: row.orgId, branchId, entity: 'call' }, 'call.read');
}

/** Resolves a staff reference: its id, or its username, or (failing that) its employee number. */
async function resolveAgentRefs(exec: Executor, orgId: string, refs: readonly string[]): Promise<Map<string, { id: string; branchId: string }[]>> {
  const out = new Map<string, { id: string; branchId: string }[]>();
  const wanted = [...new Set(refs)];
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const lower = chunk.map((r) => r.toLowerCase());
    const rows = await exec
      .select({ id: staff.id, username: staff.username, employeeNo: staff.employeeNo, branchId: staff.branchId })
      .from(staff)
      .where(and(eq(staff.orgId, orgId), or(inArray(sql`lower(${staff.username})`, lower), inArray(staff.employeeNo, chunk))));
    for (const ref of chunk) {
      const byName = rows.filter((r) => r.username.toLowerCase() === ref.toLowerCase());
      const matches = byName.length > 0 ? byName : rows.filter((r) => r.employeeNo === ref);
      out.set(ref, matches.map((m) => ({ id: m.id, branchId: m.branchId })));
    }
  }
  return out;
}

/** The single customer of the organization with this phone hash, if exactly one has it. */
async function matchCustomers(exec: Executor, orgId: string, hashes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = [...new Set(hashes)];
  for (let i = 0; i < wanted.length; i += 1000) {
    const rows = await exec
      .select({ id: customers.id, hash: customers.phoneHash })
      .from(customers)
      .where(and(eq(customers.orgId, orgId), inArray(customers.phoneHash, wanted.slice(i, i + 1000))));
    const byHash = new Map<string, string[]>();
    for (const r of rows) if (r.hash) byHash.set(r.hash, [...(byHash.get(r.hash) ?? []), r.id]);
    for (const [hash, ids] of byHash) if (ids.length === 1) out.set(hash, ids[0]!);
  }
  return out;
}

const seconds = (from: Date | null, to: Date | null) => (from && to ? (to.getTime() - from.getTime()) / 1000 : null);

/** Calls → views with their agents, requests and customers (three queries for a page). */
async function presentCalls(exec: Executor, ctx: Ctx, rows: CallRow[]): Promise<C.CallView[]> {
  const ids = <K extends 'agentId' | 'requestId' | 'customerId'>(key: K) => [...new Set(rows.map((r) => r[key]).filter((v): v is string => v !== null))];
  const [agents, reqs, custs] = await Promise.all([
    ids('agentId').length ? exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, ids('agentId'))) : [],
    ids('requestId').length ? exec.select({ id: requests.id, number: requests.number }).from(requests).where(inArray(requests.id, ids('requestId'))) : [],
    ids('customerId').length ? exec.select({ id: customers.id, name: customers.name }).from(customers).where(inArray(customers.id, ids('customerId'))) : [],
  ]);
  const agentNames = new Map(agents.map((a) => [a.id, a.name]));
  const numbers = new Map(reqs.map((r) => [r.id, r.number]));
  const customerNames = new Map(custs.map((c) => [c.id, c.name]));
  const unmask = can(ctx.actor, 'pii:read');
  return rows.map((row) => {
    const phone = row.callerPhoneEnc ? decrypt(ctx.app.keys, row.callerPhoneEnc) : null;
    return {
      id: row.id, externalId: row.externalId, direction: row.direction as C.CallDirection,
      caller: phone === null ? null : unmask ? phone : maskPhone(phone),
      line: row.line, ringAt: row.ringAt.toISOString(), answeredAt: row.answeredAt?.toISOString() ?? null, endedAt: row.endedAt?.toISOString() ?? null,
      answerSeconds: seconds(row.ringAt, row.answeredAt), talkSeconds: seconds(row.answeredAt, row.endedAt),
      agent: row.agentId ? { id: row.agentId, name: agentNames.get(row.agentId) ?? '?' } : null,
      recordingUrl: row.recordingUrl, notes: row.notes, outcome: row.outcome as C.CallOutcome,
      requestId: row.requestId, requestNumber: row.requestId ? (numbers.get(row.requestId) ?? null) : null,
      customer: row.customerId ? { id: row.customerId, name: customerNames.get(row.customerId) ?? '?' } : null,
      createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
    };
  });
}

/** The audit log's record of a call: the caller's number masked, always. */
function auditView(keys: Keys, row: CallRow) {
  return {
    externalId: row.externalId, direction: row.direction, caller: row.callerPhoneEnc ? maskPhone(decrypt(keys, row.callerPhoneEnc)) : null, line: row.line,
    ringAt: row.ringAt, answeredAt: row.answeredAt, endedAt: row.endedAt, agentId: row.agentId, recordingUrl: row.recordingUrl, notes: row.notes,
    outcome: row.outcome, requestId: row.requestId, customerId: row.customerId,
  };
}

async function detailOf(exec: Executor, ctx: Ctx, row: CallRow): Promise<C.CallDetail> {
  const [view] = await presentCalls(exec, ctx, [row]);
  let customerMatches: C.CustomerMatch[] = [];
  if (row.callerPhoneHash && can(ctx.actor, 'customer.read')) {
    const conditions: SQL[] = [eq(customers.orgId, ctx.orgId), eq(customers.phoneHash, row.callerPhoneHash)];
    const only = branchFilter(ctx.actor);
    if (only) conditions.push(or(isNull(customers.branchId), eq(customers.branchId, only))!);
    const found = await exec.select().from(customers).where(and(...conditions)).orderBy(customers.name).limit(5);
    const unmask = can(ctx.actor, 'pii:read');
    customerMatches = found.map((c) => {
      const phone = c.phoneEnc ? decrypt(ctx.app.keys, c.phoneEnc) : null;
      return { id: c.id, name: c.name, phone: phone === null ? null : unmask ? phone : maskPhone(phone), flags: c.flags as C.CustomerMatch['flags'] };
    });
  }
  let request: C.CallDetail['request'] = null;
  if (row.requestId) {
    const [r] = await exec.select({ id: requests.id, number: requests.number, state: requests.state }).from(requests).where(eq(requests.id, row.requestId));
    if (r) request = r;
  }
  return { ...view!, customerMatches, request };
}

type Cursor = [string, string];

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[0]))) {
      return value as Cursor;
    }
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', { summary: 'cursor' }, { field: 'cursor' });
}

/** Staff-scope condition: branch-scoped readers see their branch's agents' calls and the shared queue. */
function scopeCondition(ctx: Ctx): SQL | null {
  const only = branchFilter(ctx.actor);
  if (!only) return null;
  return or(isNull(calls.agentId), sql`${calls.agentId} IN (SELECT id FROM ${staff} WHERE ${staff.orgId} = ${ctx.orgId} AND ${staff.branchId} = ${only})`)!;
}

/** One page of calls, newest ring first (keyset: pass nextCursor as cursor). */
export async function listCalls(ctx: Ctx, query: unknown): Promise<C.CallPage> {
  authorize(ctx, 'call.read');
  const q = parse(C.CallListQuery, query);
  const conditions: SQL[] = [eq(calls.orgId, ctx.orgId)];
  const scope = scopeCondition(ctx);
  if (scope) conditions.push(scope);
  if (q.from) conditions.push(gte(calls.ringAt, new Date(q.from)));
  if (q.to) conditions.push(lt(calls.ringAt, new Date(q.to)));
  if (q.agentId) conditions.push(eq(calls.agentId, q.agentId));
  if (q.outcome?.length) conditions.push(inArray(calls.outcome, q.outcome));
  if (q.answered === true) conditions.push(sql`${calls.answeredAt} IS NOT NULL`);
  if (q.answered === false) conditions.push(isNull(calls.answeredAt));
  if (q.direction) conditions.push(eq(calls.direction, q.direction));
  if (q.phone) conditions.push(eq(calls.callerPhoneHash, lookupHash(ctx.app.keys, 'phone', q.phone)));
  if (q.cursor) {
    const [ringAt, id] = decodeCursor(q.cursor);
    conditions.push(sql`(${calls.ringAt}, ${calls.id}) < (${ringAt}::timestamptz, ${id}::uuid)`);
  }
  const db = ctx.app.database.db;
  const rows = await db.select().from(calls).where(and(...conditions)).orderBy(desc(calls.ringAt), desc(calls.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await presentCalls(db, ctx, page),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.ringAt.toISOString(), last.id]) : null,
  };
}

/** One call with the customers its caller's number matches and the request it became. */
export async function getCall(ctx: Ctx, id: string): Promise<C.CallDetail> {
  const db = ctx.app.database.db;
  const row = await loadCall(db, ctx, id);
  await authorizeCall(ctx, db, row, 'call.read');
  return detailOf(db, ctx, row);
}

// ---------- writing one call ----------

function callInvalid(locale: Locale, problems: (TimeProblem | RowProblem)[]): AppError {
  const list = problems.map((p) => (typeof p === 'string' ? problemText(locale, p) : `${p.field}: ${problemText(locale, p.problem)}`));
  return new AppError('call.invalid', { summary: list.join(locale === 'zh-CN' ? '；' : '; ') }, { problems: problems });
}

/** Resolves the agent of an API record (id, or username / employee number) and checks the actor may record their calls. */
async function agentOfInput(t: TxCtx, data: C.CallCreate): Promise<string | null> {
  let agentId: string | null = data.agentId ?? null;
  if (!agentId && data.agent) {
    const found = (await resolveAgentRefs(t.tx, t.orgId, [data.agent])).get(data.agent) ?? [];
    if (found.length === 0) throw callInvalid(t.locale, ['agent_unknown']);
    if (found.length > 1) throw callInvalid(t.locale, ['agent_ambiguous']);
    agentId = found[0]!.id;
  }
  if (!agentId) return null;
  const branchId = await branchOfStaff(t.tx, t.orgId, agentId);
  if (branchId === null) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field: 'agentId' });
  authorize(t, 'call.manage', { orgId: t.orgId, branchId, entity: 'call' });
  return agentId;
}

/**
 * Records one call. With an `externalId` already known the call is updated with what the record adds or
 * changes, or skipped when it brings nothing new — the result says which, so a telephony system may send
 * the same call again safely.
 */
export async function createCall(ctx: Ctx, input: unknown): Promise<C.CallWriteResult> {
  const data = parse(C.CallCreate, input);
  authorize(ctx, 'call.manage');
  const { result, row } = await transact(ctx, async (t) => {
    const incoming: Incoming = {
      externalId: data.externalId ?? null, direction: data.direction ?? null, caller: data.caller ?? null, line: data.line ?? null,
      ringAt: new Date(data.ringAt), answeredAt: data.answeredAt ? new Date(data.answeredAt) : null, endedAt: data.endedAt ? new Date(data.endedAt) : null,
      agentId: await agentOfInput(t, data), recordingUrl: data.recordingUrl ?? null, notes: data.notes ?? null,
    };
    const problems = timeProblems(incoming, t.now());
    if (problems.length > 0) throw callInvalid(t.locale, problems);

    const existingByExternal = async () =>
      incoming.externalId
        ? (await t.tx.select().from(calls).where(and(eq(calls.orgId, t.orgId), eq(calls.externalId, incoming.externalId))).for('update'))[0]
        : undefined;
    let existing = await existingByExternal();
    if (!existing) {
      const hash = incoming.caller ? lookupHash(t.app.keys, 'phone', incoming.caller) : null;
      const customerId = hash ? ((await matchCustomers(t.tx, t.orgId, [hash])).get(hash) ?? null) : null;
      // Two deliveries of the same call at once: the second finds the unique index taken and merges.
      const [created] = await t.tx.insert(calls).values(newRow(t, incoming, customerId)).onConflictDoNothing({ target: [calls.orgId, calls.externalId] }).returning();
      if (created) {
        await audit(t, { action: 'call.create', entityType: 'call', entityId: created.id, after: auditView(t.app.keys, created) });
        await callEvent(t, 'call.created', created);
        return { result: 'created' as const, row: created };
      }
      existing = await existingByExternal();
      if (!existing) throw new AppError('conflict.in_use', { entity: 'call' });
    }
    await authorizeCall(t, t.tx, existing, 'call.manage');
    return mergeInto(t, existing, incoming);
  });
  const db = ctx.app.database.db;
  const [view] = await presentCalls(db, ctx, [row]);
  return { result, call: view! };
}

async function mergeInto(t: TxCtx, existing: CallRow, incoming: Incoming): Promise<{ result: 'updated' | 'skipped'; row: CallRow }> {
  const changes = mergeChanges(t.app.keys, existing, incoming);
  if (!changes) return { result: 'skipped', row: existing };
  const merged = { ...existing, ...changes };
  const problems = timeProblems(merged, t.now());
  if (problems.length > 0) throw callInvalid(t.locale, problems);
  if (changes.callerPhoneHash && !existing.requestId) {
    changes.customerId = (await matchCustomers(t.tx, t.orgId, [changes.callerPhoneHash])).get(changes.callerPhoneHash) ?? null;
  }
  const [updated] = await t.tx.update(calls).set({ ...changes, updatedAt: t.now() }).where(eq(calls.id, existing.id)).returning();
  await audit(t, { action: 'call.update', entityType: 'call', entityId: existing.id, before: auditView(t.app.keys, existing), after: auditView(t.app.keys, updated!) });
  await callEvent(t, 'call.updated', updated!);
  return { result: 'updated', row: updated! };
}

/** Corrects a call afterwards: notes, agent, recording link. */
export async function updateCall(ctx: Ctx, id: string, input: unknown): Promise<C.CallView> {
  const data = parse(C.CallUpdate, input);
  const row = await transact(ctx, async (t) => {
    const current = await loadCall(t.tx, t, id, true);
    await authorizeCall(t, t.tx, current, 'call.manage');
    const changes: Partial<CallRow> = {};
    if (data.notes !== undefined) changes.notes = data.notes;
    if (data.recordingUrl !== undefined) changes.recordingUrl = data.recordingUrl;
    if (data.agentId !== undefined && data.agentId !== current.agentId) {
      if (data.agentId) {
        const branchId = await branchOfStaff(t.tx, t.orgId, data.agentId);
        if (branchId === null) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field: 'agentId' });
        authorize(t, 'call.manage', { orgId: t.orgId, branchId, entity: 'call' });
      }
      changes.agentId = data.agentId;
    }
    const [updated] = await t.tx.update(calls).set({ ...changes, updatedAt: t.now() }).where(eq(calls.id, id)).returning();
    await audit(t, { action: 'call.update', entityType: 'call', entityId: id, before: auditView(t.app.keys, current), after: auditView(t.app.keys, updated!) });
    await callEvent(t, 'call.updated', updated!);
    return updated!;
  });
  const [view] = await presentCalls(ctx.app.database.db, ctx, [row]);
  return view!;
}

// ---------- CSV import ----------

interface RowError {
  row: number;
  column: string | null;
  field: CsvField | null;
  problem: RowProblem | null;
  message: string;
}

function csvInvalid(locale: Locale, errors: RowError[]): AppError {
  const sep = locale === 'zh-CN' ? '；' : '; ';
  const where = (e: RowError) => {
    const column = e.column ?? e.field;
    if (e.row === 0) return column ?? '';
    if (locale === 'zh-CN') return `第 ${e.row} 行${column ? `「${column}」` : ''}`;
    return `row ${e.row}${column ? ` (${column})` : ''}`;
  };
  const head = errors.slice(0, 3).map((e) => [where(e), e.message].filter(Boolean).join(locale === 'zh-CN' ? '：' : ': ')).join(sep);
  const more = errors.length > 3 ? (locale === 'zh-CN' ? `${sep}共 ${errors.length} 处错误` : `${sep}${errors.length} problems in all`) : '';
  const details: C.CsvInvalidDetails = {
    errors: errors.slice(0, MAX_REPORTED_ERRORS).map((e) => ({ row: e.row, column: e.column, field: e.field, message: e.message })),
    total: errors.length,
  };
  return new AppError('csv.invalid', { summary: `${head}${more}` }, details);
}

/** Validates a cell with a contract schema, in the caller's language. */
function cellIssue<T>(schema: z.ZodType<T>, value: string, locale: Locale): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: localizeIssues(result.error.issues, locale).map((i) => i.message).join('; ') };
}

/**
 * Imports call records from a CSV file (see docs/phone.md for the columns). Every row is checked first;
 * a file with any bad row is refused as a whole with `csv.invalid` naming each row and column, and nothing
 * is written. A good file is written in one transaction; rows whose external id is known update or skip
 * their call exactly like POST /calls.
 */
export async function importCalls(ctx: Ctx, content: Uint8Array): Promise<C.CallImportResult> {
  authorize(ctx, 'call.manage');
  const locale = ctx.locale;
  const fileError = (problem: RowProblem, params: Record<string, string | number> = {}, row = 0) =>
    csvInvalid(locale, [{ row, column: null, field: null, problem, message: problemText(locale, problem, params) }]);
  if (content.byteLength > MAX_IMPORT_BYTES) throw fileError('too_large', { max: MAX_IMPORT_BYTES / 1024 / 1024 });
  const { text, encoding } = decodeCsv(content);
  const table = readTable(text);
  if (!table.ok) throw fileError('parse', { reason: table.reason }, table.line ?? 0);
  const header = mapHeader(table.header);
  if (header.problems.length > 0) {
    throw csvInvalid(locale, header.problems.map((p) => ({ row: 1, column: p.column, field: p.field, problem: p.key, message: problemText(locale, p.key, { field: p.column ?? p.field }) })));
  }
  if (table.records.length === 0) throw fileError('empty');
  if (table.records.length > MAX_IMPORT_ROWS) throw fileError('too_many_rows', { max: MAX_IMPORT_ROWS });

  const db = ctx.app.database.db;
  const [org] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, ctx.orgId));
  const zone = org?.timeZone ?? 'Asia/Shanghai';
  const col = header.columns;
  const cell = (cells: string[], field: CsvField) => {
    const index = col[field];
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const agentRefs = table.records.map((r) => cell(r.cells, 'agent')).filter((v) => v !== '');
  const agents = await resolveAgentRefs(db, ctx.orgId, agentRefs);

  const errors: RowError[] = [];
  const records: { line: number; incoming: Incoming }[] = [];
  const firstLineOf = new Map<string, number>();
  const now = ctx.now();
  for (const { line, cells } of table.records) {
    const problem = (field: CsvField | null, p: RowProblem | null, message?: string, params: Record<string, string | number> = {}) =>
      errors.push({ row: line, column: field === null ? null : (table.header[col[field]!] ?? field), field, problem: p, message: message ?? problemText(locale, p!, params) });
    const before = errors.length;
    if (cells.length > table.header.length && cells.slice(table.header.length).some((c) => c.trim() !== '')) problem(null, 'too_many_cells');

    const caller = cellIssue(C.CallPhone, cell(cells, 'caller'), locale);
    if (!caller.ok) problem('caller', null, caller.message);
    const time = (field: CsvField, required: boolean): Date | null => {
      const raw = cell(cells, field);
      if (raw === '') {
        if (required) problem(field, 'required');
        return null;
      }
      const at = parseCellTime(raw, zone);
      if (!at) problem(field, 'time');
      return at;
    };
    const ringAt = time('ring_at', true);
    const answeredAt = time('answered_at', false);
    const endedAt = time('ended_at', false);
    const direction = parseDirection(cell(cells, 'direction'));
    if (direction === 'invalid') problem('direction', 'direction');

    let agentId: string | null = null;
    const agentRef = cell(cells, 'agent');
    if (agentRef) {
      const found = agents.get(agentRef) ?? [];
      if (found.length === 0) problem('agent', 'agent_unknown');
      else if (found.length > 1) problem('agent', 'agent_ambiguous');
      else if (!can(ctx.actor, 'call.manage', { orgId: ctx.orgId, branchId: found[0]!.branchId })) problem('agent', 'agent_other_branch');
      else agentId = found[0]!.id;
    }
    const optional = <T>(field: CsvField, schema: z.ZodType<T>): T | null => {
      const raw = cell(cells, field);
      if (raw === '') return null;
      const r = cellIssue(schema, raw, locale);
      if (!r.ok) problem(field, null, r.message);
      return r.ok ? r.value : null;
    };
    const recordingUrl = optional('recording_url', C.RecordingUrl);
    const notes = optional('notes', C.CallNotes);
    const line_ = optional('line', C.CallPhone);
    const externalId = optional('external_id', C.ExternalId);
    if (externalId !== null) {
      const other = firstLineOf.get(externalId);
      if (other !== undefined) problem('external_id', 'duplicate', undefined, { other });
      else firstLineOf.set(externalId, line);
    }
    if (ringAt) {
      for (const p of timeProblems({ ringAt, answeredAt, endedAt }, now)) problem(p.field, p.problem);
    }
    if (errors.length === before && ringAt) {
      records.push({
        line,
        incoming: {
          externalId, direction: direction === 'invalid' ? null : direction, caller: caller.ok ? caller.value : null, line: line_,
          ringAt, answeredAt, endedAt, agentId, recordingUrl, notes,
        },
      });
    }
  }
  if (errors.length > 0) throw csvInvalid(locale, errors);

  return transact(ctx, async (t) => {
    const keys = t.app.keys;
    const externalIds = records.map((r) => r.incoming.externalId).filter((v): v is string => v !== null);
    const existing = new Map<string, CallRow>();
    for (let i = 0; i < externalIds.length; i += 1000) {
      const rows = await t.tx.select().from(calls).where(and(eq(calls.orgId, t.orgId), inArray(calls.externalId, externalIds.slice(i, i + 1000)))).for('update');
      for (const row of rows) existing.set(row.externalId!, row);
    }
    const hashes = records.map((r) => (r.incoming.caller ? lookupHash(keys, 'phone', r.incoming.caller) : null)).filter((v): v is string => v !== null);
    const customerOf = await matchCustomers(t.tx, t.orgId, hashes);

    const inserts: (typeof calls.$inferInsert)[] = [];
    const mergeErrors: RowError[] = [];
    let updated = 0;
    let skipped = 0;
    for (const { line, incoming } of records) {
      const known = incoming.externalId ? existing.get(incoming.externalId) : undefined;
      if (!known) {
        const hash = incoming.caller ? lookupHash(keys, 'phone', incoming.caller) : null;
        inserts.push(newRow(t, incoming, hash ? (customerOf.get(hash) ?? null) : null));
        continue;
      }
      const changes = mergeChanges(keys, known, incoming);
      if (!changes) {
        skipped++;
        continue;
      }
      // The stored call with this row's changes must still have its times in order.
      const problems = timeProblems({ ...known, ...changes }, t.now());
      for (const p of problems) {
        mergeErrors.push({ row: line, column: table.header[col[p.field] ?? -1] ?? p.field, field: p.field, problem: p.problem, message: problemText(locale, p.problem) });
      }
      if (problems.length > 0) continue;
      if (changes.callerPhoneHash && !known.requestId) changes.customerId = customerOf.get(changes.callerPhoneHash) ?? null;
      await t.tx.update(calls).set({ ...changes, updatedAt: t.now() }).where(eq(calls.id, known.id));
      updated++;
    }
    if (mergeErrors.length > 0) throw csvInvalid(locale, mergeErrors);
    for (let i = 0; i < inserts.length; i += 500) {
      const batch = inserts.slice(i, i + 500);
      const written = await t.tx.insert(calls).values(batch).onConflictDoNothing({ target: [calls.orgId, calls.externalId] }).returning({ id: calls.id });
      // Another import wrote some of these external ids meanwhile: roll back, the file can simply be sent again.
      if (written.length !== batch.length) throw new AppError('conflict.in_use', { entity: 'call' });
    }
    const result: C.CallImportResult = { rows: records.length, created: inserts.length, updated, skipped, encoding, ignoredColumns: header.ignored };
    // One entry for the file: 50,000 rows are one decision by one person.
    await audit(t, { action: 'call.import', entityType: 'call_import', entityId: null, after: { ...result } });
    // Counts only, and no branch: a file may hold calls of the shared queue, which every branch sees.
    await t.emit('call.imported', { entityType: 'call_import', data: { ...result, actorId: actorId(t.actor) } });
    return result;
  });
}

// ---------- dealing with a call ----------

function assertNotHandled(row: CallRow): void {
  if (row.outcome === 'request' || row.outcome === 'resolved_first_contact') {
    throw new AppError('call.already_handled', { status: row.outcome === 'request' ? 'turned_into_request' : 'resolved_first_contact' }, { outcome: row.outcome, requestId: row.requestId });
  }
}

/** The customer of the request: as given, else the one the caller's number matches (null: none). */
async function customerFor(t: TxCtx, row: CallRow, given: string | null | undefined): Promise<string | null> {
  if (given !== undefined) return given;
  if (row.customerId) return row.customerId;
  if (!row.callerPhoneHash) return null;
  return (await matchCustomers(t.tx, t.orgId, [row.callerPhoneHash])).get(row.callerPhoneHash) ?? null;
}

function registration(t: TxCtx, row: CallRow) {
  // The request reached the desk when the phone rang; someone answered it, which is the first response.
  return { at: row.ringAt, respondedAtRegistration: row.answeredAt !== null, respondedAt: row.answeredAt ?? undefined };
}

async function linkCall(t: TxCtx, current: CallRow, request: RequestRow, outcome: 'request' | 'resolved_first_contact', notes: string | null): Promise<CallRow> {
  const [updated] = await t.tx
    .update(calls)
    .set({ outcome, requestId: request.id, customerId: request.customerId ?? current.customerId, notes: current.notes ?? notes, updatedAt: t.now() })
    .where(eq(calls.id, current.id))
    .returning();
  await audit(t, { action: outcome === 'request' ? 'call.to_request' : 'call.resolve_first_contact', entityType: 'call', entityId: current.id, before: auditView(t.app.keys, current), after: auditView(t.app.keys, updated!) });
  await callEvent(t, 'call.handled', updated!, { requestId: request.id, number: request.number });
  return updated!;
}

/**
 * Turns a call into a request (登记) on the phone channel: registered at the ring time, the caller's number
 * as contact phone, the first response met at the answer time (a missed call turned into a request has had
 * no response yet: its first-response clock runs from the ring).
 */
export async function callToRequest(ctx: Ctx, id: string, input: unknown): Promise<C.CallHandled> {
  const data = parse(C.CallToRequest, input);
  authorize(ctx, 'request.create');
  const { call, request } = await transact(ctx, async (t) => {
    const current = await loadCall(t.tx, t, id, true);
    await authorizeCall(t, t.tx, current, 'call.manage');
    assertNotHandled(current);
    const create = parse(RequestCreate, {
      type: data.type, priority: data.priority, channel: 'phone', subject: data.subject, description: data.description || current.notes || '',
      customerId: await customerFor(t, current, data.customerId), contactName: data.contactName ?? null,
      contactPhone: current.callerPhoneEnc ? decrypt(t.app.keys, current.callerPhoneEnc) : null, customerFlags: data.customerFlags,
      categoryId: data.categoryId ?? null, teamId: data.teamId ?? null, assigneeId: data.assigneeId ?? null, tags: data.tags,
    });
    const request = await registerRequestTx(t, create, registration(t, current));
    return { call: await linkCall(t, current, request, 'request', null), request };
  });
  const db = ctx.app.database.db;
  return { call: await detailOf(db, ctx, call), request: { id: request.id, number: request.number, state: request.state } };
}

/**
 * Logs an answered call as resolved at first contact (一次解决): a request is registered and walked through
 * the whole loop in one transaction — analysed, handled by the agent who took the call, the result (the
 * notes) delivered, archived — so the figures count it as a request resolved at the first contact.
 */
export async function resolveCall(ctx: Ctx, id: string, input: unknown): Promise<C.CallHandled> {
  const data = parse(C.CallResolve, input);
  authorize(ctx, 'request.create');
  authorize(ctx, 'request.handle');
  const { call, request } = await transact(ctx, async (t) => {
    const current = await loadCall(t.tx, t, id, true);
    await authorizeCall(t, t.tx, current, 'call.manage');
    assertNotHandled(current);
    if (!current.answeredAt) throw new AppError('call.not_answered');
    const subject = data.subject ?? (data.notes.split(/\r?\n/).find((l) => l.trim() !== '') ?? data.notes).trim().slice(0, 200);
    const create = parse(RequestCreate, {
      type: data.type, channel: 'phone', subject, description: data.notes,
      customerId: await customerFor(t, current, data.customerId), contactName: data.contactName ?? null,
      contactPhone: current.callerPhoneEnc ? decrypt(t.app.keys, current.callerPhoneEnc) : null,
      categoryId: data.categoryId ?? null, assigneeId: current.agentId ?? actorId(t.actor),
    });
    let request = await registerRequestTx(t, create, { ...registration(t, current), skipRouting: true });
    request = await transitionTx(t, request, { action: 'analyse', reason: null });
    request = await transitionTx(t, request, { action: 'start_handling', reason: null });
    request = await transitionTx(t, request, { action: 'deliver_result', reason: null, result: data.notes });
    request = await transitionTx(t, request, { action: 'archive', reason: 'resolved at first contact (phone)' });
    return { call: await linkCall(t, current, request, 'resolved_first_contact', data.notes), request };
  });
  const db = ctx.app.database.db;
  return { call: await detailOf(db, ctx, call), request: { id: request.id, number: request.number, state: request.state } };
}

// ---------- service level ----------

/** The service level of the phone channel over a period (definitions in service-level.ts and docs/phone.md). */
export async function callServiceLevel(ctx: Ctx, query: unknown): Promise<C.ServiceLevelView> {
  authorize(ctx, 'call.read');
  const q = parse(C.ServiceLevelQuery, query);
  const to = q.to ? new Date(q.to) : ctx.now();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
  if (from >= to || to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new AppError('validation_failed', { summary: `from < to, at most ${MAX_RANGE_DAYS} days` }, { field: 'from' });
  }
  // A branch's figure: the calls its agents took, and the calls nobody took (the shared queue its agents could
  // have answered), so abandons count against every branch. Branch-scoped readers see their own branch's.
  const branchId = branchFilter(ctx.actor) ?? q.branchId ?? null;
  const conditions: SQL[] = [eq(calls.orgId, ctx.orgId), eq(calls.direction, 'inbound'), gte(calls.ringAt, from), lt(calls.ringAt, to)];
  if (branchId) {
    conditions.push(or(isNull(calls.agentId), sql`${calls.agentId} IN (SELECT id FROM ${staff} WHERE ${staff.orgId} = ${ctx.orgId} AND ${staff.branchId} = ${branchId})`)!);
  }
  if (q.agentId) conditions.push(eq(calls.agentId, q.agentId));
  const rows = await ctx.app.database.db
    .select({ ringAt: calls.ringAt, answeredAt: calls.answeredAt, endedAt: calls.endedAt })
    .from(calls)
    .where(and(...conditions));
  const figures = serviceLevel(
    rows.map((r) => ({ direction: 'inbound' as const, ringAt: r.ringAt.getTime(), answeredAt: r.answeredAt?.getTime() ?? null, endedAt: r.endedAt?.getTime() ?? null })),
    { thresholdSeconds: q.threshold, shortAbandonSeconds: q.shortAbandon },
  );
  return { from: from.toISOString(), to: to.toISOString(), thresholdSeconds: q.threshold, shortAbandonSeconds: q.shortAbandon, ...figures };
}
