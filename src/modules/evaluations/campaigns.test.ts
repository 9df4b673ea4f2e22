import { and, eq, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { createApiToken } from '../org/auth.js';
import { createCustomer } from '../org/customers.js';
import * as R from '../requests/service.js';
import * as K from './campaigns.js';
import { campaigns, surveys } from './schema.js';
import { toFeedback } from './survey-fixtures.js';
import { answerSurvey } from './surveys.js';

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const DAY = 86_400_000;
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

async function archived(desk: Desk, input: Record<string, unknown>) {
  const r = await toFeedback(desk, { channel: 'phone', ...input });
  await R.transitionRequest(desk.agent1.ctx, r.id, { action: 'archive' });
  return r;
}

/**
 * Served today: five customers with an e-mail address (one also with a phone), one with a phone only, one with
 * neither; two anonymous contacts by e-mail (one of them twice), one by phone; one request with no contact at all.
 */
async function served(desk: Desk) {
  const c = desk.admin.ctx;
  const withEmail = [];
  for (let i = 0; i < 5; i++) withEmail.push(await createCustomer(c, { name: `客户${i}`, email: `c${i}@example.cn`, ...(i === 0 ? { phone: '13900000000' } : {}) }));
  const phoneOnly = await createCustomer(c, { name: '电话客户', phone: '13911112222' });
  const none = await createCustomer(c, { name: '无联系方式' });
  for (const customer of [...withEmail, phoneOnly, none]) await archived(desk, { customerId: customer.id });
  await archived(desk, { customerId: withEmail[1]!.id }); // twice: still one recipient
  await archived(desk, { contactName: '匿名甲', contactEmail: 'anon1@example.cn' });
  await archived(desk, { contactName: '匿名甲', contactEmail: 'ANON1@example.cn' });
  await archived(desk, { contactName: '匿名乙', contactEmail: 'anon2@example.cn' });
  await archived(desk, { contactName: '匿名丙', contactPhone: '13722223333' });
  await archived(desk, { contactName: '无人' });
  await toFeedback(desk, { channel: 'email', contactEmail: 'notyet@example.cn' }); // not archived: not served in the period
}

const rules = (sampling: Record<string, unknown>, seed?: string) => ({ periodStart: today(), periodEnd: today(), sampling, ...(seed ? { seed } : {}) });

describe('satisfaction campaigns (满意度调查活动)', () => {
  it('draws a reproducible sample of those served in the period, on the channels they can be reached by', async () => {
    const desk = await buildDesk();
    await served(desk);
    const ctx = desk.supervisor.ctx;
    const all = await K.previewCampaign(ctx, rules({ percent: 100, channels: ['email', 'sms'] }, 'seed-a'));
    // 7 customers + 3 contacts; the customer without any address is unreachable.
    expect(all).toMatchObject({ seed: 'seed-a', eligible: 9, unreachable: 1, sampled: 9, byChannel: { email: 7, sms: 2 } });
    expect(all.recipients.map((r) => r.sentTo)).toContain('an***@example.cn');
    expect(all.recipients.find((r) => r.name === '电话客户')).toMatchObject({ kind: 'customer', channel: 'sms', sentTo: '139****2222' });
    const emailOnly = await K.previewCampaign(ctx, rules({ percent: 100, channels: ['email'] }, 'seed-a'));
    expect(emailOnly).toMatchObject({ eligible: 7, unreachable: 3, byChannel: { email: 7, sms: 0 } });
    const smsFirst = await K.previewCampaign(ctx, rules({ percent: 100, channels: ['sms', 'email'] }, 'seed-a'));
    expect(smsFirst.recipients.find((r) => r.name === '客户0')).toMatchObject({ channel: 'sms' });

    const capped = await K.previewCampaign(ctx, rules({ percent: null, cap: 4, channels: ['email', 'sms'] }, 'seed-a'));
    expect(capped.sampled).toBe(4);
    // Same seed, same rules: the same recipients in the same order; the cap takes the first of the full draw order.
    expect((await K.previewCampaign(ctx, rules({ cap: 4, channels: ['email', 'sms'] }, 'seed-a'))).recipients).toEqual(capped.recipients);
    expect(capped.recipients).toEqual(all.recipients.slice(0, 4));
    const half = await K.previewCampaign(ctx, rules({ percent: 50, channels: ['email', 'sms'] }, 'seed-a'));
    const halfCapped = await K.previewCampaign(ctx, rules({ percent: 50, cap: 2, channels: ['email', 'sms'] }, 'seed-a'));
    expect(half.recipients.every((r) => all.recipients.some((a) => a.sentTo === r.sentTo))).toBe(true);
    expect(halfCapped.recipients).toEqual(half.recipients.slice(0, Math.min(2, half.sampled)));
    // A saved campaign keeps its seed: its sample is the preview's.
    const created = await K.createCampaign(ctx, { name: '2026 年第四季度满意度调查', ...rules({ cap: 4, channels: ['email', 'sms'] }, 'seed-a') });
    expect(created).toMatchObject({ state: 'draft', seed: 'seed-a', invited: 0, periodStart: today(), periodEnd: today(), sampling: { percent: null, cap: 4 } });
    expect((await K.campaignSample(ctx, created.id)).recipients).toEqual(capped.recipients);
    const random = await K.createCampaign(ctx, { name: '随机种子', ...rules({ cap: 4 }) });
    expect(random.seed).toMatch(/^[0-9a-f]{12}$/);
  });

  it('sends after the period: one survey and one queued invitation per recipient, in batches; tracks delivery, answers and satisfaction; closes', async () => {
    const desk = await buildDesk();
    await served(desk);
    const db = desk.org.app.database.db;
    const created = await K.createCampaign(desk.supervisor.ctx, { name: '季度调查', ...rules({ percent: 100, cap: 5, channels: ['sms', 'email'] }, 'seed-b') });
    await expect(K.sendCampaign(desk.supervisor.ctx, created.id)).rejects.toMatchObject({ code: 'campaign.period_open' });

    const tomorrow = { ...desk.supervisor.ctx, now: () => new Date(Date.now() + DAY) };
    const sent = await K.sendCampaign(tomorrow, created.id, { batchSize: 2 });
    expect(sent).toMatchObject({ state: 'sent', invited: 5 });
    expect(new Date(sent.expiresAt!).getTime() - new Date(sent.sentAt!).getTime()).toBe(14 * DAY);
    const rows = await db.select().from(surveys).where(and(eq(surveys.orgId, desk.org.orgId), eq(surveys.campaignId, created.id)));
    expect(rows).toHaveLength(5);
    expect(rows.every((s) => s.state === 'pending' && s.requestId === null && s.expiresAt.toISOString() === sent.expiresAt)).toBe(true);
    const queued = await db.select().from(outbox).where(and(eq(outbox.orgId, desk.org.orgId), like(outbox.dedupeKey, `campaign:${created.id}:%`)));
    expect(queued).toHaveLength(5);
    const sample = await K.campaignSample(desk.supervisor.ctx, created.id);
    expect(queued.filter((q) => q.kind === 'sms')).toHaveLength(sample.byChannel.sms);
    expect(rows.filter((s) => s.channel === 'sms')).toHaveLength(sample.byChannel.sms);
    await expect(K.sendCampaign(tomorrow, created.id)).rejects.toMatchObject({ code: 'campaign.wrong_state' });

    // The outbox delivers two and gives up on one; two customers answer.
    await db.update(outbox).set({ status: 'delivered' }).where(eq(outbox.id, queued[0]!.id));
    await db.update(outbox).set({ status: 'delivered' }).where(eq(outbox.id, queued[1]!.id));
    await db.update(outbox).set({ status: 'failed' }).where(eq(outbox.id, queued[2]!.id));
    const tokens = queued.slice(0, 2).map((q) => /\/s\/([\w-]+)/.exec((q.payload as { text: string }).text)![1]!);
    const visitor = { locale: 'zh-CN' as const, ip: null, requestId: null, now: () => new Date(Date.now() + DAY) };
    await answerSurvey(desk.org.app, tokens[0], { level: 5, comment: '很好' }, visitor);
    // A bad rating from a campaign (no request) counts like any other; the rating hooks take it too.
    await answerSurvey(desk.org.app, tokens[1], { level: 2, comment: '等待时间太长' }, visitor);

    const tracked = await K.getCampaign(desk.agent1.ctx, created.id);
    expect(tracked.figures).toMatchObject({
      invited: 5, delivered: 2, failed: 1, pendingDelivery: 2, answered: 2, responseRate: 0.4,
      satisfaction: { count: 2, average: 3.5, score100: 62.5, satisfiedShare: 0.5, satisfiedFromLevel: 3 },
    });
    expect(tracked.figures.satisfaction.distribution).toEqual([{ level: 5, count: 1 }, { level: 4, count: 0 }, { level: 3, count: 0 }, { level: 2, count: 1 }, { level: 1, count: 0 }]);

    const closed = await K.closeCampaign(desk.supervisor.ctx, created.id);
    expect(closed).toMatchObject({ state: 'closed', figures: { answered: 2, cancelled: 3, responseRate: 0.4 } });
    await expect(K.closeCampaign(desk.supervisor.ctx, created.id)).rejects.toMatchObject({ code: 'campaign.wrong_state' });
  });

  it('resumes a send left half-way: recipients already invited are not invited again', async () => {
    const desk = await buildDesk();
    await served(desk);
    const db = desk.org.app.database.db;
    const tomorrow = { ...desk.supervisor.ctx, now: () => new Date(Date.now() + DAY) };
    const created = await K.createCampaign(tomorrow, { name: '中断', ...rules({ percent: 100, channels: ['email'] }, 'seed-c') });
    const full = await K.sendCampaign(tomorrow, created.id);
    const first = await db.select().from(surveys).where(eq(surveys.campaignId, created.id));
    // As if the process had stopped after the first 3: the resume point goes back and the later surveys vanish.
    const keep = new Set((await db.select().from(outbox).where(like(outbox.dedupeKey, `campaign:${created.id}:%`))).sort((a, b) => a.id - b.id).slice(0, 3).map((q) => q.dedupeKey!.split(':')[2]));
    for (const s of first) {
      if (keep.has(s.id)) continue;
      await db.delete(outbox).where(eq(outbox.dedupeKey, `campaign:${created.id}:${s.id}`));
      await db.delete(surveys).where(eq(surveys.id, s.id));
    }
    await db.update(campaigns).set({ state: 'sending', invited: 3 }).where(eq(campaigns.id, created.id));
    const resumed = await K.sendCampaign(tomorrow, created.id);
    expect(resumed).toMatchObject({ state: 'sent', invited: full.invited, figures: { invited: full.invited } });
    const to = (await db.select().from(outbox).where(like(outbox.dedupeKey, `campaign:${created.id}:%`))).map((q) => (q.payload as { to: string }).to);
    expect(new Set(to).size).toBe(to.length);
    expect(to).toHaveLength(full.invited);
  });

  it('HTTP: campaign.manage to create, preview, send and close; evaluation.read to read; 4xx codes', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    servers.push(server);
    const token = async (who: 'supervisor' | 'lead' | 'agent1', scopes: string[]) => (await createApiToken(desk[who].ctx, { name: `t-${who}`, scopes })).token;
    const call = (method: 'GET' | 'POST', url: string, tok: string | null, payload?: object) =>
      server.inject({ method, url: `/api/v1${url}`, headers: tok ? { authorization: `Bearer ${tok}` } : {}, ...(payload ? { payload } : {}) });
    const sup = await token('supervisor', ['campaign.manage', 'evaluation.read']);
    const lead = await token('lead', ['evaluation.read']);

    expect((await call('GET', '/campaigns', null)).statusCode).toBe(401);
    const body = { name: 'Q4', ...rules({ percent: 20, channels: ['email'] }) };
    const leadCreate = await call('POST', '/campaigns', lead, body);
    expect(leadCreate.statusCode).toBe(403);
    expect((await call('POST', '/campaigns/preview', lead, rules({ percent: 20 }))).statusCode).toBe(403);
    const noRule = await call('POST', '/campaigns', sup, { ...body, sampling: { channels: ['email'] } });
    expect(noRule.statusCode).toBe(400);
    expect(noRule.json().error.code).toBe('validation_failed');
    expect((await call('POST', '/campaigns', sup, { ...body, periodStart: '2026-10-01', periodEnd: '2026-09-30' })).statusCode).toBe(400);
    expect((await call('POST', '/campaigns', sup, { ...body, sampling: { percent: 20, channels: ['fax'] } })).statusCode).toBe(400);

    const created = await call('POST', '/campaigns', sup, body);
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await call('GET', '/campaigns', lead)).json().items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await call('GET', `/campaigns/${id}`, lead)).json()).toMatchObject({ id, state: 'draft', figures: { invited: 0, responseRate: null } });
    expect((await call('GET', `/campaigns/${crypto.randomUUID()}`, lead)).statusCode).toBe(404);
    expect((await call('POST', `/campaigns/${id}/send`, lead)).statusCode).toBe(403);
    const early = await call('POST', `/campaigns/${id}/send`, sup);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('campaign.period_open');
    const closeDraft = await call('POST', `/campaigns/${id}/close`, sup);
    expect(closeDraft.statusCode).toBe(409);
    expect(closeDraft.json().error.code).toBe('campaign.wrong_state');
    const preview = await call('POST', '/campaigns/preview', sup, { ...rules({ cap: 3 }), seed: 'x' });
    expect(preview.json()).toMatchObject({ seed: 'x', eligible: 0, sampled: 0 });
  });
});
