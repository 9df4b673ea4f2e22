import { describe, expect, it } from 'vitest';
import { RequestFacts, TimeLimitTarget, type Target } from './contracts.js';
import { matchTargets, type VersionForMatching } from './matching.js';

const target = (key: string, appliesTo: Record<string, string[]> = {}): Target =>
  TimeLimitTarget.parse({ kind: 'time_limit', key, name: { 'zh-CN': key }, start: 'request.registered', stop: 'first_response', duration: 'PT5M', appliesTo });

const version = (over: Partial<VersionForMatching> = {}): VersionForMatching => ({
  id: 'v1', commitmentId: 'c1', number: 'FW-1', version: 1, title: 't', scope: { branchIds: [], departmentIds: [], channels: [] },
  effectiveFrom: null, effectiveTo: null,
  targets: [
    target('all'),
    target('phone', { channels: ['phone'] }),
    target('online', { channels: ['chat', 'web', 'app'] }),
    target('complaint', { requestTypes: ['complaint'] }),
    target('emergency', { requestTypes: ['complaint', 'urgent_fault'], priorities: ['major'] }),
    target('green', { customerFlags: ['elderly', 'disabled', 'vip'] }),
  ],
  ...over,
});

const facts = (over: Record<string, unknown> = {}) => RequestFacts.parse({ type: 'consultation', priority: 'general', channel: 'phone', ...over });

function applying(v: VersionForMatching, f: ReturnType<typeof facts>, date = '2026-03-02') {
  return matchTargets([v], f, date).filter((m) => m.applies).map((m) => m.target.key);
}

describe('matchTargets', () => {
  it.each([
    ['phone consultation', {}, ['all', 'phone']],
    ['chat consultation', { channel: 'chat' }, ['all', 'online']],
    ['walk-in complaint', { channel: 'walk_in', type: 'complaint' }, ['all', 'complaint']],
    ['major complaint by phone', { type: 'complaint', priority: 'major' }, ['all', 'phone', 'complaint', 'emergency']],
    ['major urgent fault online', { type: 'urgent_fault', priority: 'major', channel: 'web' }, ['all', 'online', 'emergency']],
    ['urgent (not major) complaint', { type: 'complaint', priority: 'urgent' }, ['all', 'phone', 'complaint']],
    ['elderly customer', { customerFlags: ['elderly'] }, ['all', 'phone', 'green']],
    ['VIP and disabled customer', { customerFlags: ['vip', 'disabled'], channel: 'email' }, ['all', 'green']],
  ] as const)('%s', (_name, over, expected) => {
    expect(applying(version(), facts(over))).toEqual(expected);
  });

  it('applies nothing outside the version scope: branch, channel, effective period', () => {
    expect(applying(version({ scope: { branchIds: ['b1'], departmentIds: [], channels: [] } }), facts({ branchId: '00000000-0000-4000-8000-000000000002' }))).toEqual([]);
    expect(applying(version({ scope: { branchIds: [], departmentIds: [], channels: ['walk_in'] } }), facts())).toEqual([]);
    expect(applying(version({ effectiveFrom: '2026-04-01' }), facts(), '2026-03-31')).toEqual([]);
    expect(applying(version({ effectiveFrom: '2026-04-01' }), facts(), '2026-04-01')).toContain('all');
    expect(applying(version({ effectiveTo: '2026-03-31' }), facts(), '2026-04-01')).toEqual([]);
  });

  it('explains each decision dimension by dimension', () => {
    const [emergency] = matchTargets([version()], facts({ type: 'complaint', priority: 'urgent' }), '2026-03-02').filter((m) => m.target.key === 'emergency');
    const failed = emergency!.checks.filter((c) => !c.ok);
    expect(failed).toEqual([{ dimension: 'priority', expected: ['major'], actual: ['urgent'], ok: false }]);
  });
});
