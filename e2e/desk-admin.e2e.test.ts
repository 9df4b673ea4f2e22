/**
 * Service-desk administration in a real browser: an administrator builds a category tree (and meets the
 * "in use" refusal), routes complaints of a category to a team and checks it with the rule tester, sets the
 * special team and the notification chain, and creates a webhook whose secret is shown once.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** Popconfirm buttons stay in the page once shown: the one open now. */
const visible = (page: Page, id: string) => page.locator(`[data-testid="${id}"]:visible`);

/** Opens an antd Select (or TreeSelect) by its test id and clicks the option with this text. */
async function pick(page: Page, testId: string, option: string) {
  await byTestId(page, testId).click();
  // Long lists are virtual: narrow them by typing (selects without search ignore it).
  await page.keyboard.type(option);
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await dropdown
    .locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper')
    .filter({ hasText: option })
    .first()
    .click();
}

/** The test ids of the elements a locator finds, in page order. */
async function testIds(page: Page, selector: string): Promise<string[]> {
  const found = await page.locator(selector).all();
  return Promise.all(found.map(async (l) => (await l.getAttribute('data-testid')) ?? ''));
}

/** The category names of the tree, top to bottom as shown. */
async function treeOrder(page: Page): Promise<string[]> {
  return (await testIds(page, '[data-testid=category-tree] [data-active]')).map((id) => id.replace(/^category-/, ''));
}

describe('service desk administration', () => {
  it('categories, a routing rule, escalation settings and a webhook', async () => {
    const page = await env.browser().newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    await withScreenshot(page, 'desk-admin', async () => {
      const url = env.server().url;
      await signIn(page, url, 'admin');
      await byTestId(page, 'nav-desk-admin').click();
      await page.waitForURL(/\/desk-admin\/categories$/);

      // A tree: a top-level category with two children, the second moved up.
      await byTestId(page, 'category-add-root').click();
      await page.locator('#category_name').fill('网点服务');
      await page.locator('#category_nameEn').fill('Branch service');
      await byTestId(page, 'category-submit').click();
      await byTestId(page, 'category-网点服务').waitFor();
      for (const child of ['排队等候', '柜台服务']) {
        await byTestId(page, 'category-add-child-网点服务').click();
        await page.locator('#category_name').fill(child);
        await byTestId(page, 'category-submit').click();
        await byTestId(page, `category-${child}`).waitFor();
      }
      await expect.poll(async () => (await treeOrder(page)).filter((n) => ['排队等候', '柜台服务'].includes(n))).toEqual(['排队等候', '柜台服务']);
      await byTestId(page, 'category-up-柜台服务').click();
      await expect.poll(async () => (await treeOrder(page)).filter((n) => ['排队等候', '柜台服务'].includes(n))).toEqual(['柜台服务', '排队等候']);
      // Renamed with an English name.
      await byTestId(page, 'category-edit-排队等候').click();
      await page.locator('#category_nameEn').fill('Queueing');
      await byTestId(page, 'category-submit').click();
      await byTestId(page, 'category-排队等候').getByText('Queueing').waitFor();

      // A category with a child cannot be deleted: the refusal is explained and deactivation offered.
      await byTestId(page, 'category-add-root').click();
      await page.locator('#category_name').fill('临时分类');
      await byTestId(page, 'category-submit').click();
      await byTestId(page, 'category-add-child-临时分类').click();
      await page.locator('#category_name').fill('临时子类');
      await byTestId(page, 'category-submit').click();
      await byTestId(page, 'category-临时子类').waitFor();
      await byTestId(page, 'category-delete-临时分类').click();
      await visible(page, 'category-delete-confirm').click();
      await byTestId(page, 'category-in-use').waitFor();
      await byTestId(page, 'category-deactivate-instead').click();
      await expect.poll(() => byTestId(page, 'category-临时分类').getAttribute('data-active')).toBe('false');
      // An unused leaf can be deleted.
      await byTestId(page, 'category-delete-临时子类').click();
      await visible(page, 'category-delete-confirm').click();
      await byTestId(page, 'category-临时子类').waitFor({ state: 'detached' });

      // A routing rule: complaints in 网点服务 (and its children) go to the hotline team, least loaded first.
      await byTestId(page, 'desk-tab-routing').click();
      await page.waitForURL(/\/desk-admin\/routing$/);
      await byTestId(page, 'rule-create').click();
      await page.locator('#rule_name').fill('网点投诉');
      await pick(page, 'rule-types', '投诉');
      await page.locator('.ant-drawer-title').click();
      await pick(page, 'rule-categories', '网点服务');
      await page.locator('.ant-drawer-title').click();
      await pick(page, 'rule-team', '热线服务组');
      await byTestId(page, 'rule-strategy-least_loaded').click();
      await byTestId(page, 'rule-submit').click();
      const row = byTestId(page, 'rule-row-网点投诉');
      await row.waitFor();
      await expect.poll(() => row.locator('[data-testid=rule-target-team]').innerText()).toBe('热线服务组');
      await expect.poll(() => row.innerText()).toContain('最少未结优先');
      // First in the order (rules are tried top to bottom).
      const rowIndex = async () => (await testIds(page, '[data-testid=rule-table] tbody tr[data-testid]')).indexOf('rule-row-网点投诉');
      for (let at = await rowIndex(); at > 0; at--) {
        await byTestId(page, 'rule-up-网点投诉').click();
        await expect.poll(rowIndex).toBe(at - 1);
      }
      await expect.poll(() => page.locator('[data-testid=rule-table] tbody tr[data-testid]').first().getAttribute('data-testid')).toBe('rule-row-网点投诉');
      const rules = (await (await page.request.get(`${url}/api/v1/routing-rules`)).json()) as { name: string; position: number }[];
      expect(rules[0]!.name).toBe('网点投诉');
      expect(new Set(rules.map((r) => r.position)).size).toBe(rules.length);

      // The tester: a complaint about queueing (a child of 网点服务) meets the rule; a consultation does not.
      await pick(page, 'tester-type', '投诉');
      await pick(page, 'tester-category', '排队等候');
      await expect.poll(() => byTestId(page, 'tester-result').getAttribute('data-rule')).toBe('网点投诉');
      await expect.poll(() => byTestId(page, 'tester-result').innerText()).toContain('第 1 条规则“网点投诉”生效');
      await pick(page, 'tester-type', '咨询');
      await expect.poll(() => byTestId(page, 'tester-result').getAttribute('data-rule')).not.toBe('网点投诉');

      // Escalation and notifications.
      await byTestId(page, 'desk-tab-escalation').click();
      await pick(page, 'settings-special-team', '专项小组');
      await pick(page, 'chain-warning-add', '主管');
      await expect.poll(() => byTestId(page, 'chain-warning').getAttribute('data-roles')).toMatch(/supervisor$/);
      const breach = (await byTestId(page, 'chain-breach').getAttribute('data-roles'))!.split(',');
      if (!breach.includes('manager')) await pick(page, 'chain-breach-add', '经理');
      await byTestId(page, 'chain-breach-remove-manager').click();
      await expect.poll(() => byTestId(page, 'chain-breach').getAttribute('data-roles')).not.toContain('manager');
      // A ladder: the breach reaches the team lead only if it is still not resolved an hour later.
      const breachRoles = (await byTestId(page, 'chain-breach').getAttribute('data-roles'))!.split(',');
      if (!breachRoles.includes('team_lead')) await pick(page, 'chain-breach-add', '班组长');
      await pick(page, 'chain-breach-delay-team_lead', '1 小时后');
      const breachSteps = async () => {
        const el = byTestId(page, 'chain-breach');
        const [roles, delays] = [(await el.getAttribute('data-roles'))!.split(','), (await el.getAttribute('data-delays'))!.split(',').map(Number)];
        return Object.fromEntries(roles.map((r, i) => [r, delays[i]]));
      };
      await expect.poll(async () => (await breachSteps()).team_lead).toBe(60);
      await byTestId(page, 'chain-breach-delay-team_lead').getByText('1 小时后').waitFor();
      const escalation = (await byTestId(page, 'chain-escalation').getAttribute('data-roles'))!.split(',').filter(Boolean);
      for (const role of ['team_lead', 'manager']) if (!escalation.includes(role)) await pick(page, 'chain-escalation-add', role === 'manager' ? '经理' : '班组长');
      const order = (await byTestId(page, 'chain-escalation').getAttribute('data-roles'))!.split(',');
      const last = order[order.length - 1]!;
      await byTestId(page, `chain-escalation-earlier-${last}`).click();
      const expectedEscalation = [...order.slice(0, -2), last, order[order.length - 2]!];
      await expect.poll(() => byTestId(page, 'chain-escalation').getAttribute('data-roles')).toBe(expectedEscalation.join(','));
      await page.locator('#settings_maxAttachmentMb').fill('5');
      await byTestId(page, 'default-list-in-use').waitFor();
      await byTestId(page, 'default-attachment-types').getByText('application/pdf').waitFor();
      await byTestId(page, 'settings-save').click();
      await page.getByText('已保存').first().waitFor();

      const teams = (await (await page.request.get(`${url}/api/v1/teams`)).json()) as { id: string; name: string }[];
      const settings = await (await page.request.get(`${url}/api/v1/request-settings`)).json();
      expect(settings.specialTeamId).toBe(teams.find((t) => t.name === '专项小组')!.id);
      type Step = { role: string; afterMinutes: number };
      const rolesOf = (steps: Step[]) => steps.map((s) => s.role);
      expect(settings.notifyChain.warning.at(-1)).toEqual({ role: 'supervisor', afterMinutes: 0 });
      expect(rolesOf(settings.notifyChain.breach)).not.toContain('manager');
      expect(settings.notifyChain.breach).toContainEqual({ role: 'team_lead', afterMinutes: 60 });
      expect(rolesOf(settings.notifyChain.escalation)).toEqual(expectedEscalation);
      expect(settings.maxAttachmentBytes).toBe(5 * 1024 * 1024);
      // Saved, not just shown: a fresh page reads the same chain.
      await page.reload();
      await expect.poll(() => byTestId(page, 'chain-escalation').getAttribute('data-roles')).toBe(expectedEscalation.join(','));
      await expect.poll(async () => (await breachSteps()).team_lead).toBe(60);

      // A webhook: the secret is shown once, with how to verify it.
      await byTestId(page, 'desk-tab-webhooks').click();
      await byTestId(page, 'webhook-outbox-link').waitFor();
      await byTestId(page, 'webhook-create').click();
      await page.locator('#webhook_name').fill('工单同步');
      await page.locator('#webhook_url').fill('https://example.cn/hooks/pledge');
      await byTestId(page, 'webhook-submit').click();
      const secret = await byTestId(page, 'webhook-secret').innerText();
      expect(secret).toMatch(/^whsec_\S{20,}/);
      await expect.poll(() => byTestId(page, 'webhook-snippet-node').innerText()).toContain("createHmac('sha256', secret)");
      await byTestId(page, 'webhook-secret-close').click();
      await byTestId(page, 'webhook-secret').waitFor({ state: 'detached' });
      await expect.poll(() => byTestId(page, 'webhook-row-工单同步').innerText()).toContain('全部事件');
      expect(await page.content()).not.toContain(secret.trim());
      const hooks = await (await page.request.get(`${url}/api/v1/webhooks`)).json();
      expect(hooks).toHaveLength(1);
      expect(hooks[0]).not.toHaveProperty('secret');

      // Narrowed to one event, then the secret rotated: a new one, shown once again.
      await byTestId(page, 'webhook-edit-工单同步').click();
      await pick(page, 'webhook-events', '工单登记');
      await page.locator('.ant-modal-title').click();
      await byTestId(page, 'webhook-submit').click();
      await expect.poll(() => byTestId(page, 'webhook-row-工单同步').innerText()).toContain('工单登记');
      expect(await byTestId(page, 'webhook-row-工单同步').innerText()).not.toContain('全部事件');
      await byTestId(page, 'webhook-rotate-工单同步').click();
      await visible(page, 'webhook-rotate-confirm').click();
      const rotated = await byTestId(page, 'webhook-secret').innerText();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await byTestId(page, 'webhook-secret-close').click();
    });
    await page.close();
  });

  it('an agent has no service-desk settings', async () => {
    const page = await env.browser().newPage({ locale: 'zh-CN' });
    await withScreenshot(page, 'desk-admin-agent', async () => {
      await signIn(page, env.server().url, 'liuyang');
      expect(await byTestId(page, 'nav-desk-admin').count()).toBe(0);
      await page.goto(`${env.server().url}/desk-admin/categories`);
      await page.getByText('您没有权限查看此页面。').waitFor();
    });
    await page.close();
  });
});
