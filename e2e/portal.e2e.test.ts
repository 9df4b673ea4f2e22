/**
 * The customer portal in a real browser, on a phone-sized screen: a customer files a request on the web form
 * with a file and gets a tracking number and a private link; the organization (here through the HTTP API) asks
 * a question and waits; the customer answers on the tracking page, which resumes the loop; the organization
 * delivers the result; the customer reads it and confirms with a five-star rating, and the request is archived.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { staffApi, useServerAndBrowser, withScreenshot } from './harness.js';

const env = useServerAndBrowser();

async function state(page: Page) {
  return page.locator('[data-testid=portal-tracked]').getAttribute('data-state');
}

describe('customer portal', () => {
  it('submits on the web form, follows the private link, answers, and confirms the result with a rating', async () => {
    const url = env.server().url;
    const context = await env.browser().newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const customer = await context.newPage();
    let number = '';
    let link = '';

    await withScreenshot(customer, 'portal-submit', async () => {
      await customer.goto(`${url}/portal/demo`);
      await customer.locator('[data-testid=portal-form]').waitFor();
      expect(await customer.locator('[data-testid=portal-org-name]').innerText()).toBe('华信公共服务有限公司');
      expect(await customer.locator('[data-testid=portal-files-limits]').innerText()).toContain('10 MB');
      await customer.locator('[data-testid=portal-type-service_request]').click();
      await customer.locator('#portal_subject').fill('小区停水报修');
      await customer.locator('#portal_description').fill('今天早上 7 点起 3 号楼整栋停水，至今未恢复，家里有老人。');
      await customer.locator('#portal_contactName').fill('周先生');
      await customer.locator('#portal_contactPhone').fill('13900001111');
      await customer.locator('#portal_contactEmail').fill('zhou@example.cn');
      await customer.locator('[data-testid=portal-files-input]').setInputFiles({ name: '水表照片.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG photo of the meter') });
      await customer.locator('[data-testid=portal-files-item]').waitFor();
      // A file the organization does not accept is refused beside the list, and not sent.
      await customer.locator('[data-testid=portal-files-input]').setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
      await customer.locator('[data-testid=portal-files-error]').waitFor();
      await customer.locator('[data-testid=portal-submit]').click();

      await customer.locator('[data-testid=portal-done]').waitFor();
      number = (await customer.locator('[data-testid=portal-number]').innerText()).trim();
      expect(number).toMatch(/^\d{14,}$/);
      link = (await customer.locator('[data-testid=portal-link]').innerText()).trim();
      expect(link).toMatch(new RegExp(`^${url}/portal/demo/t/${number}\\?k=[\\w-]{32}$`));
      expect(await customer.locator('[data-testid=portal-done-mail]').innerText()).toContain('zhou@example.cn');
      await customer.locator('[data-testid=portal-copy]').click();
      await customer.locator('[data-testid=portal-copied]').waitFor();
    });

    // The organization picks it up, asks a question and waits on the customer.
    const staff = await staffApi(url);
    const request = await staff.call<{ id: string; channel: string; state: string }>('GET', `/requests/by-number/${number}`);
    expect(request).toMatchObject({ channel: 'web', state: 'registered' });
    await staff.call('POST', `/requests/${request.id}/transitions`, { action: 'analyse' });
    await staff.call('POST', `/requests/${request.id}/assign`, { teamId: null, assigneeId: staff.me.id });
    await staff.call('POST', `/requests/${request.id}/transitions`, { action: 'start_handling' });
    await staff.call('POST', `/requests/${request.id}/messages`, { kind: 'note', body: '内部：管网抢修班组已出发' });
    await staff.call('POST', `/requests/${request.id}/messages`, { kind: 'reply', body: '周先生您好，请问是否整栋楼都停水？家中水表是否转动？' });
    await staff.call('POST', `/requests/${request.id}/transitions`, { action: 'wait_customer', reason: '向客户核实停水范围' });

    await withScreenshot(customer, 'portal-answer', async () => {
      await customer.locator('[data-testid=portal-open-link]').click();
      await customer.locator('[data-testid=portal-tracked]').waitFor();
      expect(await customer.locator('[data-testid=portal-track-number]').innerText()).toBe(number);
      expect(await state(customer)).toBe('waiting_customer');
      await customer.locator('[data-testid=portal-waiting]').waitFor();
      expect(await customer.locator('[data-testid=portal-steps]').getAttribute('data-current')).toBe('handling');
      const conversation = await customer.locator('[data-testid=portal-messages]').innerText();
      expect(conversation).toContain('请问是否整栋楼都停水');
      expect(conversation).toContain(staff.me.displayName);
      expect(await customer.locator('main').innerText()).not.toContain('抢修班组'); // notes never show
      expect(await customer.locator('[data-testid=portal-description] [data-testid=portal-file-link]').innerText()).toContain('水表照片.png');

      await customer.locator('[data-testid=portal-reply-body]').fill('是的，整栋楼都停水，水表不转。');
      await customer.locator('[data-testid=portal-reply-submit]').click();
      await expect.poll(() => state(customer)).toBe('handling');
      expect(await customer.locator('[data-testid=portal-message][data-from=customer]').last().innerText()).toContain('水表不转');
    });

    await staff.call('POST', `/requests/${request.id}/transitions`, { action: 'deliver_result', result: '管网已抢修完毕，3 号楼已于 14:00 恢复供水。' });

    await withScreenshot(customer, 'portal-confirm', async () => {
      // The customer comes back later through the link they kept.
      await customer.goto(link);
      await customer.locator('[data-testid=portal-confirm]').waitFor();
      expect(await state(customer)).toBe('feedback');
      expect(await customer.locator('[data-testid=portal-message][data-from=staff]').last().innerText()).toContain('恢复供水');
      await customer.locator('[data-testid=portal-rating] [role=radio][aria-posinset="5"]').click();
      expect(await customer.locator('[data-testid=portal-rating]').getAttribute('data-value')).toBe('5');
      await customer.locator('[data-testid=portal-confirm-comment]').fill('处理及时，谢谢！');
      await customer.locator('[data-testid=portal-confirm-submit]').click();
      await customer.locator('[data-testid=portal-rated]').waitFor();
      expect(await state(customer)).toBe('archived');
      expect(await customer.locator('[data-testid=portal-rated]').getAttribute('data-rating')).toBe('5');
      expect(await customer.locator('[data-testid=portal-steps]').getAttribute('data-current')).toBe('archived');
      await customer.locator('[data-testid=portal-closed]').waitFor();
      expect(await customer.locator('[data-testid=portal-reply]').count()).toBe(0);
      // The page fits the phone: nothing wider than the screen.
      expect(await customer.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    });

    const archived = await staff.call<{ request: { state: string; rating: number; ratingComment: string } }>('GET', `/requests/${request.id}`);
    expect(archived.request).toMatchObject({ state: 'archived', rating: 5, ratingComment: '处理及时，谢谢！' });

    // A tampered link shows one "invalid link" page.
    const stranger = await context.newPage();
    await stranger.goto(link.replace(/k=.*/, `k=${'x'.repeat(32)}`));
    await stranger.locator('[data-testid=portal-link-invalid]').waitFor();
    await context.close();
  });
});
