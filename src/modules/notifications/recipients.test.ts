import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../calendars/calendar.js';
import { chainIds, DEFAULT_CHAIN, deliveryInstant, isUrgent, normalizeChain, resolveLadder, resolveRecipients, stillHolds, type ChainRole, type NotificationKind, type Person, type RequestPeople } from './recipients.js';

const HQ = 'hq';
const B1 = 'b1';
const person = (id: string, role: string, scope: 'organization' | 'branch', branchId: string, active = true): Person => ({ id, role, scope, branchId, active });

const PEOPLE: Person[] = [
  person('agent', 'agent', 'branch', B1),
  person('lead', 'team_lead', 'branch', B1),
  person('mgr-b1', 'manager', 'branch', B1),
  person('mgr-hq', 'manager', 'branch', HQ), // another branch's manager: not told
  person('mgr-org', 'manager', 'organization', HQ),
  person('mgr-gone', 'manager', 'organization', HQ, false),
  person('sup-org', 'supervisor', 'organization', HQ),
  person('sup-hq', 'supervisor', 'branch', HQ),
  person('special', 'agent', 'organization', HQ),
];

const REQUEST: RequestPeople = { assigneeId: 'agent', teamLeadId: 'lead', branchId: B1 };

describe('notification chain', () => {
  const cases: { name: string; chain: ChainRole[]; request?: Partial<RequestPeople>; direct?: string[]; actor?: string | null; expected: string[] }[] = [
    { name: 'the default warning chain: the assignee', chain: DEFAULT_CHAIN.warning.map((s) => s.role), expected: ['agent'] },
    { name: 'the default breach chain: assignee, lead, managers reaching the branch (active)', chain: DEFAULT_CHAIN.breach.map((s) => s.role), expected: ['agent', 'lead', 'mgr-b1', 'mgr-org'] },
    { name: 'the default escalation chain', chain: DEFAULT_CHAIN.escalation.map((s) => s.role), expected: ['lead', 'mgr-b1', 'mgr-org'] },
    { name: 'supervisors reaching the branch', chain: ['supervisor'], expected: ['sup-org'] },
    { name: 'the chain order is kept', chain: ['manager', 'assignee'], expected: ['mgr-b1', 'mgr-org', 'agent'] },
    { name: 'no assignee, no team lead', chain: ['assignee', 'team_lead'], request: { assigneeId: null, teamLeadId: null }, expected: [] },
    { name: 'a head-office request reaches the head-office manager', chain: ['manager'], request: { branchId: HQ }, expected: ['mgr-hq', 'mgr-org'] },
    { name: 'the lead who is also the assignee is told once', chain: ['assignee', 'team_lead'], request: { assigneeId: 'lead' }, expected: ['lead'] },
    { name: 'direct recipients first, deduplicated against the chain', chain: ['team_lead', 'manager'], direct: ['special', 'lead', 'special'], expected: ['special', 'lead', 'mgr-b1', 'mgr-org'] },
    { name: 'never the actor', chain: ['assignee', 'team_lead', 'manager'], actor: 'lead', expected: ['agent', 'mgr-b1', 'mgr-org'] },
    { name: 'the actor mentioning themselves', chain: [], direct: ['agent'], actor: 'agent', expected: [] },
    { name: 'inactive or unknown people are skipped', chain: [], direct: ['mgr-gone', 'nobody', 'special'], expected: ['special'] },
    { name: 'an empty chain', chain: [], expected: [] },
  ];
  it.each(cases)('$name', ({ chain, request, direct, actor, expected }) => {
    expect(resolveRecipients({ chain, request: { ...REQUEST, ...request }, people: PEOPLE, direct, actorId: actor ?? null })).toEqual(expected);
  });

  it('chainIds lists who the chain names before filtering', () => {
    expect(chainIds(['manager'], REQUEST, PEOPLE)).toEqual(['mgr-b1', 'mgr-org', 'mgr-gone']);
  });
});

describe('the ladder (steps with delays)', () => {
  it('the default: a breach tells assignee and lead at once, the managers after two hours', () => {
    expect(resolveLadder({ chain: DEFAULT_CHAIN.breach, request: REQUEST, people: PEOPLE })).toEqual([
      { id: 'agent', afterMinutes: 0 },
      { id: 'lead', afterMinutes: 0 },
      { id: 'mgr-b1', afterMinutes: 120 },
      { id: 'mgr-org', afterMinutes: 120 },
    ]);
  });
  it('someone named on several steps is told once, on the earliest; the directly named at once', () => {
    const chain = [{ role: 'manager' as const, afterMinutes: 60 }, { role: 'assignee' as const, afterMinutes: 30 }, { role: 'team_lead' as const, afterMinutes: 240 }];
    expect(resolveLadder({ chain, request: { ...REQUEST, assigneeId: 'mgr-org' }, people: PEOPLE, direct: ['lead'] })).toEqual([
      { id: 'lead', afterMinutes: 0 },
      { id: 'mgr-b1', afterMinutes: 60 },
      { id: 'mgr-org', afterMinutes: 30 },
    ]);
  });
  it('reads the stored chain in either shape; missing occasions take the default', () => {
    expect(normalizeChain({ warning: ['assignee', 'manager'], breach: [{ role: 'team_lead', afterMinutes: 30 }, 'nobody', { role: 'manager', afterMinutes: 99999 }] })).toEqual({
      warning: [{ role: 'assignee', afterMinutes: 0 }, { role: 'manager', afterMinutes: 0 }],
      breach: [{ role: 'team_lead', afterMinutes: 30 }, { role: 'manager', afterMinutes: 10080 }],
      escalation: DEFAULT_CHAIN.escalation,
    });
    expect(normalizeChain(null)).toEqual(DEFAULT_CHAIN);
  });
  it('a later step holds while the request is open and the clock not met; an escalation until acknowledged', () => {
    expect(stillHolds({ kind: 'clock.breached', requestState: 'handling', clockState: 'running' })).toBe(true);
    expect(stillHolds({ kind: 'clock.breached', requestState: 'waiting_customer', clockState: 'paused' })).toBe(true);
    expect(stillHolds({ kind: 'clock.breached', requestState: 'feedback', clockState: 'met' })).toBe(false);
    expect(stillHolds({ kind: 'clock.breached', requestState: 'handling', clockState: 'cancelled' })).toBe(false);
    expect(stillHolds({ kind: 'clock.breached', requestState: 'archived', clockState: 'running' })).toBe(false);
    expect(stillHolds({ kind: 'clock.warning', requestState: 'handling', clockState: 'running', clockBreached: true })).toBe(false);
    expect(stillHolds({ kind: 'clock.warning', requestState: 'handling', clockState: null })).toBe(false);
    expect(stillHolds({ kind: 'escalated', requestState: 'handling' })).toBe(true);
    expect(stillHolds({ kind: 'escalated', requestState: 'handling', acknowledged: true })).toBe(false);
    expect(stillHolds({ kind: 'escalated', requestState: 'merged' })).toBe(false);
  });
});

describe('urgency', () => {
  const rows: [NotificationKind, string, string, boolean][] = [
    ['escalated', 'general', 'complaint', false],
    ['escalated', 'urgent', 'complaint', true],
    ['escalated', 'major', 'consultation', true],
    ['escalated', 'general', 'urgent_fault', true],
    ['clock.breached', 'general', 'urgent_fault', false],
    ['clock.breached', 'urgent', 'service_request', true],
    ['clock.breached', 'major', 'complaint', true],
    ['clock.warning', 'major', 'complaint', false],
    ['assigned', 'major', 'urgent_fault', false],
    ['mention', 'urgent', 'complaint', false],
  ];
  it.each(rows)('%s of a %s %s → urgent %s', (kind, priority, type, urgent) => {
    expect(isUrgent(kind, { priority, type })).toBe(urgent);
  });
});

describe('delivery instant', () => {
  const office = [['09:00', '12:00'], ['13:30', '18:00']] as [string, string][];
  const cal = compileCalendar({ name: 'office', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: {} });
  const at = (s: string) => new Date(s);

  it('on duty: now', () => {
    expect(deliveryInstant(false, cal, at('2026-01-13T10:00:00+08:00'))).toEqual(at('2026-01-13T10:00:00+08:00'));
  });
  it('at lunch: when the afternoon starts', () => {
    expect(deliveryInstant(false, cal, at('2026-01-13T12:30:00+08:00'))).toEqual(at('2026-01-13T13:30:00+08:00'));
  });
  it('friday night: monday morning', () => {
    expect(deliveryInstant(false, cal, at('2026-01-16T22:00:00+08:00'))).toEqual(at('2026-01-19T09:00:00+08:00'));
  });
  it('urgent, or without a calendar: now', () => {
    expect(deliveryInstant(true, cal, at('2026-01-16T22:00:00+08:00'))).toEqual(at('2026-01-16T22:00:00+08:00'));
    expect(deliveryInstant(false, null, at('2026-01-16T22:00:00+08:00'))).toEqual(at('2026-01-16T22:00:00+08:00'));
  });
  it('a calendar without any working time does not hold a notification forever', () => {
    const never = compileCalendar({ name: 'never', timeZone: 'Asia/Shanghai', week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, overrides: {} });
    expect(deliveryInstant(false, never, at('2026-01-16T22:00:00+08:00'))).toEqual(at('2026-01-16T22:00:00+08:00'));
  });
});
