/**
 * The reports page (报表) in a real browser, as the demo manager: "generate now" for last month lists the report,
 * its download is a workbook exceljs reads back with the seven sheets; the schedule's recipients are saved and shown
 * as where the next report goes; the KPI values export downloads its sheet.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

async function workbookOf(file: Download) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
  return wb;
}

async function downloadBy(page: Page, testId: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${testId}]`).click()]);
  return file;
}

describe('reports page (browser)', () => {
  it('generates and downloads last month\'s report, saves the recipients, exports KPI values', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await withScreenshot(page, 'reports', async () => {
      await signIn(page, url, 'manager');
      await page.locator('[data-testid=nav-reports]').click();
      await page.locator('[data-testid=reports-page]').waitFor();

      // Generate now: the month picker starts on last month.
      // (antd puts the test id on the picker's input or on its wrapper, depending on the version)
      const month = await page.locator('[data-testid=report-generate-month]').locator('xpath=self::input | descendant::input').first().inputValue();
      expect(month).toMatch(/^\d{4}-\d{2}$/);
      // The demo seeds last month's report; generating again replaces it (a newer generation time).
      type Listed = { items: { month: string; generatedAt: string | null }[] };
      const generatedAt = async () => ((await (await context.request.get(`${url}/api/v1/reports/monthly`)).json()) as Listed).items.find((r) => r.month === month)?.generatedAt ?? null;
      const seeded = await generatedAt();
      expect(seeded).not.toBeNull();
      await page.locator(`[data-testid=report-row-${month}]`).waitFor();
      await page.locator('[data-testid=report-generate]').click();
      await expect.poll(generatedAt).not.toBe(seeded);
      await expect.poll(() => page.locator(`[data-testid=report-row-${month}]`).innerText()).toContain('已生成');

      const report = await downloadBy(page, `report-download-${month}`);
      expect(report.suggestedFilename()).toMatch(new RegExp(`^monthly-report-.+-${month}\\.xlsx$`));
      const wb = await workbookOf(report);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '承诺达标', '按团队', '按坐席', '按渠道', '按类型', '每日']);
      expect(wb.getWorksheet('概览')!.getRow(2).getCell(1).value).toBe('指标');

      // The schedule: a recipient list replaces the managers.
      const recipients = page.locator('[data-testid=report-settings-recipients]').locator('xpath=self::input | descendant::input').first();
      await recipients.fill('gm@example.cn');
      await recipients.press('Enter');
      await page.locator('[data-testid=report-settings-save]').click();
      await expect.poll(() => page.locator('[data-testid=report-settings-effective]').innerText()).toContain('gm@example.cn');
      await page.reload();
      await expect.poll(() => page.locator('[data-testid=report-settings-effective]').innerText()).toContain('gm@example.cn');
      const settings = await context.request.get(`${url}/api/v1/reports/settings`);
      expect(((await settings.json()) as { recipients: string[] }).recipients).toEqual(['gm@example.cn']);

      // KPI values.
      const kpis = await downloadBy(page, 'kpi-export-button');
      expect(kpis.suggestedFilename()).toMatch(/^kpis-\d{8}-\d{4}\.xlsx$/);
      const sheet = (await workbookOf(kpis)).worksheets[0]!;
      expect(sheet.name).toBe('指标数据');
      expect(sheet.getRow(2).getCell(1).value).toBe('期间');
      expect(sheet.getRow(3).getCell(1).text).toMatch(/^\d{4}-\d{2}$/);
    });
    await context.close();
  });
});
