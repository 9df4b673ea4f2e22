import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heatmapOf, isoWeekday } from './heatmap.js';

describe('heat map by hour and weekday', () => {
  it('numbers weekdays the ISO way (Monday 1, Sunday 7)', () => {
    expect(isoWeekday('2026-11-02')).toBe(1); // a Monday
    expect(isoWeekday('2026-11-07')).toBe(6);
    expect(isoWeekday('2026-11-08')).toBe(7);
    expect(isoWeekday('2024-02-29')).toBe(4);
    expect(() => isoWeekday('nope')).toThrow(RangeError);
  });

  it('always has 168 cells in weekday then hour order; sums rows of the same weekday; max and total', () => {
    const hours = (pairs: [number, number][]) => Object.assign(new Array<number>(24).fill(0), Object.fromEntries(pairs)) as number[];
    const { cells, max, total } = heatmapOf([
      { day: '2026-11-02', byHour: hours([[9, 3], [23, 1]]) }, // Monday
      { day: '2026-11-09', byHour: hours([[9, 2]]) }, // the next Monday
      { day: '2026-11-08', byHour: hours([[0, 4]]) }, // Sunday
      { day: '2026-11-03', byHour: undefined }, // a row written before hours were counted
    ]);
    expect(cells).toHaveLength(168);
    expect(cells[0]).toEqual({ weekday: 1, hour: 0, count: 0 });
    expect(cells[167]).toEqual({ weekday: 7, hour: 23, count: 0 });
    expect(cells.find((c) => c.weekday === 1 && c.hour === 9)!.count).toBe(5);
    expect(cells.find((c) => c.weekday === 1 && c.hour === 23)!.count).toBe(1);
    expect(cells.find((c) => c.weekday === 7 && c.hour === 0)!.count).toBe(4);
    expect(max).toBe(5);
    expect(total).toBe(10);
    expect(heatmapOf([])).toMatchObject({ max: 0, total: 0 });
  });

  it('total = sum of all rows; every cell = brute-force sum of its weekday and hour', () => {
    const day = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.array(fc.record({ day, byHour: fc.array(fc.nat(20), { minLength: 24, maxLength: 24 }) }), { maxLength: 20 }), (rows) => {
        const { cells, max, total } = heatmapOf(rows);
        expect(total).toBe(rows.reduce((s, r) => s + r.byHour.reduce((a, b) => a + b, 0), 0));
        for (const c of cells) {
          const brute = rows.filter((r) => [7, 1, 2, 3, 4, 5, 6][new Date(`${r.day}T12:00:00Z`).getUTCDay()] === c.weekday).reduce((s, r) => s + r.byHour[c.hour]!, 0);
          expect(c.count).toBe(brute);
        }
        expect(max).toBe(Math.max(0, ...cells.map((c) => c.count)));
      }),
      { numRuns: 50 },
    );
  });
});
