/**
 * The demo organization's surveys and ratings, made through the services: requests of the past days brought
 * to feedback (the survey goes out by e-mail or SMS through the outbox), then answered by the customer on the
 * survey page with the link they received (satisfied, fairly satisfied, one "not resolved" that reopened its
 * request), and one survey still waiting for its answer.
 */
import { desc, eq } from 'drizzle-orm';
import type { Ctx } from '../core/context.js';
import { outbox } from '../core/db/schema.js';
import { answerSurvey } from '../modules/evaluations/surveys.js';
import * as R from '../modules/requests/service.js';

interface DemoRating {
  who: string;
  h: number;
  input: Record<string, unknown>;
  /** The customer's answer, hours after the result; null: not answered yet. */
  answer: { after: number; level: number; attitude: number; speed: number; result: number; resolved: boolean; comment: string | null } | null;
}

const RATINGS: DemoRating[] = [
  {
    who: 'yangfan', h: 96,
    input: { type: 'consultation', channel: 'email', subject: '电子发票在哪里下载？', description: '想下载上个月的电子发票。', contactName: '吴敏', contactEmail: 'wumin@example.cn' },
    answer: { after: 3, level: 5, attitude: 5, speed: 5, result: 5, resolved: true, comment: '回复很快，按步骤就下载到了，谢谢！' },
  },
  {
    who: 'liuyang', h: 80,
    input: { type: 'service_request', channel: 'phone', subject: '申请暂停宽带服务两个月', description: '外出务工，申请暂停宽带。', contactName: '郭强', contactPhone: '13912345678' },
    answer: { after: 20, level: 4, attitude: 5, speed: 4, result: 4, resolved: true, comment: null },
  },
  {
    who: 'yangfan', h: 60,
    input: { type: 'service_request', channel: 'web', subject: '套餐变更后资费未调整', description: '上月已改为 99 元套餐，本月仍按 129 元扣费。', contactName: '林芳', contactEmail: 'linfang@example.cn' },
    answer: { after: 5, level: 3, attitude: 4, speed: 2, result: 3, resolved: true, comment: '问题解决了，但等得有点久。' },
  },
  {
    who: 'liuyang', h: 40,
    input: { type: 'service_request', channel: 'phone', subject: '路由器无线信号弱', description: '卧室几乎没有信号。', contactName: '何静', contactPhone: '13698765432' },
    answer: { after: 6, level: 2, attitude: 4, speed: 3, result: 1, resolved: false, comment: '卧室还是没有信号，师傅只是重启了一下。' },
  },
  {
    who: 'yangfan', h: 10,
    input: { type: 'consultation', channel: 'email', subject: '如何开通自动缴费', description: '想绑定银行卡自动扣费。', contactName: '许亮', contactEmail: 'xuliang@example.cn' },
    answer: null,
  },
];

export async function seedDemoEvaluations(ctx: Ctx, as: (username: string) => Ctx): Promise<void> {
  const db = ctx.app.database.db;
  const now = Date.now();
  const past = (h: number) => () => new Date(now - h * 3600_000);
  for (const r of RATINGS) {
    const c = (h: number): Ctx => ({ ...as(r.who), now: past(h) });
    const actor = as(r.who).actor;
    const view = await R.registerRequest(c(r.h), { ...r.input, assigneeId: actor.kind === 'staff' ? actor.id : undefined });
    await R.transitionRequest(c(r.h - 0.2), view.id, { action: 'analyse' });
    await R.transitionRequest(c(r.h - 0.3), view.id, { action: 'start_handling' });
    await R.transitionRequest(c(r.h - 2), view.id, { action: 'deliver_result', result: '您好，您的问题已处理完毕，请查收。如有疑问请随时联系我们，谢谢！' });
    if (!r.answer) continue;
    // The customer opens the link they received (the latest survey message of the organization).
    const messages = await db.select().from(outbox).where(eq(outbox.orgId, ctx.orgId)).orderBy(desc(outbox.id)).limit(5);
    const text = messages.map((m) => (m.payload as { text?: string }).text ?? '').find((t) => t.includes(view.number) && /\/s\/[A-Za-z0-9_-]+/.test(t));
    const token = text ? /\/s\/([A-Za-z0-9_-]+)/.exec(text)?.[1] : undefined;
    if (!token) continue;
    const { after, ...answer } = r.answer;
    await answerSurvey(ctx.app, token, answer, { locale: 'zh-CN', ip: null, requestId: null, now: past(r.h - 2 - after) });
  }
}
