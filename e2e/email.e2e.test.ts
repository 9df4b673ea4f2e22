/**
 * The e-mail channel in a real browser and over real SMTP: an administrator sets the inbound address and an
 * IMAP mailbox on the e-mail page; a mail sent into the node's inbound SMTP endpoint (PLEDGE_SMTP_PORT) then
 * shows up as a request.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPledge, type Running } from '../src/cli/start.js';
import { loadConfig } from '../src/core/config.js';
import { WEB_DIST } from '../src/http/server.js';
import { launchBrowser, signIn, withScreenshot } from './harness.js';

let server: Running;
let browser: Browser;
let smtpPort = 0;

beforeAll(async () => {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('The web app is not built: run `npm run build:web` first.');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pledge-e2e-email-'));
  const config = { ...loadConfig({ PLEDGE_DATA_DIR: dataDir, PLEDGE_SMTP_PORT: '0', PLEDGE_SMTP_HOST: '127.0.0.1' }), port: 0, host: '127.0.0.1', logLevel: 'silent', passwordCost: 10, worker: true };
  server = await startPledge(config, (line) => {
    const m = /Inbound mail \(SMTP\) on [^:]+:(\d+)/.exec(line);
    if (m) smtpPort = Number(m[1]);
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('e-mail channel settings', () => {
  it('sets the inbound address and an IMAP mailbox, and mail to the address becomes a request', async () => {
    expect(smtpPort).toBeGreaterThan(0);
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    await withScreenshot(page, 'email-settings', async () => {
      await signIn(page, server.url, 'admin');
      await page.locator('[data-testid=nav-email]').click();
      await page.locator('[data-testid=email-page]').waitFor();
      // The demo organization receives mail at its service address; replies go out from it.
      await expect.poll(() => page.locator('[data-testid=inbound-from]').innerText()).toContain('service@huaxin.example.cn');

      // A second inbound address: typed, confirmed with Enter, saved into the request settings (lower-cased).
      const addresses = page.locator('[data-testid=inbound-addresses] input');
      await addresses.fill('TouSu@Huaxin.example.cn');
      await addresses.press('Enter');
      await page.locator('[data-testid=inbound-save]').click();
      await expect
        .poll(async () => ((await (await page.request.get(`${server.url}/api/v1/request-settings`)).json()) as { inboundAddresses: string[] }).inboundAddresses)
        .toEqual(['service@huaxin.example.cn', 'tousu@huaxin.example.cn']);
      await page.locator('[data-testid=inbound-addresses]').getByText('tousu@huaxin.example.cn').waitFor();

      // An IMAP mailbox; its server does not answer, which the connection test says.
      const port = await closedPort();
      await page.locator('[data-testid=mail-account-create]').click();
      await page.locator('#mailAccount_address').fill('inbox@huaxin.example.cn');
      await page.locator('#mailAccount_host').fill('127.0.0.1');
      await page.locator('[data-testid=mail-account-secure]').click();
      await expect.poll(() => page.locator('#mailAccount_port').inputValue()).toBe('143');
      await page.locator('#mailAccount_port').fill(String(port));
      await page.locator('#mailAccount_username').fill('inbox');
      await page.locator('#mailAccount_password').fill('auth-code-123');
      await page.locator('[data-testid=mail-account-active]').click(); // off: nothing to poll in this test
      await page.locator('[data-testid=mail-account-submit]').click();
      const row = page.locator('[data-testid="mail-account-row-inbox@huaxin.example.cn"]');
      await row.waitFor();
      await expect.poll(() => row.innerText()).toContain(`127.0.0.1:${port}`);
      await page.locator('[data-testid="mail-account-test-inbox@huaxin.example.cn"]').click();
      const result = page.locator('[data-testid="mail-account-test-result-inbox@huaxin.example.cn"]');
      await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
      expect(await result.innerText()).toContain('连接失败');

      // Editing keeps the password when left empty.
      await page.locator('[data-testid="mail-account-edit-inbox@huaxin.example.cn"]').click();
      await page.locator('#mailAccount_mailbox').fill('Support');
      await page.locator('[data-testid=mail-account-submit]').click();
      await expect.poll(() => row.innerText()).toContain('Support');
      const accounts = await (await page.request.get(`${server.url}/api/v1/mail-accounts`)).json();
      expect(accounts).toHaveLength(1);
      expect(JSON.stringify(accounts)).not.toContain('auth-code-123');

      // Mail to the inbound address, through the node's SMTP endpoint, is a request.
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: '周女士 <zhou@customer.example.cn>', to: 'tousu@huaxin.example.cn', subject: '营业厅预约', text: '想预约周六上午办理过户。' });
      transport.close();
      const list = await (await page.request.get(`${server.url}/api/v1/requests?q=${encodeURIComponent('营业厅预约')}`)).json();
      expect(list.items.map((i: { subject: string; channel: string }) => [i.subject, i.channel])).toEqual([['营业厅预约', 'email']]);

      // Removing the mailbox.
      await page.locator('[data-testid="mail-account-delete-inbox@huaxin.example.cn"]').click();
      await page.locator('[data-testid=mail-account-delete-confirm]').click();
      await row.waitFor({ state: 'detached' });

      // The page in English.
      await page.locator('[data-testid=lang-switch]').click();
      await page.locator('[data-testid=nav-email]').getByText('E-mail channel').waitFor();
    });
  });
});
