/**
 * The time left to a request's next deadline, ticking every second without asking the server: one shared
 * timer for every row (not one per row), read through useSyncExternalStore.
 */
import { Tooltip, Typography } from 'antd';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestListItem } from '../../api/requests';
import { formatTime } from '../../lib/time';

const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let now = Date.now();

function subscribe(callback: () => void): () => void {
  subscribers.add(callback);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const s of subscribers) s();
    }, 1000);
  }
  return () => {
    subscribers.delete(callback);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time, updated once a second while anything shows a countdown. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** "1:05:09" under a day; a day or more in days and hours. */
export function formatSpan(ms: number, dayHour: (d: number, h: number) => string): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return dayHour(d, h);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

type Tone = 'breached' | 'warning' | 'running' | 'paused' | 'none';

const COLORS: Record<Tone, string | undefined> = {
  breached: '#cf1322',
  warning: '#d46b08',
  running: undefined,
  paused: '#8c8c8c',
  none: '#bfbfbf',
};

export function Countdown({ item }: { item: Pick<RequestListItem, 'id' | 'nextDueAt' | 'clockState'> }) {
  const { t } = useTranslation();
  const current = useNow();
  const due = item.nextDueAt ? Date.parse(item.nextDueAt) : null;
  if (due === null) {
    const tone: Tone = item.clockState === 'paused' ? 'paused' : 'none';
    return (
      <span data-testid={`countdown-${item.id}`} data-clock-state={tone} style={{ color: COLORS[tone] }}>
        {tone === 'paused' ? t('console.countdown.paused') : t('console.countdown.none')}
      </span>
    );
  }
  const left = due - current;
  // A deadline passing on screen turns red at once, before the clock watcher records the breach.
  const tone: Tone = item.clockState === 'breached' || left <= 0 ? 'breached' : item.clockState === 'warning' ? 'warning' : item.clockState === 'paused' ? 'paused' : 'running';
  const span = formatSpan(left, (d, h) => t('console.countdown.dayHour', { d, h }));
  return (
    <Tooltip title={t('console.countdown.dueAt', { time: formatTime(item.nextDueAt, 'YYYY-MM-DD HH:mm') })}>
      <Typography.Text
        data-testid={`countdown-${item.id}`}
        data-clock-state={tone}
        style={{ color: COLORS[tone], fontVariantNumeric: 'tabular-nums', fontWeight: tone === 'breached' || tone === 'warning' ? 600 : undefined, whiteSpace: 'nowrap' }}
      >
        {left > 0 ? t('console.countdown.left', { time: span }) : t('console.countdown.overdue', { time: span })}
      </Typography.Text>
    </Tooltip>
  );
}
