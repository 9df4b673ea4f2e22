/**
 * Notifications in a real browser. The administrator gives the team lead 陈志强 the 7×24 calendar as duty hours
 * in the staff form (so the test does not depend on the hour it runs). Then, while 陈志强 has the app open, the
 * agent 张伟 works through the HTTP API: a note @mentioning him raises the bell's unread count live; a major
 * complaint, escalated to the special team he belongs to, pops up an urgent toast that opens the request.
 * In the bell's list a click opens the request and marks it read; "mark all read" empties the badge.
 */
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemCtx } from '../src/core/context.js';
import { organizations, staff, teams } from '../src/core/db/schema.js';
import { actorOf } from '../src/modules/org/auth.js';
import { updateRequestSettings } from '../src/modules/requests/service.js';
import { signIn, staffApi, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

async function demo() {
  const app = env.server().app;
  const db = app.database.db;
  const [org] = await db.select().from(organizations).where(eq(organizations.code, 'demo'));
  const people = await db.select().from(staff).where(eq(staff.orgId, org!.id));
  const [special] = await db.select().from(teams).where(and(eq(teams.orgId, org!.id), eq(teams.kind, 'special')));
  const as = (username: string) => ({ ...systemCtx(app, org!.id), actor: actorOf(people.find((p) => p.username === username)!) });
  return { org: org!, people, special: special!, as };
}

const unread = async (page: Page) => Number(await page.locator('[data-testid=notification-bell]').getAttribute('data-unread'));

describe('notifications', () => {
  it('duty hours in the staff form; a mention raises the bell live; an urgent escalation pops up; reading them', async () => {
    const url = env.server().url;
    const d = await demo();
    await updateRequestSettings(d.as('admin'), { specialTeamId: d.special.id });
    const lead = d.people.find((p) => p.username === 'lead')!;

    const adminPage = await env.browser().newPage();
    await withScreenshot(adminPage, 'notifications-duty-calendar', async () => {
      await signIn(adminPage, url, 'admin');
      await adminPage.locator('[data-testid=nav-staff]').click();
      await adminPage.locator('[data-testid=staff-edit-lead]').click();
      await adminPage.locator('#dutyCalendarId').click();
      await adminPage.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '7×24 服务热线' }).click();
      await adminPage.locator('[data-testid=staff-submit]').click();
      await adminPage.locator('[data-testid=staff-submit]').waitFor({ state: 'detached' });
      const res = await adminPage.request.get(`${url}/api/v1/staff/${lead.id}`);
      expect((await res.json()).dutyCalendarId).not.toBeNull();
    });
    await adminPage.close();

    const page = await env.browser().newPage();
    await withScreenshot(page, 'notifications-bell', async () => {
      await signIn(page, url, 'lead');
      const bell = page.locator('[data-testid=notification-bell]');
      await bell.waitFor();
      const before = await unread(page);
      const zhangwei = await staffApi(url, 'zhangwei');
      const post = <T = unknown>(path: string, body: unknown) => zhangwei.call<T>('POST', path, body);

      // A note mentioning 陈志强: the bell counts it without a reload.
      const consult = await post<{ id: string; number: string }>('/requests', { type: 'consultation', channel: 'web', subject: '社保卡补办流程咨询' });
      await post(`/requests/${consult.id}/messages`, { kind: 'note', body: '陈组长，这位客户的情况请您看一下。', mentions: [lead.id] });
      await expect.poll(() => unread(page), { timeout: 10_000 }).toBe(before + 1);

      // A major complaint goes to the special team at once: an urgent toast, which opens the request.
      const complaint = await post<{ id: string; number: string; escalated: boolean }>('/requests', { type: 'complaint', priority: 'major', channel: 'phone', subject: '营业厅多次拒绝办理业务' });
      expect(complaint.escalated).toBe(true);
      const toast = page.locator('[data-testid=notification-toast]');
      await toast.waitFor({ timeout: 10_000 });
      expect(await toast.getAttribute('data-kind')).toBe('escalated');
      expect(await toast.innerText()).toContain(`张伟将工单 ${complaint.number} 升级至专项小组`);
      // (Routing may also have assigned it to someone, him included: count what arrived.)
      await expect.poll(() => unread(page)).toBeGreaterThanOrEqual(before + 2);
      const arrived = await unread(page);
      await toast.click();
      await page.waitForURL(`**/requests/${complaint.id}`);
      await expect.poll(() => unread(page)).toBe(arrived - 1);

      // The list: the mention is there, unread; a click opens its request and reads it.
      await bell.click();
      const list = page.locator('[data-testid=notification-list]');
      await list.waitFor();
      const mention = list.locator('[data-kind=mention][data-read=false]').first();
      expect(await mention.innerText()).toContain(`张伟在工单 ${consult.number} 中提到了您：“陈组长，这位客户的情况请您看一下。”`);
      await mention.click();
      await page.waitForURL(`**/requests/${consult.id}`);
      await expect.poll(() => unread(page)).toBe(arrived - 2);

      // Mark all read.
      if (arrived > 2) {
        await bell.click();
        await page.locator('[data-testid=notification-mark-all]').click();
      }
      await expect.poll(() => unread(page)).toBe(0);
    });
    await page.close();
  });
});
