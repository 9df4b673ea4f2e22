import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { buildOrg, buildStaff, testApp } from '../../test/harness.js';
import { createCustomer, getCustomer, listCustomers, revealCustomerPii, updateCustomer } from './customers.js';
import { customers, teams } from './schema.js';
import { createStaff, deactivateStaff, listStaff, updateStaff } from './staff.js';
import { createBranch, createTeam, listTeams, updateBranch } from './structure.js';

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === code);
}

describe('organization structure', () => {
  it('keeps one head office and refuses duplicate branch codes', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    await expectCode(createBranch(admin.ctx, { code: 'B1', name: '重复' }), 'conflict.code_taken');
    await expectCode(updateBranch(admin.ctx, org.headOfficeId, { active: false }), 'org.head_office_required');
  });

  it('builds teams (incl. special teams) with several memberships per person', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const agent = await buildStaff(org, 'agent');
    const hotline = await createTeam(admin.ctx, { branchId: org.headOfficeId, name: '热线组', memberIds: [agent.staff.id] });
    const special = await createTeam(admin.ctx, { branchId: org.headOfficeId, name: '专项小组', kind: 'special', memberIds: [agent.staff.id] });
    expect(special.kind).toBe('special');
    const list = await listTeams(admin.ctx);
    expect(list.map((t) => t.id).sort()).toEqual([hotline.id, special.id].sort());
    const staff = await listStaff(admin.ctx, { teamId: special.id });
    expect(staff.items.map((s) => s.id)).toEqual([agent.staff.id]);
    expect(staff.items[0]!.teamIds.sort()).toEqual([hotline.id, special.id].sort());
  });

  it('writes nothing when a referenced member does not exist (one transaction)', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    await expectCode(createTeam(admin.ctx, { branchId: org.headOfficeId, name: '幽灵组', memberIds: ['00000000-0000-4000-8000-000000000000'] }), 'org.invalid_reference');
    const db = org.app.database.db;
    expect(await db.select().from(teams).where(eq(teams.orgId, org.orgId))).toHaveLength(0);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'team.create')))).toHaveLength(0);
  });
});

describe('staff', () => {
  it('refuses a duplicate username, case-insensitively, across organizations', async () => {
    const org = await buildOrg();
    const other = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const taken = await buildStaff(other, 'agent');
    await expectCode(
      createStaff(admin.ctx, { username: taken.username.toUpperCase(), displayName: 'x', role: 'agent', branchId: org.headOfficeId, password: 'Secret123' }),
      'conflict.username_taken',
    );
  });

  it('confines a branch manager to their branch', async () => {
    const org = await buildOrg();
    const manager = await buildStaff(org, 'manager', { scope: 'branch', branchId: org.branchId });
    const here = await buildStaff(org, 'agent', { branchId: org.branchId });
    const there = await buildStaff(org, 'agent');
    const seen = await listStaff(manager.ctx, {});
    expect(seen.items.map((s) => s.id)).toContain(here.staff.id);
    expect(seen.items.map((s) => s.id)).not.toContain(there.staff.id);
    await expectCode(updateStaff(manager.ctx, there.staff.id, { displayName: '改名' }), 'not_found');
    await expectCode(createStaff(manager.ctx, { username: `x${Date.now()}`, displayName: 'x', role: 'agent', branchId: org.headOfficeId, password: 'Secret123' }), 'forbidden');
    await expectCode(createStaff(manager.ctx, { username: `y${Date.now()}`, displayName: 'y', role: 'admin', branchId: org.branchId, password: 'Secret123' }), 'forbidden');
    const renamed = await updateStaff(manager.ctx, here.staff.id, { displayName: '新名字' });
    expect(renamed.displayName).toBe('新名字');
  });

  it('records the before/after difference, request id and IP of every write', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const agent = await buildStaff(org, 'agent');
    await updateStaff(admin.ctx, agent.staff.id, { displayName: '李四' });
    const [entry] = await org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'staff.update')));
    expect(entry!.actorId).toBe(admin.staff.id);
    expect(entry!.diff).toEqual({ displayName: [agent.staff.displayName, '李四'] });
    expect(entry!.requestId).toBe(admin.ctx.requestId);
    expect(entry!.ip).toBe('127.0.0.1');
  });

  it('does not let anyone deactivate themselves or change their own role', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    await expectCode(deactivateStaff(admin.ctx, admin.staff.id), 'forbidden');
    await expectCode(updateStaff(admin.ctx, admin.staff.id, { role: 'agent' }), 'forbidden');
  });
});

describe('customers and personal data', () => {
  it('encrypts phone and ID number at rest, masks them, and finds by exact phone', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent', { scope: 'organization' });
    const c = await createCustomer(agent.ctx, { name: '刘桂兰', phone: '13812341188', idNumber: '11010519491231002X', flags: ['elderly'] });
    expect(c.phone).toBe('138****1188');
    expect(c.idNumber).toBe('110***********002X');
    const [row] = await org.app.database.db.select().from(customers).where(eq(customers.id, c.id));
    expect(JSON.stringify(row)).not.toContain('13812341188');
    expect(JSON.stringify(row)).not.toContain('11010519491231002X');
    const found = await listCustomers(agent.ctx, { phone: '+86 138-1234-1188' });
    expect(found.items.map((x) => x.id)).toEqual([c.id]);
    expect((await listCustomers(agent.ctx, { phone: '13812341189' })).items).toHaveLength(0);
  });

  it('reveals personal data only with pii:read, and audits every reveal', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent', { scope: 'organization' });
    const supervisor = await buildStaff(org, 'supervisor', { scope: 'organization' });
    const c = await createCustomer(agent.ctx, { name: '陈晓明', phone: '13955556666', flags: ['vip'] });
    await expectCode(revealCustomerPii(agent.ctx, c.id), 'forbidden');
    const pii = await revealCustomerPii(supervisor.ctx, c.id);
    expect(pii.phone).toBe('13955556666');
    const reads = await org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, 'customer.pii_read')));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.actorId).toBe(supervisor.staff.id);
    expect(JSON.stringify(reads)).not.toContain('13955556666');
  });

  it('searches names literally: % and _ are not wildcards', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const percent = await createCustomer(admin.ctx, { name: '满意度100%先生' });
    await createCustomer(admin.ctx, { name: '王_小明' });
    await createCustomer(admin.ctx, { name: '王大明' });
    expect((await listCustomers(admin.ctx, { q: '%' })).items.map((c) => c.id)).toEqual([percent.id]);
    expect((await listCustomers(admin.ctx, { q: '王_' })).items.map((c) => c.name)).toEqual(['王_小明']);
  });

  it('keeps customers of other organizations invisible', async () => {
    const org = await buildOrg();
    const other = await buildOrg();
    const mine = await buildStaff(org, 'admin');
    const theirs = await buildStaff(other, 'admin');
    const c = await createCustomer(theirs.ctx, { name: '别家客户' });
    await expectCode(getCustomer(mine.ctx, c.id), 'not_found');
    await expectCode(updateCustomer(mine.ctx, c.id, { name: 'x' }), 'not_found');
  });

  it('audits an update as the masked difference, never the clear value', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const c = await createCustomer(admin.ctx, { name: '周海燕', phone: '13600001234' });
    await updateCustomer(admin.ctx, c.id, { phone: '13600005678' });
    const app = await testApp();
    const [entry] = await app.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, c.id), eq(auditLog.action, 'customer.update')));
    expect(entry!.diff).toEqual({ phone: ['136****1234', '136****5678'] });
  });
});
