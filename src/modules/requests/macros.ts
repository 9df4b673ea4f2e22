/**
 * Canned responses (快捷回复): shared ones kept by those holding `macro.manage`, personal ones kept by each
 * person who handles requests, and a macro rendered for one request (placeholders filled on the server, so
 * the client never reimplements the rules; see macro-render.ts).
 */
import { and, asc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Ctx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { containsPattern } from '../../core/db/like.js';
import { AppError } from '../../core/errors.js';
import { authorize, can } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { customers, organizations } from '../org/schema.js';
import * as M from './macro-contracts.js';
import { placeholdersOf, renderMacro, type MacroValues } from './macro-render.js';
import { loadRequest, resource } from './records.js';
import { macros } from './schema.js';

type MacroRow = typeof macros.$inferSelect;

function present(row: MacroRow): M.MacroView {
  return {
    id: row.id, name: row.name, body: row.body, shared: row.ownerId === null, ownerId: row.ownerId,
    unknownPlaceholders: placeholdersOf(row.body).unknown, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/** Using macros at all: people who handle requests (their own and the shared ones) or keep the shared ones. */
function authorizeUse(ctx: Ctx): void {
  if (can(ctx.actor, 'request.handle') || can(ctx.actor, 'macro.manage')) return;
  authorize(ctx, 'request.handle');
}

/** Shared macros, and the actor's own: another person's personal macro does not exist for anyone else. */
function visibleTo(ctx: Ctx): SQL {
  const me = actorId(ctx.actor);
  return me ? or(isNull(macros.ownerId), eq(macros.ownerId, me))! : isNull(macros.ownerId);
}

async function load(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<MacroRow> {
  const q = exec.select().from(macros).where(and(eq(macros.id, id), eq(macros.orgId, ctx.orgId), visibleTo(ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'macro' });
  return row;
}

/** Changing a macro: shared ones need macro.manage, personal ones are their owner's (request.handle). */
function authorizeChange(ctx: Ctx, ownerId: string | null): void {
  authorize(ctx, ownerId === null ? 'macro.manage' : 'request.handle');
}

/** One name per scope (the organization's shared list, or one person's own list), so the picker is unambiguous. */
async function assertNameFree(exec: Executor, ctx: Ctx, name: string, ownerId: string | null, selfId: string | null): Promise<void> {
  const conditions = [eq(macros.orgId, ctx.orgId), sql`lower(${macros.name}) = lower(${name})`, ownerId ? eq(macros.ownerId, ownerId) : isNull(macros.ownerId)];
  if (selfId) conditions.push(sql`${macros.id} <> ${selfId}`);
  const [clash] = await exec.select({ id: macros.id }).from(macros).where(and(...conditions)).limit(1);
  if (clash) throw new AppError('conflict.name_taken', { name }, { field: 'name' });
}

/** Shared macros and the actor's own (scope narrows it), by name; `q` matches the name or the text. */
export async function listMacros(ctx: Ctx, query: unknown = {}): Promise<M.MacroView[]> {
  authorizeUse(ctx);
  const q = parse(M.MacroListQuery, query);
  const me = actorId(ctx.actor);
  const conditions: SQL[] = [eq(macros.orgId, ctx.orgId)];
  if (q.scope === 'shared') conditions.push(isNull(macros.ownerId));
  else if (q.scope === 'personal') conditions.push(me ? eq(macros.ownerId, me) : sql`false`);
  else conditions.push(visibleTo(ctx));
  if (q.q) conditions.push(or(ilike(macros.name, containsPattern(q.q)), ilike(macros.body, containsPattern(q.q)))!);
  const rows = await ctx.app.database.db
    .select()
    .from(macros)
    .where(and(...conditions))
    // Shared first (the organization's wording), then my own; by name within each.
    .orderBy(sql`${macros.ownerId} IS NOT NULL`, asc(macros.name), asc(macros.id));
  return rows.map(present);
}

export async function createMacro(ctx: Ctx, input: unknown): Promise<M.MacroView> {
  const data = parse(M.MacroCreate, input);
  const ownerId = data.shared ? null : actorId(ctx.actor);
  // A personal macro needs a person to own it.
  if (!data.shared && ownerId === null) throw new AppError('forbidden', { action: 'request.handle' });
  authorizeChange(ctx, ownerId);
  return transact(ctx, async (t) => {
    await assertNameFree(t.tx, t, data.name, ownerId, null);
    const now = t.now();
    const [row] = await t.tx.insert(macros).values({ orgId: t.orgId, ownerId, name: data.name, body: data.body, createdAt: now, updatedAt: now }).returning();
    const view = present(row!);
    await audit(t, { action: 'macro.create', entityType: 'macro', entityId: view.id, after: { name: view.name, body: view.body, shared: view.shared } });
    await t.emit('macro.created', { entityType: 'macro', entityId: view.id, data: { shared: view.shared } });
    return view;
  });
}

export async function updateMacro(ctx: Ctx, id: string, input: unknown): Promise<M.MacroView> {
  authorizeUse(ctx);
  const data = parse(M.MacroUpdate, input);
  return transact(ctx, async (t) => {
    const current = await load(t.tx, t, id, true);
    authorizeChange(t, current.ownerId);
    await assertNameFree(t.tx, t, data.name, current.ownerId, current.id);
    const [row] = await t.tx.update(macros).set({ name: data.name, body: data.body, updatedAt: t.now() }).where(eq(macros.id, id)).returning();
    const view = present(row!);
    await audit(t, { action: 'macro.update', entityType: 'macro', entityId: id, before: { name: current.name, body: current.body }, after: { name: view.name, body: view.body } });
    await t.emit('macro.updated', { entityType: 'macro', entityId: id, data: { shared: view.shared } });
    return view;
  });
}

export async function deleteMacro(ctx: Ctx, id: string): Promise<{ ok: true }> {
  authorizeUse(ctx);
  return transact(ctx, async (t) => {
    const current = await load(t.tx, t, id, true);
    authorizeChange(t, current.ownerId);
    await t.tx.delete(macros).where(eq(macros.id, id));
    await audit(t, { action: 'macro.delete', entityType: 'macro', entityId: id, before: { name: current.name, body: current.body, shared: current.ownerId === null } });
    await t.emit('macro.deleted', { entityType: 'macro', entityId: id, data: { shared: current.ownerId === null } });
    return { ok: true as const };
  });
}

/** The values of the placeholders for one request, as the actor would write them now. */
async function valuesFor(ctx: Ctx, row: Awaited<ReturnType<typeof loadRequest>>): Promise<MacroValues> {
  const db = ctx.app.database.db;
  const [[org], [customer]] = await Promise.all([
    db.select({ name: organizations.name, timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, ctx.orgId)),
    row.customerId ? db.select({ name: customers.name }).from(customers).where(and(eq(customers.id, row.customerId), eq(customers.orgId, ctx.orgId))) : Promise.resolve([]),
  ]);
  // "Today" is the organization's calendar day, not the server's.
  const today = DateTime.fromJSDate(ctx.now(), { zone: org?.timeZone ?? 'Asia/Shanghai' }).toISODate();
  return {
    'customer.name': customer?.name ?? row.contactName,
    'request.number': row.number,
    'request.subject': row.subject,
    'agent.name': ctx.actor.kind === 'staff' ? ctx.actor.name : null,
    'org.name': org?.name ?? null,
    today,
  };
}

/** A macro filled in for a request: the text to put in the reply box, and the placeholders left in it. */
export async function renderMacroFor(ctx: Ctx, requestId: string, macroId: string): Promise<M.RenderedMacroView> {
  authorizeUse(ctx);
  const db = ctx.app.database.db;
  const request = await loadRequest(db, ctx, requestId);
  authorize(ctx, 'request.read', resource(request), 'request.read');
  const macro = await load(db, ctx, macroId);
  const rendered = renderMacro(macro.body, await valuesFor(ctx, request));
  return { macroId: macro.id, name: macro.name, text: rendered.text, unknown: rendered.unknown, empty: rendered.empty };
}
