/** Organization, branches, departments and teams: the commands and queries of the org chart. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx, type TxCtx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { isUniqueViolation } from '../../core/db/errors.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse, ValidationError } from '../../core/validate.js';
import * as C from './contracts.js';
import { presentBranch, presentDepartment, presentOrganization, presentTeam } from './presenters.js';
import { branches, departments, organizations, staff, teamMembers, teams } from './schema.js';

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ---------- organization ----------

export interface OrganizationCreate {
  code: string;
  name: string;
  timeZone?: string;
  headOffice: { code: string; name: string };
}

/** Creates an organization with its head office. Installation-level: used by the CLI, seeding and tests. */
export async function createOrganization(ctx: Omit<Ctx, 'orgId' | 'actor'>, input: OrganizationCreate) {
  const id = crypto.randomUUID();
  const c: Ctx = { ...ctx, orgId: id, actor: { kind: 'system', orgId: id, name: 'system' } };
  const timeZone = input.timeZone ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timeZone)) throw new ValidationError([{ code: 'custom', path: ['timeZone'], message: 'pledge:time_zone', input: timeZone }]);
  try {
    return await transact(c, async (t) => {
      const now = t.now();
      const [org] = await t.tx
        .insert(organizations)
        .values({ id, orgId: id, code: input.code, name: input.name, timeZone, createdAt: now, updatedAt: now })
        .returning();
      const [head] = await t.tx
        .insert(branches)
        .values({ orgId: id, code: input.headOffice.code, name: input.headOffice.name, kind: 'head_office', createdAt: now, updatedAt: now })
        .returning();
      await audit(t, { action: 'organization.create', entityType: 'organization', entityId: id, after: org });
      await audit(t, { action: 'branch.create', entityType: 'branch', entityId: head!.id, after: head });
      await t.emit('organization.created', { entityType: 'organization', entityId: id });
      return { organization: presentOrganization(org!), headOffice: presentBranch(head!) };
    });
  } catch (e) {
    if (isUniqueViolation(e, 'organizations_code_uq')) throw new AppError('conflict.code_taken', { code: input.code });
    throw e;
  }
}

export async function getOrganization(ctx: Ctx) {
  authorize(ctx, 'org.read');
  const [row] = await ctx.app.database.db.select().from(organizations).where(eq(organizations.id, ctx.orgId));
  if (!row) throw new AppError('not_found', { entity: 'organization' });
  return presentOrganization(row);
}

export async function updateOrganization(ctx: Ctx, input: unknown) {
  authorize(ctx, 'org.update');
  const data = parse(C.OrganizationUpdate, input);
  if (data.timeZone && !isValidTimeZone(data.timeZone)) {
    throw new ValidationError([{ code: 'custom', path: ['timeZone'], message: 'pledge:time_zone', input: data.timeZone }]);
  }
  return transact(ctx, async (t) => {
    const [before] = await t.tx.select().from(organizations).where(eq(organizations.id, t.orgId)).for('update');
    if (!before) throw new AppError('not_found', { entity: 'organization' });
    const [after] = await t.tx.update(organizations).set({ ...data, updatedAt: t.now() }).where(eq(organizations.id, t.orgId)).returning();
    await audit(t, { action: 'organization.update', entityType: 'organization', entityId: t.orgId, before, after });
    await t.emit('organization.updated', { entityType: 'organization', entityId: t.orgId });
    return presentOrganization(after!);
  });
}

// ---------- branches ----------

async function loadBranch(exec: Executor, ctx: Ctx, id: string, lock = false) {
  const q = exec.select().from(branches).where(and(eq(branches.id, id), eq(branches.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'branch' });
  return row;
}

/** Checks that a referenced branch exists in the actor's organization (400 otherwise, not 404). */
export async function requireBranch(exec: Executor, ctx: Ctx, id: string) {
  const [row] = await exec.select().from(branches).where(and(eq(branches.id, id), eq(branches.orgId, ctx.orgId)));
  if (!row) throw new AppError('org.invalid_reference', { entity: 'branch' }, { field: 'branchId' });
  return row;
}

export async function listBranches(ctx: Ctx) {
  authorize(ctx, 'branch.read');
  const rows = await ctx.app.database.db.select().from(branches).where(eq(branches.orgId, ctx.orgId)).orderBy(asc(branches.kind), asc(branches.code));
  // Every member of staff may read the whole branch list (to route work and to read figures); the scope
  // rule confines what a branch-scoped actor may change, not what it may name.
  return rows.map(presentBranch);
}

function branchConflict(e: unknown, code: string | undefined): never {
  if (isUniqueViolation(e, 'branches_org_code_uq')) throw new AppError('conflict.code_taken', { code });
  throw e;
}

export async function createBranch(ctx: Ctx, input: unknown) {
  authorize(ctx, 'branch.manage', { orgId: ctx.orgId, branchId: null, entity: 'branch' });
  const data = parse(C.BranchCreate, input);
  try {
    return await transact(ctx, async (t) => {
      const now = t.now();
      const [row] = await t.tx
        .insert(branches)
        .values({ orgId: t.orgId, code: data.code, name: data.name, address: data.address ?? null, phone: data.phone ?? null, kind: 'branch', createdAt: now, updatedAt: now })
        .returning();
      await audit(t, { action: 'branch.create', entityType: 'branch', entityId: row!.id, after: row });
      await t.emit('branch.created', { entityType: 'branch', entityId: row!.id });
      return presentBranch(row!);
    });
  } catch (e) {
    return branchConflict(e, data.code);
  }
}

export async function updateBranch(ctx: Ctx, id: string, input: unknown) {
  const data = parse(C.BranchUpdate, input);
  try {
    return await transact(ctx, async (t) => {
      const before = await loadBranch(t.tx, t, id, true);
      authorize(t, 'branch.manage', { orgId: before.orgId, branchId: before.id, entity: 'branch' }, 'branch.read');
      if (data.active === false && before.kind === 'head_office') throw new AppError('org.head_office_required');
      const [after] = await t.tx.update(branches).set({ ...data, updatedAt: t.now() }).where(eq(branches.id, id)).returning();
      await audit(t, { action: 'branch.update', entityType: 'branch', entityId: id, before, after });
      await t.emit('branch.updated', { entityType: 'branch', entityId: id });
      return presentBranch(after!);
    });
  } catch (e) {
    return branchConflict(e, data.code);
  }
}

// ---------- departments ----------

export async function listDepartments(ctx: Ctx, branchId?: string) {
  authorize(ctx, 'branch.read');
  const where = branchId ? and(eq(departments.orgId, ctx.orgId), eq(departments.branchId, branchId)) : eq(departments.orgId, ctx.orgId);
  const rows = await ctx.app.database.db.select().from(departments).where(where).orderBy(asc(departments.name));
  return rows.map(presentDepartment);
}

function nameConflict(e: unknown, name: string | undefined, constraint: string): never {
  if (isUniqueViolation(e, constraint)) throw new AppError('conflict.name_taken', { name });
  throw e;
}

export async function createDepartment(ctx: Ctx, input: unknown) {
  const data = parse(C.DepartmentCreate, input);
  try {
    return await transact(ctx, async (t) => {
      const branch = await requireBranch(t.tx, t, data.branchId);
      authorize(t, 'branch.manage', { orgId: t.orgId, branchId: branch.id, entity: 'branch' });
      const now = t.now();
      const [row] = await t.tx.insert(departments).values({ orgId: t.orgId, branchId: branch.id, name: data.name, createdAt: now, updatedAt: now }).returning();
      await audit(t, { action: 'department.create', entityType: 'department', entityId: row!.id, after: row });
      await t.emit('department.created', { entityType: 'department', entityId: row!.id });
      return presentDepartment(row!);
    });
  } catch (e) {
    return nameConflict(e, data.name, 'departments_branch_name_uq');
  }
}

export async function updateDepartment(ctx: Ctx, id: string, input: unknown) {
  const data = parse(C.DepartmentUpdate, input);
  try {
    return await transact(ctx, async (t) => {
      const [before] = await t.tx.select().from(departments).where(and(eq(departments.id, id), eq(departments.orgId, t.orgId))).for('update');
      if (!before) throw new AppError('not_found', { entity: 'department' });
      authorize(t, 'branch.manage', { orgId: t.orgId, branchId: before.branchId, entity: 'department' }, 'branch.read');
      const [after] = await t.tx.update(departments).set({ ...data, updatedAt: t.now() }).where(eq(departments.id, id)).returning();
      await audit(t, { action: 'department.update', entityType: 'department', entityId: id, before, after });
      await t.emit('department.updated', { entityType: 'department', entityId: id });
      return presentDepartment(after!);
    });
  } catch (e) {
    return nameConflict(e, data.name, 'departments_branch_name_uq');
  }
}

// ---------- teams ----------

async function membersOf(exec: Executor, teamIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return map;
  const rows = await exec.select({ teamId: teamMembers.teamId, staffId: teamMembers.staffId }).from(teamMembers).where(inArray(teamMembers.teamId, teamIds));
  for (const r of rows) map.get(r.teamId)?.push(r.staffId);
  return map;
}

export async function listTeams(ctx: Ctx, branchId?: string) {
  authorize(ctx, 'branch.read');
  const db = ctx.app.database.db;
  const where = branchId ? and(eq(teams.orgId, ctx.orgId), eq(teams.branchId, branchId)) : eq(teams.orgId, ctx.orgId);
  const rows = await db.select().from(teams).where(where).orderBy(asc(teams.name));
  const members = await membersOf(db, rows.map((r) => r.id));
  return rows.map((r) => presentTeam(r, members.get(r.id) ?? []));
}

async function requireStaffIds(t: TxCtx, ids: string[]) {
  if (ids.length === 0) return;
  const unique = [...new Set(ids)];
  const rows = await t.tx.select({ id: staff.id }).from(staff).where(and(eq(staff.orgId, t.orgId), inArray(staff.id, unique)));
  if (rows.length !== unique.length) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field: 'memberIds' });
}

async function requireDepartment(t: TxCtx, id: string, branchId: string) {
  const [row] = await t.tx.select().from(departments).where(and(eq(departments.id, id), eq(departments.orgId, t.orgId)));
  if (!row || row.branchId !== branchId) throw new AppError('org.invalid_reference', { entity: 'department' }, { field: 'departmentId' });
}

async function setMembers(t: TxCtx, teamId: string, memberIds: string[]) {
  await t.tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  const unique = [...new Set(memberIds)];
  if (unique.length) await t.tx.insert(teamMembers).values(unique.map((staffId) => ({ orgId: t.orgId, teamId, staffId, addedAt: t.now() })));
}

export async function createTeam(ctx: Ctx, input: unknown) {
  const data = parse(C.TeamCreate, input);
  try {
    return await transact(ctx, async (t) => {
      const branch = await requireBranch(t.tx, t, data.branchId);
      authorize(t, 'branch.manage', { orgId: t.orgId, branchId: branch.id, entity: 'team' });
      if (data.departmentId) await requireDepartment(t, data.departmentId, branch.id);
      const memberIds = [...new Set([...data.memberIds, ...(data.leadId ? [data.leadId] : [])])];
      await requireStaffIds(t, memberIds);
      const now = t.now();
      const [row] = await t.tx
        .insert(teams)
        .values({ orgId: t.orgId, branchId: branch.id, departmentId: data.departmentId ?? null, name: data.name, kind: data.kind, leadId: data.leadId ?? null, createdAt: now, updatedAt: now })
        .returning();
      await setMembers(t, row!.id, memberIds);
      const view = presentTeam(row!, memberIds);
      await audit(t, { action: 'team.create', entityType: 'team', entityId: row!.id, after: view });
      await t.emit('team.created', { entityType: 'team', entityId: row!.id });
      return view;
    });
  } catch (e) {
    return nameConflict(e, data.name, 'teams_branch_name_uq');
  }
}

export async function updateTeam(ctx: Ctx, id: string, input: unknown) {
  const data = parse(C.TeamUpdate, input);
  try {
    return await transact(ctx, async (t) => {
      const [row] = await t.tx.select().from(teams).where(and(eq(teams.id, id), eq(teams.orgId, t.orgId))).for('update');
      if (!row) throw new AppError('not_found', { entity: 'team' });
      authorize(t, 'branch.manage', { orgId: t.orgId, branchId: row.branchId, entity: 'team' }, 'branch.read');
      const beforeMembers = (await membersOf(t.tx, [id])).get(id) ?? [];
      const before = presentTeam(row, beforeMembers);
      if (data.departmentId) await requireDepartment(t, data.departmentId, row.branchId);
      const leadId = data.leadId === undefined ? row.leadId : data.leadId;
      let memberIds = data.memberIds ?? beforeMembers;
      if (leadId && !memberIds.includes(leadId)) memberIds = [...memberIds, leadId];
      await requireStaffIds(t, memberIds);
      const { memberIds: _ignored, ...fields } = data;
      const [updated] = await t.tx.update(teams).set({ ...fields, updatedAt: t.now() }).where(eq(teams.id, id)).returning();
      await setMembers(t, id, memberIds);
      const after = presentTeam(updated!, [...new Set(memberIds)]);
      await audit(t, { action: 'team.update', entityType: 'team', entityId: id, before, after });
      await t.emit('team.updated', { entityType: 'team', entityId: id });
      return after;
    });
  } catch (e) {
    return nameConflict(e, data.name, 'teams_branch_name_uq');
  }
}
