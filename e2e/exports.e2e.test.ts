/**
 * Excel export in a real browser, as the demo manager: on the console's "all" queue, 导出 Excel downloads an
 * .xlsx that exceljs reads back — the 工单 sheet, Chinese headers, one row per request the list shows; with a
 * type filter in the address, the file holds only those requests.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIRST_DATA_ROW, HEADER_ROW } from '../src/modules/exports/workbook.js';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

async function download(page: Page) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-requests]').click()]);
  expect(file.suggestedFilename()).toMatch(/^requests-\d{8}-\d{4}\.xlsx$/);
  const saved = await file.path();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile(saved)) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const headers = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1);
  const numbers: string[] = [];
  for (let r = FIRST_DATA_ROW; r <= ws.rowCount; r++) numbers.push(ws.getRow(r).getCell(1).text);
  return { ws, headers, numbers };
}

describe('Excel export (browser)', () => {
  it('downloads the console list as a valid xlsx with the current filters', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await withScreenshot(page, 'exports', async () => {
      await signIn(page, url, 'manager');
      await page.goto(`${url}/requests?queue=all`);
      await page.locator('[data-testid=console-page]').waitFor();
      const listed = await context.request.get(`${url}/api/v1/requests?queue=all&limit=200`);
      expect(listed.status()).toBe(200);
      const expected = ((await listed.json()) as { items: { number: string }[] }).items.map((i) => i.number);
      expect(expected.length).toBeGreaterThan(0);

      const all = await download(page);
      expect(all.ws.name).toBe('工单');
      expect(all.headers.slice(0, 3)).toEqual(['工单编号', '类型', '优先级']);
      expect(all.numbers.sort()).toEqual([...expected].sort());

      await page.goto(`${url}/requests?queue=all&types=complaint`);
      await page.locator('[data-testid=console-page]').waitFor();
      const complaintsListed = await context.request.get(`${url}/api/v1/requests?queue=all&types=complaint&limit=200`);
      const complaints = ((await complaintsListed.json()) as { items: { number: string }[] }).items.map((i) => i.number);
      const filtered = await download(page);
      expect(filtered.numbers.sort()).toEqual([...complaints].sort());
      expect(filtered.numbers.length).toBeLessThan(all.numbers.length);
    });
    await context.close();
  });
});
