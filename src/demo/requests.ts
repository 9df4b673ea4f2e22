/**
 * The demo organization's service desk: a category tree, routing rules, the special team, and a day's worth
 * of requests at every step of the loop. Every record goes through the real services, registered at times
 * in the recent past, so their clocks are real: some are met, some running, some already breached.
 */
import { eq } from 'drizzle-orm';
import type { Ctx } from '../core/context.js';
import { transact } from '../core/context.js';
import { customers } from '../core/db/schema.js';
import { createCategory } from '../modules/requests/categories.js';
import { createRoutingRule } from '../modules/requests/routing.js';
import * as R from '../modules/requests/service.js';

const TREE: [string, string, [string, string][]][] = [
  ['账户与缴费', 'Accounts and billing', [['账单查询', 'Bill enquiries'], ['退费/退款', 'Refunds'], ['发票', 'Invoices']]],
  ['故障报修', 'Faults and repairs', [['宽带故障', 'Broadband faults'], ['设备故障', 'Equipment faults'], ['上门服务', 'Home visits']]],
  ['业务办理', 'Services', [['开户/过户', 'Opening and transfer'], ['套餐变更', 'Plan changes'], ['预约办理', 'Appointments']]],
  ['服务质量', 'Service quality', [['服务态度', 'Staff attitude'], ['办理时效', 'Handling time']]],
  ['意见建议', 'Suggestions', []],
];

export interface DemoDesk {
  ctx: Ctx;
  as: (username: string) => Ctx;
  teamIds: Map<string, string>;
  branchIds: Record<'HQ' | 'EAST' | 'WEST', string>;
  staffIds: Map<string, string>;
}

export async function seedDemoDesk(d: DemoDesk): Promise<void> {
  const { ctx, as, teamIds, branchIds, staffIds } = d;
  const category = new Map<string, string>();
  let position = 0;
  for (const [name, nameEn, children] of TREE) {
    const parent = await createCategory(ctx, { name, nameEn, position: position++ });
    category.set(name, parent.id);
    for (const [i, [child, childEn]] of children.entries()) category.set(child, (await createCategory(ctx, { name: child, nameEn: childEn, parentId: parent.id, position: i })).id);
  }
  await R.updateRequestSettings(ctx, { specialTeamId: teamIds.get('专项小组')!, inboundAddresses: ['service@huaxin.example.cn'] });
  const rules = [
    { name: '紧急故障 → 热线服务组（负载最少者）', conditions: { types: ['urgent_fault'] }, teamId: teamIds.get('热线服务组')!, strategy: 'least_loaded' },
    { name: '城东分公司 → 城东窗口组', conditions: { branchIds: [branchIds.EAST] }, teamId: teamIds.get('城东窗口组')!, strategy: 'round_robin' },
    { name: '城西分公司 → 城西窗口组', conditions: { branchIds: [branchIds.WEST] }, teamId: teamIds.get('城西窗口组')!, strategy: 'round_robin' },
    { name: '线上渠道 → 在线服务组', conditions: { channels: ['web', 'app', 'chat', 'email', 'social'] }, teamId: teamIds.get('在线服务组')!, strategy: 'round_robin' },
    { name: '其余 → 热线服务组', conditions: {}, teamId: teamIds.get('热线服务组')!, strategy: 'round_robin' },
  ] as const;
  for (const [i, rule] of rules.entries()) await createRoutingRule(ctx, { ...rule, position: i * 10 });

  const people = await ctx.app.database.db.select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.orgId, ctx.orgId));
  const customer = (name: string) => people.find((p) => p.name === name)?.id ?? null;
  const now = Date.now();
  const hoursAgo = (h: number) => new Date(now - h * 3600_000);
  /** A context of a person acting at a moment of the past. */
  const at = (username: string, h: number): Ctx => ({ ...as(username), now: () => hoursAgo(h) });

  type Step = [username: string, hoursAgo: number, run: (c: Ctx, id: string) => Promise<unknown>];
  const requests: { who: string; h: number; input: Record<string, unknown>; steps: Step[] }[] = [
    {
      who: 'liuyang', h: 50,
      input: { type: 'service_request', channel: 'phone', subject: '宽带频繁掉线，要求上门检修', description: '客户反映近三天晚上宽带频繁掉线，已自行重启光猫无效。', customerId: customer('刘桂兰'), categoryId: category.get('宽带故障') },
      steps: [
        ['liuyang', 49.5, (c, id) => R.transitionRequest(c, id, { action: 'analyse' })],
        ['liuyang', 49, (c, id) => R.transitionRequest(c, id, { action: 'start_handling', reason: '需上门检修，已预约师傅' })],
        ['liuyang', 30, (c, id) => R.addMessage(c, id, { kind: 'reply', body: '您好，维修师傅已于今天上午上门更换光猫，请您再观察一下网络情况。谢谢！' })],
        ['liuyang', 29, (c, id) => R.transitionRequest(c, id, { action: 'deliver_result', result: '您好，已更换光猫并重新布线，测试网速正常。如仍有问题请随时联系我们，谢谢，再见！' })],
      ],
    },
    {
      who: 'zhangwei', h: 26,
      input: { type: 'complaint', priority: 'major', channel: 'phone', subject: '营业厅工作人员态度恶劣', description: '客户称在城西营业厅办理过户时被工作人员呵斥，要求道歉。', customerId: customer('陈晓明'), categoryId: category.get('服务态度') },
      steps: [
        ['zhangwei', 25.5, (c, id) => R.addMessage(c, id, { kind: 'note', body: '已转专项小组，@陈志强 请跟进调查', mentions: [staffIds.get('lead')!] })],
        ['lead', 25, (c, id) => R.acknowledgeEscalation(c, id)],
        ['lead', 24.5, (c, id) => R.transitionRequest(c, id, { action: 'analyse' })],
      ],
    },
    {
      who: 'yangfan', h: 6,
      input: { type: 'consultation', channel: 'web', subject: '申请退款多久能到账？', description: '上周申请的退费一直没有到账，想问一下进度。', contactName: '周海燕', contactEmail: 'zhouhy@example.cn', customerId: customer('周海燕'), categoryId: category.get('退费/退款') },
      steps: [
        ['yangfan', 5.5, (c, id) => R.transitionRequest(c, id, { action: 'analyse' })],
        ['yangfan', 5, (c, id) => R.transitionRequest(c, id, { action: 'start_handling' })],
        ['yangfan', 4.8, (c, id) => R.addMessage(c, id, { kind: 'reply', body: '您好，请提供退费申请时的手机号码后四位，我们为您查询进度。谢谢！' })],
        ['yangfan', 4.7, (c, id) => R.transitionRequest(c, id, { action: 'wait_customer', reason: '等待客户提供手机号后四位' })],
      ],
    },
    {
      who: 'zhoujie', h: 3,
      input: { type: 'service_request', channel: 'walk_in', subject: '办理过户需要带哪些材料', branchId: branchIds.EAST, customerId: customer('郑丽华'), categoryId: category.get('开户/过户') },
      steps: [
        ['zhoujie', 2.9, (c, id) => R.transitionRequest(c, id, { action: 'analyse' })],
        ['zhoujie', 2.8, (c, id) => R.transitionRequest(c, id, { action: 'start_handling' })],
        ['zhoujie', 2.5, (c, id) => R.transitionRequest(c, id, { action: 'deliver_result', result: '已当面告知所需材料（身份证原件、房产证明、原户主签字的过户申请），客户表示清楚。' })],
        ['zhoujie', 2.4, (c, id) => R.transitionRequest(c, id, { action: 'archive', reason: '当面办结，客户确认' })],
      ],
    },
    {
      who: 'liuyang', h: 1.5,
      input: { type: 'urgent_fault', priority: 'urgent', channel: 'phone', subject: '小区整栋楼停水', description: '幸福家园 3 栋整栋停水，住户较多，老人行动不便。', customerId: customer('王志刚'), categoryId: category.get('设备故障') },
      steps: [],
    },
    {
      who: 'huangli', h: 0.7,
      input: { type: 'suggestion', channel: 'app', subject: '建议 App 增加账单导出功能', description: '希望可以把历史账单导出为 PDF，方便报销。', categoryId: category.get('意见建议'), contactName: '匿名用户' },
      steps: [],
    },
    {
      who: 'guofang', h: 0.3,
      input: { type: 'consultation', channel: 'walk_in', subject: '老年人优惠套餐咨询', branchId: branchIds.WEST, customerId: customer('吴国庆'), categoryId: category.get('套餐变更') },
      steps: [],
    },
  ];
  const ids: string[] = [];
  const teamOf: Record<string, string> = { liuyang: '热线服务组', zhangwei: '热线服务组', yangfan: '在线服务组', zhoujie: '城东窗口组' };
  for (const r of requests) {
    // Requests already worked on were taken by the person who registered them; the rest are routed.
    const taken = r.steps.length > 0 ? { teamId: teamIds.get(teamOf[r.who]!)!, assigneeId: staffIds.get(r.who)! } : {};
    const view = await R.registerRequest(at(r.who, r.h), { ...r.input, ...taken });
    ids.push(view.id);
    for (const [username, h, run] of r.steps) await run(at(username, h), view.id);
  }
  // The refund customer answered by e-mail an hour ago: the request is back in handling, its clocks resumed.
  const past = { ...ctx, now: () => hoursAgo(1) };
  await transact(past, async (t) => {
    const row = await R.loadRequest(t.tx, t, ids[2]!, true);
    await R.customerMessageTx(t, row, { body: '手机号后四位是 5678，麻烦尽快处理。', authorName: '周海燕', channel: 'email' });
  });
}
