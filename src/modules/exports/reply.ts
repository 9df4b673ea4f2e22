/** Sending an Excel workbook as an HTTP download (list exports, the KPI values export, the monthly report). */
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { XLSX_TYPE } from './contracts.js';

export interface XlsxDownload {
  fileName: string;
  /** The workbook, whole or streamed. */
  body: Buffer | Readable;
  /** Data rows in the sheet, and whether the list was cut at the export's limit (x-export-rows, x-export-capped). */
  rows?: number;
  capped?: boolean;
}

/** The workbook as an attachment under its file name, never cached; a list's row count and cap in headers. */
export function sendXlsx(reply: FastifyReply, file: XlsxDownload): FastifyReply {
  reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${file.fileName}"`).header('cache-control', 'no-store');
  if (file.rows !== undefined) reply.header('x-export-rows', String(file.rows));
  if (file.capped !== undefined) reply.header('x-export-capped', String(file.capped));
  return reply.send(file.body);
}
