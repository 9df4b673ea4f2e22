/**
 * The dashboards in a real browser, on the demo organization: as the demo manager, /dashboard draws each of its
 * charts (read back from the canvas: pixels that are neither transparent nor the background) and a screenshot is
 * kept; a figure card and a heat-map cell open the drill-down with the requests behind them (as many as the
 * figure counts); the agent's own page and the team lead's wall render; one pass in en-US. The pure helpers of
 * the dashboards (formatting, months, weekdays, colour contrast) are checked here too, without a browser.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addMonths, changeOf, daysOfWeekday, formatChange, formatFigure, formatPercent, humanizeSeconds, isoWeekday, meets, monthRange, monthsEndingWith,
} from '../web/src/pages/dashboards/format.js';
import { contrast, LIGHT, WALL } from '../web/src/pages/dashboards/palette.js';
import { SCREENSHOTS, signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const ZH_UNITS = { day: '天', hour: '小时', minute: '分', second: '秒' };

describe('dashboard helpers (pure)', () => {
  it('formats percent with one decimal, durations in words and figures by unit', () => {
    expect(formatPercent(93.44)).toBe('93.4%');
    expect(formatPercent(93.45)).toBe('93.5%');
    expect(formatPercent(100)).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
    expect(humanizeSeconds(4.26, ZH_UNITS)).toBe('4.3 秒');
    expect(humanizeSeconds(45, ZH_UNITS)).toBe('45 秒');
    expect(humanizeSeconds(245, ZH_UNITS)).toBe('4 分 5 秒');
    expect(humanizeSeconds(3600, ZH_UNITS)).toBe('1 小时');
    expect(humanizeSeconds(8100, ZH_UNITS)).toBe('2 小时 15 分');
    expect(humanizeSeconds(3 * 86_400 + 4 * 3600 + 59, ZH_UNITS)).toBe('3 天 4 小时');
    expect(humanizeSeconds(86_400 + 30, ZH_UNITS)).toBe('1 天');
    expect(humanizeSeconds(null, ZH_UNITS)).toBe('—');
    expect(formatFigure(12345, 'count', ZH_UNITS, 'en-US')).toBe('12,345');
    expect(formatFigure(4.456, 'score5', ZH_UNITS, 'zh-CN')).toBe('4.46');
    expect(formatFigure(2.25, 'working_days', ZH_UNITS, 'zh-CN')).toBe('2.3 天');
    expect(formatFigure(75, 'percent', ZH_UNITS, 'zh-CN')).toBe('75.0%');
  });

  it('states the change against the previous period by the better direction', () => {
    expect(changeOf(95, 90, 'percent', 'higher')).toEqual({ delta: 5, kind: 'points', direction: 'up', good: true });
    expect(changeOf(10, 12.5, 'percent', 'lower')).toEqual({ delta: -2.5, kind: 'points', direction: 'down', good: true });
    expect(changeOf(300, 200, 'seconds', 'lower')).toEqual({ delta: 50, kind: 'relative', direction: 'up', good: false });
    expect(changeOf(5, 5, 'count', 'lower')).toEqual({ delta: 0, kind: 'relative', direction: 'flat', good: null });
    expect(changeOf(5, 0, 'count', 'lower')).toBeNull();
    expect(changeOf(null, 5, 'percent', 'higher')).toBeNull();
    expect(changeOf(0, 0, 'percent', 'higher')).toEqual({ delta: 0, kind: 'points', direction: 'flat', good: null });
    expect(formatChange(changeOf(95, 90, 'percent', 'higher')!, '个百分点')).toBe('+5.0 个百分点');
    expect(formatChange(changeOf(150, 200, 'seconds', 'lower')!, 'pp')).toBe('−25.0%');
    expect(meets(95, '>=', 95)).toBe(true);
    expect(meets(94.9, '>=', 95)).toBe(false);
    expect(meets(3, '<=', 5)).toBe(true);
    expect(meets(null, '>=', 95)).toBeNull();
    expect(meets(90, '>=', null)).toBeNull();
  });

  it('counts months and weekdays like a calendar (against a day-by-day walk)', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-11', -23)).toBe('2024-12');
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthsEndingWith('2026-03', 4)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    // Brute force: walk every day of 2023–2026 with Date and compare each month's days of each weekday.
    for (let m = 0; m < 48; m++) {
      const key = addMonths('2023-01', m);
      const { from, to } = monthRange(key);
      const walk = new Map<number, string[]>();
      for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
        const wd = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
        walk.set(wd, [...(walk.get(wd) ?? []), d.toISOString().slice(0, 10)]);
      }
      for (let wd = 1; wd <= 7; wd++) expect(daysOfWeekday(from, to, wd)).toEqual(walk.get(wd));
    }
  });

  it('keeps chart colours readable on their background', () => {
    for (const c of LIGHT.series) expect(contrast(c, LIGHT.background)).toBeGreaterThanOrEqual(3);
    for (const c of WALL.series) expect(contrast(c, WALL.background)).toBeGreaterThanOrEqual(3);
    for (const p of [LIGHT, WALL]) {
      expect(contrast(p.met, p.background)).toBeGreaterThanOrEqual(3);
      expect(contrast(p.missed, p.background)).toBeGreaterThanOrEqual(3);
      expect(contrast(p.text, p.background)).toBeGreaterThanOrEqual(7);
      expect(contrast(p.subtleText, p.background)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

const env = useServerAndBrowser();

/**
 * How many pixels of a chart's canvases are drawn (ECharts may draw on several layers): neither transparent nor
 * the background of the card (or wall panel) behind them. Run in the page, as source text (this project's
 * TypeScript has no DOM).
 */
const DRAWN_PIXELS = `(id) => {
  let drawn = 0;
  for (const canvas of document.querySelectorAll('[data-testid="' + id + '"] canvas')) {
    if (canvas.width === 0 || canvas.height === 0) continue;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const holder = canvas.closest('.ant-card, .wall-panel, .wall');
    const bg = (holder ? getComputedStyle(holder).backgroundColor : 'rgb(255, 255, 255)').match(/\\d+/g).map(Number);
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 32) continue;
      if (Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) < 24) continue;
      drawn++;
    }
  }
  return drawn;
}`;

async function drawnPixels(page: Page, testId: string): Promise<number> {
  return page.evaluate<number>(`(${DRAWN_PIXELS})(${JSON.stringify(testId)})`);
}

/** The page coordinates of a pixel of a chart drawn in exactly this colour (a bar, a heat-map cell), or null. */
const PIXEL_OF_COLOUR = `(id, hex) => {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  for (const canvas of document.querySelectorAll('[data-testid="' + id + '"] canvas')) {
    if (canvas.width === 0 || canvas.height === 0) continue;
    const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const rect = canvas.getBoundingClientRect();
    const near = (i) => Math.abs(data[i] - want[0]) + Math.abs(data[i + 1] - want[1]) + Math.abs(data[i + 2] - want[2]) <= 6 && data[i + 3] > 250;
    // The middle of the first run of that colour at least 4 pixels wide (not an anti-aliased edge).
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!near((y * width + x) * 4)) continue;
        let end = x;
        while (end + 1 < width && near((y * width + end + 1) * 4)) end++;
        if (end - x < 3) { x = end; continue; }
        return { x: rect.left + ((x + end) / 2) * rect.width / width, y: rect.top + (y + 3) * rect.height / height };
      }
    }
  }
  return null;
}`;

async function pixelOfColour(page: Page, testId: string, hex: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate<{ x: number; y: number } | null>(`(${PIXEL_OF_COLOUR})(${JSON.stringify(testId)}, ${JSON.stringify(hex)})`);
}

async function expectDrawn(page: Page, testId: string) {
  await page.locator(`[data-testid=${testId}] canvas`).first().waitFor();
  await expect.poll(() => drawnPixels(page, testId), { message: `${testId} draws nothing` }).toBeGreaterThan(200);
}

/** Keeps a full-page screenshot (after the charts' entry animation). */
async function keepScreenshot(page: Page, name: string) {
  await page.waitForTimeout(1500);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function api<T>(page: Page, url: string): Promise<T> {
  const response = await page.context().request.get(url);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}

interface ValuesView { values: { indicator: string; period: string; figure: number | null; denominator: number | null }[] }

describe('Dashboards (browser)', () => {
  it('the manager’s month view draws its charts, and a card and a heat-map cell list the requests behind them', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1200 }, acceptDownloads: true });
    const page = await context.newPage();
    await withScreenshot(page, 'dashboards-month', async () => {
      await signIn(page, url, 'manager');
      await page.locator('[data-testid=nav-dashboard]').click();
      await page.locator('[data-testid=dashboard-page]').waitFor();
      const month = await page.locator('[data-testid=dashboard-page]').getAttribute('data-month');
      expect(month).toMatch(/^\d{4}-\d{2}$/);
      await expect.poll(() => page.locator('[data-testid=kpi-service_completion_rate]').getAttribute('data-value')).not.toBe('');

      for (const chart of ['chart-targets', 'chart-channels', 'chart-trend-rates', 'chart-trend-volume', 'chart-heatmap', 'chart-categories']) await expectDrawn(page, chart);
      await keepScreenshot(page, 'dashboard-month-zh-CN');

      // 导出 Excel: the twelve months of the page's indicators as the KPI values sheet.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=dash-export]').click()]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.name).toBe('指标数据');
      const cells: string[] = [];
      sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.text)));
      expect(cells).toContain(month);
      expect(cells).toContain('服务完成率');

      // The card's figure is the API's, and its drill-down lists as many requests as the figure's denominator.
      const { from, to } = monthRange(month!);
      const values = await api<ValuesView>(page, `${url}/api/v1/kpis/values?indicators=service_completion_rate&grain=month&from=${from}&to=${to}`);
      const accepted = values.values.find((v) => v.indicator === 'service_completion_rate' && v.period === month)!;
      expect(accepted.denominator).toBeGreaterThan(0);
      expect(Number(await page.locator('[data-testid=kpi-service_completion_rate]').getAttribute('data-value'))).toBeCloseTo(accepted.figure!, 6);
      await page.locator('[data-testid=kpi-service_completion_rate]').click();
      await page.locator('[data-testid=drill-drawer]').waitFor();
      await expect.poll(() => page.locator('[data-testid=drill-total]').getAttribute('data-total')).toBe(String(accepted.denominator));
      await expect.poll(() => page.locator('[data-testid=drill-row]').count()).toBe(Math.min(50, accepted.denominator!));
      // The numerator (completed this month): as many as the figure's numerator.
      const numerator = (await api<{ values: { period: string; numerator: number | null }[] }>(page, `${url}/api/v1/kpis/values?indicators=service_completion_rate&grain=month&from=${from}&to=${to}`)).values.find((v) => v.period === month)!.numerator!;
      await page.locator('[data-testid=drill-part]').click();
      await page.locator('.ant-select-item-option').nth(1).click();
      await expect.poll(() => page.locator('[data-testid=drill-total]').getAttribute('data-total')).toBe(String(numerator));
      await page.locator('[data-testid=drill-part]').click();
      await page.locator('.ant-select-item-option').first().click();
      await expect.poll(() => page.locator('[data-testid=drill-total]').getAttribute('data-total')).toBe(String(accepted.denominator));
      const first = page.locator('[data-testid=drill-row-link]').first();
      const number = await first.textContent();
      await first.click();
      await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
      await page.locator('[data-testid=request-page]').waitFor();
      await expect.poll(() => page.locator('[data-testid=request-page]').textContent()).toContain(number!);
      await page.goBack();
      await page.locator('[data-testid=dashboard-page]').waitFor();
      expect(await page.locator('[data-testid=drill-drawer]').count()).toBe(0);

      // The busiest heat-map cell (drawn in the ramp's darkest colour) lists that many registrations.
      const heat = await api<{ cells: { weekday: number; hour: number; count: number }[]; max: number }>(page, `${url}/api/v1/kpis/heatmap?from=${from}&to=${to}`);
      expect(heat.max).toBeGreaterThan(0);
      await page.locator('[data-testid=chart-heatmap]').scrollIntoViewIfNeeded();
      let cell: { x: number; y: number } | null = null;
      await expect.poll(async () => (cell = await pixelOfColour(page, 'chart-heatmap', LIGHT.heat[LIGHT.heat.length - 1]!)), { message: 'no cell in the darkest colour' }).not.toBeNull();
      const at = cell as unknown as { x: number; y: number };
      await page.mouse.click(at.x, at.y);
      await page.locator('[data-testid=drill-drawer]').waitFor();
      await expect.poll(() => page.locator('[data-testid=drill-total]').getAttribute('data-total')).toBe(String(heat.max));
      await expect.poll(() => page.locator('[data-testid=drill-row]').count()).toBe(Math.min(50, heat.max));

      // One team: the cards are the team's figures (dimension=team), and the charts still draw.
      const teams = await api<{ id: string; name: string }[]>(page, `${url}/api/v1/teams`);
      const team = teams.find((x) => x.name === '热线服务组')!;
      const teamValues = await api<ValuesView>(page, `${url}/api/v1/kpis/values?indicators=first_response_compliance&grain=month&from=${from}&to=${to}&dimension=team&value=${team.id}`);
      const teamFigure = teamValues.values.find((v) => v.indicator === 'first_response_compliance' && v.period === month)?.figure ?? null;
      await page.goto(`${url}/dashboard?month=${month}&team=${team.id}`);
      await page.locator('[data-testid=dashboard-page]').waitFor();
      await expect.poll(() => page.locator('[data-testid=dash-scope]').textContent()).toContain(team.name);
      await expect.poll(async () => (await page.locator('[data-testid=kpi-first_response_compliance]').getAttribute('data-value')) ?? 'none').toBe(teamFigure === null ? '' : String(teamFigure));
      for (const chart of ['chart-trend-rates', 'chart-heatmap']) await expectDrawn(page, chart);
      expect(await page.locator('[data-testid=dashboard-page] .ant-alert-error').count()).toBe(0);
    });
    await context.close();
  });

  it('the agent’s own page and the team lead’s wall render; the month view reads in English', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1100 } });
    const page = await context.newPage();
    await withScreenshot(page, 'dashboards-wall', async () => {
      await signIn(page, url, 'lead');
      await page.goto(`${url}/wall`);
      await page.locator('[data-testid=wall-page]').waitFor();
      const live = await api<{ open: { total: number }; breached: number; agents: unknown[] }>(page, `${url}/api/v1/kpis/live`);
      await expect.poll(() => page.locator('[data-testid=wall-open]').getAttribute('data-value')).toBe(String(live.open.total));
      expect(live.open.total).toBeGreaterThan(0);
      expect(await page.locator('[data-testid=wall-page]').textContent()).toContain('即将超时');
      if (live.agents.length > 0) await expectDrawn(page, 'chart-wall-agents');
      await keepScreenshot(page, 'wall-zh-CN');

      // A request filed on the portal reaches the wall through the live stream, well before its 15 s poll.
      const filed = await page.request.post(`${url}/api/v1/portal/demo/requests`, {
        data: { type: 'consultation', subject: 'E2E 看板实时刷新', description: '想了解宽带续费的办理方式。', contactName: '王先生', contactPhone: '13800138001' },
      });
      expect(filed.status()).toBe(201);
      const after = await api<{ open: { total: number } }>(page, `${url}/api/v1/kpis/live`);
      expect(after.open.total).toBe(live.open.total + 1);
      await expect.poll(() => page.locator('[data-testid=wall-open]').getAttribute('data-value'), { timeout: 8000 }).toBe(String(after.open.total));

      // A branch-scoped reader's month view: their branch's figures, no branch or team picker, no errors.
      await page.goto(`${url}/dashboard`);
      await page.locator('[data-testid=dash-scope-branch]').waitFor();
      await expect.poll(() => page.locator('[data-testid=kpi-service_completion_rate]').getAttribute('data-value')).not.toBe('');
      await expectDrawn(page, 'chart-heatmap');
      expect(await page.locator('[data-testid=dashboard-page] .ant-alert-error').count()).toBe(0);
    });
    await context.close();

    // My figures: the signed-in person's own (dimension=agent, value=their id), here an agent's last full month
    // (the demo's history: requests of the last quarter worked by the agents).
    const mine = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1100 } });
    const minePage = await mine.newPage();
    await withScreenshot(minePage, 'dashboards-me', async () => {
      await signIn(minePage, url, 'zhangwei');
      await minePage.goto(`${url}/dashboard/me`);
      const current = await minePage.locator('[data-testid=my-dashboard-page]').getAttribute('data-month');
      const [y, m] = current!.split('-').map(Number) as [number, number];
      const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
      await minePage.goto(`${url}/dashboard/me?month=${lastMonth}`);
      await minePage.locator(`[data-testid=my-dashboard-page][data-month="${lastMonth}"]`).waitFor();
      await minePage.locator('[data-testid=card-targets]').waitFor();
      await expect.poll(() => minePage.locator('[data-testid=kpi-first_response_compliance]').getAttribute('data-value')).not.toBe('');
      await expectDrawn(minePage, 'chart-trend-volume');
      expect(await minePage.locator('[data-testid=my-dashboard-page] .ant-alert-error').count()).toBe(0);
      await keepScreenshot(minePage, 'dashboard-me-zh-CN');
    });
    await mine.close();

    const en = await env.browser().newContext({ locale: 'en-US', viewport: { width: 1600, height: 1100 } });
    const enPage = await en.newPage();
    await withScreenshot(enPage, 'dashboards-en', async () => {
      await enPage.goto(`${url}/sign-in`);
      await enPage.evaluate("localStorage.setItem('pledge.lang', 'en-US')");
      await signIn(enPage, url, 'manager');
      await enPage.goto(`${url}/dashboard`);
      await enPage.locator('[data-testid=dashboard-page]').waitFor();
      await expect.poll(() => enPage.locator('[data-testid=dashboard-page] h3').first().textContent()).toBe('Month view');
      await expect.poll(() => enPage.locator('[data-testid=kpi-service_completion_rate]').textContent()).toContain('Service completion rate');
      await expectDrawn(enPage, 'chart-trend-rates');
      await expectDrawn(enPage, 'chart-channels');
      await keepScreenshot(enPage, 'dashboard-month-en-US');
    });
    await en.close();
  });
});
