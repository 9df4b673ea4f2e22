import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { buildOrg, buildStaff, TEST_PASSWORD } from '../../test/harness.js';
import * as S from './service.js';

describe('commitments API', () => {
  it('words refusals in the caller’s language, lets an editor withdraw a stuck review, and answers e-mail links with a page', async () => {
    const org = await buildOrg();
    const server = await buildServer(org.app, { web: false });
    const admin = await buildStaff(org, 'admin');
    const manager = await buildStaff(org, 'manager', { scope: 'organization' });
    const cookie = async (username: string) => {
      const res = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username, password: TEST_PASSWORD } });
      return `pledge_session=${res.cookies.find((c) => c.name === 'pledge_session')!.value}`;
    };
    const adminCookie = await cookie(admin.username);
    const managerCookie = await cookie(manager.username);
    const call = (method: 'POST' | 'GET', url: string, c: string, payload?: object, lang = 'zh-CN') =>
      server.inject({ method, url: `/api/v1${url}`, headers: { cookie: c, 'accept-language': lang }, ...(payload ? { payload } : {}) });

    const empty = (await call('POST', '/commitments', managerCookie, { number: 'R-1', title: '空' })).json();
    const incomplete = await call('POST', `/commitments/versions/${empty.id}/submit`, managerCookie);
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.message).toBe('承诺书尚不完整：承诺书正文为空；没有可衡量的承诺指标');

    const v = await S.createCommitment(manager.ctx, { number: 'R-2', title: '承诺', bodyZh: '正文', targets: [{ kind: 'time_limit', key: 'fr', name: { 'zh-CN': '首次响应' }, start: 'request.registered', stop: 'first_response', duration: 'PT5M' }] });
    await S.submitForReview(manager.ctx, v.id);
    expect((await call('POST', `/commitments/versions/${v.id}/steps/internal_evaluation`, adminCookie, { decision: 'approved' })).statusCode).toBe(200);
    const same = await call('POST', `/commitments/versions/${v.id}/steps/joint_meeting`, adminCookie, { decision: 'approved' });
    expect(same.json().error).toMatchObject({ code: 'commitment.same_approver', message: expect.stringContaining('“内部评估”') });
    const wrong = await call('POST', `/commitments/versions/${v.id}/steps/decision_body`, adminCookie, { decision: 'approved' }, 'en-US');
    expect(wrong.json().error.message).toContain('"joint departmental meeting"');

    const withdrawn = await call('POST', `/commitments/versions/${v.id}/withdraw`, managerCookie, { comment: '联席会议改期，先撤回修改' });
    expect(withdrawn.json()).toMatchObject({ status: 'draft' });

    // The links in e-mails: a page for a person, JSON for a client; forged tokens are refused.
    await server.inject({ method: 'POST', url: `/api/v1/public/${org.code}/subscriptions`, payload: { email: 'a@example.cn' } });
    const forged = await server.inject({ method: 'GET', url: `/api/v1/public/${org.code}/confirm?id=00000000-0000-4000-8000-000000000000&token=x`, headers: { accept: 'text/html' } });
    expect(forged.statusCode).toBe(404);
    const [mail] = await org.app.database.db.select().from(outbox).where(eq(outbox.orgId, org.orgId));
    const link = new URL(/https?:\/\/\S+/.exec((mail!.payload as { text: string }).text)![0]);
    const page = await server.inject({ method: 'GET', url: `${link.pathname}${link.search}`, headers: { accept: 'text/html' } });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('订阅成功');
    await server.close();
  });
});
