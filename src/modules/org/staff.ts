/** Staff: the people of the organization, their roles, scopes, teams and passwords. */
import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx, type TxCtx } from '../../core/context.js';
import { decrypt, encrypt, hashPassword, lookupHash } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { isUniqueViolation } from '../../core/db/errors.js';
import { containsPattern } from '../../core/db/like.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter, type Role } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { calendars } from '../calendars/schema.js';
import * as C from './contracts.js';
import { presentStaff } from './presenters.js';
import { departments, sessions, staff, teamMembers, teams } from './schema.js';
import { requireBranch } from './structure.js';

type StaffRow = typeof staff.$inferSelect;

export const MIN_PASSWORD_LENGTH = 8;

/** Passwords need 8+ characters with letters and digits (the schema checks length; this checks content). */
export function assertStrongPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw new AppError('auth.weak_password', { min: MIN_PASSWORD_LENGTH });
  }
}

async function teamIdsOf(exec: Executor, staffIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(staffIds.map((id) => [id, []]));
  if (staffIds.length === 0) return map;
  const rows = await exec.select({ staffId: teamMembers.staffId, teamId: teamMembers.teamId }).from(teamMembers).where(inArray(teamMembers.staffId, staffIds));
  for (const r of rows) map.get(r.staffId)?.push(r.teamId);
  return map;
}

export async function viewStaff(ctx: Ctx, exec: Executor, row: StaffRow): Promise<C.Staff> {
  const teamIds = (await teamIdsOf(exec, [row.id])).get(row.id) ?? [];
  return presentStaff(ctx.app.keys, row, teamIds, ctx.now());
}

async function loadStaff(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<StaffRow> {
  const q = exec.select().from(staff).where(and(eq(staff.id, id), eq(staff.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'staff' });
  return row;
}

function resource(row: { orgId: string; branchId: string; role: string }) {
  return { orgId: row.orgId, branchId: row.branchId, role: row.role as Role, entity: 'staff' };
}

export async function listStaff(ctx: Ctx, query: unknown) {
  authorize(ctx, 'staff.read');
  const q = parse(C.StaffQuery, query);
  const db = ctx.app.database.db;
  const conditions: SQL[] = [eq(staff.orgId, ctx.orgId)];
  const only = branchFilter(ctx.actor);
  if (only) conditions.push(eq(staff.branchId, only));
  if (q.branchId) conditions.push(eq(staff.branchId, q.branchId));
  if (q.role) conditions.push(eq(staff.role, q.role));
  if (q.active !== undefined) conditions.push(eq(staff.active, q.active));
  if (q.teamId) {
    conditions.push(inArray(staff.id, db.select({ id: teamMembers.staffId }).from(teamMembers).where(eq(teamMembers.teamId, q.teamId))));
  }
  if (q.q) {
    const pattern = containsPattern(q.q);
    conditions.push(or(ilike(staff.displayName, pattern), ilike(staff.username, pattern), ilike(staff.employeeNo, pattern))!);
  }
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db.select().from(staff).where(where).orderBy(asc(staff.displayName), asc(staff.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(staff).where(where),
  ]);
  const teamsByStaff = await teamIdsOf(db, rows.map((r) => r.id));
  return {
    items: rows.map((r) => presentStaff(ctx.app.keys, r, teamsByStaff.get(r.id) ?? [], ctx.now())),
    total: total?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getStaff(ctx: Ctx, id: string) {
  const db = ctx.app.database.db;
  const row = await loadStaff(db, ctx, id);
  authorize(ctx, 'staff.read', resource(row));
  return viewStaff(ctx, db, row);
}

/** Unmasked phone of a staff member; the read is written to the audit log. */
export async function revealStaffPhone(ctx: Ctx, id: string) {
  return transact(ctx, async (t) => {
    const row = await loadStaff(t.tx, t, id);
    authorize(t, 'staff.read', resource(row));
    authorize(t, 'pii:read');
    await audit(t, { action: 'staff.pii_read', entityType: 'staff', entityId: id, after: { fields: ['phone'] } });
    return { id, phone: row.phoneEnc ? decrypt(t.app.keys, row.phoneEnc) : null };
  });
}

async function checkPlacement(t: TxCtx, branchId: string, departmentId: string | null | undefined, teamIds: string[] | undefined) {
  await requireBranch(t.tx, t, branchId);
  if (departmentId) {
    const [dep] = await t.tx.select().from(departments).where(and(eq(departments.id, departmentId), eq(departments.orgId, t.orgId)));
    if (!dep || dep.branchId !== branchId) throw new AppError('org.invalid_reference', { entity: 'department' }, { field: 'departmentId' });
  }
  if (teamIds && teamIds.length) {
    const unique = [...new Set(teamIds)];
    const found = await t.tx.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, t.orgId), inArray(teams.id, unique)));
    if (found.length !== unique.length) throw new AppError('org.invalid_reference', { entity: 'team' }, { field: 'teamIds' });
  }
}

/** A duty calendar must be one of the organization's calendars. */
async function requireDutyCalendar(t: TxCtx, calendarId: string) {
  const [cal] = await t.tx.select({ id: calendars.id }).from(calendars).where(and(eq(calendars.id, calendarId), eq(calendars.orgId, t.orgId)));
  if (!cal) throw new AppError('org.invalid_reference', { entity: 'calendar' }, { field: 'dutyCalendarId' });
}

async function setTeams(t: TxCtx, staffId: string, teamIds: string[]) {
  await t.tx.delete(teamMembers).where(eq(teamMembers.staffId, staffId));
  const unique = [...new Set(teamIds)];
  if (unique.length) await t.tx.insert(teamMembers).values(unique.map((teamId) => ({ orgId: t.orgId, teamId, staffId, addedAt: t.now() })));
}

function defaultScope(role: Role): 'organization' | 'branch' {
  return role === 'admin' || role === 'auditor' ? 'organization' : 'branch';
}

function assertScopeGrantable(ctx: Ctx, scope: string) {
  if (scope === 'organization' && ctx.actor.kind === 'staff' && ctx.actor.scope !== 'organization') {
    throw new AppError('forbidden', { action: 'staff.manage (organization scope)' });
  }
}

export async function createStaff(ctx: Ctx, input: unknown) {
  const data = parse(C.StaffCreate, input);
  authorize(ctx, 'staff.manage', { orgId: ctx.orgId, branchId: data.branchId, role: data.role, entity: 'staff' });
  const scope = data.scope ?? defaultScope(data.role);
  assertScopeGrantable(ctx, scope);
  assertStrongPassword(data.password);
  const passwordHash = await hashPassword(data.password, ctx.app.config.passwordCost);
  try {
    return await transact(ctx, async (t) => {
      await checkPlacement(t, data.branchId, data.departmentId, data.teamIds);
      if (data.dutyCalendarId) await requireDutyCalendar(t, data.dutyCalendarId);
      const now = t.now();
      const keys = t.app.keys;
      const [row] = await t.tx
        .insert(staff)
        .values({
          orgId: t.orgId, username: data.username, displayName: data.displayName, employeeNo: data.employeeNo ?? null,
          email: data.email ?? null,
          phoneEnc: data.phone ? encrypt(keys, data.phone) : null,
          phoneHash: data.phone ? lookupHash(keys, 'phone', data.phone) : null,
          role: data.role, scope, branchId: data.branchId, departmentId: data.departmentId ?? null,
          locale: data.locale ?? null, dutyCalendarId: data.dutyCalendarId ?? null, passwordHash, passwordChangedAt: now, createdAt: now, updatedAt: now,
        })
        .returning();
      await setTeams(t, row!.id, data.teamIds);
      const view = await viewStaff(t, t.tx, row!);
      await audit(t, { action: 'staff.create', entityType: 'staff', entityId: row!.id, after: view });
      await t.emit('staff.created', { entityType: 'staff', entityId: row!.id });
      return view;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'staff_username_uq')) throw new AppError('conflict.username_taken', { username: data.username });
    throw e;
  }
}

export async function updateStaff(ctx: Ctx, id: string, input: unknown) {
  const data = parse(C.StaffUpdate, input);
  return transact(ctx, async (t) => {
    const row = await loadStaff(t.tx, t, id, true);
    authorize(t, 'staff.manage', resource(row), 'staff.read');
    const next = { branchId: data.branchId ?? row.branchId, role: (data.role ?? row.role) as Role };
    authorize(t, 'staff.manage', { orgId: t.orgId, ...next, entity: 'staff' });
    if (t.actor.kind === 'staff' && t.actor.id === id && (data.role || data.scope || data.branchId)) {
      // Nobody changes their own role or reach: another administrator must (no accidental self-lockout).
      throw new AppError('forbidden', { action: 'staff.manage (own role)' });
    }
    if (data.scope) assertScopeGrantable(t, data.scope);
    await checkPlacement(t, next.branchId, data.departmentId === undefined ? (data.branchId ? null : row.departmentId) : data.departmentId, data.teamIds);
    if (data.dutyCalendarId) await requireDutyCalendar(t, data.dutyCalendarId);
    const before = await viewStaff(t, t.tx, row);
    const keys = t.app.keys;
    const { teamIds, phone, ...fields } = data;
    const set: Partial<StaffRow> = { ...fields, updatedAt: t.now() };
    if (data.branchId && data.branchId !== row.branchId && data.departmentId === undefined) set.departmentId = null;
    if (phone !== undefined) {
      set.phoneEnc = phone ? encrypt(keys, phone) : null;
      set.phoneHash = phone ? lookupHash(keys, 'phone', phone) : null;
    }
    const [updated] = await t.tx.update(staff).set(set).where(eq(staff.id, id)).returning();
    if (teamIds) await setTeams(t, id, teamIds);
    const after = await viewStaff(t, t.tx, updated!);
    await audit(t, { action: 'staff.update', entityType: 'staff', entityId: id, before, after });
    await t.emit('staff.updated', { entityType: 'staff', entityId: id });
    return after;
  });
}

async function changeState(ctx: Ctx, id: string, action: string, event: string, apply: (row: StaffRow) => Partial<StaffRow>, endSessions: boolean) {
  return transact(ctx, async (t) => {
    const row = await loadStaff(t.tx, t, id, true);
    authorize(t, 'staff.manage', resource(row), 'staff.read');
    if (t.actor.kind === 'staff' && t.actor.id === id && action === 'staff.deactivate') {
      throw new AppError('forbidden', { action });
    }
    const before = await viewStaff(t, t.tx, row);
    const [updated] = await t.tx.update(staff).set({ ...apply(row), updatedAt: t.now() }).where(eq(staff.id, id)).returning();
    if (endSessions) await t.tx.delete(sessions).where(eq(sessions.staffId, id));
    const after = await viewStaff(t, t.tx, updated!);
    await audit(t, { action, entityType: 'staff', entityId: id, before, after });
    await t.emit(event, { entityType: 'staff', entityId: id });
    return after;
  });
}

/** Deactivates a member of staff: no more sign-in, sessions ended, API tokens refused. History stays. */
export function deactivateStaff(ctx: Ctx, id: string) {
  return changeState(ctx, id, 'staff.deactivate', 'staff.deactivated', () => ({ active: false }), true);
}

export function reactivateStaff(ctx: Ctx, id: string) {
  return changeState(ctx, id, 'staff.reactivate', 'staff.reactivated', () => ({ active: true, failedSignIns: 0, lockedUntil: null }), false);
}

export function unlockStaff(ctx: Ctx, id: string) {
  return changeState(ctx, id, 'staff.unlock', 'staff.unlocked', () => ({ failedSignIns: 0, lockedUntil: null }), false);
}

/** An administrator sets a new password for someone (forgotten password); their sessions end. */
export async function resetPassword(ctx: Ctx, id: string, input: unknown) {
  const { newPassword } = parse(C.PasswordReset, input);
  assertStrongPassword(newPassword);
  const hash = await hashPassword(newPassword, ctx.app.config.passwordCost);
  return changeState(ctx, id, 'staff.password_reset', 'staff.password_reset', () => ({ passwordHash: hash, passwordChangedAt: ctx.now(), failedSignIns: 0, lockedUntil: null }), true);
}

/** Case-insensitive username lookup across the installation (usernames are unique installation-wide). */
export async function findStaffByUsername(exec: Executor, username: string): Promise<StaffRow | undefined> {
  const [row] = await exec.select().from(staff).where(sql`lower(${staff.username}) = lower(${username})`);
  return row;
}
