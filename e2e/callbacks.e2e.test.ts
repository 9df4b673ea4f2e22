/**
 * Callbacks in a real browser: the supervisor opens the callback queue, records a call to a demo customer
 * (reached, 满意) from the drawer, and upholds the agent's appeal against a bad rating that the verification
 * callback found mistaken — the rating stays listed, marked out of the agent's figures.
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

describe('callbacks', () => {
  it('a supervisor records a callback from the queue and decides an appeal', async () => {
    const page = await as('supervisor');
    await withScreenshot(page, 'callbacks-record', async () => {
      await page.locator('[data-testid=nav-callbacks]').click();
      await page.locator('[data-testid=callbacks-page]').waitFor();
      const open = page.locator('[data-testid=callback-open]').first();
      await open.waitFor();
      await open.click();
      const drawer = page;
      await drawer.locator('[data-testid=callback-phone]').waitFor();
      // The supervisor holds pii:read: the number is shown in full.
      expect(await drawer.locator('[data-testid=callback-phone]').innerText()).toMatch(/^1\d{10}$/);
      await drawer.locator('[data-testid=callback-level-4]').click();
      await drawer.locator('textarea[data-testid=callback-remarks], [data-testid=callback-remarks] textarea').first().fill('客户表示满意，问题已解决。');
      await drawer.locator('[data-testid=callback-submit]').click();
      await page.locator('[data-testid=callback-phone]').waitFor({ state: 'hidden' });
      await page.locator('[data-testid=callbacks-tab-done]').click();
      // The call is done: 满意, by the supervisor, on the second attempt (the demo's first one found nobody).
      await expect.poll(async () => page.locator('.ant-table-row', { hasText: '抽样回访' }).filter({ hasText: '赵敏' }).filter({ hasText: '2 / 3' }).innerText()).toContain('满意');
    });

    await withScreenshot(page, 'callbacks-appeal', async () => {
      await page.locator('[data-testid=callbacks-tab-appeals]').click();
      const uphold = page.locator('[data-testid=appeal-uphold]').first();
      await uphold.waitFor();
      await uphold.click();
      await page.locator('[data-testid=appeal-decision-reason]').fill('回访录音证实客户误评，申诉成立。');
      await page.locator('[data-testid=appeal-decide-confirm]').click();
      await expect.poll(async () => page.locator('[data-testid=appeal-state]').first().innerText()).toBe('申诉成立');
      await page.locator('text=已从考核中剔除').first().waitFor();
    });
  });
});
