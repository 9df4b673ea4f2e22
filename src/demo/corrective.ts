/**
 * The demo organization's corrective actions (整改), raised and worked through the services on the demo
 * desk's requests: the bad rating the callbacks demo left (worked by its owner, in progress), an upheld
 * complaint (closed after verification), a finding raised by hand (submitted, waiting for verification) and
 * an inspection finding still open. Each step is taken by the person whose job it is: the owner works and submits, the supervisor
 * (or, outside the head office, the manager) verifies.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Ctx } from '../core/context.js';
import { complaintVerdict } from '../modules/corrective-actions/findings.js';
import { correctiveActions } from '../modules/corrective-actions/schema.js';
import { createAction, recordRecontact, recordWork, stepAction } from '../modules/corrective-actions/service.js';
import { branches, staff, teams } from '../modules/org/schema.js';
import { requests } from '../modules/requests/schema.js';

export async function seedDemoCorrective(ctx: Ctx, as: (username: string) => Ctx): Promise<void> {
  const db = ctx.app.database.db;
  const [hq] = await db.select({ id: branches.id }).from(branches).where(and(eq(branches.orgId, ctx.orgId), eq(branches.code, 'HQ')));
  const people = await db.select({ id: staff.id, username: staff.username }).from(staff).where(eq(staff.orgId, ctx.orgId));
  const usernameOf = (id: string | null) => people.find((p) => p.id === id)?.username ?? 'manager';
  const verifierFor = (a: { branchId: string | null; ownerId: string | null }) => (a.branchId === hq?.id && usernameOf(a.ownerId) !== 'supervisor' ? 'supervisor' : 'manager');
  const load = async (id: string) => (await db.select().from(correctiveActions).where(eq(correctiveActions.id, id)))[0]!;

  // The bad rating left by the callbacks demo: its owner has analysed it and is working on it.
  const [badRating] = await db.select().from(correctiveActions).where(and(eq(correctiveActions.orgId, ctx.orgId), eq(correctiveActions.source, 'bad_rating'))).orderBy(asc(correctiveActions.createdAt)).limit(1);
  if (badRating?.ownerId) {
    await recordWork(as(usernameOf(badRating.ownerId)), badRating.id, { rootCause: '受理后未在承诺时限内告知客户处理进度，客户多次来电询问。' });
  }

  // An upheld complaint: rectified, the customer re-contacted, verified and closed.
  const complaints = await db.select().from(requests).where(and(eq(requests.orgId, ctx.orgId), eq(requests.type, 'complaint'))).orderBy(asc(requests.createdAt));
  const handlerOf = (r: (typeof complaints)[number]) => as(r.assigneeId ? usernameOf(r.assigneeId) : 'lead');
  const [first] = complaints.filter((r) => r.state !== 'merged');
  if (first) {
    const verdict = await complaintVerdict(handlerOf(first), first.id, { upheld: true, note: '经调取录音核实，工作人员确有语气生硬、未使用规范用语的情况，投诉属实。' });
    const action = verdict.actions.find((a) => a.source === 'complaint' || a.source === 'cluster');
    if (action) {
      const row = await load(action.id);
      const owner = as(usernameOf(row.ownerId));
      await recordWork(owner, row.id, { rootCause: '窗口人员业务繁忙时情绪管理不足，未严格执行文明服务用语规范。', actionsTaken: '对当事人进行服务规范再培训并书面检查；班组每日晨会复述文明用语；增设高峰时段引导员。' });
      await recordRecontact(owner, row.id, { note: '已电话向客户致歉并说明整改措施，客户表示接受。' });
      await stepAction(owner, row.id, { step: 'submit' });
      await stepAction(as(verifierFor(row)), row.id, { step: 'accept', note: '整改措施具体，回访到位，同意关闭。' });
    }
  }
  // A finding raised by hand from the monthly review of the figures, rectified and waiting for verification.
  const [hotline] = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, ctx.orgId), eq(teams.name, '热线服务组')));
  const manual = await createAction(as('manager'), { source: 'manual', teamId: hotline?.id, finding: '月度分析：热线夜间时段首次响应超时集中，占当月超时的 62%。' });
  const manualRow = await load(manual.id);
  const manualOwner = as(usernameOf(manualRow.ownerId));
  await recordWork(manualOwner, manual.id, { rootCause: '夜间仅一人值守，来电高峰（21:00–23:00）无人接续。', actionsTaken: '21:00–23:00 增加一名值守；超时前 10 分钟提醒班组长接续。' });
  await stepAction(manualOwner, manual.id, { step: 'submit' });

  // An inspection finding (检查发现), still open for the hotline team's lead.
  await createAction(as('supervisor'), {
    source: 'inspection', reference: 'JC-2026-001', teamId: hotline?.id, finding: '质量监督部抽查热线录音 20 通：3 通未按规范报工号，1 通未复述客户诉求。',
  });
}
