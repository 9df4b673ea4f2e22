/** When the monthly report is due: by hand at the edges, and against a brute-force reading of the local wall clock (Intl). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysOfMonth, dueAtIn, dueMonth, monthIsOver, monthOf, nextDue, previousMonth, startOfMonth } from './schedule.js';

const S = { enabled: true, day: 1, time: '08:00' };

describe('monthly report schedule', () => {
  it('is due from the 1st at 08:00 local time (Asia/Shanghai), for last month', () => {
    expect(dueMonth(new Date('2026-12-01T07:59:59+08:00'), 'Asia/Shanghai', S)).toBeNull();
    expect(dueMonth(new Date('2026-12-01T08:00:00+08:00'), 'Asia/Shanghai', S)).toEqual({ month: '2026-11', dueAt: new Date('2026-12-01T00:00:00Z') });
    expect(dueMonth(new Date('2026-12-31T23:59:00+08:00'), 'Asia/Shanghai', S)?.month).toBe('2026-11');
    // 2027-01-01 00:30 in Shanghai is still 2026-12-31 in UTC: the local month decides.
    expect(dueMonth(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai', S)).toBeNull();
    expect(dueMonth(new Date('2027-01-01T00:05:00Z'), 'Asia/Shanghai', S)).toEqual({ month: '2026-12', dueAt: new Date('2027-01-01T00:00:00Z') });
    expect(dueMonth(new Date('2027-01-05T00:00:00Z'), 'Asia/Shanghai', { ...S, day: 5, time: '09:30' })).toBeNull();
    expect(dueMonth(new Date('2027-01-05T01:30:00Z'), 'Asia/Shanghai', { ...S, day: 5, time: '09:30' })?.month).toBe('2026-12');
    expect(dueMonth(new Date('2027-01-05T01:30:00Z'), 'Asia/Shanghai', { ...S, enabled: false })).toBeNull();
  });

  it('months: previous, days, start, over', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-03')).toBe('2026-02');
    expect(daysOfMonth('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(startOfMonth('2026-11', 'Asia/Shanghai')).toEqual(new Date('2026-10-31T16:00:00Z'));
    expect(monthIsOver('2026-11', new Date('2026-11-30T15:59:59Z'), 'Asia/Shanghai')).toBe(false);
    expect(monthIsOver('2026-11', new Date('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toBe(true);
    expect(monthIsOver('2026-12', new Date('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toBe(false);
    expect(monthOf(new Date('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12');
  });

  it('the next report: this month\'s if its time has not come, else next month\'s', () => {
    expect(nextDue(new Date('2026-11-23T10:00:00+08:00'), 'Asia/Shanghai', S)).toEqual({ month: '2026-11', dueAt: new Date('2026-12-01T00:00:00Z') });
    expect(nextDue(new Date('2026-12-01T07:00:00+08:00'), 'Asia/Shanghai', S)).toEqual({ month: '2026-11', dueAt: new Date('2026-12-01T00:00:00Z') });
    expect(nextDue(new Date('2026-12-31T20:00:00+08:00'), 'Asia/Shanghai', S)).toEqual({ month: '2026-12', dueAt: new Date('2027-01-01T00:00:00Z') });
  });

  // The local wall clock as Intl reads it, and the rule in words: due once the local day-of-month and time reach
  // the schedule's, for the month before the local month.
  const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns'];
  function wallClock(instant: Date, zone: string) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(instant)
        .map((p) => [p.type, p.value]),
    );
    return { month: `${parts.year}-${parts.month}`, day: Number(parts.day), time: `${parts.hour}:${parts.minute}` };
  }
  function bruteDue(instant: Date, zone: string, day: number, time: string): string | null {
    const w = wallClock(instant, zone);
    const reached = w.day > day || (w.day === day && w.time >= time);
    if (!reached) return null;
    const [y, m] = w.month.split('-').map(Number) as [number, number];
    return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  }

  it('agrees with the wall clock in any zone (times outside DST gaps, which luxon moves forward)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 4, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (instant, zone, day, hour, minute) => {
          const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const schedule = { enabled: true, day, time };
          const got = dueMonth(instant, zone, schedule);
          expect(got?.month ?? null).toBe(bruteDue(instant, zone, day, time));
          if (got) {
            // What is due is a month that is over, and the instant it became due is the schedule's wall-clock time.
            expect(monthIsOver(got.month, instant, zone)).toBe(true);
            expect(wallClock(got.dueAt, zone)).toEqual({ month: monthOf(instant, zone), day, time });
            expect(got.dueAt.getTime()).toBeLessThanOrEqual(instant.getTime());
          }
          const next = nextDue(instant, zone, schedule);
          expect(next.dueAt.getTime()).toBeGreaterThan(instant.getTime());
          expect(dueMonth(new Date(next.dueAt.getTime() - 1), zone, schedule)?.month ?? null).not.toBe(next.month);
          expect(dueMonth(next.dueAt, zone, schedule)?.month).toBe(next.month);
          expect(dueAtIn(monthOf(instant, zone), zone, schedule).getTime()).toBeLessThanOrEqual(Math.max(instant.getTime(), next.dueAt.getTime()));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
