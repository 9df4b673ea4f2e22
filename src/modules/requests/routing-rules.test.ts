/**
 * Routing rules, pure: which rule's conditions hold (table-driven), and who gets the request (properties
 * checked against a brute-force reference).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickAssignee, ruleMatches, type Candidate, type RoutingConditions, type RoutingFacts } from './routing-rules.js';

const NONE: RoutingConditions = { types: [], priorities: [], categoryIds: [], channels: [], customerFlags: [], branchIds: [] };
const FACTS: RoutingFacts = {
  type: 'complaint', priority: 'urgent', channel: 'phone', categoryIds: ['child', 'parent'], customerFlags: ['elderly'], branchId: 'east',
};

describe('ruleMatches', () => {
  const cases: { name: string; conditions: Partial<RoutingConditions>; facts?: Partial<RoutingFacts>; expected: boolean }[] = [
    { name: 'no conditions: every request', conditions: {}, expected: true },
    { name: 'type listed', conditions: { types: ['complaint'] }, expected: true },
    { name: 'type among several', conditions: { types: ['consultation', 'complaint'] }, expected: true },
    { name: 'type not listed', conditions: { types: ['consultation'] }, expected: false },
    { name: 'priority listed', conditions: { priorities: ['urgent', 'major'] }, expected: true },
    { name: 'priority not listed', conditions: { priorities: ['general'] }, expected: false },
    { name: 'channel listed', conditions: { channels: ['phone'] }, expected: true },
    { name: 'channel not listed', conditions: { channels: ['email', 'chat'] }, expected: false },
    { name: 'branch listed', conditions: { branchIds: ['east', 'west'] }, expected: true },
    { name: 'branch not listed', conditions: { branchIds: ['west'] }, expected: false },
    { name: 'the request’s own category', conditions: { categoryIds: ['child'] }, expected: true },
    { name: 'a parent category covers its children', conditions: { categoryIds: ['parent'] }, expected: true },
    { name: 'an unrelated category', conditions: { categoryIds: ['other'] }, expected: false },
    { name: 'a category condition and an uncategorized request', conditions: { categoryIds: ['parent'] }, facts: { categoryIds: [] }, expected: false },
    { name: 'no category condition and an uncategorized request', conditions: { types: ['complaint'] }, facts: { categoryIds: [] }, expected: true },
    { name: 'any of the flags', conditions: { customerFlags: ['vip', 'elderly'] }, expected: true },
    { name: 'a flag the customer lacks', conditions: { customerFlags: ['vip'] }, expected: false },
    { name: 'a flag condition and no flags', conditions: { customerFlags: ['elderly'] }, facts: { customerFlags: [] }, expected: false },
    { name: 'several flags, one listed', conditions: { customerFlags: ['disabled'] }, facts: { customerFlags: ['elderly', 'disabled'] }, expected: true },
    { name: 'all conditions hold', conditions: { types: ['complaint'], priorities: ['urgent'], channels: ['phone'], branchIds: ['east'], categoryIds: ['parent'], customerFlags: ['elderly'] }, expected: true },
    { name: 'all but one hold', conditions: { types: ['complaint'], priorities: ['urgent'], channels: ['phone'], branchIds: ['east'], categoryIds: ['parent'], customerFlags: ['vip'] }, expected: false },
    { name: 'two conditions, second fails', conditions: { types: ['complaint'], channels: ['web'] }, expected: false },
  ];
  it.each(cases)('$name → $expected', ({ conditions, facts, expected }) => {
    expect(ruleMatches({ ...NONE, ...conditions }, { ...FACTS, ...facts })).toBe(expected);
  });

  it('agrees with the definition for any conditions and facts', () => {
    const value = fc.constantFrom('a', 'b', 'c', 'd');
    const list = fc.uniqueArray(value, { maxLength: 3 });
    const conditions = fc.record({ types: list, priorities: list, categoryIds: list, channels: list, customerFlags: list, branchIds: list });
    const facts = fc.record({ type: value, priority: value, channel: value, categoryIds: list, customerFlags: list, branchId: value });
    fc.assert(
      fc.property(conditions, facts, (c, f) => {
        // Reference: a condition holds when it is empty or shares a value with the request.
        const holds = (cond: readonly string[], values: readonly string[]) => cond.length === 0 || cond.some((x) => values.includes(x));
        const expected =
          holds(c.types, [f.type]) && holds(c.priorities, [f.priority]) && holds(c.channels, [f.channel]) && holds(c.branchIds, [f.branchId]) &&
          holds(c.categoryIds, f.categoryIds) && holds(c.customerFlags, f.customerFlags);
        expect(ruleMatches(c, f)).toBe(expected);
      }),
    );
  });
});

/** Brute force: the candidates in id order starting after the last one assigned (wrapping around). */
function rotationOf(candidates: readonly Candidate[], last: string | null): Candidate[] {
  const ordered = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (last === null) return ordered;
  const after = ordered.filter((c) => c.id > last);
  const rest = ordered.filter((c) => c.id <= last);
  return [...after, ...rest];
}

const ids = fc.uniqueArray(fc.stringMatching(/^[a-f0-9]{1,4}$/), { minLength: 1, maxLength: 8 });
const candidatesArb = ids.chain((list) =>
  fc.tuple(...list.map((id) => fc.nat({ max: 5 }).map((load): Candidate => ({ id, load })))),
);
const lastArb = (candidates: readonly Candidate[]) =>
  fc.oneof(fc.constant(null), fc.constantFrom(...candidates.map((c) => c.id)), fc.stringMatching(/^[a-f0-9]{1,4}$/));

describe('pickAssignee', () => {
  it('nobody to pick, or team_only: null', () => {
    expect(pickAssignee('round_robin', [], null)).toBeNull();
    expect(pickAssignee('least_loaded', [], 'x')).toBeNull();
    fc.assert(
      fc.property(candidatesArb.chain((c) => fc.tuple(fc.constant(c), lastArb(c))), ([candidates, last]) => {
        expect(pickAssignee('team_only', candidates, last)).toBeNull();
      }),
    );
  });

  it('round-robin: the first candidate after the last one assigned (the reference rotation)', () => {
    fc.assert(
      fc.property(candidatesArb.chain((c) => fc.tuple(fc.constant(c), lastArb(c))), ([candidates, last]) => {
        expect(pickAssignee('round_robin', candidates, last)).toBe(rotationOf(candidates, last)[0]!.id);
      }),
    );
  });

  it('round-robin is fair: over many picks every candidate is picked within one of the others', () => {
    fc.assert(
      fc.property(candidatesArb, fc.nat({ max: 60 }), (candidates, picks) => {
        const counts = new Map(candidates.map((c) => [c.id, 0]));
        let last: string | null = null;
        for (let i = 0; i < picks; i++) {
          last = pickAssignee('round_robin', candidates, last);
          expect(last).not.toBeNull();
          counts.set(last!, counts.get(last!)! + 1);
        }
        const values = [...counts.values()];
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
        expect(values.reduce((a, b) => a + b, 0)).toBe(picks);
      }),
    );
  });

  it('least-loaded: always a candidate of minimum load, ties broken by the rotation', () => {
    fc.assert(
      fc.property(candidatesArb.chain((c) => fc.tuple(fc.constant(c), lastArb(c))), ([candidates, last]) => {
        const picked = pickAssignee('least_loaded', candidates, last);
        const min = Math.min(...candidates.map((c) => c.load));
        expect(candidates.find((c) => c.id === picked)?.load).toBe(min);
        expect(picked).toBe(rotationOf(candidates, last).find((c) => c.load === min)!.id);
      }),
    );
  });

  it('least-loaded evens out the load as requests arrive', () => {
    fc.assert(
      fc.property(candidatesArb, fc.nat({ max: 60 }), (start, picks) => {
        const loads = new Map(start.map((c) => [c.id, c.load]));
        let last: string | null = null;
        for (let i = 0; i < picks; i++) {
          const candidates = [...loads].map(([id, load]) => ({ id, load }));
          last = pickAssignee('least_loaded', candidates, last);
          const min = Math.min(...loads.values());
          expect(loads.get(last!)).toBe(min);
          loads.set(last!, min + 1);
        }
        // Once the lightest caught up with the heaviest, the spread stays within one.
        const initialSpread = Math.max(...start.map((c) => c.load)) - Math.min(...start.map((c) => c.load));
        const values = [...loads.values()];
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(Math.max(initialSpread, 1));
      }),
    );
  });
});
