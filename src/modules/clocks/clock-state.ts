/**
 * The life of one service clock, as pure functions over a plain record (no I/O). A clock counts a time
 * limit in business time on a calendar: started → (paused ⇄ running) → met | breached → met late | cancelled.
 *
 * - The due instant is computed at start from the duration; a pause moves it by the business time the
 *   clock spent paused (the remaining business time at the pause is counted again from the resume).
 * - The warning instant is the point where `warnRatio` of the clock's business time has elapsed.
 * - A clock whose due instant passes is breached; meeting it afterwards records both instants.
 */
export type ClockState = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';

/** The calendar operations a clock needs: business-time arithmetic on its calendar. */
export interface BusinessTime {
  /** Business milliseconds inside [a, b). */
  elapsed(a: Date, b: Date): number;
  /** The due instant of an ISO-8601 duration (`PT…`, or `P{n}D` working days) counted from a. */
  dueFrom(a: Date, duration: string): Date;
  /** The instant when `ms` business milliseconds have elapsed from a. */
  dueAfterMs(a: Date, ms: number): Date;
}

export interface Pause {
  from: string;
  to: string | null;
}

export interface ClockRecord {
  state: ClockState;
  duration: string;
  warnRatio: number | null;
  startedAt: Date;
  dueAt: Date;
  warningAt: Date | null;
  pausedAt: Date | null;
  pauses: Pause[];
  warnedAt: Date | null;
  breachedAt: Date | null;
  metAt: Date | null;
  cancelledAt: Date | null;
}

export class ClockTransitionError extends Error {
  constructor(
    readonly from: ClockState,
    readonly action: string,
  ) {
    super(`a ${from} clock cannot be ${action}`);
  }
}

function warningInstant(bt: BusinessTime, from: Date, dueAt: Date, ratio: number | null): Date | null {
  if (ratio === null || ratio <= 0 || ratio >= 1) return null;
  const total = bt.elapsed(from, dueAt);
  return bt.dueAfterMs(from, Math.floor(total * ratio));
}

/** Starts a clock at `at`. */
export function startClock(bt: BusinessTime, at: Date, duration: string, warnRatio: number | null): ClockRecord {
  const dueAt = bt.dueFrom(at, duration);
  return {
    state: 'running', duration, warnRatio, startedAt: at, dueAt, warningAt: warningInstant(bt, at, dueAt, warnRatio),
    pausedAt: null, pauses: [], warnedAt: null, breachedAt: null, metAt: null, cancelledAt: null,
  };
}

/** Pauses a running clock (e.g. while waiting on the customer). A breached clock stays breached. */
export function pauseClock(clock: ClockRecord, at: Date): ClockRecord {
  if (clock.state !== 'running') throw new ClockTransitionError(clock.state, 'paused');
  return { ...clock, state: 'paused', pausedAt: at, pauses: [...clock.pauses, { from: at.toISOString(), to: null }] };
}

/**
 * Resumes a paused clock: the business time that was left at the pause counts on from `at`, so the due
 * instant moves by exactly the paused business time. The warning moves with it.
 */
export function resumeClock(bt: BusinessTime, clock: ClockRecord, at: Date): ClockRecord {
  if (clock.state !== 'paused' || !clock.pausedAt) throw new ClockTransitionError(clock.state, 'resumed');
  const pausedAt = clock.pausedAt;
  const remaining = bt.elapsed(pausedAt, clock.dueAt);
  const dueAt = bt.dueAfterMs(at, remaining);
  let warningAt = clock.warningAt;
  if (warningAt && !clock.warnedAt) {
    warningAt = warningAt <= pausedAt ? warningAt : bt.dueAfterMs(at, bt.elapsed(pausedAt, warningAt));
  }
  const pauses = clock.pauses.map((p, i) => (i === clock.pauses.length - 1 ? { ...p, to: at.toISOString() } : p));
  return { ...clock, state: 'running', pausedAt: null, dueAt, warningAt, pauses };
}

/** Stops the clock because its target event happened. Late is still met, with the breach kept. */
export function meetClock(clock: ClockRecord, at: Date): ClockRecord {
  if (clock.state === 'met' || clock.state === 'cancelled') throw new ClockTransitionError(clock.state, 'met');
  let pauses = clock.pauses;
  if (clock.state === 'paused') pauses = pauses.map((p, i) => (i === pauses.length - 1 ? { ...p, to: at.toISOString() } : p));
  const late = clock.breachedAt === null && at > clock.dueAt && clock.state !== 'paused';
  return { ...clock, state: 'met', metAt: at, pausedAt: null, pauses, breachedAt: late ? clock.dueAt : clock.breachedAt };
}

/** Cancels a clock that no longer applies (request merged, target withdrawn). */
export function cancelClock(clock: ClockRecord, at: Date): ClockRecord {
  if (clock.state === 'met' || clock.state === 'cancelled') throw new ClockTransitionError(clock.state, 'cancelled');
  return { ...clock, state: 'cancelled', cancelledAt: at, pausedAt: null };
}

export interface Tick {
  clock: ClockRecord;
  warned: boolean;
  breached: boolean;
}

/** What the watcher records at `now`: a passed warning instant, a passed due instant, or nothing. */
export function tickClock(clock: ClockRecord, now: Date): Tick {
  if (clock.state !== 'running' && clock.state !== 'breached') return { clock, warned: false, breached: false };
  let next = clock;
  let warned = false;
  let breached = false;
  if (next.warningAt && !next.warnedAt && next.warningAt <= now) {
    next = { ...next, warnedAt: next.warningAt };
    warned = true;
  }
  if (next.state === 'running' && !next.breachedAt && next.dueAt <= now) {
    next = { ...next, state: 'breached', breachedAt: next.dueAt };
    breached = true;
  }
  return { clock: next, warned, breached };
}

/** The next instant at which the watcher has something to do for this clock, or null. */
export function nextWakeUp(clock: ClockRecord): Date | null {
  if (clock.state !== 'running') return null;
  const candidates = [clock.warningAt && !clock.warnedAt ? clock.warningAt : null, clock.breachedAt ? null : clock.dueAt].filter((d): d is Date => d !== null);
  return candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
}
