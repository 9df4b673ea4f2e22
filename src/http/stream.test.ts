import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../core/events.js';
import { can, type Role } from '../core/policy.js';
import { livePermission, visibleTo } from './stream.js';

const ORG = 'org-1';
function event(type: string, data: Record<string, unknown> = {}): DomainEvent {
  return { id: 'e', type, orgId: ORG, at: '2026-11-23T00:00:00Z', actorId: null, data };
}
function mayOf(role: Role) {
  const actor = { kind: 'staff' as const, id: 'me', orgId: ORG, name: 'x', role, scope: 'organization' as const, branchId: 'b1' };
  return (p: Parameters<typeof can>[1]) => can(actor, p);
}

describe('live stream visibility', () => {
  it('each forwarded family needs its own permission', () => {
    expect(livePermission('request.transitioned')).toBe('request.read');
    expect(livePermission('corrective_action.raised')).toBe('corrective.read');
    expect(livePermission('callback.created')).toBe('callback.manage');
    expect(livePermission('feedback.received')).toBe('feedback.handle');
    expect(livePermission('campaign.sent')).toBeNull();
    const me = { kind: 'staff', id: 'me', orgId: ORG };
    // An agent follows corrective actions but not the callback queue or the feedback inbox; a supervisor does.
    expect(visibleTo(me, null, mayOf('agent'), event('corrective_action.raised'))).toBe(true);
    expect(visibleTo(me, null, mayOf('agent'), event('callback.created'))).toBe(false);
    expect(visibleTo(me, null, mayOf('agent'), event('feedback.received'))).toBe(false);
    expect(visibleTo(me, null, mayOf('supervisor'), event('callback.created'))).toBe(true);
    expect(visibleTo(me, null, mayOf('supervisor'), event('feedback.received'))).toBe(true);
  });

  it('branch scope, other organizations and addressed events', () => {
    const me = { kind: 'staff', id: 'me', orgId: ORG };
    expect(visibleTo(me, 'b1', mayOf('supervisor'), event('callback.created', { branchId: 'b2' }))).toBe(false);
    expect(visibleTo(me, 'b1', mayOf('supervisor'), event('callback.created', { branchId: 'b1' }))).toBe(true);
    expect(visibleTo(me, null, mayOf('admin'), { ...event('request.created'), orgId: 'other' })).toBe(false);
    expect(visibleTo(me, null, mayOf('auditor'), event('notification.created', { recipientId: 'me' }))).toBe(true);
    expect(visibleTo(me, null, mayOf('admin'), event('notification.created', { recipientId: 'someone-else' }))).toBe(false);
  });
});
