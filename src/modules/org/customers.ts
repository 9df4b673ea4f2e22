/** Customers: a separate kind of record from staff, with their personal data encrypted and masked. */
import { and, arrayContains, asc, count, eq, ilike, isNull, or, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx } from '../../core/context.js';
import { decrypt, encrypt, lookupHash, normalizePhone, type Keys } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { containsPattern } from '../../core/db/like.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import * as C from './contracts.js';
import { presentCustomer } from './presenters.js';
import { customers } from './schema.js';
import { requireBranch } from './structure.js';

type CustomerRow = typeof customers.$inferSelect;

function resource(row: { orgId: string; branchId: string | null }) {
  return { orgId: row.orgId, branchId: row.branchId, entity: 'customer' };
}

async function loadCustomer(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<CustomerRow> {
  const q = exec.select().from(customers).where(and(eq(customers.id, id), eq(customers.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'customer' });
  return row;
}

function piiColumns(keys: Keys, data: { phone?: string | null | undefined; idNumber?: string | null | undefined }) {
  const out: Partial<CustomerRow> = {};
  if (data.phone !== undefined) {
    out.phoneEnc = data.phone ? encrypt(keys, data.phone) : null;
    out.phoneHash = data.phone ? lookupHash(keys, 'phone', data.phone) : null;
    out.phoneLast4 = data.phone ? normalizePhone(data.phone).slice(-4) : null;
  }
  if (data.idNumber !== undefined) {
    out.idNumberEnc = data.idNumber ? encrypt(keys, data.idNumber.toUpperCase()) : null;
    out.idNumberHash = data.idNumber ? lookupHash(keys, 'id_number', data.idNumber) : null;
  }
  return out;
}

/**
 * Lists customers. `phone` is an exact match through the keyed hash (the number itself is never stored
 * in clear); `q` matches the name.
 */
export async function listCustomers(ctx: Ctx, query: unknown) {
  authorize(ctx, 'customer.read');
  const q = parse(C.CustomerQuery, query);
  const db = ctx.app.database.db;
  const conditions: SQL[] = [eq(customers.orgId, ctx.orgId)];
  const only = branchFilter(ctx.actor);
  if (only) conditions.push(or(isNull(customers.branchId), eq(customers.branchId, only))!);
  if (q.phone) conditions.push(eq(customers.phoneHash, lookupHash(ctx.app.keys, 'phone', q.phone)));
  if (q.q) conditions.push(ilike(customers.name, containsPattern(q.q)));
  if (q.flag) conditions.push(arrayContains(customers.flags, [q.flag]));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db.select().from(customers).where(where).orderBy(asc(customers.name), asc(customers.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(customers).where(where),
  ]);
  return { items: rows.map((r) => presentCustomer(ctx.app.keys, r)), total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

export async function getCustomer(ctx: Ctx, id: string) {
  const row = await loadCustomer(ctx.app.database.db, ctx, id);
  authorize(ctx, 'customer.read', resource(row));
  return presentCustomer(ctx.app.keys, row);
}

/** The unmasked phone and ID number, for holders of `pii:read`; every such read is audited. */
export async function revealCustomerPii(ctx: Ctx, id: string) {
  return transact(ctx, async (t) => {
    const row = await loadCustomer(t.tx, t, id);
    authorize(t, 'customer.read', resource(row));
    authorize(t, 'pii:read');
    const keys = t.app.keys;
    const fields = [row.phoneEnc ? 'phone' : null, row.idNumberEnc ? 'idNumber' : null].filter(Boolean);
    await audit(t, { action: 'customer.pii_read', entityType: 'customer', entityId: id, after: { fields } });
    return {
      id,
      phone: row.phoneEnc ? decrypt(keys, row.phoneEnc) : null,
      idNumber: row.idNumberEnc ? decrypt(keys, row.idNumberEnc) : null,
    };
  });
}

export async function createCustomer(ctx: Ctx, input: unknown) {
  const data = parse(C.CustomerCreate, input);
  authorize(ctx, 'customer.manage', { orgId: ctx.orgId, branchId: data.branchId ?? null, entity: 'customer' });
  return transact(ctx, async (t) => {
    if (data.branchId) await requireBranch(t.tx, t, data.branchId);
    const now = t.now();
    const [row] = await t.tx
      .insert(customers)
      .values({
        orgId: t.orgId, name: data.name, email: data.email ?? null, flags: [...new Set(data.flags)],
        branchId: data.branchId ?? null, notes: data.notes ?? null, createdAt: now, updatedAt: now,
        ...piiColumns(t.app.keys, data),
      })
      .returning();
    const view = presentCustomer(t.app.keys, row!);
    await audit(t, { action: 'customer.create', entityType: 'customer', entityId: row!.id, after: view });
    await t.emit('customer.created', { entityType: 'customer', entityId: row!.id });
    return view;
  });
}

export async function updateCustomer(ctx: Ctx, id: string, input: unknown) {
  const data = parse(C.CustomerUpdate, input);
  return transact(ctx, async (t) => {
    const row = await loadCustomer(t.tx, t, id, true);
    authorize(t, 'customer.manage', resource(row), 'customer.read');
    if (data.branchId) {
      await requireBranch(t.tx, t, data.branchId);
      authorize(t, 'customer.manage', { orgId: t.orgId, branchId: data.branchId, entity: 'customer' });
    }
    const before = presentCustomer(t.app.keys, row);
    const { phone, idNumber, flags, ...fields } = data;
    const [updated] = await t.tx
      .update(customers)
      .set({ ...fields, ...(flags ? { flags: [...new Set(flags)] } : {}), ...piiColumns(t.app.keys, { phone, idNumber }), updatedAt: t.now() })
      .where(eq(customers.id, id))
      .returning();
    const after = presentCustomer(t.app.keys, updated!);
    await audit(t, { action: 'customer.update', entityType: 'customer', entityId: id, before, after });
    await t.emit('customer.updated', { entityType: 'customer', entityId: id });
    return after;
  });
}
