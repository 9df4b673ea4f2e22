import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRAINS, localDay, parsePeriod, periodOf, periodsBetween, subPeriods } from './periods.js';

const SH = 'Asia/Shanghai';
const instants = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true });
const zones = fc.constantFrom(SH, 'UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe');

describe('periods', () => {
  it('Asia/Shanghai boundaries: November 2026 and 2026-Q4 start at local midnight (UTC+8)', () => {
    const nov = parsePeriod('2026-11', SH);
    expect(nov.start.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(nov.end.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(nov.lastDay).toBe('2026-11-30');
    // 23:59 on 31 October local time is still October; 00:00 on 1 November is November.
    expect(periodOf(new Date('2026-10-31T15:59:59.999Z'), SH, 'month').key).toBe('2026-10');
    expect(periodOf(new Date('2026-10-31T16:00:00.000Z'), SH, 'month').key).toBe('2026-11');
    expect(periodOf(new Date('2026-12-31T16:30:00Z'), SH, 'quarter').key).toBe('2027-Q1');
    expect(periodOf(new Date('2026-11-23T03:00:00Z'), SH, 'week').key).toBe('2026-W48');
    expect(parsePeriod('2026-W48', SH).firstDay).toBe('2026-11-23'); // a Monday
    expect(parsePeriod('2027-W01', SH).firstDay).toBe('2027-01-04'); // ISO week-year
    expect(localDay(new Date('2026-11-22T16:00:00Z'), SH)).toBe('2026-11-23');
  });

  it('an instant lies in its period, and the key names the same period (all grains, zones with DST)', () => {
    fc.assert(
      fc.property(instants, zones, fc.constantFrom(...GRAINS), (at, zone, grain) => {
        const p = periodOf(at, zone, grain);
        expect(p.start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(p.end.getTime());
        expect(parsePeriod(p.key, zone)).toEqual(p);
      }),
    );
  });

  it('consecutive periods tile time without gaps or overlaps, and days tile every larger period', () => {
    fc.assert(
      fc.property(instants, zones, fc.constantFrom(...GRAINS), fc.integer({ min: 0, max: 40 }), (at, zone, grain, span) => {
        const to = new Date(at.getTime() + span * 86_400_000 * (grain === 'day' ? 1 : grain === 'week' ? 7 : 30));
        const list = periodsBetween(at, to, zone, grain);
        for (let i = 1; i < list.length; i++) expect(list[i]!.start).toEqual(list[i - 1]!.end);
        const p = list[0]!;
        const days = subPeriods(p, zone, 'day');
        expect(days[0]!.start).toEqual(p.start);
        expect(days.at(-1)!.end).toEqual(p.end);
        expect(days[0]!.key).toBe(p.firstDay);
        expect(days.at(-1)!.key).toBe(p.lastDay);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses malformed and impossible keys', () => {
    for (const key of ['2026-13', '2026-02-30', '2026-W54', '2026-Q5', '26-11', 'November']) expect(() => parsePeriod(key, SH)).toThrow(RangeError);
    expect(() => periodOf(new Date(), 'Not/AZone', 'day')).toThrow(RangeError);
  });
});
