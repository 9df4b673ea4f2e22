/**
 * Times are stored in UTC and shown in the organization's time zone (me.organization.timeZone, default
 * Asia/Shanghai). The shell sets the zone once the signed-in person is known; everything formats through here.
 */
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
let zone = DEFAULT_TIME_ZONE;

function isValidZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function setTimeZone(value: string | null | undefined): void {
  zone = value && isValidZone(value) ? value : DEFAULT_TIME_ZONE;
}

export function getTimeZone(): string {
  return zone;
}

/** An ISO instant as "2026-03-01 09:30:00" in the organization's zone; "—" when absent. */
export function formatTime(iso: string | null | undefined, pattern = 'YYYY-MM-DD HH:mm:ss'): string {
  if (!iso) return '—';
  const value = dayjs(iso);
  return value.isValid() ? value.tz(zone).format(pattern) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return formatTime(iso, 'YYYY-MM-DD');
}

/** The instant a calendar day (as picked in a date picker) starts in the organization's zone, as ISO UTC. */
export function startOfDayInZone(day: Dayjs): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), zone).toISOString();
}

/** The last instant of a calendar day in the organization's zone, as ISO UTC. */
export function endOfDayInZone(day: Dayjs): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), zone).endOf('day').toISOString();
}

/** All IANA zones the browser knows (for the organization settings), the current one first if missing. */
export function knownTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [DEFAULT_TIME_ZONE, 'UTC'];
  return zones.includes(DEFAULT_TIME_ZONE) ? zones : [DEFAULT_TIME_ZONE, ...zones];
}
