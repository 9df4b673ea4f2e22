/** Business time in words: "45 小时 30 分钟", "2 h 30 min", "0 分钟". */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

export function useDurationText() {
  const { t } = useTranslation();
  return useCallback(
    (ms: number) => {
      const totalSeconds = Math.round(ms / 1000);
      const h = Math.floor(totalSeconds / 3600);
      const m = Math.floor((totalSeconds % 3600) / 60);
      const s = totalSeconds % 60;
      const parts: string[] = [];
      if (h) parts.push(t('calendars.units.hours', { count: h }));
      if (m) parts.push(t('calendars.units.minutes', { count: m }));
      if (s) parts.push(t('calendars.units.seconds', { count: s }));
      return parts.length ? parts.join(' ') : t('calendars.units.minutes', { count: 0 });
    },
    [t],
  );
}
