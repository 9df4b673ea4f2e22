/** The administrator-defined category tree of requests. */
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { isUniqueViolation } from '../../core/db/errors.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import * as C from './contracts.js';
import { requestCategories, requests } from './schema.js';

type CategoryRow = typeof requestCategories.$inferSelect;

function present(row: CategoryRow) {
  return { id: row.id, name: row.name, nameEn: row.nameEn, parentId: row.parentId, position: row.position, active: row.active };
}

async function load(exec: Executor, orgId: string, id: string, lock = false): Promise<CategoryRow> {
  const q = exec.select().from(requestCategories).where(and(eq(requestCategories.id, id), eq(requestCategories.orgId, orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'category' });
  return row;
}

export async function listCategories(ctx: Ctx) {
  authorize(ctx, 'request.read');
  const rows = await ctx.app.database.db.select().from(requestCategories).where(eq(requestCategories.orgId, ctx.orgId)).orderBy(asc(requestCategories.position), asc(requestCategories.name));
  return rows.map(present);
}

/** A parent must exist, and must not be the category itself or one of its descendants. */
async function checkParent(exec: Executor, orgId: string, parentId: string | null, selfId: string | null) {
  if (!parentId) return;
  const all = await exec.select({ id: requestCategories.id, parentId: requestCategories.parentId }).from(requestCategories).where(eq(requestCategories.orgId, orgId));
  const parentOf = new Map(all.map((c) => [c.id, c.parentId]));
  if (!parentOf.has(parentId)) throw new AppError('org.invalid_reference', { entity: 'category' }, { field: 'parentId' });
  for (let id: string | null | undefined = parentId, depth = 0; id && depth < 50; id = parentOf.get(id), depth++) {
    if (id === selfId) throw new AppError('validation_failed', { summary: 'parentId' }, { field: 'parentId', reason: 'cycle' });
  }
}

async function writeOrConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict.name_taken', {}, { field: 'name' });
    throw error;
  }
}

export async function createCategory(ctx: Ctx, input: unknown) {
  authorize(ctx, 'request.configure');
  const data = parse(C.CategoryInput, input);
  return writeOrConflict(() =>
    transact(ctx, async (t) => {
      await checkParent(t.tx, t.orgId, data.parentId, null);
      const now = t.now();
      const [row] = await t.tx.insert(requestCategories).values({ orgId: t.orgId, ...data, nameEn: data.nameEn ?? null, createdAt: now, updatedAt: now }).returning();
      const view = present(row!);
      await audit(t, { action: 'category.create', entityType: 'category', entityId: row!.id, after: view });
      await t.emit('category.created', { entityType: 'category', entityId: row!.id });
      return view;
    }),
  );
}

export async function updateCategory(ctx: Ctx, id: string, input: unknown) {
  authorize(ctx, 'request.configure');
  const data = parse(C.CategoryInput, input);
  return writeOrConflict(() =>
    transact(ctx, async (t) => {
      const before = present(await load(t.tx, t.orgId, id, true));
      await checkParent(t.tx, t.orgId, data.parentId, id);
      const [row] = await t.tx.update(requestCategories).set({ ...data, nameEn: data.nameEn ?? null, updatedAt: t.now() }).where(eq(requestCategories.id, id)).returning();
      const view = present(row!);
      await audit(t, { action: 'category.update', entityType: 'category', entityId: id, before, after: view });
      await t.emit('category.updated', { entityType: 'category', entityId: id });
      return view;
    }),
  );
}

/** Deletes an unused leaf category (used ones are deactivated instead). */
export async function deleteCategory(ctx: Ctx, id: string) {
  authorize(ctx, 'request.configure');
  return transact(ctx, async (t) => {
    const before = present(await load(t.tx, t.orgId, id, true));
    const [child] = await t.tx.select({ id: requestCategories.id }).from(requestCategories).where(and(eq(requestCategories.orgId, t.orgId), eq(requestCategories.parentId, id))).limit(1);
    const [used] = await t.tx.select({ id: requests.id }).from(requests).where(and(eq(requests.orgId, t.orgId), eq(requests.categoryId, id))).limit(1);
    if (child || used) throw new AppError('conflict.in_use', { entity: 'category' });
    await t.tx.delete(requestCategories).where(eq(requestCategories.id, id));
    await audit(t, { action: 'category.delete', entityType: 'category', entityId: id, before });
    await t.emit('category.deleted', { entityType: 'category', entityId: id });
    return { ok: true as const };
  });
}
