/**
 * Public feedback (意见反馈) in a real browser: a member of the public submits a suggestion on the public page
 * (phone-sized screen) and gets a number and a look-up code; the team lead answers and publishes it in the
 * staff inbox; the submitter looks the answer up by number and code (a wrong code finds nothing); the published
 * list shows it without the phone number, e-mail address or name.
 */
import { describe, expect, it } from 'vitest';
import { signIn, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

const PHONE = '13912348888';
const BODY = `营业厅的自助缴费机经常找零不足，建议及时补充零钱。我叫孙丽，电话 ${PHONE}。`;
const ANSWER = '孙丽您好，感谢您的建议。我们已安排每天开门前和中午各检查一次自助缴费机的零钱。';

describe('public feedback', () => {
  it('is submitted on the public page, answered and published in the inbox, looked up by number, and listed without personal data', async () => {
    const url = env.server().url;
    const publicContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const visitor = await publicContext.newPage();
    let number = '';
    let code = '';

    await withScreenshot(visitor, 'feedback-submit', async () => {
      await visitor.goto(`${url}/public/demo?lang=zh-CN`);
      await visitor.locator('[data-testid=public-feedback]').waitFor();
      await visitor.locator('[data-testid=feedback-kind] >> text=建议').click();
      await visitor.locator('[data-testid=feedback-body]').fill(BODY);
      await visitor.locator('[data-testid=feedback-name]').fill('孙丽');
      await visitor.locator('[data-testid=feedback-phone]').fill(PHONE);
      await visitor.locator('[data-testid=feedback-email]').fill('sunli@example.cn');
      await visitor.locator('[data-testid=feedback-consent]').check();
      await visitor.locator('[data-testid=feedback-submit]').click();
      await visitor.locator('[data-testid=feedback-submitted]').waitFor();
      number = ((await visitor.locator('[data-testid=feedback-number]').textContent()) ?? '').trim();
      code = ((await visitor.locator('[data-testid=feedback-code]').textContent()) ?? '').trim();
      expect(number).toMatch(/^FK-\d{8}-\d{4}$/);
      expect(code).toMatch(/^[A-Z2-9]{10}$/);
      expect(await visitor.locator('[data-testid=feedback-submitted]').innerText()).toContain(number);
    });

    await withScreenshot(visitor, 'feedback-waiting', async () => {
      await visitor.locator('[data-testid=feedback-open-lookup]').click();
      await visitor.locator('[data-testid=lookup-result]').waitFor();
      expect(await visitor.locator('[data-testid=lookup-result]').getAttribute('data-state')).toBe('received');
      await visitor.locator('[data-testid=lookup-waiting]').waitFor();
    });

    const staffContext = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const lead = await staffContext.newPage();
    await withScreenshot(lead, 'feedback-inbox', async () => {
      await signIn(lead, url, 'lead');
      await lead.locator('[data-testid=nav-feedback]').click();
      await lead.locator('[data-testid=feedback-page]').waitFor();
      await lead.locator(`[data-testid=feedback-row-${number}]`).click();
      await lead.locator('[data-testid=feedback-detail][data-state=received]').waitFor();
      // Without pii:read the team lead sees the phone masked.
      expect(await lead.locator('[data-testid=feedback-detail]').innerText()).toContain('139****8888');
      expect(await lead.locator('[data-testid=feedback-publish-blocker]').innerText()).toContain('答复后');
      await lead.locator('[data-testid=feedback-answer-text]').fill(ANSWER);
      await lead.locator('[data-testid=feedback-answer-submit]').click();
      await lead.locator('[data-testid=feedback-detail][data-state=answered]').waitFor();
      // The summary starts from the text with personal data removed.
      const summary = await lead.locator('[data-testid=feedback-summary]').inputValue();
      expect(summary).not.toContain(PHONE);
      expect(summary).not.toContain('孙丽');
      await lead.locator('[data-testid=feedback-summary]').fill(`建议及时为自助缴费机补充零钱（来电 ${PHONE}）`);
      await lead.locator('[data-testid=feedback-publish]').click();
      await lead.locator('[data-testid=feedback-published]').waitFor();
    });

    await withScreenshot(visitor, 'feedback-lookup', async () => {
      await visitor.goto(`${url}/public/demo?lang=zh-CN`);
      await visitor.locator('[data-testid=lookup-number]').fill(number);
      await visitor.locator('[data-testid=lookup-code]').fill('WRONGCODE2');
      await visitor.locator('[data-testid=lookup-submit]').click();
      await visitor.locator('[data-testid=lookup-not-found]').waitFor();

      await visitor.goto(`${url}/public/demo?lang=zh-CN`);
      await visitor.locator('[data-testid=lookup-number]').fill(number);
      await visitor.locator('[data-testid=lookup-code]').fill(code.toLowerCase());
      await visitor.locator('[data-testid=lookup-submit]').click();
      await visitor.locator('[data-testid=lookup-answer]').waitFor();
      expect(await visitor.locator('[data-testid=lookup-answer]').innerText()).toBe(ANSWER);
    });

    await withScreenshot(visitor, 'feedback-published', async () => {
      await visitor.goto(`${url}/public/demo?lang=zh-CN`);
      const item = visitor.locator(`[data-testid=published-feedback-${number}]`);
      await item.waitFor();
      const text = await item.innerText();
      expect(text).toContain('建议及时为自助缴费机补充零钱');
      expect(text).toContain('感谢您的建议');
      for (const secret of [PHONE, '孙丽', 'sunli@example.cn']) expect(text).not.toContain(secret);
      expect(text).toContain('***');
      // The whole public page, not just the item, carries none of it.
      expect(await visitor.locator('[data-testid=public-feedback-list]').innerText()).not.toContain(PHONE);
    });

    await publicContext.close();
    await staffContext.close();
  });
});
