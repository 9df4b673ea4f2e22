/** What the dashboard pages share beyond components: the current month, the indicators they draw, heat-map windows. */
import dayjs from 'dayjs';
import type { KpiDefinition } from '../../api/kpis';
import { getTimeZone } from '../../lib/time';
import { daysOfWeekday } from './format';

/** The rates drawn as twelve-month lines. */
export const TREND_RATES = ['service_completion_rate', 'first_response_compliance', 'satisfaction_rate', 'resolution_rate', 'first_contact_resolution_rate'] as const;

/** The counts of the volume chart: accepted (the completion rate's denominator), complaints, backlog. */
export const VOLUME = ['service_completion_rate', 'complaint_count', 'backlog'] as const;

/** The current month in the organization's zone. */
export function currentMonth(): string {
  return dayjs().tz(getTimeZone()).format('YYYY-MM');
}

export function availableDefs(defs: KpiDefinition[] | undefined, ids: readonly string[]): KpiDefinition[] {
  const byId = new Map((defs ?? []).filter((d) => d.available).map((d) => [d.id, d]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The one-hour windows (ISO instants) of a heat-map cell: that hour on each day of the weekday in the range. */
export function cellWindows(from: string, to: string, weekday: number, hour: number): { from: string; to: string }[] {
  const zone = getTimeZone();
  return daysOfWeekday(from, to, weekday).map((day) => {
    const start = dayjs.tz(`${day} ${String(hour).padStart(2, '0')}:00`, zone);
    return { from: start.toISOString(), to: start.add(1, 'hour').toISOString() };
  });
}
