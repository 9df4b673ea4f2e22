/**
 * The demo organization's past, so that a fresh `npm start` shows real figures: from the first day of the last
 * full quarter to five days before the seed, a couple of hundred requests on every channel, of every type but
 * urgent faults, in every category and for every agent, each worked through the closed loop by the services with
 * the clock moved back to the moment of each step. Calls ring on the hotline and are turned into requests (or
 * logged as resolved at first contact); replies, handling, results and archives follow; customers rate on the
 * portal or answer their survey, a few say the problem is not solved (reopened); some replies come late (the
 * clocks record the breaches); complaints get their verdict, and upheld ones and bad ratings become corrective
 * actions that their owners work and the supervision verifies; the callbacks drawn at archive are made.
 *
 * The plan (who, when, what) is pure and drawn from a seeded generator ({@link planHistory}), so every fresh
 * demo has the same history relative to the moment it is seeded. Each request's own steps run in one
 * transaction with a clock that moves from step to step — the way `resolveCall` walks a call through the loop —
 * which keeps the seeding within seconds; everything other people do (calls pushed by the telephony system,
 * survey answers, callbacks, verdicts, corrective actions) goes through its own service call.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { transact, type Ctx, type TxCtx } from '../core/context.js';
import { outbox } from '../core/db/schema.js';
import { authorize } from '../core/policy.js';
import { parse } from '../core/validate.js';
import { cnHolidayYear } from '../modules/calendars/cn-holidays.js';
import { callToRequest, createCall, resolveCall } from '../modules/channels/calls.js';
import { complaintVerdict } from '../modules/corrective-actions/findings.js';
import { correctiveActionRequests, correctiveActions } from '../modules/corrective-actions/schema.js';
import { assignOwner, recordWork, stepAction } from '../modules/corrective-actions/service.js';
import { performCallback } from '../modules/evaluations/callbacks.js';
import { callbacks } from '../modules/evaluations/schema.js';
import { answerSurvey, issueQrSurvey } from '../modules/evaluations/surveys.js';
import { branches, customers, staff, teams } from '../modules/org/schema.js';
import { requestCategories } from '../modules/requests/schema.js';
import { RequestCreate, TransitionInput } from '../modules/requests/contracts.js';
import { addMessageTx, customerConfirmTx, customerMessageTx, registerRequestTx, transitionRequest, transitionTx } from '../modules/requests/service.js';
import { loadRequest, type RequestRow } from '../modules/requests/records.js';
import { mulberry32 as generator } from '../core/prng.js';

/** The demo organization's zone (see seed.ts). */
const ZONE = 'Asia/Shanghai';
/** How many requests the history holds, whatever the length of its span. */
export const HISTORY_REQUESTS = 150;
/** The history ends this many local days before the seed; the desk demo (requests.ts) fills the last days. */
const QUIET_DAYS = 5;
const HOTLINE = '027-12345';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type HistoryChannel = 'phone' | 'walk_in' | 'chat' | 'app' | 'social' | 'web' | 'email';
type HistoryType = 'consultation' | 'service_request' | 'complaint' | 'suggestion';
type Branch = 'HQ' | 'EAST' | 'WEST';

interface Topic {
  type: HistoryType;
  category: string;
  subject: string;
  description: string;
  result: string;
}

/** What customers ask about, in the demo desk's categories (requests.ts), with the answer they got. */
const TOPICS: Topic[] = [
  { type: 'consultation', category: '账单查询', subject: '本月账单比上月高，想了解原因', description: '客户称本月账单比上月多出近 30 元，询问费用构成。', result: '您好，已为您逐项核对：本月套餐费 99 元，另有超出套餐的流量费 18 元和来电显示费 6 元。如有疑问请随时联系我们，谢谢！' },
  { type: 'consultation', category: '发票', subject: '如何开具电子发票', description: '想开具上月缴费的电子发票用于报销。', result: '您好，可在 App“我的—发票管理”中选择月份开具电子发票，开具后会发送到您的邮箱。操作指引已发送给您，谢谢！' },
  { type: 'consultation', category: '套餐变更', subject: '咨询 129 元融合套餐包含的内容', description: '想了解融合套餐的宽带速率、流量和通话时长。', result: '您好，129 元融合套餐含 500M 宽带、每月 40GB 流量和 500 分钟通话，可随时在营业厅或 App 办理变更，次月生效。' },
  { type: 'consultation', category: '预约办理', subject: '营业厅办理业务需要提前预约吗', description: '想下周去营业厅办理过户，询问是否需要预约。', result: '您好，普通业务无需预约；过户等复杂业务建议通过 App 预约，到店可优先办理。营业时间为工作日 9:00–17:00。' },
  { type: 'consultation', category: '开户/过户', subject: '新装宽带需要准备哪些材料', description: '新房入住，咨询新装宽带的材料和流程。', result: '您好，新装宽带需携带本人身份证原件和房屋产权或租赁证明，可在营业厅或 App 办理，一般 2 个工作日内上门安装。' },
  { type: 'consultation', category: '退费/退款', subject: '销户后预存款如何退还', description: '已办理销户，询问剩余预存款的退还方式。', result: '您好，销户后剩余预存款将在 5 个工作日内原路退回您的缴费账户，退款到账后会有短信通知。' },
  { type: 'consultation', category: '账单查询', subject: '缴费后余额为什么没有变化', description: '客户刚通过银行缴费，查询余额未更新。', result: '您好，银行渠道缴费一般在 2 小时内到账，已为您查询到本次缴费已入账，余额已更新，请您刷新查看。' },
  { type: 'consultation', category: '套餐变更', subject: '老年人优惠套餐的办理条件', description: '为家中老人咨询老年优惠套餐。', result: '您好，年满 65 周岁的用户凭身份证即可办理老年优惠套餐，月费 39 元，可由家属代办。' },
  { type: 'service_request', category: '宽带故障', subject: '宽带无法上网，光猫 LOS 灯红色闪烁', description: '客户家中宽带从早上开始无法上网，重启光猫无效，LOS 灯红色闪烁。', result: '您好，维修人员已上门更换入户光纤接头并重新熔接，测试网速恢复正常。如再出现问题请随时联系我们。' },
  { type: 'service_request', category: '设备故障', subject: '机顶盒开机后一直黑屏', description: '电视机顶盒开机后黑屏，遥控器无响应。', result: '您好，已为您远程重置机顶盒并升级固件，现已恢复正常。如仍有问题，我们将安排上门更换设备。' },
  { type: 'service_request', category: '上门服务', subject: '预约周末上门移机', description: '客户搬家，预约周末将宽带移到新地址。', result: '您好，移机已于约定时间完成，新地址宽带测试正常，原地址线路已拆除。感谢您的配合！' },
  { type: 'service_request', category: '套餐变更', subject: '申请将套餐变更为 129 元融合套餐', description: '客户要求变更套餐，并保留原号码。', result: '您好，套餐变更已办理成功，将于下月 1 日生效，原号码和宽带账号保持不变。' },
  { type: 'service_request', category: '退费/退款', subject: '重复缴费，申请退回多缴的 200 元', description: '客户通过两个渠道各缴了一次 200 元，要求退回一笔。', result: '您好，经核实确为重复缴费，200 元已原路退回，预计 3 个工作日内到账。' },
  { type: 'service_request', category: '开户/过户', subject: '办理宽带过户到子女名下', description: '老人年事已高，申请将宽带过户给子女。', result: '您好，过户手续已办理完毕，新户主的账单和发票信息已更新，原宽带账号继续使用。' },
  { type: 'service_request', category: '发票', subject: '补开上季度的增值税专用发票', description: '企业客户需要补开上季度专票。', result: '您好，上季度的增值税专用发票已开具，纸质发票已寄出，电子版已发送至您的邮箱。' },
  { type: 'service_request', category: '宽带故障', subject: '晚上网速明显变慢', description: '每天晚上 8 点后网速只有几兆，白天正常。', result: '您好，经检测为所在小区分光器端口拥堵，已为您调整端口，晚高峰测速恢复到 300M 以上。' },
  { type: 'complaint', category: '服务态度', subject: '上门维修人员态度生硬', description: '客户反映维修人员上门时态度生硬，未说明故障原因就离开。', result: '您好，对给您带来的不愉快深表歉意。我们已核实情况并对维修人员进行批评教育，后续由班组长回访跟进。' },
  { type: 'complaint', category: '办理时效', subject: '报修三天仍未上门处理', description: '客户三天前报修宽带故障，至今无人上门。', result: '您好，非常抱歉延误了您的报修。维修人员已于今日上门修复，我们已调整派单流程，避免类似情况再次发生。' },
  { type: 'complaint', category: '账单查询', subject: '未经同意开通增值业务并扣费', description: '客户称账单中出现未订购的增值业务费用。', result: '您好，经核查该增值业务为误开通，已为您退订并退还相关费用，对此深表歉意。' },
  { type: 'complaint', category: '服务态度', subject: '营业厅排队时间长，工作人员不耐烦', description: '客户在营业厅等候 40 分钟，询问时工作人员语气不耐烦。', result: '您好，对您的等候和不愉快的经历深表歉意。营业厅已在高峰时段增开窗口并加强文明用语管理。' },
  { type: 'suggestion', category: '意见建议', subject: '建议营业厅周末延长营业时间', description: '上班族工作日没有时间，希望周末营业时间延长。', result: '您好，感谢您的建议！城东营业厅周六照常营业，我们正在评估其他营业厅周末延时的方案。' },
  { type: 'suggestion', category: '意见建议', subject: '建议 App 增加报修进度提醒', description: '希望报修后能在 App 里看到进度并收到提醒。', result: '您好，感谢您的建议！报修进度提醒已列入 App 下个版本的开发计划。' },
  { type: 'suggestion', category: '意见建议', subject: '建议账单短信写明各项费用', description: '账单短信只有总额，希望列出明细。', result: '您好，感谢您的建议！我们已将账单短信改为列出主要费用明细，下月起生效。' },
];

/** Who works which channel (the routing rules of requests.ts), and how often each is slow (0–1). */
const DESKS: Record<'hotline' | 'online' | 'EAST' | 'WEST', { team: string; agents: string[] }> = {
  hotline: { team: '热线服务组', agents: ['zhangwei', 'liuyang'] },
  online: { team: '在线服务组', agents: ['yangfan', 'huangli'] },
  EAST: { team: '城东窗口组', agents: ['zhoujie', 'wuting', 'xulei'] },
  WEST: { team: '城西窗口组', agents: ['guofang', 'hejing', 'machao'] },
};
const SLOW: Record<string, number> = { zhangwei: 0.4, liuyang: 1, yangfan: 0.8, huangli: 2.2, zhoujie: 0.6, wuting: 1, xulei: 1.4, guofang: 1, hejing: 0.5, machao: 1.8 };

const NAMES = ['王秀英', '李强', '刘芳', '陈杰', '杨丽', '赵磊', '黄敏', '周涛', '吴静', '徐鹏', '孙婷', '马俊', '朱红', '胡斌', '郭敏', '何伟', '高霞', '林峰', '罗娟', '梁宇'];
const COMMENTS_GOOD = ['处理很及时，谢谢！', '工作人员很耐心。', '问题解决了，满意。', null, null, null];
const COMMENTS_BAD = ['等了很久才有人处理。', '问题没有彻底解决，还要再跑一趟。', '客服态度一般，解释不清楚。'];

export type Outcome =
  | { kind: 'rated'; at: number; level: number; comment: string | null }
  | { kind: 'archived'; at: number }
  | { kind: 'not_solved'; at: number; comment: string; redeliverAt: number; archiveAt: number };

export interface HistoryCase {
  /** Registration (the call's ring for the phone). */
  at: number;
  channel: HistoryChannel;
  branch: Branch;
  agent: string;
  team: string;
  topic: Topic;
  priority: 'general' | 'urgent';
  contact: { name: string; phone: string | null; email: string | null; customer: string | null };
  /** Phone: the call; resolvedOnCall: logged as resolved at first contact (the whole loop at once). */
  call: { ringAt: number; answeredAt: number; endedAt: number; resolvedOnCall: boolean } | null;
  /** The first reply (null: the first response happened at registration, on the phone or at the counter). */
  replyAt: number | null;
  analyseAt: number;
  startAt: number;
  wait: { at: number; customerAt: number } | null;
  deliverAt: number;
  outcome: Outcome;
  /** Complaints: the verdict, given with the result. */
  verdict: { at: number; upheld: boolean } | null;
  /** When the people after the request act: callbacks, verification, corrective work (hours after its end). */
  followUpAt: number;
}

/** The local days of the history: the last full quarter's first day up to QUIET_DAYS before the seed. */
export function historySpan(seededAt: number): { first: DateTime; last: DateTime } {
  const today = DateTime.fromMillis(seededAt, { zone: ZONE }).startOf('day');
  const first = today.startOf('quarter').minus({ quarters: 1 });
  return { first, last: today.minus({ days: QUIET_DAYS }) };
}

function holidayKind(day: DateTime): 'holiday' | 'workday' | null {
  const iso = day.toISODate()!;
  return cnHolidayYear(day.year)?.days.find((d) => d.date === iso)?.kind ?? null;
}

/** How busy a local day is: working days full, Saturdays half, Sundays and public holidays a third. */
function weightOf(day: DateTime): number {
  const kind = holidayKind(day);
  if (kind === 'holiday') return 0.3;
  if (kind === 'workday') return 1;
  return day.weekday === 7 ? 0.3 : day.weekday === 6 ? 0.5 : 1;
}

/** Is a service hall open that day (城东 Monday to Saturday, 城西 Monday to Friday, both closed on holidays)? */
function hallOpen(day: DateTime, branch: 'EAST' | 'WEST'): boolean {
  const kind = holidayKind(day);
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  return branch === 'EAST' ? day.weekday <= 6 : day.weekday <= 5;
}

/**
 * The history's requests, oldest first: pure, from a seeded generator. Every instant is before
 * `seededAt` − 2 hours, and each request's steps are in order.
 */
export function planHistory(seededAt: number): HistoryCase[] {
  const random = generator(20260701);
  const between = (min: number, max: number) => min + random() * (max - min);
  const int = (min: number, max: number) => Math.floor(between(min, max + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const { first, last } = historySpan(seededAt);
  const days: DateTime[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) days.push(d);
  const weights = days.map(weightOf);
  const total = weights.reduce((a, b) => a + b, 0);
  const dayAt = () => {
    let r = random() * total;
    for (let i = 0; i < days.length; i++) if ((r -= weights[i]!) < 0) return days[i]!;
    return days[days.length - 1]!;
  };
  const cap = seededAt - 2 * HOUR;
  const cases: HistoryCase[] = [];
  for (let n = 0; n < HISTORY_REQUESTS; n++) {
    const day = dayAt();
    // A month of the history that went less well (the second), to give the trends a shape.
    const monthFactor = day.month === first.plus({ months: 1 }).month ? 2 : 1;
    let channel: HistoryChannel = pick(['phone', 'phone', 'phone', 'phone', 'phone', 'phone', 'phone', 'walk_in', 'walk_in', 'walk_in', 'walk_in', 'walk_in', 'chat', 'chat', 'chat', 'web', 'web', 'email', 'email', 'app', 'app', 'social'] as const);
    let branch: Branch = 'HQ';
    if (channel === 'walk_in') {
      branch = chance(0.55) ? 'EAST' : 'WEST';
      if (!hallOpen(day, branch)) {
        channel = 'phone';
        branch = 'HQ';
      }
    }
    const desk = channel === 'phone' ? DESKS.hotline : channel === 'walk_in' ? DESKS[branch as 'EAST' | 'WEST'] : DESKS.online;
    const agent = pick(desk.agents);
    const slow = SLOW[agent]! * monthFactor;
    const roll = random();
    const type: HistoryType = roll < 0.42 ? 'consultation' : roll < 0.8 ? 'service_request' : roll < 0.9 ? 'complaint' : 'suggestion';
    const topic = pick(TOPICS.filter((t) => t.type === type));
    const priority = type === 'service_request' && chance(0.06) ? 'urgent' : 'general';
    // The hour it reached us: the hotline and online channels from 8:00 to 21:00, the halls in their hours.
    const minuteOfDay = channel === 'walk_in' ? int(9 * 60, 16 * 60 + 30) : chance(0.75) ? int(8 * 60 + 30, 17 * 60 + 45) : int(18 * 60, 21 * 60);
    const at = day.plus({ minutes: minuteOfDay, seconds: int(0, 59) }).toMillis();
    const customer = chance(0.12) ? pick(['刘桂兰', '陈晓明', '周海燕', '吴国庆', '郑丽华', '王志刚']) : null;
    const name = customer ?? pick(NAMES);
    const phone = customer ? null : channel === 'phone' || channel === 'walk_in' || chance(0.3) ? `1${pick(['38', '39', '58', '86', '36', '77'])}${String(int(0, 99_999_999)).padStart(8, '0')}` : null;
    const email = !customer && (channel === 'email' || (channel === 'web' && chance(0.7))) ? `user${int(100, 999)}@example.cn` : null;

    let call: HistoryCase['call'] = null;
    let t = at;
    if (channel === 'phone') {
      const answeredAt = at + int(3, chance(0.1 * slow) ? 50 : 18) * 1000;
      const endedAt = answeredAt + int(90, 480) * 1000;
      call = { ringAt: at, answeredAt, endedAt, resolvedOnCall: type === 'consultation' && chance(0.75) };
      t = endedAt;
    }
    const late = chance(0.05 * slow);
    // The first reply on chat, app and social media within minutes, on e-mail and web forms within hours.
    let replyAt: number | null = null;
    if (channel === 'chat' || channel === 'app' || channel === 'social') replyAt = at + (late ? between(6, 40) : between(0.5, 4)) * MINUTE;
    if (channel === 'email' || channel === 'web') replyAt = at + (late ? between(150, 420) : between(10, 100)) * MINUTE;
    const analyseAt = (replyAt === null ? t : Math.min(t, replyAt)) + between(0.3, 2) * MINUTE;
    const startAt = Math.max(analyseAt, replyAt ?? 0) + (chance(0.04 * slow) ? between(35, 90) : between(2, 18)) * MINUTE;
    const wait = type === 'service_request' && chance(0.15) ? { at: startAt + between(15, 60) * MINUTE, customerAt: 0 } : null;
    if (wait) wait.customerAt = wait.at + between(1, 18) * HOUR;
    const workFrom = wait ? wait.customerAt : startAt;
    const work =
      type === 'consultation' ? between(3, 40) * MINUTE
      : type === 'suggestion' ? between(3, 30) * HOUR
      : type === 'complaint' ? between(12, 60) * HOUR
      : priority === 'urgent' ? between(1, 4) * HOUR
      : between(1.5, 48) * HOUR * Math.min(slow, 1.5);
    const deliverAt = workFrom + work;
    const end = call?.resolvedOnCall ? call.endedAt : deliverAt;
    let outcome: Outcome;
    const o = random();
    if (o < 0.04 && !call?.resolvedOnCall) {
      const notAt = end + between(2, 20) * HOUR;
      const redeliverAt = notAt + between(6, 30) * HOUR;
      outcome = { kind: 'not_solved', at: notAt, comment: pick(COMMENTS_BAD), redeliverAt, archiveAt: redeliverAt + between(20, 50) * HOUR };
    } else if (o < 0.58 && channel !== 'social') {
      const r = random() - (late ? 0.25 : 0) - (slow > 1.5 ? 0.1 : 0);
      const level = r < 0.04 ? 1 : r < 0.09 ? 2 : r < 0.2 ? 3 : r < 0.5 ? 4 : 5;
      outcome = { kind: 'rated', at: end + between(0.3, 30) * HOUR, level, comment: level <= 2 ? pick(COMMENTS_BAD) : pick(COMMENTS_GOOD) };
    } else {
      outcome = { kind: 'archived', at: call?.resolvedOnCall ? end : end + between(18, 60) * HOUR };
    }
    const closedAt = outcome.kind === 'not_solved' ? outcome.archiveAt : outcome.at;
    const verdict = type === 'complaint' ? { at: deliverAt - between(5, 30) * MINUTE, upheld: chance(0.55) } : null;
    const planned: HistoryCase = {
      at, channel, branch, agent, team: desk.team, topic, priority, contact: { name, phone, email, customer }, call,
      replyAt, analyseAt, startAt, wait, deliverAt, outcome, verdict, followUpAt: closedAt + between(16, 30) * HOUR,
    };
    cases.push(fitBefore(planned, cap));
  }
  return cases.sort((a, b) => a.at - b.at);
}

/**
 * The instants of a case in the order they happen; a case planned past `cap` (the last days of the span) is
 * squeezed: each late step moves to a minute before the next one's latest place, so nothing happens after the seed;
 * every step stays at least a second after the one before.
 */
function fitBefore(c: HistoryCase, cap: number): HistoryCase {
  const order = instants(c);
  let previous = -Infinity;
  const fitted = order.map((v, i) => {
    // Strictly after the previous step (a second is enough: a call is answered seconds after it rings).
    const next = Math.min(Math.max(v, previous + 1000), Math.max(previous + 1000, cap - (order.length - i) * MINUTE));
    previous = next;
    return next;
  });
  const take = (() => {
    let i = 0;
    return () => fitted[i++]!;
  })();
  return rebuild(c, take);
}

/** The case's instants in order of occurrence (see rebuild, which reads them back in the same order). */
export function instants(c: HistoryCase): number[] {
  const out: number[] = [];
  if (c.call) out.push(c.call.ringAt, c.call.answeredAt, c.call.endedAt);
  else out.push(c.at);
  if (c.replyAt !== null) out.push(c.replyAt);
  out.push(c.analyseAt, c.startAt);
  if (c.wait) out.push(c.wait.at, c.wait.customerAt);
  if (c.verdict) out.push(c.verdict.at);
  out.push(c.deliverAt);
  if (c.outcome.kind === 'not_solved') out.push(c.outcome.at, c.outcome.redeliverAt, c.outcome.archiveAt);
  else out.push(c.outcome.at);
  out.push(c.followUpAt);
  return out;
}

function rebuild(c: HistoryCase, take: () => number): HistoryCase {
  const call = c.call ? { ringAt: take(), answeredAt: take(), endedAt: take(), resolvedOnCall: c.call.resolvedOnCall } : null;
  const at = call ? call.ringAt : take();
  const replyAt = c.replyAt !== null ? take() : null;
  const analyseAt = take();
  const startAt = take();
  const wait = c.wait ? { at: take(), customerAt: take() } : null;
  const verdict = c.verdict ? { at: take(), upheld: c.verdict.upheld } : null;
  const deliverAt = take();
  const outcome: Outcome = c.outcome.kind === 'not_solved' ? { ...c.outcome, at: take(), redeliverAt: take(), archiveAt: take() } : { ...c.outcome, at: take() };
  return { ...c, at, call, replyAt, analyseAt, startAt, wait, verdict, deliverAt, outcome, followUpAt: take() };
}

// ---------- carrying the plan out ----------

interface Demo {
  ctx: Ctx;
  as: (username: string) => Ctx;
  staffIds: Map<string, string>;
  teamIds: Map<string, string>;
  branchIds: Map<string, string>;
  categoryIds: Map<string, string>;
  customerIds: Map<string, string>;
  /** Usernames by staff id (owners of corrective actions). */
  usernames: Map<string, string>;
}

/** A context of a person (or the system) acting at a moment of the past. */
function actingAt(d: Demo, who: string | null, ms: number): Ctx {
  return { ...(who ? d.as(who) : d.ctx), now: () => new Date(ms) };
}

const REPLY = '您好，已收到您的问题，我们正在为您处理，请稍候。';

/** The request's input (as the console would send it). */
function createInput(d: Demo, c: HistoryCase) {
  const customerId = c.contact.customer ? (d.customerIds.get(c.contact.customer) ?? null) : null;
  return {
    type: c.topic.type, priority: c.priority, channel: c.channel, subject: c.topic.subject, description: c.topic.description,
    customerId, contactName: customerId ? undefined : c.contact.name, contactPhone: customerId ? undefined : c.contact.phone, contactEmail: customerId ? undefined : c.contact.email,
    categoryId: d.categoryIds.get(c.topic.category) ?? null, branchId: d.branchIds.get(c.branch), teamId: d.teamIds.get(c.team), assigneeId: d.staffIds.get(c.agent),
  };
}

/**
 * The agent's (and the customer's) steps on one request, in one transaction whose clock moves from step to
 * step. Returns the request as it ends.
 */
async function workRequest(d: Demo, c: HistoryCase, registered: RequestRow | null): Promise<RequestRow> {
  let clock = registered ? c.analyseAt : c.at;
  const session: Ctx = { ...d.as(c.agent), now: () => new Date(clock) };
  const step = (t: TxCtx, row: RequestRow, ms: number, input: Record<string, unknown>) => {
    clock = ms;
    return transitionTx(t, row, parse(TransitionInput, input));
  };
  return transact(session, async (t) => {
    authorize(t, 'request.create');
    authorize(t, 'request.handle');
    const customer: TxCtx = { ...t, actor: { kind: 'public', orgId: t.orgId, name: c.contact.name } };
    // Staff at the counter talk to the customer when they register the request: that is the first response.
    let row = registered ?? (await registerRequestTx(t, parse(RequestCreate, createInput(d, c)), { respondedAtRegistration: c.channel === 'walk_in', skipRouting: true }));
    if (c.replyAt !== null && c.replyAt < c.analyseAt) {
      clock = c.replyAt;
      await addMessageTx(t, row, { kind: 'reply', body: REPLY, mentions: [], attachmentIds: [] });
    }
    row = await step(t, row, c.analyseAt, { action: 'analyse' });
    if (c.replyAt !== null && c.replyAt >= c.analyseAt) {
      clock = c.replyAt;
      await addMessageTx(t, row, { kind: 'reply', body: REPLY, mentions: [], attachmentIds: [] });
    }
    row = await step(t, row, c.startAt, { action: 'start_handling' });
    if (c.wait) {
      row = await step(t, row, c.wait.at, { action: 'wait_customer', reason: '等待客户提供账号信息和方便上门的时间' });
      clock = c.wait.customerAt;
      await customerMessageTx(customer, row, { body: '账号是我的手机号，明天下午在家。', authorName: c.contact.name, channel: c.channel === 'walk_in' ? 'web' : c.channel });
      row = await loadRequest(t.tx, t, row.id, true);
    }
    row = await step(t, row, c.deliverAt, { action: 'deliver_result', result: c.topic.result });
    const o = c.outcome;
    // Customers of the portal channels confirm and rate on the tracking page; callers and walk-in customers
    // answer their survey afterwards (see rateBySurvey).
    if (o.kind === 'rated' && !bySurvey(c)) {
      clock = o.at;
      row = await customerConfirmTx(customer, row, { solved: true, rating: o.level, comment: o.comment });
    } else if (o.kind === 'not_solved') {
      clock = o.at;
      row = await customerConfirmTx(customer, row, { solved: false, comment: o.comment });
      row = await step(t, row, o.redeliverAt, { action: 'deliver_result', result: '您好，已再次为您处理并确认问题已解决，给您带来不便深表歉意。' });
      row = await step(t, row, o.archiveAt, { action: 'archive', reason: '再次处理后客户确认解决' });
    } else if (o.kind === 'archived') {
      row = await step(t, row, o.at, { action: 'archive', reason: '已办结' });
    }
    return row;
  });
}

/** Phone and walk-in customers rate through their survey (SMS link, QR code at the counter). */
function bySurvey(c: HistoryCase): boolean {
  return c.channel === 'walk_in' || (c.channel === 'phone' && (c.contact.phone !== null || c.contact.customer !== null));
}

/** The survey link sent by SMS for a request (the newest text naming its number), as the customer received it. */
async function smsToken(d: Demo, number: string): Promise<string | null> {
  const rows = await d.ctx.app.database.db.select({ payload: outbox.payload }).from(outbox).where(and(eq(outbox.orgId, d.ctx.orgId), eq(outbox.kind, 'sms'))).orderBy(desc(outbox.id)).limit(5);
  const text = rows.map((r) => (r.payload as { text?: string }).text ?? '').find((x) => x.includes(number));
  return text ? (/\/s\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null) : null;
}

async function rateBySurvey(d: Demo, c: HistoryCase, row: RequestRow): Promise<void> {
  const o = c.outcome;
  if (o.kind !== 'rated' || !bySurvey(c)) return;
  let token: string | null = null;
  if (c.channel === 'walk_in') {
    // The agent prints the QR code at the counter when the result is given; the customer scans it.
    const issued = await issueQrSurvey(actingAt(d, c.agent, c.deliverAt + MINUTE), { requestId: row.id });
    token = /\/s\/([A-Za-z0-9_-]+)/.exec(issued.link)?.[1] ?? null;
  } else {
    token = await smsToken(d, row.number);
  }
  if (!token) {
    // No survey reached the customer: the agent archives the request after a while, unrated.
    const current = await loadRequest(d.ctx.app.database.db, d.ctx, row.id);
    if (current.state === 'feedback') await transitionRequestAt(d, c.agent, o.at, row.id);
    return;
  }
  const aspect = (delta: number) => Math.max(1, Math.min(5, o.level + delta));
  await answerSurvey(d.ctx.app, token, { level: o.level, attitude: aspect(o.level >= 4 ? 0 : 1), speed: aspect(o.level === 5 ? -1 : 0), result: aspect(0), resolved: true, comment: o.comment }, {
    locale: 'zh-CN', ip: null, requestId: null, now: () => new Date(Math.max(o.at, c.deliverAt + 2 * MINUTE)),
  });
}

async function transitionRequestAt(d: Demo, who: string, ms: number, id: string): Promise<void> {
  await transitionRequest(actingAt(d, who, ms), id, { action: 'archive', reason: '已办结' });
}

/** Who verifies a corrective action (as in corrective.ts): the supervisor at the head office, else the manager. */
function verifierFor(d: Demo, hq: string | undefined, a: { branchId: string | null; ownerId: string | null }): string {
  return a.branchId === hq && d.usernames.get(a.ownerId ?? '') !== 'supervisor' ? 'supervisor' : 'manager';
}

const CA_WORK: Record<string, { rootCause: string; actionsTaken: string }> = {
  服务态度: { rootCause: '当事人高峰时段情绪管理不足，未执行文明服务用语规范。', actionsTaken: '当事人书面检查并重新培训服务规范；班组晨会复述文明用语；班组长一周内随机抽听录音。' },
  办理时效: { rootCause: '派单后未跟踪上门进度，超时未预警到班组长。', actionsTaken: '派单后 24 小时未上门自动提醒班组长；每日下班前核对未完成工单。' },
  账单查询: { rootCause: '增值业务开通未经二次确认，系统配置存在漏洞。', actionsTaken: '增值业务开通增加短信二次确认；对同类订单全面排查并退费。' },
};
const CA_DEFAULT = { rootCause: '受理后未及时告知客户处理进度，客户体验不佳。', actionsTaken: '对当事人进行沟通技巧辅导；处理超过一天的工单每日向客户同步进度。' };

/** Callbacks drawn at archive, verification of bad ratings, and the corrective actions of the request. */
async function followUp(d: Demo, c: HistoryCase, row: RequestRow, hq: string | undefined, random: () => number): Promise<void> {
  const db = d.ctx.app.database.db;
  const callerFor = (branchId: string) => (branchId === hq ? 'supervisor' : 'manager');
  // Nothing after the seed: the follow-ups of the last requests are squeezed into the half hour before it.
  const latest = d.ctx.now().getTime() - 30 * MINUTE;
  const by = (who: string, ms: number) => actingAt(d, who, Math.min(ms, latest));
  let when = c.followUpAt;
  const pending = await db.select().from(callbacks).where(and(eq(callbacks.requestId, row.id), eq(callbacks.state, 'pending')));
  for (const cb of pending.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))) {
    const caller = callerFor(cb.branchId ?? '');
    if (cb.purpose === 'verify') {
      await performCallback(by(caller, when), cb.id, { outcome: 'reached', verdict: 'confirmed', remarks: '回访核实：客户确认对本次服务不满意，已记录客户意见。' });
    } else {
      if (random() < 0.15) {
        await performCallback(by(caller, when), cb.id, { outcome: 'not_reached', remarks: '无人接听，稍后再拨。' });
        when += 2 * HOUR;
      }
      const level = c.outcome.kind === 'rated' ? c.outcome.level : random() < 0.7 ? 5 : 4;
      await performCallback(by(caller, when), cb.id, { outcome: 'reached', level, remarks: level >= 4 ? '客户表示问题已解决，对服务满意。' : '客户对处理结果基本认可，希望今后响应更快。' });
    }
    when += 10 * MINUTE;
  }
  // The actions the request is linked to (its bad rating, its upheld complaint or the cluster that complaint joined).
  const linked = await db.select({ id: correctiveActionRequests.actionId }).from(correctiveActionRequests).where(and(eq(correctiveActionRequests.orgId, d.ctx.orgId), eq(correctiveActionRequests.requestId, row.id)));
  const actions = linked.length === 0 ? [] : await db.select().from(correctiveActions).where(and(inArray(correctiveActions.id, linked.map((l) => l.id)), inArray(correctiveActions.state, ['open', 'in_progress'])));
  for (const found of actions.sort((a, b) => a.number.localeCompare(b.number))) {
    let action = found;
    // A service hall's team has no lead and its branch no manager: the manager gives the action to the agent
    // concerned; a cluster of complaints across branches, to the lead of the hotline team.
    const ownerId = action.ownerId ?? action.agentId ?? d.staffIds.get('lead') ?? null;
    if (!action.ownerId && ownerId) {
      await assignOwner(by('manager', when), action.id, { ownerId });
      action = { ...action, ownerId };
    }
    const owner = action.ownerId ? d.usernames.get(action.ownerId) : undefined;
    if (!owner) continue;
    const work = action.source === 'complaint' ? (CA_WORK[c.topic.category] ?? CA_DEFAULT) : CA_DEFAULT;
    await recordWork(by(owner, when), action.id, work);
    await stepAction(by(owner, when + HOUR), action.id, { step: 'submit' });
    // Most are verified the next working day; a few wait more than a week (closed late).
    const verifiedAt = when + (random() < 0.15 ? 8 * DAY : 20 * HOUR);
    await stepAction(by(verifierFor(d, hq, action), verifiedAt), action.id, { step: 'accept', note: '整改措施已落实，同意关闭。' });
    when += 2 * HOUR;
  }
}

/** Seeds the history (after the rest of the demo: it reads the desk's categories and the people). */
export async function seedDemoHistory(ctx: Ctx, as: (username: string) => Ctx): Promise<number> {
  const db = ctx.app.database.db;
  const orgId = ctx.orgId;
  const [people, teamRows, branchRows, categoryRows, customerRows] = await Promise.all([
    db.select({ id: staff.id, username: staff.username }).from(staff).where(eq(staff.orgId, orgId)),
    db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.orgId, orgId)),
    db.select({ id: branches.id, code: branches.code }).from(branches).where(eq(branches.orgId, orgId)),
    db.select({ id: requestCategories.id, name: requestCategories.name }).from(requestCategories).where(eq(requestCategories.orgId, orgId)),
    db.select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.orgId, orgId)),
  ]);
  const d: Demo = {
    ctx, as,
    staffIds: new Map(people.map((p) => [p.username, p.id])),
    usernames: new Map(people.map((p) => [p.id, p.username])),
    teamIds: new Map(teamRows.map((r) => [r.name, r.id])),
    branchIds: new Map(branchRows.map((r) => [r.code, r.id])),
    categoryIds: new Map(categoryRows.map((r) => [r.name, r.id])),
    customerIds: new Map(customerRows.map((r) => [r.name, r.id])),
  };
  const hq = d.branchIds.get('HQ');
  const random = generator(20260930);
  const plan = planHistory(ctx.now().getTime());
  const customerPhones = new Map<string, string>([['刘桂兰', '13812341188'], ['陈晓明', '13955556666'], ['周海燕', '13600001234'], ['吴国庆', '13787654321'], ['郑丽华', '18612345678'], ['王志刚', '15011112222']]);
  let missed = 0;
  for (const [i, c] of plan.entries()) {
    let row: RequestRow;
    if (c.call) {
      const iso = (ms: number) => new Date(ms).toISOString();
      const caller = c.contact.phone ?? (c.contact.customer ? (customerPhones.get(c.contact.customer) ?? null) : null);
      const externalId = `HXH${String(i + 1).padStart(5, '0')}`;
      const { call } = await createCall(actingAt(d, null, c.call.endedAt + 5000), {
        externalId, direction: 'inbound', caller, line: HOTLINE, ringAt: iso(c.call.ringAt), answeredAt: iso(c.call.answeredAt), endedAt: iso(c.call.endedAt), agent: c.agent,
        recordingUrl: `https://pbx.huaxin.example.cn/rec/${externalId}.mp3`,
      });
      const input = createInput(d, c);
      if (c.call.resolvedOnCall) {
        const handled = await resolveCall(actingAt(d, c.agent, c.call.endedAt + 40_000), call.id, {
          notes: c.topic.result, type: c.topic.type, subject: c.topic.subject, customerId: input.customerId, contactName: input.contactName ?? null, categoryId: input.categoryId,
        });
        row = await loadRequest(db, ctx, handled.request.id);
      } else {
        const handled = await callToRequest(actingAt(d, c.agent, c.call.endedAt + 30_000), call.id, {
          type: c.topic.type, priority: c.priority, subject: c.topic.subject, description: c.topic.description, customerId: input.customerId,
          contactName: input.contactName ?? null, categoryId: input.categoryId, teamId: input.teamId, assigneeId: input.assigneeId,
        });
        row = await workRequest(d, c, await loadRequest(db, ctx, handled.request.id));
      }
      // Now and then a caller hangs up before anyone answers (not offered to a request).
      if (random() < 0.08) {
        const ringAt = c.call.ringAt + 17 * MINUTE;
        await createCall(actingAt(d, null, ringAt + 40_000), { externalId: `HXM${String(++missed).padStart(5, '0')}`, direction: 'inbound', caller: null, line: HOTLINE, ringAt: iso(ringAt), answeredAt: null, endedAt: iso(ringAt + 35_000) });
      }
    } else {
      row = await workRequest(d, c, null);
    }
    if (c.verdict) {
      const note = c.verdict.upheld ? '经调取记录核实，投诉反映的问题属实。' : '经调取记录核实，工作人员处理符合规范，投诉不属实，已向客户解释。';
      await complaintVerdict(actingAt(d, c.agent, c.verdict.at), row.id, { upheld: c.verdict.upheld, note });
    }
    await rateBySurvey(d, c, row);
    await followUp(d, c, row, hq, random);
  }
  return plan.length;
}
