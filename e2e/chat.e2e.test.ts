/**
 * A chat conversation answered live: a visitor on the organization's own website (another origin, serving
 * one script tag) opens the widget and writes; an agent signed in to the console in a second browser
 * context finds the conversation under "live chats", opens the request and replies; the visitor sees the
 * reply without reloading, and the agent sees the visitor's answer the same way. A reload resumes the
 * conversation; ending it takes it off the live list.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

/** The organization's website: its own origin, hostile global styles, and the one script tag. */
let site: Server | undefined;
let siteUrl = '';

beforeAll(async () => {
  site = createServer((request, response) => {
    const lang = new URL(request.url ?? '/', 'http://x').searchParams.get('lang');
    const langAttr = lang ? ` data-lang="${lang === 'en-US' ? 'en-US' : 'zh-CN'}"` : '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>华信公共服务 官网</title>
<style>* { font-family: serif !important; } button { background: #ff0000 !important; color: #000 !important; }</style>
</head><body><h1>华信公共服务有限公司</h1><p>欢迎访问我们的网站。</p>
<script src="${env.server().url}/embed/demo/chat.js" async${langAttr}></script>
</body></html>`);
  });
  const listening = site;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://localhost:${(listening.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
});

const line = (page: Page, from: 'visitor' | 'agent', text: string) => page.locator(`[data-testid=chat-line][data-from=${from}]`, { hasText: text });

describe('chat', () => {
  it('a chat conversation answered live', async () => {
    const visitorContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    const agentContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const visitor = await visitorContext.newPage();
    const agent = await agentContext.newPage();
    await withScreenshot(visitor, 'chat-visitor', async () => {
      await withScreenshot(agent, 'chat-agent', async () => {
        // The agent is at the console before anyone writes.
        await signIn(agent, env.server().url, 'zhangwei');
        await agent.locator('[data-testid=live-chats]').waitFor();

        // The visitor on the organization's site (a different origin) opens the widget.
        await visitor.goto(`${siteUrl}/`);
        const launcher = visitor.locator('[data-testid=chat-launcher]');
        await expect.poll(() => launcher.innerText()).toContain('在线客服');
        // The page's own styles do not reach into the widget.
        // (Runs in the page; the test's TypeScript has no DOM types, hence the cast.)
        const background = await launcher.evaluate((button) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(button).backgroundColor);
        expect(background).toBe('rgb(22, 119, 255)');
        await launcher.click();
        await visitor.locator('[data-testid=chat-panel]').waitFor();
        await visitor.locator('[data-testid=chat-name]').fill('陈女士');
        await visitor.locator('[data-testid=chat-contact]').fill('13800001234');
        await visitor.locator('[data-testid=chat-first]').fill('请问燃气费可以在网上缴纳吗？');
        await visitor.locator('[data-testid=chat-start]').click();
        await line(visitor, 'visitor', '请问燃气费可以在网上缴纳吗？').waitFor();
        await expect.poll(() => visitor.locator('[data-testid=chat-number]').innerText()).toMatch(/受理编号 \d{14}/);
        const number = /\d{14}/.exec(await visitor.locator('[data-testid=chat-number]').innerText())![0];

        // The console learns of it live: the indicator counts it, awaiting a reply.
        const indicator = agent.locator('[data-testid=live-chats]');
        await expect.poll(() => indicator.getAttribute('data-awaiting'), { timeout: 10_000 }).toBe('1');
        await indicator.click();
        const entry = agent.locator(`[data-testid=live-chat-${number}]`);
        await expect.poll(() => entry.innerText()).toContain('陈女士');
        await entry.click();
        await agent.waitForURL(/\/requests\/[0-9a-f-]{36}$/);

        // The request page: the visitor's line is there; the agent replies (and leaves a note the visitor never sees).
        await agent.locator('[data-testid=timeline-message-customer]', { hasText: '请问燃气费可以在网上缴纳吗？' }).waitFor();
        await agent.locator('[data-testid=reply-tab-note]').click();
        await agent.locator('[data-testid=reply-editor] textarea').fill('内部备注：老客户，户号待核实');
        await agent.locator('[data-testid=reply-send]').click();
        await agent.locator('[data-testid=timeline-message-note]', { hasText: '内部备注' }).waitFor();
        await agent.locator('[data-testid=reply-tab-reply]').click();
        await agent.locator('[data-testid=reply-editor] textarea').fill('您好，可以的。请在网上营业厅的“缴费”栏目输入户号缴纳，谢谢！');
        await agent.locator('[data-testid=reply-send]').click();

        // The visitor sees the reply without reloading; the note never arrives.
        await line(visitor, 'agent', '请在网上营业厅的“缴费”栏目输入户号缴纳').waitFor({ timeout: 10_000 });
        expect(await visitor.locator('[data-testid=chat-log]').innerText()).not.toContain('内部备注');

        // And the agent sees the visitor's answer without reloading.
        await visitor.locator('[data-testid=chat-input]').fill('好的，我试试，谢谢！');
        await visitor.locator('[data-testid=chat-input]').press('Enter');
        await line(visitor, 'visitor', '好的，我试试，谢谢！').waitFor();
        await agent.locator('[data-testid=timeline-message-customer]', { hasText: '好的，我试试，谢谢！' }).waitFor({ timeout: 10_000 });

        // A reload on the site resumes the same conversation.
        await visitor.reload();
        await visitor.locator('[data-testid=chat-launcher]').click();
        await line(visitor, 'agent', '请在网上营业厅的“缴费”栏目输入户号缴纳').waitFor();
        await line(visitor, 'visitor', '好的，我试试，谢谢！').waitFor();
        expect(await visitor.locator('[data-testid=chat-line]').count()).toBe(3);
        await expect.poll(() => visitor.locator('[data-testid=chat-number]').innerText()).toContain(number);

        // A second reply arrives while the panel is folded: the launcher counts it.
        await visitor.locator('[data-testid=chat-minimize]').click();
        await agent.locator('[data-testid=reply-editor] textarea').fill('不客气，如有问题随时联系我们。');
        await agent.locator('[data-testid=reply-send]').click();
        await expect.poll(() => visitor.locator('[data-testid=chat-unread]').innerText(), { timeout: 10_000 }).toBe('1');
        await visitor.locator('[data-testid=chat-launcher]').click();
        await line(visitor, 'agent', '不客气').waitFor();

        // The visitor ends the conversation; it leaves the console's live list.
        await visitor.locator('[data-testid=chat-end]').click();
        await visitor.locator('[data-testid=chat-ended]').waitFor();
        expect(await visitor.locator('[data-testid=chat-input]').isVisible()).toBe(false);
        await expect.poll(() => indicator.getAttribute('data-count'), { timeout: 10_000 }).toBe('0');
        // An ended conversation is not kept in the browser: a reload starts afresh.
        expect(await visitor.evaluate<string[]>("Object.keys(localStorage).filter((k) => k.startsWith('pledge-chat:'))")).toEqual([]);
        // "Start a new chat" brings the form back.
        await visitor.locator('[data-testid=chat-again]').click();
        await visitor.locator('[data-testid=chat-first]').waitFor();
      });
    });
    await visitorContext.close();
    await agentContext.close();
  });

  it('speaks English when the site asks for it', async () => {
    const context = await env.browser().newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await withScreenshot(page, 'chat-english', async () => {
      await page.goto(`${siteUrl}/?lang=en-US`);
      await expect.poll(() => page.locator('[data-testid=chat-launcher]').innerText()).toContain('Chat with us');
      await page.locator('[data-testid=chat-launcher]').click();
      await page.locator('[data-testid=chat-contact]').fill('12');
      await page.locator('[data-testid=chat-first]').fill('Hello');
      await page.locator('[data-testid=chat-start]').click();
      // The server's refusal, in the widget's language.
      await expect.poll(() => page.locator('[data-testid=chat-form-error]').innerText()).toContain('a phone number of 5 to 20 digits');
    });
    await context.close();
  });
});
