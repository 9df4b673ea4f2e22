/**
 * Excel export in a real browser, as the demo manager: on the console's "all" queue, 导出 Excel downloads an
 * .xlsx that exceljs reads back — the 工单 sheet, Chinese headers, one row per request the list shows; with a
 * type filter in the address, the file holds only those requests. The ratings, corrective actions, callbacks,
 * calls and feedback pages' buttons download their own sheets (the feedback inbox with its current filter).
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIRST_DATA_ROW, HEADER_ROW } from '../src/modules/exports/workbook.js';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

async function download(page: Page, table = 'requests') {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=export-${table}]`).click()]);
  expect(file.suggestedFilename()).toMatch(new RegExp(`^${table}-\\d{8}-\\d{4}\\.xlsx$`));
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

      // The other lists' buttons: each downloads its own sheet; the feedback inbox's current filter (待答复) holds.
      const pages = [
        ['evaluations', 'evaluations', '客户评价'],
        ['corrective-actions', 'corrective-actions', '整改'],
        ['callbacks', 'callbacks', '回访'],
        ['calls', 'calls', '通话记录'],
        ['feedback', 'feedback', '公众意见'],
      ] as const;
      for (const [path, table, sheet] of pages) {
        await page.goto(`${url}/${path}`);
        const got = await download(page, table);
        expect(got.ws.name).toBe(sheet);
        expect(got.headers.length).toBeGreaterThan(3);
        if (table === 'feedback') {
          const inbox = await context.request.get(`${url}/api/v1/feedback?state=received&limit=200`);
          const numbers = ((await inbox.json()) as { items: { number: string }[] }).items.map((i) => i.number);
          expect(got.numbers.sort()).toEqual(numbers.sort());
        }
      }
    });
    await context.close();
  });
});
