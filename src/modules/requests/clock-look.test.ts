import { describe, expect, it } from 'vitest';
import { clockLook, leadingUnits, metLate, splitSpan } from './clock-look.js';

const base = {
  state: 'running' as const, warning: false, dueAt: '2026-11-23T10:30:00.000Z', warningAt: '2026-11-23T10:20:00.000Z', metAt: null, breachedAt: null,
};
const at = (iso: string) => Date.parse(iso);

describe('clockLook', () => {
  it('moves a running clock from running to warning to breached as time passes', () => {
    expect(clockLook(base, at('2026-11-23T10:00:00Z'))).toBe('running');
    expect(clockLook(base, at('2026-11-23T10:20:00Z'))).toBe('warning');
    expect(clockLook(base, at('2026-11-23T10:30:00Z'))).toBe('breached'); // before the watcher records it
    expect(clockLook({ ...base, warningAt: null }, at('2026-11-23T10:29:59Z'))).toBe('running');
    expect(clockLook({ ...base, warning: true }, at('2026-11-23T10:00:00Z'))).toBe('warning');
  });

  it('keeps the recorded states', () => {
    for (const state of ['met', 'paused', 'breached', 'cancelled'] as const) expect(clockLook({ ...base, state }, at('2026-11-23T10:00:00Z'))).toBe(state);
    // A paused clock is not breached by the wall clock: its deadline moves when it resumes.
    expect(clockLook({ ...base, state: 'paused' }, at('2026-11-24T10:00:00Z'))).toBe('paused');
  });

  it('flags a clock met late', () => {
    expect(metLate({ ...base, state: 'met', metAt: '2026-11-23T10:29:00Z' })).toBe(false);
    expect(metLate({ ...base, state: 'met', metAt: '2026-11-23T10:31:00Z' })).toBe(true);
    expect(metLate({ ...base, state: 'met', metAt: '2026-11-23T10:29:00Z', breachedAt: '2026-11-23T10:28:00Z' })).toBe(true);
    expect(metLate(base)).toBe(false);
  });
});

describe('spans', () => {
  it('splits milliseconds (either sign) into units', () => {
    expect(splitSpan(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000 + 999)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 });
    expect(splitSpan(-90_000)).toEqual({ days: 0, hours: 0, minutes: 1, seconds: 30 });
  });

  it('keeps the two leading units', () => {
    expect(leadingUnits({ days: 2, hours: 0, minutes: 4, seconds: 5 })).toEqual(['days', 'hours']);
    expect(leadingUnits({ days: 0, hours: 0, minutes: 4, seconds: 5 })).toEqual(['minutes', 'seconds']);
    expect(leadingUnits({ days: 0, hours: 0, minutes: 0, seconds: 7 })).toEqual(['seconds']);
    expect(leadingUnits({ days: 0, hours: 0, minutes: 0, seconds: 0 })).toEqual(['seconds']);
  });
});
