/**
 * Calendars in a real browser: the year view shows the 2026 holidays and make-up workdays of the demo
 * calendar, and the "when would it be due?" preview counts working days across National Day.
 */
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

describe('business calendars', () => {
  it('shows holidays in the year view and previews a due time across National Day', async () => {
    const page = await env.browser().newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    await withScreenshot(page, 'calendars', async () => {
      await signIn(page, env.server().url, 'admin');
      await page.locator('[data-testid=nav-calendars]').click();
      await page.locator('[data-testid="calendar-open-总部办公时间"]').click();

      await page.locator('[data-testid=calendar-tab-year]').click();
      await page.locator('[data-testid=year-select]').waitFor();
      await page.goto(`${page.url().split('?')[0]}?tab=year&year=2026`);
      // 2/14 (Saturday) is a make-up workday, 10/1 is a holiday.
      await expect.poll(() => page.locator('[data-testid=day-2026-02-14]').getAttribute('data-working')).toBe('true');
      expect(await page.locator('[data-testid=day-2026-10-01]').getAttribute('data-working')).toBe('false');

      await page.locator('[data-testid=calendar-tab-due]').click();
      const from = page.locator('[data-testid=due-from]');
      await from.click();
      await from.fill('2026-09-30 10:00');
      await from.press('Enter');
      await page.locator('[data-testid=due-duration]').fill('P1D');
      await page.locator('[data-testid=due-submit]').click();
      // The first working day after 9/30 is 10/8 (10/1–10/7 off); it ends at 18:00.
      await expect.poll(() => page.locator('[data-testid=due-result]').innerText()).toContain('2026-10-08 18:00');
    });
    await page.close();
  });
});
