/**
 * The request page in a real browser: a team lead keeps a shared canned response on /macros, then opens a
 * request, reads its countdown and where the deadline comes from, analyses it, starts handling it (taking
 * it), replies with the canned response (filled in by the server), sees the customer's answer arrive live,
 * adds a note mentioning a colleague (Ctrl+Enter), delivers the result — and the timeline shows every step.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();
const MACRO = '受理回复';
const MACRO_BODY = '{{customer.name}}您好！您的工单 {{request.number}} 已由{{agent.name}}受理，感谢您的耐心等待。如有疑问请随时联系我们，祝您生活愉快！';

async function as(username: string): Promise<Page> {
  const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, env.server().url, username);
  return page;
}

async function state(page: Page) {
  return page.locator('[data-testid=request-state]').getAttribute('data-state');
}

describe('request page', () => {
  it('walks a request through the loop with countdowns, a canned reply, a note with a mention and the result', async () => {
    const page = await as('lead');
    const url = env.server().url;

    await withScreenshot(page, 'macros-admin', async () => {
      await page.locator('[data-testid=nav-macros]').click();
      await page.locator('[data-testid=macro-create-shared]').click();
      await page.locator('[data-testid=macro-name]').fill(MACRO);
      await page.locator('[data-testid=macro-body]').fill(MACRO_BODY);
      // The preview fills sample values; an unknown placeholder is pointed out.
      await expect.poll(() => page.locator('[data-testid=macro-preview]').innerText()).toContain('王芳您好！您的工单 20260105000123 已由陈志强受理');
      await page.locator('[data-testid=macro-body]').press('End');
      await page.locator('[data-testid=macro-body]').pressSequentially('{{nope}}');
      await page.locator('[data-testid=macro-unknown]').waitFor();
      await page.locator('[data-testid=macro-body]').fill(MACRO_BODY);
      await page.locator('[data-testid=macro-submit]').click();
      await page.locator(`[data-testid=macro-row-${MACRO}]`).waitFor();
    });

    // A customer files a request on the web form; staff put it back to the front-line team without an assignee.
    const filed = await page.request.post(`${url}/api/v1/portal/demo/requests`, {
      data: { type: 'consultation', subject: 'E2E 账单费用核对', description: '本月账单比上月多出 30 元，想核对一下。', contactName: '李女士', contactPhone: '13800138000' },
    });
    expect(filed.status()).toBe(201);
    const { number, link } = await filed.json() as { number: string; link: string };
    const key = new URL(link, url).searchParams.get('k')!;
    const request = await (await page.request.get(`${url}/api/v1/requests/by-number/${number}`)).json() as { id: string; number: string };
    const teams = await (await page.request.get(`${url}/api/v1/teams`)).json() as { id: string; name: string }[];
    const hotline = teams.find((t) => t.name === '热线服务组')!;
    expect((await page.request.post(`${url}/api/v1/requests/${request.id}/assign`, { data: { teamId: hotline.id, assigneeId: null } })).status()).toBe(200);

    await withScreenshot(page, 'request-clocks', async () => {
      await page.goto(`${url}/requests/${request.id}`);
      await page.locator('[data-testid=request-page]').waitFor();
      expect(await page.locator('[data-testid=request-number]').innerText()).toContain(request.number);
      expect(await page.locator('[data-testid=request-phone]').innerText()).toBe('138****8000');
      expect(await page.locator('[data-testid=request-steps]').getAttribute('data-step')).toBe('0');
      // Each clock counts down (or over) live, coloured by its state.
      const clock = page.locator('[data-testid=clocks-panel] [data-look]').first();
      expect(['running', 'warning', 'breached']).toContain(await clock.getAttribute('data-look'));
      expect(await clock.innerText()).toMatch(/剩余|超时/);
      await page.locator('[data-testid^=clock-why-]').first().click();
      await expect.poll(() => page.locator('[data-testid=explain-commitment]').innerText()).toContain('HX-FW-2026-01');
      expect(await page.locator('[data-testid=explain-commitment]').innerText()).toContain('第 1 版');
      expect(await page.locator('[data-testid=explain-duration]').innerText()).toMatch(/分钟|小时|工作日/);
      expect(await page.locator('[data-testid=explain-calendar]').innerText()).not.toBe('—');
      expect(await page.locator('[data-testid=explain-span]').innerText()).toContain('→');
      await page.keyboard.press('Escape');
    });

    await withScreenshot(page, 'request-loop', async () => {
      await page.locator('[data-testid=action-analyse]').click();
      await page.locator('[data-testid=action-submit]').click();
      await expect.poll(() => state(page)).toBe('analysing');

      // Starting to handle an unassigned request takes it (assign to me, checked by default).
      await page.locator('[data-testid=action-start_handling]').click();
      expect(await page.locator('[data-testid=action-assign-to-me]').isChecked()).toBe(true);
      await page.locator('[data-testid=action-reason]').fill('已核实账单明细，开始处理');
      await page.locator('[data-testid=action-submit]').click();
      await expect.poll(() => state(page)).toBe('handling');
      expect(await page.locator('[data-testid=request-assignee]').innerText()).toBe('陈志强');
      expect(await page.locator('[data-testid=request-responsible]').innerText()).toBe('陈志强');
    });

    await withScreenshot(page, 'request-reply', async () => {
      const box = page.locator('[data-testid=reply-editor] textarea');
      // The polite-phrase reminder: hints only, the send button stays enabled.
      await box.fill('收到');
      expect(await page.locator('[data-testid=polite-hints]').getAttribute('data-missing')).toBe('greeting,thanks,closing');
      expect(await page.locator('[data-testid=reply-send]').isEnabled()).toBe(true);
      await box.fill('');
      await page.locator('[data-testid=macro-picker]').click();
      await page.locator(`[data-testid=macro-option-${MACRO}]`).click();
      await expect.poll(() => box.inputValue()).toContain(`李女士您好！您的工单 ${request.number} 已由陈志强受理`);
      expect(await page.locator('[data-testid=polite-hints]').getAttribute('data-missing')).toBe('');
      await page.locator('[data-testid=reply-send]').click();
      await page.locator('[data-testid=timeline-message-reply]').filter({ hasText: '李女士您好' }).waitFor();
      await expect.poll(() => box.inputValue()).toBe('');
    });

    await withScreenshot(page, 'request-live', async () => {
      // The customer answers through the tracking link: the message shows at once, without reloading.
      const answered = await page.request.post(`${url}/api/v1/portal/demo/t/${number}/replies?k=${key}`, { data: { body: '好的，我等您的消息。' } });
      expect(answered.status()).toBe(200);
      await page.locator('[data-testid=timeline-message-customer]').filter({ hasText: '我等您的消息' }).waitFor({ timeout: 5000 });
    });

    await withScreenshot(page, 'request-note', async () => {
      await page.locator('[data-testid=reply-tab-note]').click();
      const box = page.locator('[data-testid=reply-editor] textarea');
      await box.click();
      await box.pressSequentially('@张');
      await page.locator('.ant-mentions-dropdown-menu-item').filter({ hasText: '张伟' }).first().click();
      await box.pressSequentially('请协助核实上月的优惠是否到期');
      await expect.poll(() => page.locator('[data-testid=reply-mentions]').innerText()).toContain('张伟');
      await box.press('Control+Enter');
      const note = page.locator('[data-testid=timeline-message-note]').filter({ hasText: '请协助核实' });
      await note.waitFor();
      expect(await note.locator('.pledge-mention').innerText()).toBe('@张伟');
      // The mention was recorded (it notifies 张伟), not only written.
      const detail = await (await page.request.get(`${url}/api/v1/requests/${request.id}`)).json() as { timeline: { type: string; message?: { kind: string; mentions: string[] } }[] };
      const staff = await (await page.request.get(`${url}/api/v1/staff?q=zhangwei`)).json() as { items: { id: string }[] };
      expect(detail.timeline.find((e) => e.message?.kind === 'note')?.message?.mentions).toEqual([staff.items[0]!.id]);
    });

    await withScreenshot(page, 'request-deliver', async () => {
      await page.locator('[data-testid=action-deliver_result]').click();
      await page.locator('[data-testid=action-result]').fill('您好，经核实上月优惠已到期，本月按标准资费计费，费用无误。谢谢您的理解，再见！');
      await page.locator('[data-testid=action-submit]').click();
      await expect.poll(() => state(page)).toBe('feedback');
      expect(await page.locator('[data-testid=request-steps]').getAttribute('data-step')).toBe('3');

      // The timeline: each step with its reason and responsible person, the messages, the clocks.
      const timeline = page.locator('[data-testid=timeline]');
      for (const action of ['analyse', 'start_handling', 'deliver_result']) await timeline.locator(`[data-action=${action}]`).waitFor();
      expect(await timeline.locator('[data-action=start_handling]').innerText()).toContain('开始处理');
      expect(await timeline.locator('[data-testid=timeline-event-transition]').filter({ hasText: '开始处理' }).innerText()).toMatch(/已核实账单明细，开始处理.*责任人 陈志强/);
      await timeline.locator('[data-testid=timeline-event-assign]').first().waitFor();
      await timeline.locator('[data-testid=timeline-message-reply]').filter({ hasText: '优惠已到期' }).waitFor();
      expect(await timeline.locator('[data-testid=timeline-clock-started]').count()).toBeGreaterThan(0);
      expect(await timeline.locator('[data-testid=timeline-clock-met]').count()).toBeGreaterThan(0);
      // Audit lines are there on demand only.
      expect(await timeline.locator('[data-testid=timeline-audit]').count()).toBe(0);
      await page.locator('[data-testid=timeline-show-audit]').click();
      await expect.poll(() => timeline.locator('[data-testid=timeline-audit]').count()).toBeGreaterThan(3);
      // The first-response clock was met by the reply.
      expect(await page.locator('[data-testid=clocks-panel] [data-look=met]').count()).toBeGreaterThan(0);
    });
  });
});
