/**
 * The pure workbook writer of the Excel exports: columns + rows → an .xlsx file (exceljs) with a title row, a
 * frozen header row, column widths, number formats (dates in the organization's time zone, durations,
 * percentages) and an autofilter. No database, no HTTP: the export service feeds it.
 */
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';

/**
 * text · datetime (an ISO instant, shown as local time of `timeZone`) · duration (seconds, shown [h]:mm:ss)
 * · percent (a fraction 0..1, shown 0.0%) · integer · number (two decimals) · boolean (是/否, Yes/No)
 */
export type ColumnKind = 'text' | 'datetime' | 'duration' | 'percent' | 'integer' | 'number' | 'boolean';

export type CellValue = string | number | boolean | null | undefined;

export interface Column<Row> {
  header: string;
  kind: ColumnKind;
  /** Width in characters (Excel's unit); a default by kind otherwise. */
  width?: number;
  value: (row: Row) => CellValue;
}

export interface SheetSpec<Row> {
  /** The sheet's name (Excel allows 31 characters, none of : \ / ? * [ ]). */
  sheetName: string;
  /** The first row, e.g. "服务请求 导出 2026-11-23 20:30 (Asia/Shanghai)". */
  title: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  timeZone: string;
  /** A note row under the table (e.g. "capped at 100,000 rows"). */
  note?: string | null;
  locale: 'zh-CN' | 'en-US';
}

/** Row numbers of the layout: title, header, then the data. */
export const TITLE_ROW = 1;
export const HEADER_ROW = 2;
export const FIRST_DATA_ROW = 3;

export const FORMATS = {
  datetime: 'yyyy-mm-dd hh:mm:ss',
  duration: '[h]:mm:ss',
  percent: '0.0%',
  integer: '0',
  number: '0.00',
} as const;

const DEFAULT_WIDTH: Record<ColumnKind, number> = { text: 18, datetime: 20, duration: 12, percent: 10, integer: 10, number: 12, boolean: 8 };

/**
 * An instant as Excel holds a local time: a Date whose UTC fields are the wall-clock time in `zone` (Excel
 * dates have no zone; exceljs writes a Date's UTC fields).
 */
export function excelLocalDate(iso: string, zone: string): Date | null {
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  if (!dt.isValid) return null;
  const local = dt.setZone(zone);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond));
}

/** What a cell holds for a value of its column's kind. */
export function cellOf(kind: ColumnKind, value: CellValue, zone: string, locale: 'zh-CN' | 'en-US'): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'datetime':
      return typeof value === 'string' ? excelLocalDate(value, zone) : null;
    case 'duration':
      // Excel counts time in days.
      return typeof value === 'number' && Number.isFinite(value) ? value / 86_400 : null;
    case 'percent':
    case 'integer':
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'boolean':
      return value === true ? (locale === 'en-US' ? 'Yes' : '是') : value === false ? (locale === 'en-US' ? 'No' : '否') : String(value);
    default:
      return safeText(String(value));
  }
}

/**
 * Text as a cell: a leading = + - @ would make Excel read it as a formula (CSV/formula injection); such
 * text is kept as text by exceljs (a string is never a formula), and we cut it to Excel's 32,767 limit.
 */
function safeText(text: string): string {
  return text.length > 32_767 ? text.slice(0, 32_766) + '…' : text;
}

export function sheetNameOf(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';
}

/**
 * Writes the workbook to `out` with exceljs's streaming writer: rows are committed as they are written, so
 * memory stays flat however many rows (the in-memory workbook took ~2 GB for 100,000 rows × 15 columns).
 * Resolves when the file is complete (the stream ended).
 */
export async function writeWorkbook<Row>(spec: SheetSpec<Row>, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Pledge';
  const ws = wb.addWorksheet(sheetNameOf(spec.sheetName), { views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }] });
  const count = Math.max(1, spec.columns.length);
  ws.columns = spec.columns.map((c) => ({ width: c.width ?? DEFAULT_WIDTH[c.kind] }));

  const title = ws.getRow(TITLE_ROW);
  title.getCell(1).value = spec.title;
  title.getCell(1).font = { bold: true, size: 14 };
  if (count > 1) ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, count);
  title.commit();

  const header = ws.getRow(HEADER_ROW);
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  header.commit();

  const formats = spec.columns.map((c) => (c.kind in FORMATS ? FORMATS[c.kind as keyof typeof FORMATS] : null));
  for (let r = 0; r < spec.rows.length; r++) {
    const row = spec.rows[r]!;
    const excelRow = ws.getRow(FIRST_DATA_ROW + r);
    spec.columns.forEach((c, i) => {
      const cell = excelRow.getCell(i + 1);
      cell.value = cellOf(c.kind, c.value(row), spec.timeZone, spec.locale);
      const fmt = formats[i];
      if (fmt) cell.numFmt = fmt;
    });
    excelRow.commit();
    // Let other requests run during a large export.
    if (r % 2000 === 1999) await new Promise((resolve) => setImmediate(resolve));
  }

  if (spec.note) {
    const noteRow = ws.getRow(FIRST_DATA_ROW + spec.rows.length + 1);
    noteRow.getCell(1).value = spec.note;
    noteRow.getCell(1).font = { italic: true, color: { argb: 'FFC00000' } };
    noteRow.commit();
  }
  if (spec.columns.length > 0) {
    ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW + spec.rows.length, column: spec.columns.length } };
  }
  ws.commit();
  await wb.commit();
}

/** The workbook as the bytes of an .xlsx file. */
export async function workbookBuffer<Row>(spec: SheetSpec<Row>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeWorkbook(spec, sink);
  await ended;
  return Buffer.concat(chunks);
}
