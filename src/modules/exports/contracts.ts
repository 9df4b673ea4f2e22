/** The Excel exports under /api/v1/exports: which tables, and the file name of each. Imports nothing but zod. */
import { z } from 'zod';

export const EXPORT_TABLES = ['requests', 'evaluations', 'corrective-actions', 'callbacks', 'calls', 'feedback'] as const;
export const ExportTable = z.enum(EXPORT_TABLES);
export type ExportTable = z.infer<typeof ExportTable>;

/** The path parameter: `<table>.xlsx`. */
export const ExportParams = z.strictObject({
  file: z
    .string()
    .regex(new RegExp(`^(${EXPORT_TABLES.join('|')})\\.xlsx$`), `one of ${EXPORT_TABLES.map((t) => `${t}.xlsx`).join(', ')}`)
    .describe('<table>.xlsx'),
});

/**
 * The query string: the list's own filters (as its list endpoint takes them) plus `lang` (zh-CN or en-US,
 * the language of headers and labels; the Accept-Language header otherwise). Paging parameters of the list
 * (limit, cursor, page, pageSize) are ignored: the export holds every row up to the cap.
 */
export const ExportQuery = z.record(z.string(), z.string());

/** At most this many rows per file; a capped file says so in a note row under the table. */
export const MAX_EXPORT_ROWS = 100_000;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
