import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestType } from '../requests/contracts.js';
import { percentFor, samplingRuleOf } from './callback-settings.js';
import { drawOf } from './sampling.js';

const types = RequestType.options;
const settingsArb = fc.record({
  allComplaints: fc.boolean(),
  percent: fc.double({ min: 0, max: 100, noNaN: true }),
  percentByType: fc.dictionary(fc.constantFrom(...types), fc.double({ min: 0, max: 100, noNaN: true })),
  seed: fc.string({ minLength: 1, maxLength: 20 }),
});
const requestArb = fc.record({ id: fc.uuid(), type: fc.constantFrom(...types) });

/** The rule as written in the docs, by brute force. */
function oracle(s: { allComplaints: boolean; percent: number; percentByType: Partial<Record<string, number>>; seed: string }, r: { id: string; type: string }) {
  if (s.allComplaints && r.type === 'complaint') return 'all_complaints';
  const p = s.percentByType[r.type] ?? s.percent;
  if (p <= 0) return null;
  if (p >= 100) return 'percent';
  return drawOf(s.seed, r.id) * 100 < p ? 'percent' : null;
}

describe('callback sampling rule', () => {
  it('agrees with the brute-force rule and is reproducible', () => {
    fc.assert(
      fc.property(settingsArb, requestArb, (s, r) => {
        const rule = samplingRuleOf(s, r);
        expect(samplingRuleOf({ ...s }, { ...r })).toBe(rule);
        // drawOf(...) < p/100 and drawOf(...)*100 < p can differ only at the boundary, which doubles almost never hit.
        expect(rule).toBe(oracle(s, r));
      }),
      { numRuns: 500 },
    );
  });

  it('every complaint when the rule is on, whatever the percentage; 0 % draws nothing else, 100 % everything', () => {
    fc.assert(
      fc.property(settingsArb, fc.uuid(), (s, id) => {
        expect(samplingRuleOf({ ...s, allComplaints: true }, { id, type: 'complaint' })).toBe('all_complaints');
        expect(samplingRuleOf({ ...s, allComplaints: false, percent: 0, percentByType: {} }, { id, type: 'complaint' })).toBeNull();
        expect(samplingRuleOf({ ...s, percent: 100, percentByType: {} }, { id, type: 'consultation' })).toBe('percent');
      }),
    );
  });

  it('a larger percentage draws a superset (the sample grows, it does not reshuffle)', () => {
    fc.assert(
      fc.property(settingsArb, requestArb, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (s, r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const at = (p: number) => samplingRuleOf({ ...s, allComplaints: false, percent: p, percentByType: {} }, r) !== null;
        if (at(lo)) expect(at(hi)).toBe(true);
      }),
    );
  });

  it('draws about the percentage of many requests', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const drawn = ids.filter((id) => samplingRuleOf({ allComplaints: true, percent: 10, percentByType: {}, seed: 'pledge-callbacks' }, { id, type: 'consultation' })).length;
    expect(drawn / ids.length).toBeGreaterThan(0.08);
    expect(drawn / ids.length).toBeLessThan(0.12);
  });

  it('the per-type percentage overrides the general one', () => {
    expect(percentFor({ percent: 10, percentByType: { suggestion: 50 } }, 'suggestion')).toBe(50);
    expect(percentFor({ percent: 10, percentByType: { suggestion: 50 } }, 'consultation')).toBe(10);
  });
});
