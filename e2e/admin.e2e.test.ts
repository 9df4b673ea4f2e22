/**
 * The foundation in a real browser: an administrator signs in, creates a branch and an agent, switches the
 * language, and signs out; the new agent can then sign in.
 */
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

describe('administrator', () => {
  it('signs in, creates a branch and an agent, switches the language and signs out', async () => {
    const page = await env.browser().newPage({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    await withScreenshot(page, 'admin-flow', async () => {
      await page.goto(`${env.server().url}/`);
      // Chinese by default.
      await expect.poll(() => page.locator('[data-testid=sign-in-submit]').innerText()).toBe('登录');
      await page.locator('#username').fill('admin');
      await page.locator('#password').fill('wrong-password');
      await page.locator('[data-testid=sign-in-submit]').click();
      await expect.poll(() => page.locator('[data-testid=sign-in-error]').innerText()).toContain('用户名或密码错误');

      await signIn(page, env.server().url, 'admin');
      await expect.poll(() => page.locator('[data-testid=org-name]').innerText()).toContain('华信公共服务有限公司');

      // A new branch.
      await page.locator('[data-testid=nav-org]').click();
      await page.locator('[data-testid=branch-create]').click();
      await page.locator('#code').fill('SOUTH');
      await page.locator('#name').fill('城南分公司');
      await page.locator('#address').fill('江城市城南区文化路 12 号');
      await page.locator('[data-testid=branch-submit]').click();
      await page.locator('[data-testid=branch-table]').getByText('城南分公司').waitFor();

      // A new agent (role defaults to agent).
      await page.locator('[data-testid=nav-staff]').click();
      await page.locator('[data-testid=staff-create]').click();
      await page.locator('#username').fill('zhaoliu');
      await page.locator('#displayName').fill('赵六');
      await page.locator('#phone').fill('13700001111');
      await page.locator('#password').fill('Welcome2026');
      await page.locator('[data-testid=staff-submit]').click();
      await page.locator('[data-testid=staff-table]').getByText('赵六').waitFor();
      // The phone is masked in the list.
      await page.locator('[data-testid=staff-table]').getByText('137****1111').waitFor();
      // A wrong number can be removed again (blank would keep it).
      await page.locator('[data-testid=staff-edit-zhaoliu]').click();
      await page.locator('[data-testid=staff-clear-phone]').click();
      await page.locator('[data-testid=staff-submit]').click();
      await page.locator('[data-testid=staff-table]').getByText('137****1111').waitFor({ state: 'detached' });

      // English, and back.
      await page.locator('[data-testid=lang-switch]').click();
      await expect.poll(() => page.locator('[data-testid=lang-switch]').getAttribute('data-lang')).toBe('en-US');
      await page.locator('[data-testid=nav-staff]').getByText('People').waitFor();

      // Sign out: back to the sign-in page, now in English.
      await page.locator('[data-testid=user-menu]').click();
      await page.locator('[data-testid=sign-out]').click();
      await expect.poll(() => page.locator('[data-testid=sign-in-submit]').innerText()).toBe('Sign in');
      const me = await page.request.get(`${env.server().url}/api/v1/auth/me`);
      expect(me.status()).toBe(401);
    });
    await page.close();
  });

  it('the new agent signs in and sees no administration menu', async () => {
    const page = await env.browser().newPage({ locale: 'zh-CN' });
    await withScreenshot(page, 'agent-sign-in', async () => {
      await signIn(page, env.server().url, 'zhaoliu', 'Welcome2026');
      await page.locator('[data-testid=nav-customers]').waitFor();
      expect(await page.locator('[data-testid=nav-audit]').count()).toBe(0);
      expect(await page.locator('[data-testid=nav-outbox]').count()).toBe(0);
    });
    await page.close();
  });
});
