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

/** Fetches the workbook in the UI language (headers and labels follow it). */
export async function fetchExport(table: ExportTable, filters: object): Promise<ExportResult> {
  let response: Response;
  try {
    response = await fetch(buildUrl(`/exports/${table}.xlsx`, { ...exportParams(filters), lang: currentLanguage() }), {
      credentials: 'same-origin',
      headers: { 'Accept-Language': currentLanguage() },
    });
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
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${table}.xlsx`;
  return { fileName, rows: Number(response.headers.get('x-export-rows') ?? '0'), capped: response.headers.get('x-export-capped') === 'true', blob: await response.blob() };
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
