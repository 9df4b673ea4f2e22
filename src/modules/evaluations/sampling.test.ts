import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawOf, inSample, sampleExactly } from './sampling.js';

describe('sampling', () => {
  it('draws are in [0, 1) and fixed by seed and id', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (seed, id) => {
        const d = drawOf(seed, id);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(1);
        expect(drawOf(seed, id)).toBe(d);
      }),
    );
  });

  it('percent sampling keeps 0 % empty, 100 % full, and is monotone in the percentage', () => {
    fc.assert(
      fc.property(fc.string(), fc.uuid(), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (seed, id, a, b) => {
        expect(inSample(seed, id, 0)).toBe(false);
        expect(inSample(seed, id, 100)).toBe(true);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        if (inSample(seed, id, lo)) expect(inSample(seed, id, hi)).toBe(true);
      }),
    );
  });

  it('10 % of 20,000 ids is about 2,000 (within 4 standard deviations)', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `id-${i}`);
    const drawn = ids.filter((id) => inSample('q3', id, 10)).length;
    const sd = Math.sqrt(20_000 * 0.1 * 0.9);
    expect(Math.abs(drawn - 2_000)).toBeLessThan(4 * sd);
  });

  it('sampleExactly matches a brute-force oracle: the n smallest draws, independent of input order', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.uuid(), { maxLength: 40 }), fc.integer({ min: -2, max: 50 }), (seed, ids, n) => {
        const got = sampleExactly(seed, ids, n);
        const unique = [...new Set(ids)];
        expect(got.length).toBe(Math.max(0, Math.min(n, unique.length)));
        expect(new Set(got).size).toBe(got.length);
        // Oracle: every drawn id has a draw no larger than every id left out.
        const left = unique.filter((id) => !got.includes(id));
        const maxIn = Math.max(-1, ...got.map((id) => drawOf(seed, id)));
        for (const id of left) expect(drawOf(seed, id)).toBeGreaterThanOrEqual(maxIn);
        expect(sampleExactly(seed, [...ids].reverse(), n)).toEqual(got);
      }),
    );
  });
});
