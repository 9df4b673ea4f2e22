/**
 * Excel exports: GET /api/v1/exports/<table>.xlsx with a list's filters, downloaded as a file. The server
 * applies the list's permission, branch scope and masking, and audits the export (see docs/exports.md).
 */
import type { ExportTable } from '@contracts/exports/contracts';
import { ApiError, buildUrl, isRecord } from './client';
import { currentLanguage } from '../i18n';
import i18n from '../i18n';

export type { ExportTable };

/** Filters as the list endpoints take them: arrays as comma lists, booleans as text, blanks left out. */
export function exportParams(filters: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) out[key] = value.join(',');
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return out;
}

export interface ExportResult {
  fileName: string;
  rows: number;
  /** The cap was reached: the file holds the first `rows` rows. */
  capped: boolean;
  blob: Blob;
}

/**
 * Fetches a workbook under /api/v1 (`path` with its query), in the UI language; an error answer becomes an
 * ApiError with the server's code and message. Shared by the list exports and the reports.
 */
export async function fetchXlsx(path: string, query: Record<string, string>, fallbackName: string): Promise<{ fileName: string; rows: number | null; capped: boolean; blob: Blob }> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { credentials: 'same-origin', headers: { 'Accept-Language': currentLanguage() } });
  } catch {
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
  if (!response.ok) {
    const payload: unknown = await response.json().catch(() => undefined);
    const body = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
    throw new ApiError(
      response.status,
      body && typeof body.code === 'string' ? body.code : `http_${response.status}`,
      body && typeof body.message === 'string' ? body.message : i18n.t('errors.unknown', { status: response.status }),
      body?.details,
    );
  }
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const rows = response.headers.get('x-export-rows');
  return { fileName, rows: rows === null ? null : Number(rows), capped: response.headers.get('x-export-capped') === 'true', blob: await response.blob() };
}

/** Fetches the workbook in the UI language (headers and labels follow it). */
export async function fetchExport(table: ExportTable, filters: object): Promise<ExportResult> {
  const file = await fetchXlsx(`/exports/${table}.xlsx`, { ...exportParams(filters), lang: currentLanguage() }, `${table}.xlsx`);
  return { ...file, rows: file.rows ?? 0 };
}

/** Hands the file to the browser as a download. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
