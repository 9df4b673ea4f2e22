import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excelLocalDate, FIRST_DATA_ROW, FORMATS, HEADER_ROW, sheetNameOf, TITLE_ROW, workbookBuffer, type Column } from './workbook.js';

interface Row { no: string; at: string | null; wait: number | null; share: number | null; ok: boolean | null; n: number }

const columns: Column<Row>[] = [
  { header: '编号', kind: 'text', width: 22, value: (r) => r.no },
  { header: '时间', kind: 'datetime', value: (r) => r.at },
  { header: '等待时长', kind: 'duration', value: (r) => r.wait },
  { header: '占比', kind: 'percent', value: (r) => r.share },
  { header: '按时', kind: 'boolean', value: (r) => r.ok },
  { header: '次数', kind: 'integer', value: (r) => r.n },
];

async function readBack(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

describe('writeWorkbook', () => {
  it('writes the title, Chinese headers, values with their formats, widths, a frozen header and an autofilter', async () => {
    const rows: Row[] = [
      { no: '=1+1', at: '2026-01-31T16:30:00Z', wait: 3725, share: 0.875, ok: true, n: 3 },
      { no: 'B', at: null, wait: null, share: null, ok: false, n: 0 },
    ];
    const wb = await readBack(await workbookBuffer({ sheetName: '服务请求', title: '服务请求导出', columns, rows, timeZone: 'Asia/Shanghai', locale: 'zh-CN' }));
    const ws = wb.getWorksheet('服务请求')!;
    expect(ws).toBeDefined();
    expect(ws.getRow(TITLE_ROW).getCell(1).value).toBe('服务请求导出');
    expect((ws.getRow(HEADER_ROW).values as unknown[]).slice(1)).toEqual(['编号', '时间', '等待时长', '占比', '按时', '次数']);
    const first = ws.getRow(FIRST_DATA_ROW);
    // Text stays text (no formula), even when it starts with "=".
    expect(first.getCell(1).value).toBe('=1+1');
    expect(first.getCell(1).type).toBe(ExcelJS.ValueType.String);
    // 16:30 UTC is 00:30 the next day in Shanghai.
    expect((first.getCell(2).value as Date).toISOString()).toBe('2026-02-01T00:30:00.000Z');
    expect(first.getCell(2).numFmt).toBe(FORMATS.datetime);
    // A duration is a fraction of a day; exceljs reads a time-formatted number back as a Date from Excel's epoch.
    expect((first.getCell(3).value as Date).getTime() - Date.UTC(1899, 11, 30)).toBe(3725_000);
    expect(first.getCell(3).numFmt).toBe(FORMATS.duration);
    expect(first.getCell(4).value).toBe(0.875);
    expect(first.getCell(4).numFmt).toBe(FORMATS.percent);
    expect(first.getCell(5).value).toBe('是');
    expect(first.getCell(6).value).toBe(3);
    const second = ws.getRow(FIRST_DATA_ROW + 1);
    expect(second.getCell(2).value).toBeNull();
    expect(second.getCell(5).value).toBe('否');
    expect(ws.getColumn(1).width).toBe(22);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
    expect(ws.autoFilter).toBe('A2:F4');
    expect(ws.rowCount).toBe(FIRST_DATA_ROW + 1);
  });

  it('adds the note row under the table and says Yes/No in English', async () => {
    const rows: Row[] = [{ no: 'A', at: null, wait: null, share: null, ok: true, n: 1 }];
    const wb = await readBack(await workbookBuffer({ sheetName: 'Requests', title: 'Requests', columns, rows, timeZone: 'UTC', locale: 'en-US', note: 'Capped at 1 row' }));
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(FIRST_DATA_ROW).getCell(5).value).toBe('Yes');
    expect(ws.getRow(FIRST_DATA_ROW + 2).getCell(1).value).toBe('Capped at 1 row');
  });

  it('an empty table still has its header', async () => {
    const wb = await readBack(await workbookBuffer({ sheetName: 'x', title: 't', columns, rows: [], timeZone: 'UTC', locale: 'zh-CN' }));
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(HEADER_ROW).getCell(1).value).toBe('编号');
    expect(ws.rowCount).toBe(HEADER_ROW);
  });

  it('sheet names drop the characters Excel refuses and keep 31 characters', () => {
    expect(sheetNameOf('a/b:c*d?[e]')).toBe('a b c d  e ');
    expect(sheetNameOf('x'.repeat(40))).toHaveLength(31);
  });
});

describe('excelLocalDate', () => {
  const zones = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Adelaide'];
  it('holds the wall-clock time of the zone in its UTC fields (oracle: Intl)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const instant = new Date(Math.floor(ms / 1000) * 1000);
        const got = excelLocalDate(instant.toISOString(), zone)!;
        const parts = Object.fromEntries(
          new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
            .formatToParts(instant)
            .map((p) => [p.type, p.value]),
        );
        const expected = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.000Z`;
        expect(got.toISOString()).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('is null for text that is not an instant', () => {
    expect(excelLocalDate('not a date', 'UTC')).toBeNull();
  });
});
