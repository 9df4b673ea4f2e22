import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, bucketOf, emptySketch, exactQuantile, merge, quantile, quantiles, representative, sketchOf } from './quantile-sketch.js';

const durations = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 3e7, noNaN: true }), fc.integer({ min: 0, max: 86_400 })), { maxLength: 300 });
const qs = fc.double({ min: 0, max: 1, noNaN: true });

describe('quantile sketch', () => {
  it('every value lies in its bucket, and the representative is within α of it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), fc.constantFrom(0.005, 0.01, 0.02, 0.05), (x, alpha) => {
        const gamma = (1 + alpha) / (1 - alpha);
        const i = bucketOf(x, alpha);
        expect(gamma ** (i - 1)).toBeLessThan(x);
        expect(x).toBeLessThanOrEqual(gamma ** i * (1 + 1e-12));
        expect(Math.abs(representative(i, alpha) - x) / x).toBeLessThanOrEqual(alpha + 1e-9);
      }),
    );
  });

  it('quantiles are within α of the exact value of the same rank (brute-force oracle)', () => {
    fc.assert(
      fc.property(durations, qs, (values, q) => {
        const got = quantile(sketchOf(values), q);
        const exact = exactQuantile(values, q);
        if (exact === null) {
          expect(got).toBeNull();
        } else if (exact === 0) {
          expect(got).toBe(0);
        } else {
          expect(Math.abs(got! - exact) / exact).toBeLessThanOrEqual(0.01 + 1e-9);
        }
      }),
    );
  });

  it('several quantiles in one walk, in any order and with repeats, are each within α of the exact value (oracle)', () => {
    fc.assert(
      fc.property(durations, fc.array(qs, { maxLength: 6 }), (values, many) => {
        const got = quantiles(sketchOf(values), many);
        expect(got).toHaveLength(many.length);
        for (const [i, q] of many.entries()) {
          const exact = exactQuantile(values, q);
          if (exact === null) expect(got[i]).toBeNull();
          else if (exact === 0) expect(got[i]).toBe(0);
          else expect(Math.abs(got[i]! - exact) / exact).toBeLessThanOrEqual(0.01 + 1e-9);
        }
      }),
    );
  });

  it('merging sketches equals sketching the union (days add up to a month)', () => {
    fc.assert(
      fc.property(durations, durations, qs, (a, b, q) => {
        const merged = merge(sketchOf(a), sketchOf(b));
        const whole = sketchOf([...a, ...b]);
        expect(merged.count).toBe(whole.count);
        expect(merged.zero).toBe(whole.zero);
        expect(merged.buckets).toEqual(whole.buckets);
        expect(quantile(merged, q)).toBe(quantile(whole, q));
      }),
    );
  });

  it('the minimum and maximum are exact; the median of 4 values is the 2nd', () => {
    const s = sketchOf([10, 20, 30, 40]);
    expect(quantile(s, 0)).toBe(10);
    expect(quantile(s, 1)).toBe(40);
    expect(Math.abs(quantile(s, 0.5)! - 20) / 20).toBeLessThanOrEqual(0.01);
    expect(quantile(emptySketch(), 0.5)).toBeNull();
  });

  it('refuses negative values, bad q, mixed accuracy', () => {
    expect(() => add(emptySketch(), -1)).toThrow(RangeError);
    expect(() => quantile(sketchOf([1]), 1.5)).toThrow(RangeError);
    expect(() => merge(emptySketch(0.01), emptySketch(0.02))).toThrow(RangeError);
    expect(() => emptySketch(0)).toThrow(RangeError);
  });
});
