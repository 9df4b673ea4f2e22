/** The countdowns' colours and ticking; the pure rules are in `@contracts/requests/clock-look`. */
import { useEffect, useState } from 'react';
import type { ClockLook } from '@contracts/requests/clock-look';

export const LOOK_COLORS: Record<ClockLook, string> = {
  running: '#52c41a',
  warning: '#fa8c16',
  breached: '#f5222d',
  paused: '#8c8c8c',
  met: '#1677ff',
  cancelled: '#bfbfbf',
};

/** The current instant, updated every `intervalMs` (the countdowns tick with it). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
