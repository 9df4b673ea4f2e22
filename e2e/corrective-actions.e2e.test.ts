/**
 * Issue 6's browser test of the closed loop on low satisfaction (整改): a request handled by an agent of the
 * hotline team reaches feedback and its survey goes out by e-mail (the link is read from the outbox row, as
 * the customer would read the mail); the customer rates 不满意 on the survey page (phone-sized, no account);
 * a corrective action appears for the team's lead with a deadline of 5 working days counted on the
 * organization's calendar; the lead analyses it, records the actions and the re-contact, uploads evidence and
 * submits it; the supervisor verifies and closes it. The rating shows on the request page and on the agent's
 * record (/evaluations?agent=…).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemCtx } from '../src/core/context.js';
import { calendars, organizations, outbox, staff, teams } from '../src/core/db/schema.js';
import { due } from '../src/modules/calendars/calendar.js';
import { compiledOf } from '../src/modules/calendars/service.js';
import { actorOf } from '../src/modules/org/auth.js';
import * as R from '../src/modules/requests/service.js';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

const caState = (page: Page) => page.locator('[data-testid=ca-page]').getAttribute('data-state');

describe('corrective actions in the browser', () => {
  it('a customer rates 不满意 through the survey link; the team lead rectifies within 5 working days; the supervisor verifies and closes it', async () => {
    const url = env.server().url;
    const app = env.server().app;
    const db = app.database.db;
    const [org] = await db.select().from(organizations).where(eq(organizations.code, 'demo'));
    const people = await db.select().from(staff).where(eq(staff.orgId, org!.id));
    const as = (username: string) => ({ ...systemCtx(app, org!.id), actor: actorOf(people.find((p) => p.username === username)!) });
    const agent = people.find((p) => p.username === 'zhangwei')!;
    const lead = people.find((p) => p.username === 'lead')!;
    const [hotline] = await db.select().from(teams).where(and(eq(teams.orgId, org!.id), eq(teams.name, '热线服务组')));
    expect(hotline!.leadId).toBe(lead.id);

    // The request: e-mailed in, handled by 张伟 of the hotline team, the result delivered → the survey goes out.
    const subject = `宽带频繁掉线 ${Date.now()}`;
    const email = `wang.${Date.now()}@example.com`;
    const request = await R.registerRequest(as('zhangwei'), { type: 'service_request', channel: 'email', subject, description: '晚上八点后经常掉线。', contactName: '王先生', contactEmail: email, teamId: hotline!.id, assigneeId: agent.id });
    await R.transitionRequest(as('zhangwei'), request.id, { action: 'analyse' });
    await R.transitionRequest(as('zhangwei'), request.id, { action: 'start_handling' });
    await R.transitionRequest(as('zhangwei'), request.id, { action: 'deliver_result', result: '已远程重置光猫并更换分光器端口，请观察两天。' });
    const mails = await db.select().from(outbox).where(and(eq(outbox.orgId, org!.id), eq(outbox.kind, 'email'), sql`${outbox.payload}::text LIKE ${`%${email}%`}`)).orderBy(desc(outbox.id));
    const invitation = mails.map((m) => (m.payload as { text?: string }).text ?? '').find((text) => /\/s\/[\w-]+/.test(text));
    expect(invitation, 'the survey e-mail is in the outbox').toBeTruthy();
    const token = /\/s\/([\w-]+)/.exec(invitation!)![1]!;

    const customerContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const customer = await customerContext.newPage();
    await withScreenshot(customer, 'corrective-survey', async () => {
      await customer.goto(`${url}/s/${token}`);
      await customer.locator('[data-testid=survey-form]').waitFor();
      // antd puts the test ids on the hidden radio inputs: the customer taps their labels.
      await customer.locator('label:has([data-testid=survey-level-2])').click();
      await customer.locator('label:has([data-testid=survey-resolved-yes])').click();
      await customer.locator('[data-testid=survey-comment]').fill('师傅上门晚了两个小时，也没有提前打电话。');
      await customer.locator('[data-testid=survey-submit]').click();
      await customer.locator('[data-testid=survey-thanks]').waitFor();
    });

    // The lead finds the action among their own, with a deadline of 5 working days on the calendar.
    const leadContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 1000 } });
    const leadPage = await leadContext.newPage();
    let actionId = '';
    await withScreenshot(leadPage, 'corrective-lead', async () => {
      await signIn(leadPage, url, 'lead');
      await leadPage.goto(`${url}/corrective-actions`);
      await leadPage.locator('[data-testid=corrective-list-page]').waitFor();
      const row = leadPage.locator('tr[data-testid^=ca-row-]', { hasText: request.number });
      await row.waitFor({ timeout: 10_000 });
      expect(await row.innerText()).toContain('差评');
      expect(await row.locator('[data-testid^=countdown-]').getAttribute('data-clock-state')).toBe('running');
      actionId = (await row.getAttribute('data-testid'))!.replace('ca-row-', '');
      await row.locator('[data-testid=ca-link]').click();
      await leadPage.locator('[data-testid=ca-page]').waitFor();
      expect(await caState(leadPage)).toBe('open');
      expect(await leadPage.locator('[data-testid=ca-owner]').innerText()).toBe(lead.displayName);
      expect(await leadPage.locator('[data-testid=ca-finding]').innerText()).toContain('不满意');
      expect(await leadPage.locator('[data-testid=ca-deadline]').innerText()).toContain('5 个工作日');
      // The deadline is the one the calendar engine gives: the end of the 5th working day after the rating.
      const detail = (await (await leadPage.request.get(`${url}/api/v1/corrective-actions/${actionId}`)).json()) as { dueAt: string; createdAt: string; deadlineDuration: string; number: string };
      const [calendar] = await db.select().from(calendars).where(and(eq(calendars.orgId, org!.id), eq(calendars.isDefault, true)));
      expect(detail.dueAt).toBe(due(compiledOf(calendar!), new Date(detail.createdAt), 'P5D').toISOString());
      expect(await leadPage.locator('[data-testid=ca-due]').getAttribute('data-due')).toBe(detail.dueAt);
      expect(detail.number).toMatch(/^ZG-\d{8}-\d{4}$/);

      // Rectify: analysis and actions, re-contact, evidence, submit.
      await leadPage.locator('[data-testid=ca-root-cause]').fill('装维预约未同步师傅当日排班，上门时间冲突且未提前告知客户。');
      await leadPage.locator('[data-testid=ca-actions-taken]').fill('派单前校验排班；预约变更须提前两小时电话告知客户；对当事班组通报。');
      await leadPage.locator('[data-testid=ca-save-work]').click();
      await expect.poll(() => caState(leadPage)).toBe('in_progress');
      await leadPage.locator('[data-testid=ca-recontact-note]').fill('已电话回访王先生并致歉，说明了整改措施。');
      await leadPage.locator('[data-testid=ca-save-recontact]').click();
      await leadPage.locator('[data-testid=ca-recontact-text]').waitFor();
      await leadPage.locator('[data-testid=ca-upload] ~ input[type=file], input[type=file]').first().setInputFiles({ name: '排班校验记录.txt', mimeType: 'text/plain', buffer: Buffer.from('2026 排班校验记录') });
      await leadPage.locator('[data-testid=ca-evidence]', { hasText: '排班校验记录.txt' }).waitFor();
      await leadPage.locator('[data-testid=ca-step-submit]').click();
      await expect.poll(() => caState(leadPage)).toBe('submitted');
      // The owner cannot verify their own action.
      expect(await leadPage.locator('[data-testid=ca-step-accept]').count()).toBe(0);
    });

    // The supervisor verifies and closes it.
    const supervisorContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 1000 } });
    const supervisor = await supervisorContext.newPage();
    await withScreenshot(supervisor, 'corrective-supervisor', async () => {
      await signIn(supervisor, url, 'supervisor');
      await supervisor.goto(`${url}/corrective-actions/${actionId}`);
      await supervisor.locator('[data-testid=ca-page]').waitFor();
      expect(await caState(supervisor)).toBe('submitted');
      expect(await supervisor.locator('[data-testid=ca-root-cause-text]').innerText()).toContain('排班');
      await supervisor.locator('[data-testid=ca-step-note]').fill('措施具体，已回访客户，同意关闭。');
      await supervisor.locator('[data-testid=ca-step-accept]').click();
      await expect.poll(() => caState(supervisor)).toBe('closed');
      const events = supervisor.locator('[data-testid=ca-event]');
      const kinds: (string | null)[] = [];
      for (let i = 0; i < (await events.count()); i++) kinds.push(await events.nth(i).getAttribute('data-kind'));
      expect(kinds).toEqual(expect.arrayContaining(['created', 'started', 'analysed', 'recontacted', 'evidence', 'submitted', 'accepted']));

      // The rating shows on the request page, with the closed action in its panel …
      await supervisor.goto(`${url}/requests/${request.id}`);
      await supervisor.locator('[data-testid=request-page]').waitFor();
      const rating = supervisor.locator('[data-testid=request-rating][data-level="2"]');
      await rating.waitFor();
      expect(await rating.innerText()).toContain('不满意');
      const item = supervisor.locator('[data-testid=request-corrective-item]');
      await item.waitFor();
      expect(await item.locator('[data-testid=ca-state]').getAttribute('data-state')).toBe('closed');

      // … and on the agent's record.
      // (The evaluations page takes the agent as ?agent=.)
      await supervisor.goto(`${url}/evaluations?agent=${agent.id}`);
      await supervisor.locator('[data-testid=agent-record-title]').waitFor();
      const line = supervisor.locator('[data-testid=evaluations-table] tr', { hasText: request.number });
      await line.waitFor();
      expect(await line.innerText()).toContain('不满意');
      expect(await line.innerText()).toContain('师傅上门晚了两个小时');
    });
    await customerContext.close();
    await leadContext.close();
    await supervisorContext.close();
  });
});
