/**
 * The phone channel in a real browser: an agent imports the telephony system's CSV export on the calls page
 * (a bad file first: every problem is listed and nothing is written), opens a call, sees the service level,
 * and turns the call into a request, which opens on the request page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

async function as(username: string): Promise<Page> {
  const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, env.server().url, username);
  return page;
}

/** "YYYY-MM-DD HH:mm:ss" in Asia/Shanghai (the demo organization's zone), some minutes ago. */
function shanghai(minutesAgo: number): string {
  const d = new Date(Date.now() - minutesAgo * 60_000 + 8 * 3_600_000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

describe('calls', () => {
  it('imports a CSV through the page, opens a call and turns it into a request', async () => {
    const page = await as('zhangwei');
    await withScreenshot(page, 'calls-import', async () => {
      await page.locator('[data-testid=nav-calls]').click();
      await page.locator('[data-testid=calls-page]').waitFor();
      await page.locator('[data-testid=calls-import]').click();
      await page.locator('[data-testid=import-modal]').waitFor();
      const input = page.locator('[data-testid=import-file] input[type=file]');

      // A bad file: every problem listed by row and column, nothing imported.
      const bad = ['通话编号,主叫号码,振铃时间,接听时间,坐席', `E2E-X,13911112222,昨天上午,${shanghai(50)},zhangwei`, `E2E-Y,139abc,${shanghai(40)},,nobody`].join('\n');
      await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await page.locator('[data-testid=import-errors]').waitFor();
      expect(await page.locator('[data-testid=import-errors]').getAttribute('data-total')).toBe('3');
      await page.locator('[data-testid=import-error-2-ring_at]').waitFor();
      await page.locator('[data-testid=import-error-3-caller]').waitFor();
      expect(await page.locator('[data-testid=import-error-3-agent]').innerText()).toContain('找不到该坐席');

      const good = [
        '通话编号,主叫号码,振铃时间,接听时间,挂机时间,坐席,录音链接,备注',
        `E2E-1,13911112222,${shanghai(30)},${shanghai(29.8)},${shanghai(25)},zhangwei,https://pbx.example.cn/rec/e2e-1.mp3,客户询问水费账单`,
        `E2E-2,13933334444,${shanghai(20)},,${shanghai(19)},,,`,
      ].join('\r\n');
      await input.setInputFiles({ name: 'calls.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${good}`) });
      const result = page.locator('[data-testid=import-result]');
      await result.waitFor();
      expect(await result.getAttribute('data-created')).toBe('2');
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=import-modal]').waitFor({ state: 'hidden' });
    });

    await withScreenshot(page, 'calls-to-request', async () => {
      // The service level counts the two inbound calls of the last seven days.
      await expect.poll(async () => Number(await page.locator('[data-testid=sl-offered] .ant-statistic-content-value').innerText())).toBeGreaterThanOrEqual(2);
      const row = page.locator('[data-external-id=E2E-1]');
      await row.waitFor();
      expect(await row.innerText()).toContain('139****2222');
      await row.click();
      await page.locator('[data-testid=call-drawer]').waitFor();
      expect(await page.locator('[data-testid=call-outcome]').getAttribute('data-outcome')).toBe('open');
      expect(await page.locator('[data-testid=call-recording]').getAttribute('href')).toBe('https://pbx.example.cn/rec/e2e-1.mp3');
      await page.locator('[data-testid=call-to-request]').click();
      await page.locator('#callRequest_subject').fill('水费账单金额异常');
      await page.locator('[data-testid=call-request-submit]').click();
      await expect.poll(() => page.locator('[data-testid=call-outcome]').getAttribute('data-outcome'), { timeout: 15_000 }).toBe('request');
      await page.locator('[data-testid=call-request-link]').click();
      await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
      expect(await page.locator('[data-testid=request-subject]').innerText()).toContain('水费账单金额异常');
      expect(await page.locator('[data-testid=request-channel]').innerText()).toBe('电话');
    });
  });
});
