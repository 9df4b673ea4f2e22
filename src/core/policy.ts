/**
 * Who may do what: the one place where permissions are decided, by role and by scope.
 *
 * A role grants a set of permissions (the matrix below). A scope narrows where they apply: staff with
 * `organization` scope act on the whole organization, staff with `branch` scope only on their own branch
 * (a branch manager sees and manages only that branch). A call made with an API token holds only the
 * token's scopes, intersected with its owner's role. Everything not granted is refused.
 */
import type { Actor, Ctx } from './context.js';
import { AppError } from './errors.js';

export const ROLES = ['admin', 'manager', 'supervisor', 'team_lead', 'agent', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['organization', 'branch'] as const;
export type Scope = (typeof SCOPES)[number];

export const PERMISSIONS = [
  'org.read',
  'org.update',
  'branch.read',
  'branch.manage',
  'staff.read',
  'staff.manage',
  'customer.read',
  'customer.manage',
  'pii:read',
  'audit.read',
  'outbox.read',
  'outbox.retry',
  'token.manage',
  'token.admin',
  'calendar.read',
  'calendar.manage',
  'commitment.read',
  'commitment.edit',
  'commitment.evaluate',
  'commitment.meeting',
  'commitment.decide',
  'commitment.publish',
  'request.read',
  'request.create',
  'request.handle',
  'request.assign',
  'request.configure',
  'macro.manage',
  'call.read',
  'call.manage',
  'webhook.manage',
  'evaluation.read',
  'evaluation.configure',
  'callback.manage',
  'appeal.file',
  'appeal.decide',
  'corrective.read',
  'corrective.handle',
  'corrective.manage',
  'corrective.verify',
  'feedback.handle',
  'campaign.manage',
  'report.read',
  'report.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL: Permission[] = ['org.read', 'branch.read', 'staff.read', 'customer.read', 'calendar.read', 'commitment.read', 'request.read', 'call.read', 'evaluation.read', 'corrective.read'];
/** Working requests: register, move through the loop, reply and note (agents at the front line). */
const HANDLE: Permission[] = ['request.create', 'request.handle', 'call.manage'];

/** The role × permission matrix. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  // Commitment approval follows the change procedure: internal evaluation (supervision) → joint
  // departmental meeting (managers) → decision body (administrators, for the leadership) → publication.
  manager: new Set<Permission>([...READ_ALL, ...HANDLE, 'branch.manage', 'staff.manage', 'customer.manage', 'pii:read', 'token.manage', 'commitment.edit', 'commitment.meeting', 'request.assign', 'request.configure', 'macro.manage', 'evaluation.configure', 'callback.manage', 'appeal.file', 'appeal.decide', 'corrective.handle', 'corrective.manage', 'corrective.verify', 'feedback.handle', 'campaign.manage', 'report.read', 'report.manage']),
  // The supervision group (监督小组): callbacks, appeal decisions, verification of corrective actions, campaigns.
  supervisor: new Set<Permission>([...READ_ALL, 'pii:read', 'token.manage', 'commitment.evaluate', 'callback.manage', 'appeal.decide', 'corrective.manage', 'corrective.verify', 'feedback.handle', 'campaign.manage', 'report.read']),
  team_lead: new Set<Permission>([...READ_ALL, ...HANDLE, 'customer.manage', 'token.manage', 'request.assign', 'macro.manage', 'appeal.file', 'corrective.handle', 'corrective.manage', 'feedback.handle']),
  agent: new Set<Permission>([...READ_ALL, ...HANDLE, 'customer.manage', 'token.manage', 'appeal.file', 'corrective.handle']),
  // The decision body and outside certifiers: read everything, change nothing, see personal data masked.
  auditor: new Set<Permission>([...READ_ALL, 'audit.read', 'outbox.read', 'token.manage', 'report.read']),
};

/** Which roles an actor may give to others (and so may create or edit staff of). */
export const GRANTABLE_ROLES: Record<Role, readonly Role[]> = {
  admin: ROLES,
  manager: ['supervisor', 'team_lead', 'agent'],
  supervisor: [],
  team_lead: [],
  agent: [],
  auditor: [],
};

/** The part of a resource the scope rule looks at. `branchId: null` means organization-wide. */
export interface ScopedResource {
  orgId: string;
  branchId?: string | null;
  /** For staff records: the role of the person, checked against what the actor may grant. */
  role?: Role;
  /** For records that belong to one person (API tokens): the owner. */
  ownerId?: string;
}

export function permissionsOf(actor: Actor): ReadonlySet<Permission> {
  if (actor.kind === 'system') return new Set(PERMISSIONS);
  if (actor.kind === 'public') return new Set();
  const granted = ROLE_PERMISSIONS[actor.role];
  if (!actor.tokenScopes) return granted;
  return new Set(actor.tokenScopes.filter((p) => granted.has(p)));
}

/** Is the action allowed on this resource? Pure: no I/O. */
export function can(actor: Actor, action: Permission, resource?: ScopedResource): boolean {
  if (resource && resource.orgId !== actor.orgId) return false;
  if (!permissionsOf(actor).has(action)) return false;
  if (actor.kind !== 'staff' || !resource) return true;
  if (resource.ownerId !== undefined && resource.ownerId !== actor.id && !permissionsOf(actor).has('token.admin')) return false;
  if (resource.role !== undefined && action.endsWith('.manage') && !GRANTABLE_ROLES[actor.role].includes(resource.role)) {
    return false;
  }
  if (actor.scope === 'branch' && resource.branchId !== undefined) {
    // Branch-scoped staff reach their own branch, and organization-wide records only to read them.
    if (resource.branchId === null) return !action.endsWith('.manage');
    return resource.branchId === actor.branchId;
  }
  return true;
}

/**
 * Throws unless the actor may do the action. A resource the actor may not even read is reported as
 * "not found", so its existence does not leak.
 */
export function authorize(ctx: Ctx, action: Permission, resource?: ScopedResource & { entity?: string }, readAction?: Permission): void {
  if (can(ctx.actor, action, resource)) return;
  if (resource && readAction && !can(ctx.actor, readAction, resource)) {
    throw new AppError('not_found', { entity: resource.entity ?? 'record' });
  }
  if (resource && resource.orgId !== ctx.actor.orgId) throw new AppError('not_found', { entity: resource.entity ?? 'record' });
  throw new AppError('forbidden', { action });
}

/** For list queries: the branch an actor is confined to, or null for the whole organization. */
export function branchFilter(actor: Actor): string | null {
  return actor.kind === 'staff' && actor.scope === 'branch' ? actor.branchId : null;
}
