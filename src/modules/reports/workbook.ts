/**
 * The monthly report's writer: sheets of typed cells → one .xlsx file with several sheets, laid out like the
 * Excel exports (title row, bold shaded header frozen in view with the first column, widths, autofilter) and with
 * the exports' cell conversion and number formats (`cellOf`, `FORMATS`: local dates, [h]:mm:ss durations,
 * 0.0% rates). Cells marked good or bad are coloured green or red (targets met or missed, changes for the better
 * or worse). A report holds a few hundred rows, so the workbook is built in memory. No database, no HTTP.
 */
import ExcelJS from 'exceljs';
import type { Locale } from '../../core/i18n.js';
import { cellOf, FIRST_DATA_ROW, FORMATS, HEADER_ROW, sheetNameOf, TITLE_ROW } from '../exports/workbook.js';
import type { ReportSheet, Tone } from './sheets.js';

/** Excel's own "good" and "bad" cell styles. */
export const TONES: Record<Exclude<Tone, null>, { fill: string; font: string }> = {
  good: { fill: 'FFC6EFCE', font: 'FF006100' },
  bad: { fill: 'FFFFC7CE', font: 'FF9C0006' },
};

export const HEADER_FILL = 'FFD9E1F2';

function addSheet(wb: ExcelJS.Workbook, sheet: ReportSheet, zone: string, locale: Locale): void {
  const ws = wb.addWorksheet(sheetNameOf(sheet.name), { views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW }] });
  const count = Math.max(1, sheet.columns.length);
  ws.columns = sheet.columns.map((c) => ({ width: c.width }));

  const title = ws.getRow(TITLE_ROW);
  title.getCell(1).value = sheet.title;
  title.getCell(1).font = { bold: true, size: 14 };
  if (count > 1) ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, count);

  const header = ws.getRow(HEADER_ROW);
  sheet.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.alignment = { vertical: 'middle', wrapText: true };
  });

  sheet.rows.forEach((cells, r) => {
    const row = ws.getRow(FIRST_DATA_ROW + r);
    cells.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value = cellOf(c.kind, c.value, zone, locale);
      const fmt = c.numFmt ?? (c.kind in FORMATS ? FORMATS[c.kind as keyof typeof FORMATS] : null);
      if (fmt) cell.numFmt = fmt;
      if (c.tone) {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: TONES[c.tone].fill } };
        cell.font = { color: { argb: TONES[c.tone].font }, bold: c.bold ?? false };
      } else if (c.bold) cell.font = { bold: true };
      if (c.kind === 'text') cell.alignment = { vertical: 'top', wrapText: true };
    });
  });

  sheet.notes.forEach((note, i) => {
    const cell = ws.getRow(FIRST_DATA_ROW + sheet.rows.length + 1 + i).getCell(1);
    cell.value = note;
    cell.font = { italic: true, color: { argb: 'FF595959' } };
  });
  if (sheet.columns.length > 0 && sheet.rows.length > 0) {
    ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW + sheet.rows.length, column: sheet.columns.length } };
  }
}

/** The workbook of the given sheets as the bytes of an .xlsx file. */
export async function reportWorkbook(sheets: readonly ReportSheet[], options: { timeZone: string; locale: Locale; title?: string; at?: Date }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pledge';
  if (options.at) wb.created = wb.modified = options.at;
  if (options.title) wb.title = options.title;
  for (const sheet of sheets) addSheet(wb, sheet, options.timeZone, options.locale);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
