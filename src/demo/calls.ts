/**
 * The demo organization's hotline: some fifty call records of the last six days, so the calls page and its
 * service level show something on a fresh start. They go through the services like the telephony system's
 * pushes (POST /calls) would, each at the moment the call ended: most answered within seconds, some slowly,
 * a few missed (one a misdial hung up at once) and called back; agents wrote notes on about half of them.
 * The figures are drawn from a seeded generator, so every fresh demo has the same pattern, relative to the
 * moment it is seeded. None is turned into a request: the demo desk's requests are those of requests.ts.
 */
import { DateTime } from 'luxon';
import type { Ctx } from '../core/context.js';
import { createCall, updateCall } from '../modules/channels/calls.js';
import { mulberry32 as generator } from '../core/prng.js';

/** The demo organization's zone (see seed.ts): calls ring in its office day. */
const ZONE = 'Asia/Shanghai';
const HOTLINE = '027-12345';
const DAYS = 6;
/** The newest demo call rang at least this long before the seed, leaving the last minutes to real use. */
const QUIET_MS = 40 * 60_000;

/** The hotline agents (热线服务组) and how often each takes a call. */
const AGENTS = ['zhangwei', 'zhangwei', 'liuyang', 'liuyang', 'lead'];
/** The demo customers' numbers (linked to them by the service) and other callers. */
const CALLERS = [
  '13812341188', '13955556666', '13600001234', '13787654321', '18612345678', '15011112222',
  '13507214521', '13971083362', '18986120437', '15927306618', '13657280913', '18062541177',
  '13297946005', '15171420389', '13886017752', '17771839026', '13125408867', '18271653390',
];
const NOTES = [
  '咨询宽带资费，已介绍当前套餐',
  '查询本月账单明细，已说明计费方式',
  '报修：家中宽带无法连接，已指导重启光猫后恢复',
  '咨询营业厅营业时间及地址',
  '询问退费到账时间，告知 3–5 个工作日',
  '咨询老年人优惠套餐办理条件',
  '反映小区水压偏低，已记录并告知维修班组',
  '咨询过户所需材料，已逐项说明',
  '咨询电子发票开具方式',
  '反映上门服务人员迟到，已致歉并记录',
  '查询故障报修进度',
  '咨询停水通知及恢复时间',
];

interface DemoCall {
  externalId: string;
  direction: 'inbound' | 'outbound';
  caller: string | null;
  ringAt: number;
  answeredAt: number | null;
  endedAt: number;
  agent: string | null;
  notes: string | null;
}

/** The calls of the demo, oldest first. */
function plan(seededAt: number): DemoCall[] {
  const random = generator(20261123);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const today = DateTime.fromMillis(seededAt, { zone: ZONE }).startOf('day');
  const out: DemoCall[] = [];
  let misdialDone = false;
  for (let d = DAYS - 1; d >= 0; d--) {
    const day = today.minus({ days: d });
    // 7–10 calls between 08:30 and 20:30, busiest in the morning.
    const count = between(7, 10);
    const minutes = Array.from({ length: count }, () => (random() < 0.6 ? between(8 * 60 + 30, 12 * 60) : between(12 * 60, 20 * 60 + 30))).sort((a, b) => a - b);
    minutes.forEach((minute, i) => {
      const ringAt = day.plus({ minutes: minute, seconds: between(0, 59) }).toMillis();
      const externalId = `HX${day.toFormat('yyyyMMdd')}${String(i + 1).padStart(4, '0')}`;
      const caller = random() < 0.05 ? null : pick(CALLERS);
      const roll = random();
      if (!misdialDone && d === 2 && i === 1) {
        // A misdial: hung up within two seconds (a short abandon, not offered).
        misdialDone = true;
        out.push({ externalId, direction: 'inbound', caller, ringAt, answeredAt: null, endedAt: ringAt + 2000, agent: null, notes: null });
        return;
      }
      if (roll >= 0.94) {
        // Nobody answered: the caller gave up after ringing a while; half of them were called back.
        const endedAt = ringAt + between(15, 60) * 1000;
        out.push({ externalId, direction: 'inbound', caller, ringAt, answeredAt: null, endedAt, agent: null, notes: null });
        if (caller && random() < 0.6) {
          const back = endedAt + between(10, 40) * 60_000;
          const answeredAt = back + between(6, 20) * 1000;
          out.push({
            externalId: `${externalId}CB`, direction: 'outbound', caller, ringAt: back, answeredAt, endedAt: answeredAt + between(60, 240) * 1000,
            agent: pick(AGENTS), notes: '回拨未接来电：客户询问账单问题，已解答',
          });
        }
        return;
      }
      // Answered: mostly within seconds, some slowly (a busy hour).
      const delay = roll < 0.7 ? between(2, 12) : roll < 0.84 ? between(13, 20) : roll < 0.91 ? between(21, 45) : between(46, 110);
      const answeredAt = ringAt + delay * 1000;
      out.push({
        externalId, direction: 'inbound', caller, ringAt, answeredAt, endedAt: answeredAt + between(40, 420) * 1000,
        agent: pick(AGENTS), notes: random() < 0.55 ? pick(NOTES) : null,
      });
    });
  }
  return out.filter((c) => c.ringAt <= seededAt - QUIET_MS && c.endedAt <= seededAt).sort((a, b) => a.ringAt - b.ringAt);
}

/**
 * Records the demo calls: pushed by the telephony system (the system context) the moment each ended, and
 * the agent's notes written a minute later by the agent.
 */
export async function seedDemoCalls(ctx: Ctx, as: (username: string) => Ctx): Promise<void> {
  const seededAt = ctx.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const c of plan(seededAt)) {
    const pushed: Ctx = { ...ctx, now: () => new Date(c.endedAt + 5000) };
    const { call } = await createCall(pushed, {
      externalId: c.externalId, direction: c.direction, caller: c.caller, line: HOTLINE,
      ringAt: iso(c.ringAt), answeredAt: c.answeredAt === null ? null : iso(c.answeredAt), endedAt: iso(c.endedAt), agent: c.agent ?? undefined,
      recordingUrl: c.answeredAt === null ? null : `https://pbx.huaxin.example.cn/rec/${c.externalId}.mp3`,
    });
    if (c.notes && c.agent) {
      const writtenAt = Math.min(c.endedAt + 60_000, seededAt);
      await updateCall({ ...as(c.agent), now: () => new Date(writtenAt) }, call.id, { notes: c.notes });
    }
  }
}
