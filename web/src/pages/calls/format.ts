/** Durations of calls in words: "12 秒", "4 分 5 秒" (whole seconds, or tenths under a minute). */
import type { TFunction } from 'i18next';

export function formatSeconds(t: TFunction, seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return t('calls.seconds', { value: Math.round(seconds * 10) / 10 });
  const whole = Math.round(seconds);
  return t('calls.minutesSeconds', { m: Math.floor(whole / 60), s: whole % 60 });
}
