/**
 * Saved views of the console: each person keeps their own named filter sets (queue, states, search, sort…).
 * A view is private to its owner — another person, even an administrator, sees "not found" — because it is a
 * working preference, not shared configuration. Filters are validated with the console's own contract, so a
 * saved view always opens as a valid query.
 */
import { and, asc, count, eq } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Ctx, type TxCtx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { staff } from '../org/schema.js';
import * as C from './contracts.js';
import { savedViews } from './schema.js';
import { MAX_SAVED_VIEWS, SavedViewInput, type SavedView } from './views-contracts.js';

type ViewRow = typeof savedViews.$inferSelect;

/** The signed-in person; views belong to people, so the system and the public have none. */
function ownerOf(ctx: Ctx): string {
  authorize(ctx, 'request.read');
  const me = actorId(ctx.actor);
  if (!me) throw new AppError('forbidden', { action: 'request.read' });
  return me;
}

/**
 * Filters as stored may predate a change of the contract (a state renamed, a filter removed): the keys that
 * no longer validate are dropped rather than making the whole view unreadable.
 */
function readFilters(stored: Record<string, unknown>): C.RequestFilters {
  let candidate: Record<string, unknown> = { ...stored };
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = C.RequestFilters.safeParse(candidate);
    if (result.success) return result.data;
    const bad = new Set(result.error.issues.map((i) => (i.path.length > 0 ? String(i.path[0]) : null)));
    // An issue without a path (e.g. an unrecognized key of the strict object) names its keys instead.
    for (const issue of result.error.issues) if (issue.code === 'unrecognized_keys') for (const key of issue.keys) bad.add(key);
    bad.delete(null);
    if (bad.size === 0) break;
    candidate = Object.fromEntries(Object.entries(candidate).filter(([key]) => !bad.has(key)));
  }
  return C.RequestFilters.parse({});
}

function present(row: ViewRow): SavedView {
  return { id: row.id, name: row.name, filters: readFilters(row.filters), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/**
 * Serializes one person's writes to their views (the owner's staff row is the lock), so the name check and
 * the limit hold under concurrent saves from two tabs.
 */
async function lockOwner(t: TxCtx, me: string): Promise<void> {
  await t.tx.select({ id: staff.id }).from(staff).where(and(eq(staff.id, me), eq(staff.orgId, t.orgId))).for('update');
}

async function checkNameFree(t: TxCtx, me: string, name: string, selfId: string | null): Promise<void> {
  const same = await t.tx.select({ id: savedViews.id }).from(savedViews).where(and(eq(savedViews.orgId, t.orgId), eq(savedViews.staffId, me), eq(savedViews.name, name)));
  if (same.some((v) => v.id !== selfId)) throw new AppError('conflict.name_taken', { name }, { field: 'name' });
}

async function loadOwn(t: TxCtx, me: string, id: string): Promise<ViewRow> {
  const [row] = await t.tx
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.orgId, t.orgId), eq(savedViews.staffId, me)))
    .for('update');
  if (!row) throw new AppError('not_found', { entity: 'view' });
  return row;
}

/** The signed-in person's saved views, by name in their language. */
export async function listSavedViews(ctx: Ctx): Promise<SavedView[]> {
  const me = ownerOf(ctx);
  const rows = await ctx.app.database.db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.orgId, ctx.orgId), eq(savedViews.staffId, me)))
    .orderBy(asc(savedViews.createdAt), asc(savedViews.id));
  // Ordered in the reader's language (pinyin for Chinese names), whatever the database's collation.
  const collator = new Intl.Collator(ctx.locale);
  return rows.map(present).sort((a, b) => collator.compare(a.name, b.name));
}

/** Saves the current console filters under a name (unique per person). */
export async function createSavedView(ctx: Ctx, input: unknown): Promise<SavedView> {
  const me = ownerOf(ctx);
  const data = parse(SavedViewInput, input);
  return transact(ctx, async (t) => {
    await lockOwner(t, me);
    const [{ n } = { n: 0 }] = await t.tx.select({ n: count() }).from(savedViews).where(and(eq(savedViews.orgId, t.orgId), eq(savedViews.staffId, me)));
    if (n >= MAX_SAVED_VIEWS) throw new AppError('view.limit_reached', { max: MAX_SAVED_VIEWS });
    await checkNameFree(t, me, data.name, null);
    const now = t.now();
    const [row] = await t.tx.insert(savedViews).values({ orgId: t.orgId, staffId: me, name: data.name, filters: data.filters, createdAt: now, updatedAt: now }).returning();
    const view = present(row!);
    await audit(t, { action: 'saved_view.create', entityType: 'saved_view', entityId: view.id, after: { name: view.name, filters: view.filters } });
    await t.emit('saved_view.created', { entityType: 'saved_view', entityId: view.id, data: { staffId: me } });
    return view;
  });
}

/** Renames a view or replaces its filters. */
export async function updateSavedView(ctx: Ctx, id: string, input: unknown): Promise<SavedView> {
  const me = ownerOf(ctx);
  const data = parse(SavedViewInput, input);
  return transact(ctx, async (t) => {
    await lockOwner(t, me);
    const before = present(await loadOwn(t, me, id));
    await checkNameFree(t, me, data.name, id);
    const [row] = await t.tx.update(savedViews).set({ name: data.name, filters: data.filters, updatedAt: t.now() }).where(eq(savedViews.id, id)).returning();
    const view = present(row!);
    await audit(t, { action: 'saved_view.update', entityType: 'saved_view', entityId: id, before: { name: before.name, filters: before.filters }, after: { name: view.name, filters: view.filters } });
    await t.emit('saved_view.updated', { entityType: 'saved_view', entityId: id, data: { staffId: me } });
    return view;
  });
}

/** Deletes one of the person's views. */
export async function deleteSavedView(ctx: Ctx, id: string): Promise<{ ok: true }> {
  const me = ownerOf(ctx);
  return transact(ctx, async (t) => {
    const before = present(await loadOwn(t, me, id));
    await t.tx.delete(savedViews).where(eq(savedViews.id, id));
    await audit(t, { action: 'saved_view.delete', entityType: 'saved_view', entityId: id, before: { name: before.name, filters: before.filters } });
    await t.emit('saved_view.deleted', { entityType: 'saved_view', entityId: id, data: { staffId: me } });
    return { ok: true as const };
  });
}
