/**
 * The loop across channels, both sides in a real browser: a customer files a request on the portal (phone-sized
 * screen, no account); an agent watching the console sees it arrive live, opens it, analyses it, takes it and
 * answers in the reply box; the customer opens the private tracking link and reads the answer; the agent
 * delivers the result and the customer confirms it with a rating — the request is archived.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, switchRoutingOff, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

const requestState = (page: Page) => page.locator('[data-testid=request-state]').getAttribute('data-state');
const trackedState = (page: Page) => page.locator('[data-testid=portal-tracked]').getAttribute('data-state');

describe('closed loop across the portal and the console', () => {
  it('a customer submits on the portal, an agent answers in the console, the customer reads it through the tracking link', async () => {
    const url = env.server().url;
    const agentContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
    const agent = await agentContext.newPage();
    const customerContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const customer = await customerContext.newPage();

    // The request arrives unassigned whatever the hour, so the agent below is asked to take it.
    await switchRoutingOff(url);

    // The agent watches every request of the organization.
    await signIn(agent, url, 'lead');
    await agent.goto(`${url}/requests?queue=all`);
    await agent.locator('[data-testid=console-table] .ant-table-tbody').waitFor();

    let number = '';
    let link = '';
    await withScreenshot(customer, 'loop-portal-submit', async () => {
      await customer.goto(`${url}/portal/demo`);
      await customer.locator('[data-testid=portal-form]').waitFor();
      await customer.locator('[data-testid=portal-type-consultation]').click();
      await customer.locator('#portal_subject').fill('公交卡充值后余额未到账');
      await customer.locator('#portal_description').fill('昨天在自助机充值 50 元，卡内余额没有变化，小票还在。');
      await customer.locator('#portal_contactName').fill('孙女士');
      await customer.locator('#portal_contactPhone').fill('13700002222');
      await customer.locator('[data-testid=portal-submit]').click();
      await customer.locator('[data-testid=portal-done]').waitFor();
      number = (await customer.locator('[data-testid=portal-number]').innerText()).trim();
      link = (await customer.locator('[data-testid=portal-link]').innerText()).trim();
      expect(number).toMatch(/^\d{14,}$/);
    });

    await withScreenshot(agent, 'loop-console-answer', async () => {
      // It shows up in the console without a reload, flagged as new.
      const row = agent.locator(`[data-testid=request-row-${number}]`);
      await row.waitFor({ timeout: 10_000 });
      await expect.poll(() => agent.locator('[data-testid=new-arrivals]').count()).toBe(1);
      expect(await row.innerText()).toContain('公交卡充值后余额未到账');
      await agent.locator(`[data-testid=request-link-${number}]`).click();
      await agent.locator('[data-testid=request-page]').waitFor();
      expect(await agent.locator('[data-testid=request-number]').innerText()).toContain(number);
      expect(await agent.locator('[data-testid=request-phone]').innerText()).toBe('137****2222');
      expect(await requestState(agent)).toBe('registered');

      await agent.locator('[data-testid=action-analyse]').click();
      await agent.locator('[data-testid=action-submit]').click();
      await expect.poll(() => requestState(agent)).toBe('analysing');
      await agent.locator('[data-testid=action-start_handling]').click();
      expect(await agent.locator('[data-testid=action-assign-to-me]').isChecked()).toBe(true);
      await agent.locator('[data-testid=action-submit]').click();
      await expect.poll(() => requestState(agent)).toBe('handling');

      const box = agent.locator('[data-testid=reply-editor] textarea');
      await box.fill('孙女士您好，自助机充值通常在 24 小时内到账，我们已联系运营方为您补登，预计今天下午到账。谢谢您的耐心，再见！');
      await agent.locator('[data-testid=reply-send]').click();
      await agent.locator('[data-testid=timeline-message-reply]').filter({ hasText: '预计今天下午到账' }).waitFor();
    });

    await withScreenshot(customer, 'loop-portal-read', async () => {
      // The customer comes back through the private link and reads the answer, signed by the agent.
      await customer.goto(link);
      await customer.locator('[data-testid=portal-tracked]').waitFor();
      expect(await customer.locator('[data-testid=portal-track-number]').innerText()).toBe(number);
      expect(await trackedState(customer)).toBe('handling');
      const answer = customer.locator('[data-testid=portal-message][data-from=staff]').last();
      expect(await answer.innerText()).toContain('预计今天下午到账');
      expect(await answer.innerText()).toContain('陈志强');
    });

    // The agent delivers the result; the customer confirms it with a rating and the loop closes.
    await agent.locator('[data-testid=action-deliver_result]').click();
    await agent.locator('[data-testid=action-result]').fill('您好，50 元已补登到卡内，请在任一站点的自助机上刷卡确认余额。谢谢，再见！');
    await agent.locator('[data-testid=action-submit]').click();
    await expect.poll(() => requestState(agent)).toBe('feedback');

    await customer.goto(link);
    await customer.locator('[data-testid=portal-confirm]').waitFor();
    await customer.locator('[data-testid=portal-rating] [role=radio][aria-posinset="4"]').click();
    await customer.locator('[data-testid=portal-confirm-submit]').click();
    await customer.locator('[data-testid=portal-rated]').waitFor();
    expect(await trackedState(customer)).toBe('archived');

    // The agent's page follows live: archived, with the rating.
    await expect.poll(() => requestState(agent), { timeout: 10_000 }).toBe('archived');

    await agentContext.close();
    await customerContext.close();
  });

  it('after a break in the live connection, the console catches up with what it missed', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
    const agent = await context.newPage();
    let streams = 0;
    agent.on('request', (r) => {
      if (r.url().endsWith('/api/v1/stream')) streams++;
    });
    await signIn(agent, url, 'lead');
    streams = 0;
    await agent.goto(`${url}/requests?queue=all`);
    await agent.locator('[data-testid=console-table] .ant-table-tbody').waitFor();
    await expect.poll(() => streams).toBe(1);

    // The connection drops (a restart, a proxy); before the browser reconnects, a customer files a request.
    await agent.route('**/api/v1/stream', (route) => setTimeout(() => void route.continue(), 1500));
    env.server().dropConnections();
    const filed = await fetch(`${url}/api/v1/portal/demo/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'consultation', subject: '断线期间提交的咨询', description: '网络恢复后坐席应能看到。', contactName: '周先生', contactPhone: '13600003333' }),
    });
    expect(filed.status).toBe(201);
    const { number } = (await filed.json()) as { number: string };

    // The stream reconnects by itself and the list is refreshed.
    await expect.poll(() => streams, { timeout: 20_000 }).toBeGreaterThan(1);
    await agent.locator(`[data-testid=request-row-${number}]`).waitFor({ timeout: 20_000 });
    await context.close();
  });
});
