/**
 * Business calendars (工作日历) and statutory holiday data. Shapes come from the server's calendar contracts; the
 * calendar file `{ name, timeZone, week, overrides }` is what create (= import) and replace take.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Calendar as CalendarSchema,
  DuePreview as DuePreviewSchema,
  ElapsedResult as ElapsedResultSchema,
  HolidayDay as HolidayDaySchema,
  HolidayYear as HolidayYearSchema,
  HolidayYearPut as HolidayYearPutSchema,
  YearView as YearViewSchema,
} from '@contracts/calendars/contracts';
import { ApiError, api, isRecord, request, type ValidationIssue } from './client';

export type Calendar = z.infer<typeof CalendarSchema>;
export type DuePreview = z.infer<typeof DuePreviewSchema>;
export type DuePreviewDay = DuePreview['days'][number];
export type ElapsedResult = z.infer<typeof ElapsedResultSchema>;
export type YearView = z.infer<typeof YearViewSchema>;
export type YearDay = YearView['days'][number];
export type HolidayYear = z.infer<typeof HolidayYearSchema>;
export type HolidayDay = z.infer<typeof HolidayDaySchema>;
export type HolidayYearPut = z.infer<typeof HolidayYearPutSchema>;
export type Week = Calendar['week'];
export type Weekday = keyof Week;
export type DayHours = Week[Weekday];

/** The calendar file: what is imported, exported, created and replaced. */
export interface CalendarFile {
  name: string;
  timeZone: string;
  week: Week;
  overrides: Record<string, DayHours>;
}

/** `CN` follows mainland-China statutory holidays; `none` works through them (7×24). */
export type HolidayRegionOption = 'CN' | 'none';

export interface CalendarWrite {
  /** Absent: create (import). */
  id?: string;
  file: CalendarFile;
  holidayRegion?: HolidayRegionOption;
  isDefault?: boolean;
}

export const calendarsKey = ['calendars'] as const;
export const holidayYearsKey = ['holiday-years'] as const;

export function fileOf(calendar: Calendar): CalendarFile {
  return { name: calendar.name, timeZone: calendar.timeZone, week: calendar.week, overrides: calendar.overrides };
}

export function regionOption(calendar: Pick<Calendar, 'holidayRegion'>): HolidayRegionOption {
  return calendar.holidayRegion === 'CN' ? 'CN' : 'none';
}

/**
 * The entry-by-entry problems of a `calendar.invalid_file` (`{ path: 'week.mon[1]', code, message }`), a
 * `validation_failed` or a `holiday.invalid_days` (plain strings) error.
 */
export function issuesOf(error: unknown): ValidationIssue[] {
  if (!(error instanceof ApiError) || !isRecord(error.details) || !Array.isArray(error.details.issues)) return [];
  return error.details.issues.flatMap((issue): ValidationIssue[] => {
    if (typeof issue === 'string') return [{ path: '', code: error.code, message: issue }];
    if (isRecord(issue) && typeof issue.message === 'string') {
      return [{ path: typeof issue.path === 'string' ? issue.path : '', code: typeof issue.code === 'string' ? issue.code : '', message: issue.message }];
    }
    return [];
  });
}

export function useCalendars(enabled = true) {
  return useQuery({ queryKey: calendarsKey, queryFn: () => api.get<Calendar[]>('/calendars'), enabled });
}

export function useCalendar(id: string | undefined) {
  return useQuery({
    queryKey: [...calendarsKey, 'one', id],
    queryFn: () => api.get<Calendar>(`/calendars/${id}`),
    enabled: Boolean(id),
  });
}

export function useSaveCalendar() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, file, holidayRegion, isDefault }: CalendarWrite) => {
      const query = { holidayRegion, isDefault: isDefault === undefined ? undefined : String(isDefault) };
      return id
        ? request<Calendar>('PUT', `/calendars/${id}`, { query, body: file })
        : request<Calendar>('POST', '/calendars', { query, body: file });
    },
    onSuccess: async (calendar) => {
      client.setQueryData([...calendarsKey, 'one', calendar.id], calendar);
      await client.invalidateQueries({ queryKey: calendarsKey });
    },
  });
}

export function useDeleteCalendar() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/calendars/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: calendarsKey }),
  });
}

export function useApplyHolidays() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, years }: { id: string; years: number[] }) => api.post<Calendar>(`/calendars/${id}/holidays`, { years }),
    onSuccess: async (calendar) => {
      client.setQueryData([...calendarsKey, 'one', calendar.id], calendar);
      await client.invalidateQueries({ queryKey: calendarsKey });
    },
  });
}

export function useYearView(id: string, year: number) {
  return useQuery({
    queryKey: [...calendarsKey, 'year', id, year],
    queryFn: () => api.get<YearView>(`/calendars/${id}/years/${year}`),
    placeholderData: (previous) => previous,
  });
}

export function useDuePreview(id: string, from: string | null, duration: string | null) {
  return useQuery({
    queryKey: [...calendarsKey, 'due', id, from, duration],
    queryFn: () => api.get<DuePreview>(`/calendars/${id}/due`, { from, duration }),
    enabled: Boolean(from && duration),
    retry: false,
  });
}

export function useElapsed(id: string, from: string | null, to: string | null) {
  return useQuery({
    queryKey: [...calendarsKey, 'elapsed', id, from, to],
    queryFn: () => api.get<ElapsedResult>(`/calendars/${id}/elapsed`, { from, to }),
    enabled: Boolean(from && to),
    retry: false,
  });
}

/** Downloads the calendar file (the same JSON the import takes). */
export async function downloadCalendar(calendar: Pick<Calendar, 'id' | 'name'>): Promise<void> {
  const file = await api.get<CalendarFile>(`/calendars/${calendar.id}/export`);
  const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${calendar.name}.calendar.json`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useHolidayYears(enabled = true) {
  return useQuery({ queryKey: holidayYearsKey, queryFn: () => api.get<HolidayYear[]>('/holiday-years'), enabled });
}

export function usePutHolidayYear() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ year, body }: { year: number; body: HolidayYearPut }) => request<HolidayYear>('PUT', `/holiday-years/${year}`, { body }),
    onSuccess: () => Promise.all([
      client.invalidateQueries({ queryKey: holidayYearsKey }),
      client.invalidateQueries({ queryKey: calendarsKey }),
    ]),
  });
}
