/** The live wall's arithmetic: clock states at an instant, by hand; the summary against a brute-force count on random desks. */
import { describe, expect, it } from 'vitest';
import { clockLook } from '../requests/clock-look.js';
import { liveClockState, mostUrgent, summarizeWall, teamOfPerson, type WallClock, type WallRequest } from './live-wall.js';
import { mulberry32 as prng } from '../../core/prng.js';

const T = (iso: string) => new Date(`2026-11-23T${iso}:00+08:00`);

describe('a clock at an instant', () => {
  const clock = { state: 'running', dueAt: T('10:00'), warningAt: T('09:30') };
  it('runs before its warning, warns from the warning instant, is breached from the due instant on', () => {
    expect(liveClockState(clock, T('09:29'))).toBe('running');
    expect(liveClockState(clock, T('09:30'))).toBe('warning');
    expect(liveClockState(clock, new Date(T('10:00').getTime() - 1))).toBe('warning');
    expect(liveClockState(clock, T('10:00'))).toBe('breached');
    expect(liveClockState({ ...clock, warningAt: null }, T('09:59'))).toBe('running');
  });
  it('a recorded breach stays breached; paused, met and cancelled clocks do not count down', () => {
    expect(liveClockState({ ...clock, state: 'breached' }, T('09:00'))).toBe('breached');
    for (const state of ['paused', 'met', 'cancelled']) expect(liveClockState({ ...clock, state }, T('11:00'))).toBeNull();
  });
  it('agrees with the request page’s look of a clock', () => {
    const rnd = prng(3);
    for (let i = 0; i < 500; i++) {
      const due = T('10:00').getTime() + Math.floor((rnd() - 0.5) * 7_200_000);
      const warning = rnd() < 0.3 ? null : due - Math.floor(rnd() * 3_600_000);
      const state = ['running', 'paused', 'met', 'breached', 'cancelled'][Math.floor(rnd() * 5)]!;
      const now = T('10:00').getTime() + Math.floor((rnd() - 0.5) * 7_200_000);
      const look = clockLook({ state: state as 'running', warning: false, dueAt: new Date(due).toISOString(), warningAt: warning === null ? null : new Date(warning).toISOString(), metAt: null, breachedAt: null }, now);
      const live = liveClockState({ state, dueAt: new Date(due), warningAt: warning === null ? null : new Date(warning) }, new Date(now));
      expect(live).toBe(look === 'running' || look === 'warning' || look === 'breached' ? look : null);
    }
  });
  it('the most urgent state wins', () => {
    expect(mostUrgent([])).toBeNull();
    expect(mostUrgent([null, 'running'])).toBe('running');
    expect(mostUrgent(['running', 'breached', 'warning'])).toBe('breached');
    expect(mostUrgent(['warning', null, 'running'])).toBe('warning');
  });
});

describe('the wall', () => {
  it('counts a hand-made desk', () => {
    const now = T('10:00');
    const requests: WallRequest[] = [
      { id: 'a', state: 'handling', assigneeId: 'x' },
      { id: 'b', state: 'handling', assigneeId: 'x' },
      { id: 'c', state: 'registered', assigneeId: null },
      { id: 'd', state: 'feedback', assigneeId: 'y' },
    ];
    const clocks: WallClock[] = [
      { requestId: 'a', kind: 'first_response', state: 'breached', dueAt: T('08:00'), warningAt: T('07:30') },
      { requestId: 'a', kind: 'resolved', state: 'running', dueAt: T('10:20'), warningAt: T('09:50') }, // warning, but a is breached
      { requestId: 'b', kind: 'resolved', state: 'running', dueAt: T('10:05'), warningAt: T('09:55') }, // about to breach
      { requestId: 'c', kind: 'first_response', state: 'running', dueAt: T('09:59'), warningAt: null }, // breached, not recorded yet
      { requestId: 'd', kind: 'resolved', state: 'paused', dueAt: T('09:00'), warningAt: null }, // paused: nothing
      { requestId: 'z', kind: 'resolved', state: 'breached', dueAt: T('07:00'), warningAt: null }, // not an open request of the wall
    ];
    const w = summarizeWall(requests, clocks, now, 3);
    expect(w.open).toEqual({ total: 4, byState: { handling: 2, registered: 1, feedback: 1 } });
    expect(w).toMatchObject({ aboutToBreach: 1, breached: 2, unassigned: 1 });
    expect(Object.fromEntries(w.byAssignee)).toEqual({ x: { open: 2, aboutToBreach: 1, breached: 1 }, y: { open: 1, aboutToBreach: 0, breached: 0 } });
    expect(w.soonest.map((s) => [s.requestId, s.kind, s.state])).toEqual([['a', 'first_response', 'breached'], ['c', 'first_response', 'breached'], ['b', 'resolved', 'warning']]);
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: equals a brute-force count`, () => {
      const rnd = prng(seed);
      const pick = <X,>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)]!;
      const now = T('12:00');
      const requests: WallRequest[] = Array.from({ length: 60 }, (_, i) => ({ id: `r${String(i).padStart(2, '0')}`, state: pick(['registered', 'handling', 'feedback']), assigneeId: pick(['x', 'y', 'z', null]) }));
      const clocks: WallClock[] = Array.from({ length: 150 }, () => {
        const dueAt = new Date(now.getTime() + Math.floor((rnd() - 0.4) * 14_400_000));
        return { requestId: `r${String(Math.floor(rnd() * 70)).padStart(2, '0')}`, kind: pick(['first_response', 'resolved', 'next_reply']), state: pick(['running', 'running', 'breached', 'paused', 'met', 'cancelled']), dueAt, warningAt: rnd() < 0.3 ? null : new Date(dueAt.getTime() - Math.floor(rnd() * 7_200_000)) };
      });
      const w = summarizeWall(requests, clocks, now, 20);
      const ids = new Set(requests.map((r) => r.id));
      const mine = (r: WallRequest) => clocks.filter((c) => c.requestId === r.id);
      const isBreached = (c: WallClock) => c.state === 'breached' || (c.state === 'running' && c.dueAt <= now);
      const isWarning = (c: WallClock) => c.state === 'running' && c.dueAt > now && c.warningAt !== null && c.warningAt <= now;
      const late = requests.filter((r) => mine(r).some(isBreached));
      const warn = requests.filter((r) => !mine(r).some(isBreached) && mine(r).some(isWarning));
      expect(w.breached).toBe(late.length);
      expect(w.aboutToBreach).toBe(warn.length);
      expect(w.breached).toBeGreaterThan(0);
      expect(w.aboutToBreach).toBeGreaterThan(0);
      expect(w.unassigned).toBe(requests.filter((r) => r.assigneeId === null).length);
      for (const who of ['x', 'y', 'z']) {
        const theirs = requests.filter((r) => r.assigneeId === who);
        expect(w.byAssignee.get(who) ?? { open: 0, aboutToBreach: 0, breached: 0 }).toEqual({ open: theirs.length, aboutToBreach: theirs.filter((r) => warn.includes(r)).length, breached: theirs.filter((r) => late.includes(r)).length });
      }
      const counting = clocks.filter((c) => ids.has(c.requestId) && (c.state === 'running' || c.state === 'breached')).map((c) => c.dueAt.getTime()).sort((a, b) => a - b);
      expect(w.soonest.map((s) => s.dueAt.getTime())).toEqual(counting.slice(0, 20));
      const all = summarizeWall(requests, clocks, now, 1000).soonest;
      expect(all.slice(0, 20)).toEqual(w.soonest);
      for (const s of all) {
        const c = clocks.find((x) => x.requestId === s.requestId && x.kind === s.kind && x.dueAt.getTime() === s.dueAt.getTime() && (x.state === 'running' || x.state === 'breached'))!;
        expect(s.state).toBe(isBreached(c) ? 'breached' : isWarning(c) ? 'warning' : 'running');
      }
      expect(new Set(all.map((s) => s.state)).size).toBe(3);
    });
  }
});

describe('the team a person shows under', () => {
  const m = (staffId: string, teamId: string, day: number) => ({ staffId, teamId, joinedAt: new Date(Date.UTC(2026, 0, day)) });
  const memberships = [m('p', 't2', 1), m('p', 't1', 5), m('q', 't3', 2), m('q', 't1', 2), m('s', 't3', 9)];
  it('the wall’s team when they are in it, else the first they joined (ties by team id)', () => {
    expect(Object.fromEntries(teamOfPerson(memberships, null))).toEqual({ p: 't2', q: 't1', s: 't3' });
    expect(Object.fromEntries(teamOfPerson(memberships, 't1'))).toEqual({ p: 't1', q: 't1', s: 't3' });
    expect(Object.fromEntries(teamOfPerson([...memberships].reverse(), 't3'))).toEqual({ p: 't2', q: 't3', s: 't3' });
  });
});
