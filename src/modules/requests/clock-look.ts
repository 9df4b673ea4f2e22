/**
 * How a request's clock looks at an instant (pure): its colour state and the span left or over, for the
 * countdowns of the request page (`@contracts/requests/clock-look`). The server's state is the record;
 * between two refreshes the page moves the countdown itself, so a running clock whose due instant has
 * passed shows as breached before the clock watcher records the breach.
 */
import type { ClockSummary } from './contracts.js';

export type ClockLook = 'running' | 'warning' | 'breached' | 'paused' | 'met' | 'cancelled';

type ClockTimes = Pick<ClockSummary, 'state' | 'warning' | 'dueAt' | 'warningAt' | 'metAt' | 'breachedAt'>;

/** The clock's state at `now` (epoch milliseconds). */
export function clockLook(clock: ClockTimes, now: number): ClockLook {
  switch (clock.state) {
    case 'met':
    case 'cancelled':
    case 'paused':
    case 'breached':
      return clock.state;
    default:
      if (now >= Date.parse(clock.dueAt)) return 'breached';
      if (clock.warning || (clock.warningAt !== null && now >= Date.parse(clock.warningAt))) return 'warning';
      return 'running';
  }
}

/** Met after its due instant (or after it was recorded as breached). */
export function metLate(clock: ClockTimes): boolean {
  return clock.metAt !== null && (clock.breachedAt !== null || Date.parse(clock.metAt) > Date.parse(clock.dueAt));
}

export interface SpanParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** A span of milliseconds (its absolute value, whole seconds) as days, hours, minutes and seconds. */
export function splitSpan(ms: number): SpanParts {
  const total = Math.floor(Math.abs(ms) / 1000);
  return { days: Math.floor(total / 86_400), hours: Math.floor((total % 86_400) / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

/** The two most significant units from the first non-zero one ("2天3小时", "5分12秒"): a countdown needs no more. */
export function leadingUnits(parts: SpanParts): (keyof SpanParts)[] {
  const order: (keyof SpanParts)[] = ['days', 'hours', 'minutes', 'seconds'];
  const first = order.findIndex((unit) => parts[unit] > 0);
  if (first === -1) return ['seconds'];
  return order.slice(first, first + 2);
}
