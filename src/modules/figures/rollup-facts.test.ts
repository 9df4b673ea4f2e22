import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sketchOf } from './quantile-sketch.js';
import { addCounters, addCountersInto, addSketches, addSketchesInto, emptyCounters, emptySketches, SCALAR_COUNTERS, type DailyCounters, type DailySketches } from './rollup-facts.js';

const counters = fc.record({
  scalars: fc.array(fc.nat(50), { minLength: SCALAR_COUNTERS.length, maxLength: SCALAR_COUNTERS.length }),
  targets: fc.dictionary(fc.constantFrom('first-response', 'resolution', 'complaint-result'), fc.record({ onTime: fc.nat(9), total: fc.nat(9) })),
  ratings: fc.dictionary(fc.constantFrom('survey', 'portal', 'callback', 'default'), fc.record({ count: fc.nat(9), levelSum: fc.nat(45), satisfied: fc.nat(9) })),
  fr: fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 8 }),
  byHour: fc.option(fc.array(fc.nat(30), { minLength: 24, maxLength: 24 }), { nil: undefined }),
}).map(({ scalars, targets, ratings, fr, byHour }) => {
  const c = emptyCounters();
  SCALAR_COUNTERS.forEach((k, i) => (c[k] = scalars[i]!));
  c.targets = targets;
  c.ratings = ratings;
  // Rows written before registrations were counted by hour have no acceptedByHour.
  if (byHour) c.acceptedByHour = byHour;
  else delete (c as Partial<DailyCounters>).acceptedByHour;
  const s: DailySketches = { firstResponse: sketchOf(fr), resolution: sketchOf(fr.map((v) => v * 2)) };
  return { c, s, fr };
});

describe('daily rows add up', () => {
  it('summing in place equals the pure sum, leaves the rows untouched, and sums by hand', () => {
    fc.assert(
      fc.property(fc.array(counters, { maxLength: 12 }), (rows) => {
        const copy = JSON.stringify(rows.map((r) => [r.c, r.s]));
        const pure = rows.reduce<{ c: DailyCounters; s: DailySketches }>((acc, r) => ({ c: addCounters(acc.c, r.c), s: addSketches(acc.s, r.s) }), { c: emptyCounters(), s: emptySketches() });
        const into = { c: emptyCounters(), s: emptySketches() };
        for (const r of rows) {
          addCountersInto(into.c, r.c);
          addSketchesInto(into.s, r.s);
        }
        expect(into).toEqual(pure);
        expect(JSON.stringify(rows.map((r) => [r.c, r.s]))).toBe(copy);
        // By hand: scalar sums, and the merged sketch is the sketch of all values.
        for (const k of SCALAR_COUNTERS) expect(into.c[k]).toBe(rows.reduce((s, r) => s + r.c[k], 0));
        for (let h = 0; h < 24; h++) expect(into.c.acceptedByHour[h]).toBe(rows.reduce((s, r) => s + (r.c.acceptedByHour?.[h] ?? 0), 0));
        expect(into.s.firstResponse).toEqual(sketchOf(rows.flatMap((r) => r.fr)));
        for (const key of ['survey', 'callback'] as const) expect(into.c.ratings[key]?.count ?? 0).toBe(rows.reduce((s, r) => s + (r.c.ratings[key]?.count ?? 0), 0));
      }),
    );
  });
});
