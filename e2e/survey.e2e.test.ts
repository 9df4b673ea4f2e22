/**
 * The survey page in a real browser, on a phone-sized screen: a walk-in customer's request reaches feedback,
 * the desk prints a QR survey (here through the HTTP API), the customer opens the link, switches language,
 * rates, says the problem is resolved and sees the thank-you; the request is archived with the rating;
 * opening the link again shows the used page.
 */
import { describe, expect, it } from 'vitest';
import { signIn, staffApi, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

describe('survey page', () => {
  it('a walk-in customer rates through the QR link on a phone, sees the thank-you; the link then shows the used page', async () => {
    const url = env.server().url;
    const staff = await staffApi(url);
    const request = await staff.call<{ id: string; number: string }>('POST', '/requests', { type: 'service_request', channel: 'walk_in', subject: '更换燃气表', assigneeId: staff.me.id });
    for (const action of ['analyse', 'start_handling'] as const) await staff.call('POST', `/requests/${request.id}/transitions`, { action });
    await staff.call('POST', `/requests/${request.id}/transitions`, { action: 'deliver_result', result: '已当场更换燃气表并试用正常。' });
    const printed = await staff.call<{ link: string; qrSvg: string }>('POST', '/surveys/qr', { requestId: request.id });
    expect(printed.qrSvg).toContain('<svg');
    const token = printed.link.split('/s/')[1]!;
    const link = `${url}/s/${token}`;

    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const customer = await context.newPage();
    await withScreenshot(customer, 'survey-rate', async () => {
      await customer.goto(link);
      await customer.locator('[data-testid=survey-form]').waitFor();
      expect(await customer.locator('[data-testid=survey-subject]').innerText()).toContain(request.number);
      expect(await customer.locator('[data-testid=survey-level-3]').innerText()).toContain('基本满意');
      // The language switch: English, then back.
      await customer.locator('[data-testid=lang-switch]').click();
      await customer.locator('[data-testid=survey-level-3]', { hasText: 'Fairly satisfied' }).waitFor();
      await customer.locator('[data-testid=lang-switch]').click();
      await customer.locator('[data-testid=survey-level-3]', { hasText: '基本满意' }).waitFor();
      // Submitting without a level is refused beside the question.
      await customer.locator('[data-testid=survey-submit]').click();
      await customer.getByText('请选择总体评价').waitFor();
      await customer.locator('[data-testid=survey-level-4]').click();
      await customer.locator('[data-testid=survey-attitude] li').nth(4).click();
      await customer.locator('[data-testid=survey-speed] li').nth(3).click();
      await customer.locator('[data-testid=survey-result] li').nth(3).click();
      await customer.locator('[data-testid=survey-resolved-yes]').click();
      await customer.locator('[data-testid=survey-comment]').fill('师傅很专业，就是排队久了点。');
      await customer.locator('[data-testid=survey-submit]').click();
      await customer.locator('[data-testid=survey-thanks]').waitFor();
    });

    const detail = await staff.call<{ request: { state: string; rating: number | null } }>('GET', `/requests/${request.id}`);
    expect(detail.request).toMatchObject({ state: 'archived', rating: 4 });
    const ratings = await staff.call<{ items: { source: string; level: number; attitude: number; speed: number; result: number; resolved: boolean }[] }>('GET', `/surveys/evaluations?requestId=${request.id}`);
    expect(ratings.items).toMatchObject([{ source: 'survey', level: 4, attitude: 5, speed: 4, result: 4, resolved: true }]);

    await withScreenshot(customer, 'survey-used', async () => {
      await customer.goto(link);
      await customer.locator('[data-testid=survey-used]').waitFor();
    });
    await customer.goto(`${url}/s/${'x'.repeat(32)}`);
    await customer.locator('[data-testid=survey-not-found]').waitFor();
    await context.close();

    // The desk: the rating on the request page, and on the agent's record reached from the staff list.
    const desk = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    const lead = await desk.newPage();
    await signIn(lead, url, 'lead');
    await withScreenshot(lead, 'survey-request-panel', async () => {
      await lead.goto(`${url}/requests/${request.id}`);
      const panel = lead.locator('[data-testid=request-evaluations]');
      await panel.locator('[data-testid=request-rating][data-level="4"][data-source=survey]').waitFor();
      await panel.locator('[data-testid=request-survey][data-state=answered][data-channel=qr]').waitFor();
      expect(await panel.innerText()).toContain('师傅很专业');
    });
    await withScreenshot(lead, 'survey-agent-record', async () => {
      await lead.goto(`${url}/staff`);
      await lead.locator('[data-testid=staff-ratings-lead]').click();
      await lead.locator('[data-testid=agent-record-title]').waitFor();
      await lead.locator('[data-testid=evaluations-table] [data-testid=rating-level][data-level="4"]').first().waitFor();
      await lead.locator('[data-testid=satisfaction-score]').waitFor();
    });
    await desk.close();
  });
});
