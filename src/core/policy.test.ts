import { describe, expect, it } from 'vitest';
import type { Actor } from './context.js';
import { can, PERMISSIONS, ROLES, type Permission, type Role, type Scope } from './policy.js';

const ORG = 'org-1';
const HOME = 'branch-home';
const OTHER = 'branch-other';

function actor(role: Role, scope: Scope, tokenScopes?: Permission[]): Actor {
  return { kind: 'staff', id: 'me', orgId: ORG, name: 'x', role, scope, branchId: HOME, ...(tokenScopes ? { tokenScopes } : {}) };
}

/** The expected matrix, written out independently of the implementation's sets. */
const EXPECTED: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  manager: ['org.read', 'branch.read', 'staff.read', 'customer.read', 'calendar.read', 'commitment.read', 'request.read', 'call.read', 'request.create', 'request.handle', 'call.manage', 'request.assign', 'request.configure', 'macro.manage', 'branch.manage', 'staff.manage', 'customer.manage', 'pii:read', 'token.manage', 'commitment.edit', 'commitment.meeting', 'evaluation.read', 'corrective.read', 'evaluation.configure', 'callback.manage', 'appeal.file', 'appeal.decide', 'corrective.handle', 'corrective.manage', 'corrective.verify', 'feedback.handle', 'campaign.manage', 'report.read', 'report.manage'],
  supervisor: ['org.read', 'branch.read', 'staff.read', 'customer.read', 'calendar.read', 'commitment.read', 'request.read', 'call.read', 'pii:read', 'token.manage', 'commitment.evaluate', 'evaluation.read', 'corrective.read', 'callback.manage', 'appeal.decide', 'corrective.manage', 'corrective.verify', 'feedback.handle', 'campaign.manage', 'report.read'],
  team_lead: ['org.read', 'branch.read', 'staff.read', 'customer.read', 'calendar.read', 'commitment.read', 'request.read', 'call.read', 'request.create', 'request.handle', 'call.manage', 'request.assign', 'macro.manage', 'customer.manage', 'token.manage', 'evaluation.read', 'corrective.read', 'appeal.file', 'corrective.handle', 'corrective.manage', 'feedback.handle'],
  agent: ['org.read', 'branch.read', 'staff.read', 'customer.read', 'calendar.read', 'commitment.read', 'request.read', 'call.read', 'request.create', 'request.handle', 'call.manage', 'customer.manage', 'token.manage', 'evaluation.read', 'corrective.read', 'appeal.file', 'corrective.handle'],
  auditor: ['org.read', 'branch.read', 'staff.read', 'customer.read', 'calendar.read', 'commitment.read', 'request.read', 'call.read', 'audit.read', 'outbox.read', 'token.manage', 'evaluation.read', 'corrective.read', 'report.read'],
};

describe('policy: role × action (organization scope, no resource)', () => {
  const cases = ROLES.flatMap((role) => PERMISSIONS.map((p) => [role, p, EXPECTED[role].includes(p)] as const));
  it.each(cases)('%s may %s → %s', (role, permission, allowed) => {
    expect(can(actor(role, 'organization'), permission, undefined)).toBe(allowed);
  });
});

describe('policy: scope', () => {
  type Row = [string, Role, Scope, Permission, { orgId: string; branchId?: string | null; role?: Role }, boolean];
  const rows: Row[] = [
    ['org manager manages staff of another branch', 'manager', 'organization', 'staff.manage', { orgId: ORG, branchId: OTHER, role: 'agent' }, true],
    ['branch manager manages staff of own branch', 'manager', 'branch', 'staff.manage', { orgId: ORG, branchId: HOME, role: 'agent' }, true],
    ['branch manager cannot manage staff of another branch', 'manager', 'branch', 'staff.manage', { orgId: ORG, branchId: OTHER, role: 'agent' }, false],
    ['branch manager cannot read staff of another branch', 'manager', 'branch', 'staff.read', { orgId: ORG, branchId: OTHER }, false],
    ['branch manager reads staff of own branch', 'manager', 'branch', 'staff.read', { orgId: ORG, branchId: HOME }, true],
    ['branch manager cannot create a branch (organization-wide)', 'manager', 'branch', 'branch.manage', { orgId: ORG, branchId: null }, false],
    ['org manager creates a branch', 'manager', 'organization', 'branch.manage', { orgId: ORG, branchId: null }, true],
    ['branch manager edits own branch', 'manager', 'branch', 'branch.manage', { orgId: ORG, branchId: HOME }, true],
    ['branch agent reads an organization-wide customer', 'agent', 'branch', 'customer.read', { orgId: ORG, branchId: null }, true],
    ['branch agent cannot change an organization-wide customer', 'agent', 'branch', 'customer.manage', { orgId: ORG, branchId: null }, false],
    ['branch agent manages a customer of own branch', 'agent', 'branch', 'customer.manage', { orgId: ORG, branchId: HOME }, true],
    ['branch agent cannot read a customer of another branch', 'agent', 'branch', 'customer.read', { orgId: ORG, branchId: OTHER }, false],
    ['manager cannot create an admin', 'manager', 'organization', 'staff.manage', { orgId: ORG, branchId: HOME, role: 'admin' }, false],
    ['manager cannot create a manager', 'manager', 'organization', 'staff.manage', { orgId: ORG, branchId: HOME, role: 'manager' }, false],
    ['manager cannot create an auditor', 'manager', 'organization', 'staff.manage', { orgId: ORG, branchId: HOME, role: 'auditor' }, false],
    ['manager creates a team lead', 'manager', 'organization', 'staff.manage', { orgId: ORG, branchId: HOME, role: 'team_lead' }, true],
    ['admin creates an admin', 'admin', 'organization', 'staff.manage', { orgId: ORG, branchId: OTHER, role: 'admin' }, true],
    ['admin of another organization sees nothing', 'admin', 'organization', 'staff.read', { orgId: 'org-2', branchId: HOME }, false],
    ['auditor reads staff anywhere', 'auditor', 'organization', 'staff.read', { orgId: ORG, branchId: OTHER }, true],
    ['auditor cannot change a customer', 'auditor', 'organization', 'customer.manage', { orgId: ORG, branchId: HOME }, false],
    ['team lead cannot manage staff', 'team_lead', 'branch', 'staff.manage', { orgId: ORG, branchId: HOME, role: 'agent' }, false],
  ];
  it.each(rows)('%s', (_name, role, scope, permission, resource, allowed) => {
    expect(can(actor(role, scope), permission, resource)).toBe(allowed);
  });
});

describe('policy: API tokens narrow the role', () => {
  it('holds only the token scopes the role also has', () => {
    const a = actor('agent', 'organization', ['customer.read', 'audit.read']);
    expect(can(a, 'customer.read')).toBe(true);
    expect(can(a, 'customer.manage')).toBe(false); // role has it, token does not
    expect(can(a, 'audit.read')).toBe(false); // token has it, role does not
  });
  it('token owners: a token belongs to its owner unless the actor is a token admin', () => {
    expect(can(actor('agent', 'branch'), 'token.manage', { orgId: ORG, ownerId: 'me' })).toBe(true);
    expect(can(actor('agent', 'branch'), 'token.manage', { orgId: ORG, ownerId: 'someone' })).toBe(false);
    expect(can(actor('admin', 'organization'), 'token.manage', { orgId: ORG, ownerId: 'someone' })).toBe(true);
  });
  it('the system actor may do anything within its organization only', () => {
    const system: Actor = { kind: 'system', orgId: ORG, name: 'system' };
    for (const p of PERMISSIONS) expect(can(system, p, { orgId: ORG, branchId: OTHER })).toBe(true);
    expect(can(system, 'staff.read', { orgId: 'org-2' })).toBe(false);
  });
});
