/**
 * Browser-test harness: a real Pledge server on a fresh embedded database (demo data seeded) and Debian's
 * Chromium driven by playwright-core. A failing step saves a screenshot under e2e/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startPledge, type Running } from '../src/cli/start.js';
import { loadConfig } from '../src/core/config.js';
import { WEB_DIST } from '../src/http/server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('e2e/screenshots');

export async function startServer(): Promise<Running> {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('The web app is not built: run `npm run build:web` first.');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pledge-e2e-'));
  const config = { ...loadConfig({ PLEDGE_DATA_DIR: dataDir }), port: 0, host: '127.0.0.1', logLevel: 'silent', passwordCost: 10, worker: true };
  return startPledge(config, () => {});
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Runs a browser scenario; on failure keeps a full-page screenshot named after it. */
export async function withScreenshot(page: Page, name: string, scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name.replace(/[^\w-]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(`screenshot saved: ${file}`);
    throw error;
  }
}

/** One server and one browser for a test file, started before its tests and stopped after them. */
export function useServerAndBrowser(): { server: () => Running; browser: () => Browser } {
  let server: Running | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { server: () => server!, browser: () => browser! };
}

/** The organization's side through the API, signed in as one of the demo accounts (the team lead unless told). */
export async function staffApi(url: string, username = 'lead', password = 'Pledge2026') {
  // No kept-alive sockets: a test that drops the server's connections must not meet a stale one in fetch's pool.
  const headers = { 'content-type': 'application/json', connection: 'close' };
  const signed = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
  if (signed.status !== 200) throw new Error(`sign-in as ${username}: ${signed.status}`);
  const cookie = /pledge_session=[^;]+/.exec(signed.headers.get('set-cookie') ?? '')![0];
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api/v1${path}`, { method, headers: { ...headers, cookie }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const me = await call<{ staff: { id: string; displayName: string } }>('GET', '/auth/me');
  return { call, cookie, me: me.staff };
}

/**
 * Switches the demo's routing rules off (as the administrator), so requests arrive unassigned whatever the hour:
 * in duty hours a round-robin rule would hand them to whichever agent is on duty and next in turn.
 */
export async function switchRoutingOff(url: string): Promise<void> {
  const admin = await staffApi(url, 'admin');
  type Rule = { id: string; name: string; position: number; conditions: unknown; teamId: string | null; staffId: string | null; strategy: string };
  for (const r of await admin.call<Rule[]>('GET', '/routing-rules')) {
    await admin.call('PUT', `/routing-rules/${r.id}`, { name: r.name, position: r.position, active: false, conditions: r.conditions, teamId: r.teamId, staffId: r.staffId, strategy: r.strategy });
  }
}

/** Signs in through the sign-in page and waits for the app shell. */
export async function signIn(page: Page, url: string, username: string, password = 'Pledge2026'): Promise<void> {
  await page.goto(`${url}/`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('[data-testid=sign-in-submit]').click();
  await page.locator('[data-testid=user-menu]').waitFor();
}
