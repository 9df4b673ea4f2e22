/**
 * Reading requests: the console's queues with filters, full-text search and keyset pagination (no count on
 * every page), and the request page (timeline, clocks with their explanation, attachments).
 */
import { and, asc, desc, eq, gte, inArray, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { actorId, type Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { auditLog } from '../../core/db/core-schema.js';
import { elapsed } from '../calendars/calendar.js';
import { calendars } from '../calendars/schema.js';
import { compiledOf } from '../calendars/service.js';
import { clocks } from '../clocks/schema.js';
import { commitments, commitmentVersions } from '../commitments/schema.js';
import { staff, teamMembers } from '../org/schema.js';
import { attachmentsOf } from './attachments.js';
import * as C from './contracts.js';
import { listItems, loadRequest, resource, SUBJECT, viewRequest, type RequestRow } from './records.js';
import { requestEvents, requestMessages, requests } from './schema.js';
import { searchQuery } from './search.js';

type Cursor = [string | null, string];

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && (typeof value[0] === 'string' || value[0] === null) && typeof value[1] === 'string') return value as Cursor;
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', { summary: 'cursor' }, { field: 'cursor' });
}

const FAR_FUTURE = '9999-12-31 00:00:00+00';
/** Look-back windows of a newest-first search (null: everything). */
const SEARCH_WINDOWS_DAYS = [7, 45, 365, null] as const;

/** The sort column and direction of each order (ties broken by id, the same way). */
function ordering(sort: C.RequestFilters['sort']) {
  switch (sort) {
    case 'created_asc':
      return { column: sql`${requests.createdAt}`, dir: 'asc' as const, value: (r: RequestRow) => r.createdAt.toISOString() };
    case 'due_asc':
      // The same expression as the requests_org_due_idx index (a literal, so the planner can match it).
      return { column: sql`coalesce(${requests.nextDueAt}, ${sql.raw(`'${FAR_FUTURE}'::timestamptz`)})`, dir: 'asc' as const, value: (r: RequestRow) => (r.nextDueAt ?? new Date('9999-12-31T00:00:00Z')).toISOString() };
    case 'activity_desc':
      return { column: sql`${requests.lastActivityAt}`, dir: 'desc' as const, value: (r: RequestRow) => r.lastActivityAt.toISOString() };
    default:
      return { column: sql`${requests.createdAt}`, dir: 'desc' as const, value: (r: RequestRow) => r.createdAt.toISOString() };
  }
}

/** The WHERE conditions of a console query (scope, queue, filters, search). */
export async function filterConditions(ctx: Ctx, f: Omit<C.RequestFilters, 'sort'>, sort: C.RequestFilters['sort'] = 'created_desc'): Promise<SQL[]> {
  const conditions: SQL[] = [eq(requests.orgId, ctx.orgId)];
  const only = branchFilter(ctx.actor);
  if (only) conditions.push(eq(requests.branchId, only));
  const me = actorId(ctx.actor);
  if (f.queue === 'mine') conditions.push(me ? eq(requests.assigneeId, me) : sql`false`);
  if (f.queue === 'unassigned') conditions.push(sql`${requests.assigneeId} IS NULL`);
  if (f.queue === 'team') {
    const mine = me ? await ctx.app.database.db.select({ id: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.staffId, me)) : [];
    const ids = mine.map((m) => m.id);
    // Escalation moves a request to the special team, so one column answers "my teams' requests".
    conditions.push(ids.length > 0 ? inArray(requests.teamId, ids) : sql`false`);
  }
  // Queues other than "all" hold open requests; so does any list sorted by due time (closed ones have none).
  if ((f.queue !== 'all' || sort === 'due_asc') && f.open === undefined && !f.states) conditions.push(notInArray(requests.state, ['archived', 'merged']));
  if (f.open === true) conditions.push(notInArray(requests.state, ['archived', 'merged']));
  if (f.open === false) conditions.push(inArray(requests.state, ['archived', 'merged']));
  if (f.states?.length) conditions.push(inArray(requests.state, f.states));
  if (f.types?.length) conditions.push(inArray(requests.type, f.types));
  if (f.priorities?.length) conditions.push(inArray(requests.priority, f.priorities));
  if (f.channels?.length) conditions.push(inArray(requests.channel, f.channels));
  if (f.categoryId) conditions.push(eq(requests.categoryId, f.categoryId));
  if (f.teamId) conditions.push(eq(requests.teamId, f.teamId));
  if (f.assigneeId) conditions.push(eq(requests.assigneeId, f.assigneeId));
  if (f.branchId) conditions.push(eq(requests.branchId, f.branchId));
  if (f.customerId) conditions.push(eq(requests.customerId, f.customerId));
  if (f.tag) conditions.push(sql`${f.tag} = ANY(${requests.tags})`);
  if (f.createdFrom) conditions.push(gte(requests.createdAt, parseInstant(f.createdFrom, 'createdFrom')));
  if (f.createdTo) conditions.push(lt(requests.createdAt, parseInstant(f.createdTo, 'createdTo')));
  if (f.clock === 'breached') {
    conditions.push(sql`EXISTS (SELECT 1 FROM ${clocks} c WHERE c.org_id = ${requests.orgId} AND c.subject_type = ${SUBJECT} AND c.subject_id = ${requests.id}::text AND c.state = 'breached')`);
  }
  if (f.clock === 'warning') {
    conditions.push(sql`EXISTS (SELECT 1 FROM ${clocks} c WHERE c.org_id = ${requests.orgId} AND c.subject_type = ${SUBJECT} AND c.subject_id = ${requests.id}::text AND c.state = 'running' AND c.warning_at <= ${ctx.now()})`);
  }
  if (f.escalation) conditions.push(sql`${requests.escalatedAt} IS NOT NULL`);
  if (f.escalation === 'pending') {
    conditions.push(sql`NOT EXISTS (SELECT 1 FROM ${requestEvents} e WHERE e.request_id = ${requests.id} AND e.kind = 'escalation_ack')`);
  }
  if (f.q) {
    const q = searchQuery(f.q);
    const number = /^\d{8,20}$/.test(f.q.trim()) ? f.q.trim() : null;
    const text = q ? sql`${requests.searchVector} @@ ${q}::tsquery` : null;
    if (number && text) conditions.push(or(eq(requests.number, number), text)!);
    else if (number) conditions.push(eq(requests.number, number));
    else if (text) conditions.push(text);
    else conditions.push(sql`false`);
  }
  return conditions;
}

function parseInstant(text: string, field: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new AppError('validation_failed', { summary: field }, { field });
  return d;
}

/** One page of the console's list. */
export async function listRequests(ctx: Ctx, query: unknown): Promise<{ items: C.RequestListItem[]; nextCursor: string | null }> {
  authorize(ctx, 'request.read');
  const q = parse(C.RequestListQuery, query);
  const { limit, cursor, sort, ...filters } = q;
  const conditions = await filterConditions(ctx, filters, sort);
  const order = ordering(sort);
  let anchor = ctx.now();
  if (cursor) {
    const [value, id] = decodeCursor(cursor);
    const cmp = order.dir === 'desc' ? sql`<` : sql`>`;
    conditions.push(sql`(${order.column}, ${requests.id}) ${cmp} (${value}::timestamptz, ${id}::uuid)`);
    if (value) anchor = new Date(value);
  }
  const db = ctx.app.database.db;
  const page = (extra: SQL[]) =>
    db
      .select()
      .from(requests)
      .where(and(...conditions, ...extra))
      .orderBy(order.dir === 'desc' ? desc(order.column) : asc(order.column), order.dir === 'desc' ? desc(requests.id) : asc(requests.id))
      .limit(limit + 1);
  let rows: RequestRow[] = [];
  if (filters.q && sort === 'created_desc') {
    // A search newest-first looks back in widening windows: a common word fills the page from the last days
    // without visiting its every match; a rare one reaches the full range, where its matches are few.
    for (const days of SEARCH_WINDOWS_DAYS) {
      rows = await page(days === null ? [] : [gte(requests.createdAt, new Date(anchor.getTime() - days * 86_400_000))]);
      if (rows.length > limit) break;
    }
  } else {
    rows = await page([]);
  }
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: await listItems(db, ctx, shown),
    nextCursor: rows.length > limit && last ? encodeCursor([order.value(last), last.id]) : null,
  };
}

/** The request alone (for refreshing the header). */
export async function getRequest(ctx: Ctx, id: string): Promise<C.RequestView> {
  const db = ctx.app.database.db;
  const row = await loadRequest(db, ctx, id);
  authorize(ctx, 'request.read', resource(row), 'request.read');
  return viewRequest(db, ctx, row);
}

/** By tracking number. */
export async function getRequestByNumber(ctx: Ctx, number: string): Promise<C.RequestView> {
  const db = ctx.app.database.db;
  const [row] = await db.select().from(requests).where(and(eq(requests.orgId, ctx.orgId), eq(requests.number, number)));
  if (!row) throw new AppError('not_found', { entity: 'request' });
  authorize(ctx, 'request.read', resource(row), 'request.read');
  return viewRequest(db, ctx, row);
}

/** The request page: the request, each clock's explanation, one timeline, the files. */
export async function requestDetail(ctx: Ctx, id: string) {
  const db = ctx.app.database.db;
  const row = await loadRequest(db, ctx, id);
  authorize(ctx, 'request.read', resource(row), 'request.read');
  const [request, files, messages, events, clockRows, audits] = await Promise.all([
    viewRequest(db, ctx, row),
    attachmentsOf(db, ctx.orgId, id),
    db.select().from(requestMessages).where(eq(requestMessages.requestId, id)).orderBy(asc(requestMessages.createdAt)),
    db.select().from(requestEvents).where(eq(requestEvents.requestId, id)).orderBy(asc(requestEvents.at)),
    db.select().from(clocks).where(and(eq(clocks.orgId, ctx.orgId), eq(clocks.subjectType, SUBJECT), eq(clocks.subjectId, id))).orderBy(asc(clocks.startedAt)),
    db
      .select({ id: auditLog.id, action: auditLog.action, actorName: auditLog.actorName, at: auditLog.at })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, ctx.orgId), eq(auditLog.entityType, 'request'), eq(auditLog.entityId, id)))
      .orderBy(asc(auditLog.at)),
  ]);
  const responsibleIds = [...new Set(events.map((e) => e.responsibleId).filter((x): x is string => x !== null))];
  const people = responsibleIds.length ? await db.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, responsibleIds)) : [];
  const names = new Map(people.map((p) => [p.id, p.name]));

  const timeline: C.TimelineEntry[] = [];
  for (const m of messages) {
    timeline.push({
      type: 'message', at: m.createdAt.toISOString(),
      message: {
        id: m.id, kind: m.kind as C.MessageView['kind'], channel: m.channel as C.Channel, body: m.body, authorName: m.authorName, authorStaffId: m.authorStaffId,
        mentions: m.mentions, attachments: files.filter((f) => f.messageId === m.id), createdAt: m.createdAt.toISOString(),
      },
    });
  }
  for (const e of events) {
    timeline.push({
      type: 'event', at: e.at.toISOString(), id: e.id, kind: e.kind, action: e.action, fromState: e.fromState, toState: e.toState, reason: e.reason,
      responsible: e.responsibleId ? { id: e.responsibleId, name: names.get(e.responsibleId) ?? '?' } : null, actorName: e.actorName, data: e.data,
    });
  }
  for (const c of clockRows) {
    const push = (at: Date | null, event: 'started' | 'warning' | 'breached' | 'met' | 'paused' | 'cancelled') => {
      if (at) timeline.push({ type: 'clock', at: at.toISOString(), clockId: c.id, label: c.label, kind: c.kind, event });
    };
    push(c.startedAt, 'started');
    push(c.warnedAt, 'warning');
    push(c.breachedAt, 'breached');
    push(c.metAt, 'met');
    push(c.cancelledAt, 'cancelled');
    for (const p of c.pauses) push(new Date(p.from), 'paused');
  }
  for (const a of audits) timeline.push({ type: 'audit', at: a.at.toISOString(), id: String(a.id), action: a.action, actorName: a.actorName });
  const rank = { event: 0, message: 1, clock: 2, audit: 3 } as const;
  timeline.sort((a, b) => a.at.localeCompare(b.at) || rank[a.type] - rank[b.type]);

  return { request, explanations: await explainClocks(ctx, clockRows), timeline, attachments: files };
}

/** For each clock: the commitment, version and target that set it, and the calendar it counts on. */
async function explainClocks(ctx: Ctx, rows: (typeof clocks.$inferSelect)[]) {
  const db = ctx.app.database.db;
  const versionIds = [...new Set(rows.map((r) => r.commitmentVersionId).filter((x): x is string => x !== null))];
  const versions = versionIds.length
    ? await db
        .select({ id: commitmentVersions.id, version: commitmentVersions.version, title: commitmentVersions.title, targets: commitmentVersions.targets, number: commitments.number })
        .from(commitmentVersions)
        .innerJoin(commitments, eq(commitments.id, commitmentVersions.commitmentId))
        .where(inArray(commitmentVersions.id, versionIds))
    : [];
  const calendarIds = [...new Set(rows.map((r) => r.calendarId))];
  const cals = calendarIds.length ? await db.select().from(calendars).where(inArray(calendars.id, calendarIds)) : [];
  const versionOf = new Map(versions.map((v) => [v.id, v]));
  const calendarOf = new Map(cals.map((c) => [c.id, { name: c.name, compiled: compiledOf(c) }]));
  const now = ctx.now();
  return rows.map((row) => {
    const v = row.commitmentVersionId ? versionOf.get(row.commitmentVersionId) : undefined;
    const target = v?.targets.find((t) => t.key === row.targetKey);
    const timeLimit = target?.kind === 'time_limit' ? target : undefined;
    const cal = calendarOf.get(row.calendarId);
    // The business time spent waiting on the customer: the deadline moved by this much.
    const pausedMs = cal ? row.pauses.reduce((sum, p) => sum + elapsed(cal.compiled, new Date(p.from), p.to ? new Date(p.to) : now), 0) : 0;
    return {
      clockId: row.id, commitmentNumber: v?.number ?? null, commitmentTitle: v?.title ?? null, version: v?.version ?? null,
      targetName: target ? { 'zh-CN': target.name['zh-CN'], ...(target.name['en-US'] ? { 'en-US': target.name['en-US'] } : {}) } : null,
      start: timeLimit?.start ?? null, stop: timeLimit?.stop ?? row.kind, duration: row.duration, calendarName: cal?.name ?? null, pausedMs,
    };
  });
}
