/**
 * Public figures in a real browser, on the demo's history: the administrator opens 承诺 → 公示数据, sees every
 * promise in force with the figures it would publish (the FAQ entries cannot be measured: no switch), publishes
 * two; the public page then shows, beside exactly those two, the last full month and quarter with met/missed, in
 * Chinese and in English; a manager sees the list but cannot switch.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PublicFiguresView } from '../src/modules/commitments/public-figures-contracts.js';
import { SCREENSHOTS, signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();
const NUMBER = 'HX-FW-2026-01';

describe('public figures', () => {
  it('the administrator publishes two promises; the public page shows their last month and quarter', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await withScreenshot(page, 'public-figures', async () => {
      await signIn(page, url, 'admin');
      await page.goto(`${url}/commitments`);
      await page.locator('[data-testid=commitments-tab-public-figures]').click();
      await page.waitForURL(/\/commitments\/public-figures$/);
      const table = page.locator('[data-testid=public-figures-table]');
      await table.locator(`[data-testid="public-figure-row-${NUMBER}:first-response"]`).waitFor();
      // The FAQ entries are not in Pledge: listed, but no switch can publish them.
      expect(await page.locator(`[data-testid="public-figure-switch-${NUMBER}:faq-entries"]`).isDisabled()).toBe(true);
      expect(await table.locator(`[data-testid="public-figure-row-${NUMBER}:faq-entries"]`).innerText()).toContain('无法度量');

      for (const key of ['first-response', 'resolution-rate']) {
        const toggle = page.locator(`[data-testid="public-figure-switch-${NUMBER}:${key}"]`);
        await toggle.click();
        await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
      }
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.locator('[data-testid=public-figures-card]').screenshot({ path: path.join(SCREENSHOTS, 'public-figures-admin.png') });
      const view = (await (await page.request.get(`${url}/api/v1/commitments/public-figures`)).json()) as PublicFiguresView;
      expect(view.targetKeys).toEqual([`${NUMBER}:first-response`, `${NUMBER}:resolution-rate`]);
      const chosen = (key: string) => view.targets.find((t) => t.ref === `${NUMBER}:${key}`)!;
      // The demo's history gives both a figure for the last full month and quarter.
      for (const key of ['first-response', 'resolution-rate']) {
        expect(chosen(key).month.figure).not.toBeNull();
        expect(chosen(key).quarter.figure).not.toBeNull();
      }

      // The public page, as a visitor sees it (no sign-in).
      const visitor = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } });
      const pub = await visitor.newPage();
      await pub.goto(`${url}/public/demo?lang=zh-CN`);
      const promises = pub.locator(`[data-testid=public-promises-${NUMBER}]`);
      await promises.waitFor();
      for (const key of ['first-response', 'resolution-rate']) {
        const c = chosen(key);
        const month = pub.locator(`[data-testid=figure-${key}-month]`);
        await month.waitFor();
        expect(await month.getAttribute('data-period')).toBe(c.month.period);
        expect(await month.getAttribute('data-met')).toBe(c.month.met === null ? 'none' : c.month.met ? 'met' : 'missed');
        expect(await pub.locator(`[data-testid=figure-${key}-month-value]`).innerText()).toContain(`${Math.round(c.month.figure! * 10) / 10}%`);
        expect(await month.innerText()).toContain('上月');
        const quarter = pub.locator(`[data-testid=figure-${key}-quarter]`);
        expect(await quarter.getAttribute('data-period')).toBe(c.quarter.period);
        expect(await quarter.innerText()).toContain('上季度');
        expect(await pub.locator(`[data-testid=figure-${key}-quarter-value]`).innerText()).toContain(`${Math.round(c.quarter.figure! * 10) / 10}%`);
      }
      // The time limit is worded as a share on time, against its goal (met or missed).
      expect(await pub.locator('[data-testid=figure-first-response-month-value]').innerText()).toMatch(/^按时 \d+(\.\d)?%$/);
      expect(['✓ 达标', '✗ 未达标']).toContain(await pub.locator('[data-testid=figure-first-response-month] .pledge-figure-met, [data-testid=figure-first-response-month] .pledge-figure-missed').innerText());
      // Promises not chosen show nothing measured.
      expect(await pub.locator('[data-testid=figure-faq-entries]').innerText()).toContain('尚未公布');
      expect(await pub.locator('[data-testid=figure-initial-solution]').innerText()).toContain('尚未公布');
      await pub.locator(`[data-testid=public-figures-note-${NUMBER}]`).waitFor();
      await promises.screenshot({ path: path.join(SCREENSHOTS, 'public-figures.png') });

      // In English.
      await pub.goto(`${url}/public/demo?lang=en-US`);
      const monthEn = pub.locator('[data-testid=figure-resolution-rate-month]');
      await monthEn.waitFor();
      expect(await monthEn.innerText()).toContain('Last month');
      expect(await pub.locator('[data-testid=figure-first-response-month-value]').innerText()).toMatch(/^\d+(\.\d)?% on time$/);
      await visitor.close();
    });

    // A manager reads the list but cannot change it.
    const managerContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    const manager = await managerContext.newPage();
    await withScreenshot(manager, 'public-figures-manager', async () => {
      await signIn(manager, url, 'manager');
      await manager.goto(`${url}/commitments/public-figures`);
      const toggle = manager.locator(`[data-testid="public-figure-switch-${NUMBER}:first-response"]`);
      await toggle.waitFor();
      expect(await toggle.isDisabled()).toBe(true);
      expect(await toggle.getAttribute('aria-checked')).toBe('true');
      expect(await manager.locator('[data-testid=public-figures-card]').innerText()).toContain('仅管理员可以更改');
    });
    await managerContext.close();
    await context.close();
  });
});
