import { describe, expect, it } from 'vitest';
import { INDICATORS, indicatorOf, percent } from './definitions.js';

describe('indicator definitions', () => {
  it('ids are unique and every definition is complete in both languages', () => {
    expect(new Set(INDICATORS.map((d) => d.id)).size).toBe(INDICATORS.length);
    for (const d of INDICATORS) {
      for (const text of [d.name, d.formula, d.source]) {
        expect(text['zh-CN'].length).toBeGreaterThan(0);
        expect(text['en-US'].length).toBeGreaterThan(0);
      }
      // A rate names what it divides; a plain figure names neither.
      expect(d.unit === 'percent').toBe(d.numerator !== null && d.denominator !== null);
    }
    expect(indicatorOf('service_completion_rate')?.better).toBe('higher');
    expect(indicatorOf('nope')).toBeUndefined();
  });

  it('a rate with no denominator is no data, not 0 %', () => {
    expect(percent(0, 0)).toBeNull();
    expect(percent(3, 4)).toBe(75);
  });
});
