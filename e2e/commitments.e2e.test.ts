/**
 * A commitment in a real browser: a manager drafts one from a template and submits it; the supervisor
 * (internal evaluation), the manager (joint meeting) and the administrator (decision body) approve it; the
 * administrator publishes it, and anyone finds it on the public page without signing in.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();
const NUMBER = 'HX-E2E-01';

async function as(username: string): Promise<Page> {
  const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, env.server().url, username);
  return page;
}

async function status(page: Page) {
  return page.locator('[data-testid=version-status]').getAttribute('data-status');
}

describe('commitments', () => {
  it('drafts from a template, goes through approval, and appears on the public page', async () => {
    const manager = await as('manager');
    let url = '';
    await withScreenshot(manager, 'commitment-draft', async () => {
      await manager.locator('[data-testid=nav-commitments]').click();
      await manager.locator('[data-testid=commitment-from-template]').click();
      await manager.locator('[data-testid=template-option-conduct-norms]').click();
      await manager.locator('#number').fill(NUMBER);
      await manager.locator('[data-testid=template-submit]').click();
      await expect.poll(() => status(manager), { timeout: 15_000 }).toBe('draft');
      url = manager.url();
      await manager.locator('[data-testid=version-submit]').click();
      await expect.poll(() => status(manager)).toBe('in_review');
    });

    const supervisor = await as('supervisor');
    await withScreenshot(supervisor, 'commitment-evaluation', async () => {
      await supervisor.goto(url);
      await supervisor.locator('#comment').fill('内部评估：时限合理。');
      await supervisor.locator('[data-testid=step-approve]').click();
      await supervisor.locator('[data-testid=step-waiting]').waitFor();
    });

    await withScreenshot(manager, 'commitment-meeting', async () => {
      await manager.goto(url);
      await manager.locator('#comment').fill('部门联席会议通过。');
      await manager.locator('[data-testid=step-approve]').click();
      await manager.locator('[data-testid=step-waiting]').waitFor();
    });

    const admin = await as('admin');
    await withScreenshot(admin, 'commitment-decision', async () => {
      await admin.goto(url);
      await admin.locator('#comment').fill('决策机构批准。');
      await admin.locator('[data-testid=step-approve]').click();
      await expect.poll(() => status(admin)).toBe('approved');
      await admin.locator('[data-testid=version-publish]').click();
      await admin.locator('[data-testid=publish-submit]').click();
      await expect.poll(() => status(admin)).toBe('published');
    });

    const visitor = await (await env.browser().newContext({ locale: 'zh-CN' })).newPage();
    await withScreenshot(visitor, 'public-page', async () => {
      await visitor.goto(`${env.server().url}/public/demo`);
      const card = visitor.locator(`[data-testid=public-commitment-${NUMBER}]`);
      await card.waitFor();
      expect(await card.innerText()).toContain('文明诚信服务');
      // The demo's first commitment is there too, and a notice announces the new one.
      await visitor.locator('[data-testid=public-commitment-HX-FW-2026-01]').waitFor();
      expect(await visitor.locator('[data-testid=public-notices]').innerText()).toContain(NUMBER);
    });
  });
});
