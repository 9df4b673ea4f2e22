/**
 * The monthly report (docs/reports.md): stored reports, "generate now", the schedule's settings, and the two
 * workbooks downloaded as files (a stored monthly report; KPI values with the query of /kpis/values).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  MonthlyReportGenerate as MonthlyReportGenerateSchema,
  MonthlyReportList as MonthlyReportListSchema,
  MonthlyReportView as MonthlyReportViewSchema,
  ReportSettingsInput as ReportSettingsInputSchema,
  ReportSettingsView as ReportSettingsViewSchema,
} from '@contracts/reports/contracts';
import { currentLanguage } from '../i18n';
import { api, request } from './client';
import { exportParams, fetchXlsx, saveFile } from './exports';

export type MonthlyReportView = z.infer<typeof MonthlyReportViewSchema>;
export type MonthlyReportList = z.infer<typeof MonthlyReportListSchema>;
export type MonthlyReportGenerate = z.infer<typeof MonthlyReportGenerateSchema>;
export type ReportSettingsView = z.infer<typeof ReportSettingsViewSchema>;
export type ReportSettingsInput = z.infer<typeof ReportSettingsInputSchema>;

export const reportsKey = ['reports'] as const;

export function useMonthlyReports() {
  return useQuery({ queryKey: [...reportsKey, 'monthly'], queryFn: () => api.get<MonthlyReportList>('/reports/monthly') });
}

export function useGenerateMonthlyReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: MonthlyReportGenerate) => api.post<MonthlyReportView>('/reports/monthly', input),
    onSuccess: () => void client.invalidateQueries({ queryKey: [...reportsKey, 'monthly'] }),
  });
}

export function useReportSettings(enabled = true) {
  return useQuery({ queryKey: [...reportsKey, 'settings'], queryFn: () => api.get<ReportSettingsView>('/reports/settings'), enabled });
}

export function useUpdateReportSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ReportSettingsInput) => request<ReportSettingsView>('PUT', '/reports/settings', { body: input }),
    onSuccess: (view) => client.setQueryData([...reportsKey, 'settings'], view),
  });
}

export interface DownloadedFile {
  fileName: string;
  /** Rows in the sheet (KPI values). */
  rows: number | null;
  capped: boolean;
}

/** Fetches a workbook under /exports and hands it to the browser as a download. */
async function downloadXlsx(path: string, query: Record<string, string>, fallbackName: string): Promise<DownloadedFile> {
  const { blob, ...file } = await fetchXlsx(path, query, fallbackName);
  saveFile(blob, file.fileName);
  return file;
}

/** The stored monthly report of a month (`YYYY-MM`). */
export function downloadMonthlyReport(month: string): Promise<DownloadedFile> {
  return downloadXlsx('/exports/monthly-report.xlsx', { month }, `monthly-report-${month}.xlsx`);
}

export interface KpiExportParams {
  indicators: string[];
  grain: string;
  from: string;
  to: string;
  dimension: string;
}

/** KPI values as a sheet, in the UI language. */
export function downloadKpis(params: KpiExportParams): Promise<DownloadedFile> {
  return downloadXlsx('/exports/kpis.xlsx', { ...exportParams(params), lang: currentLanguage() }, 'kpis.xlsx');
}
