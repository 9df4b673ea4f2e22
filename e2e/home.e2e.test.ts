/**
 * The home page's "my work" in a real browser, as the demo team lead 陈志强 (热线服务组 and 专项小组, may assign):
 * the figures show the numbers GET /requests/summary gives; a request assigned to them elsewhere raises "mine"
 * live, without a reload; each figure opens the console on exactly that many rows (queue mine, due soon,
 * overdue, waiting on the customer, each team's unassigned ones).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RequestSummary } from '../src/modules/requests/summary.js';
import { signIn, staffApi, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

const figure = (page: Page, testId: string) => page.locator(`[data-testid=${testId}]`);
const countOf = async (page: Page, testId: string) => Number(await figure(page, testId).getAttribute('data-count'));
const rows = (page: Page) => page.locator('[data-testid^=request-row-]');

describe('home page: my work', () => {
  it('shows the summary figures, refreshes them live, and each opens the console on that many rows', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await withScreenshot(page, 'home-my-work', async () => {
      await signIn(page, url, 'lead');
      await page.locator('[data-testid=home-work]').waitFor();
      const summary = async () => (await (await page.request.get(`${url}/api/v1/requests/summary`)).json()) as RequestSummary;
      const s = await summary();

      // The figures are the API's.
      const simple = [
        ['home-mine', s.mine],
        ['home-due-soon', s.mineDueSoon],
        ['home-breached', s.mineBreached],
        ['home-waiting', s.waitingCustomer],
      ] as const;
      for (const [testId, f] of simple) {
        await expect.poll(() => countOf(page, testId)).toBe(f.count);
        expect(await figure(page, testId).innerText()).toContain(String(f.count));
      }
      expect(await figure(page, 'home-mine').innerText()).toContain('我的待办');
      // Two teams: the total, and one link per team.
      expect(s.teamUnassigned.teams.map((t) => t.teamName).sort()).toEqual(['专项小组', '热线服务组'].sort());
      expect(await countOf(page, 'home-team-unassigned')).toBe(s.teamUnassigned.count);
      for (const team of s.teamUnassigned.teams) expect(await countOf(page, `home-team-unassigned-${team.teamId}`)).toBe(team.count);
      // In the special team: escalations waiting to be taken up.
      expect(s.escalatedOpen).not.toBeNull();
      expect(await countOf(page, 'home-escalated')).toBe(s.escalatedOpen!.count);

      // Another agent registers a request assigned to the lead: "mine" goes up without a reload.
      const me = (await (await page.request.get(`${url}/api/v1/auth/me`)).json()) as { staff: { id: string } };
      const zhangwei = await staffApi(url, 'zhangwei');
      await zhangwei.call('POST', '/requests', { type: 'consultation', channel: 'phone', subject: '首页实时刷新', assigneeId: me.staff.id });
      await expect.poll(() => countOf(page, 'home-mine'), { timeout: 10_000 }).toBe(s.mine.count + 1);
      const now = await summary();
      expect(now.mine.count).toBe(s.mine.count + 1);

      // Each figure opens the console on exactly its rows.
      const opens = async (testId: string, expected: number, query: RegExp) => {
        await page.goto(`${url}/`);
        await figure(page, testId).click();
        await page.waitForURL(query);
        await page.locator('[data-testid=console-page]').waitFor();
        while (await page.locator('[data-testid=load-more]').isVisible()) await page.locator('[data-testid=load-more]').click();
        await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(expected);
        await expect.poll(() => page.locator('[data-testid=console-shown]').innerText()).toContain(String(expected));
      };
      await opens('home-mine', now.mine.count, /\/requests\?queue=mine$/);
      expect(await page.locator('[data-testid=console-queue]').getAttribute('data-queue')).toBe('mine');
      await opens('home-due-soon', now.mineDueSoon.count, /\/requests\?queue=mine&clock=warning$/);
      await opens('home-breached', now.mineBreached.count, /\/requests\?queue=mine&clock=breached$/);
      await opens('home-waiting', now.waitingCustomer.count, /\/requests\?queue=mine&states=waiting_customer$/);
      for (const team of now.teamUnassigned.teams) {
        await opens(`home-team-unassigned-${team.teamId}`, team.count, new RegExp(`/requests\\?queue=unassigned&teamId=${team.teamId}$`));
        expect(await page.locator('[data-testid=console-queue]').getAttribute('data-queue')).toBe('unassigned');
      }
      await opens('home-escalated', now.escalatedOpen!.count, /\/requests\?.*escalation=pending/);
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ queue: 'all', teamId: now.escalatedOpen!.teamId, open: 'true', escalation: 'pending' });
      expect(await page.locator('[data-testid=filter-escalation]').innerText()).toContain('升级待受理');
    });
    await context.close();
  });
});
