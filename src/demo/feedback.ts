/**
 * The demo organization's public feedback and a satisfaction campaign, made through the services: feedback
 * submitted on the public page over the past days (a praise and a suggestion answered and published with the
 * submitters' consent, a complaint that became a request and still waits for its answer, a spam message marked
 * invalid), and a draft campaign for the current quarter whose sample can be previewed.
 */
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Ctx } from '../core/context.js';
import { organizations } from '../core/db/schema.js';
import { createCampaign } from '../modules/evaluations/campaigns.js';
import { answerFeedback, invalidateFeedback, listFeedback, publishFeedback, submitFeedback } from '../modules/evaluations/feedback.js';

const ZONE = 'Asia/Shanghai';
const HOUR = 3_600_000;

interface DemoFeedback {
  h: number;
  input: Record<string, unknown>;
  then?: { by: string; after: number; answer: string; summary?: string } | { by: string; after: number; invalid: 'spam' | 'abuse' };
}

const FEEDBACK: DemoFeedback[] = [
  {
    h: 120,
    input: { kind: 'praise', body: '城东营业厅的王师傅上门更换水表，态度很好，还帮我检查了家里的管道。我的电话 13907210000，请转达谢意！', contactName: '陈阿姨', contactPhone: '13907210000', consentToPublish: true },
    then: { by: 'lead', after: 20, answer: '陈阿姨您好，感谢您的表扬，我们已转达王师傅并在班组内通报表扬。', summary: '城东营业厅王师傅上门更换水表，态度很好，还帮忙检查了管道。' },
  },
  {
    h: 96,
    input: { kind: 'suggestion', body: '建议周六下午增加一个营业窗口，排队时间太长了，上周六等了 50 分钟。', contactName: 'Li Wei', contactEmail: 'liwei@example.cn', consentToPublish: true },
    then: { by: 'supervisor', after: 30, answer: '感谢您的建议。自本月起，城东营业厅周六下午增开一个综合业务窗口，并在高峰时段安排引导员。', summary: '建议周六下午增加营业窗口，减少排队时间。' },
  },
  {
    h: 30,
    input: { kind: 'complaint', body: '上门维修约定上午 10 点，实际下午 3 点才到，也没有提前通知，耽误了我半天时间。', contactName: '赵先生', contactPhone: '13687650000', consentToPublish: false },
  },
  {
    h: 10,
    input: { kind: 'suggestion', body: '点击链接领取免费流量大礼包 http://spam.example.com 限时抢购！！！' },
    then: { by: 'lead', after: 1, invalid: 'spam' },
  },
];

export async function seedDemoFeedback(ctx: Ctx, as: (username: string) => Ctx): Promise<void> {
  const [org] = await ctx.app.database.db.select({ code: organizations.code }).from(organizations).where(eq(organizations.id, ctx.orgId));
  const now = Date.now();
  for (const f of FEEDBACK) {
    const at = new Date(now - f.h * HOUR);
    const submitted = await submitFeedback(ctx.app, org!.code, f.input, { locale: 'zh-CN', ip: null, requestId: null, now: () => at });
    if (!f.then) continue;
    const staffCtx = { ...as(f.then.by), now: () => new Date(at.getTime() + f.then!.after * HOUR) };
    const [item] = (await listFeedback(staffCtx, { q: submitted.number })).items;
    if ('invalid' in f.then) {
      await invalidateFeedback(staffCtx, item!.id, { reason: f.then.invalid });
      continue;
    }
    await answerFeedback(staffCtx, item!.id, { answer: f.then.answer });
    if (f.then.summary) await publishFeedback(staffCtx, item!.id, { summary: f.then.summary });
  }

  // The quarterly survey of the current quarter, as a draft: its sample can be previewed, and it is sent once the quarter ends.
  const quarter = DateTime.fromMillis(now, { zone: ZONE }).startOf('quarter');
  await createCampaign(as('supervisor'), {
    name: `${quarter.year} 年第 ${quarter.quarter} 季度客户满意度调查`,
    periodStart: quarter.toISODate()!, periodEnd: quarter.endOf('quarter').toISODate()!,
    sampling: { percent: 50, cap: 200, channels: ['email', 'sms'] }, seed: `demo-${quarter.year}-q${quarter.quarter}`, expiresInDays: 14,
  });
}
