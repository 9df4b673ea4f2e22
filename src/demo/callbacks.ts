/**
 * The demo organization's callbacks (回访) and one appeal, made through the services on the demo desk's
 * resolved requests: a callback done (the customer rated 满意), one assigned with a failed attempt, still to
 * call; a bad rating given on the portal, verified by callback as mistaken, and the agent's appeal against
 * it, waiting for the supervisor's decision. Requests of the head office are preferred, so the supervisor
 * (head office) can work them; others are worked by the manager.
 */
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { transact, type Ctx } from '../core/context.js';
import { isAppError } from '../core/errors.js';
import { branches, customers, staff } from '../modules/org/schema.js';
import { requests } from '../modules/requests/schema.js';
import { fileAppeal } from '../modules/evaluations/appeals.js';
import { createCallback, performCallback, assignCallback } from '../modules/evaluations/callbacks.js';
import { recordEvaluationTx } from '../modules/evaluations/evaluations.js';
import { callbacks } from '../modules/evaluations/schema.js';

export async function seedDemoCallbacks(ctx: Ctx, as: (username: string) => Ctx): Promise<void> {
  const db = ctx.app.database.db;
  const [hq] = await db.select({ id: branches.id }).from(branches).where(and(eq(branches.orgId, ctx.orgId), eq(branches.code, 'HQ')));
  const resolved = await db.select().from(requests).where(and(eq(requests.orgId, ctx.orgId), inArray(requests.state, ['feedback', 'archived']))).orderBy(asc(requests.createdAt));
  // A callback is a phone call: requests with a number to call (the contact's or the customer's) come first, and
  // among them the head office's, since the demo supervisor works the head office.
  const withPhone = new Set((await db.select({ id: customers.id }).from(customers).where(and(eq(customers.orgId, ctx.orgId), isNotNull(customers.phoneEnc)))).map((c) => c.id));
  const reachable = resolved.filter((r) => r.contactPhoneEnc !== null || (r.customerId !== null && withPhone.has(r.customerId)));
  const rank = (r: (typeof resolved)[number]) => (reachable.includes(r) ? 0 : 2) + (r.branchId === hq?.id ? 0 : 1);
  const ordered = [...resolved].sort((a, b) => rank(a) - rank(b));
  const callerFor = (r: { branchId: string }) => as(r.branchId === hq?.id ? 'supervisor' : 'manager');
  const [supervisor] = await db.select({ id: staff.id }).from(staff).where(and(eq(staff.orgId, ctx.orgId), eq(staff.username, 'supervisor')));

  /** The request's sample callback: the one archiving drew, or one added by hand. */
  const sampleOf = async (r: (typeof resolved)[number]) => {
    try {
      return (await createCallback(callerFor(r), { requestId: r.id })).id;
    } catch (e) {
      if (!isAppError(e) || e.code !== 'callback.duplicate') throw e;
      const [row] = await db.select({ id: callbacks.id, state: callbacks.state }).from(callbacks).where(and(eq(callbacks.requestId, r.id), eq(callbacks.purpose, 'sample')));
      return row?.state === 'pending' ? row.id : null;
    }
  };

  const [first, second] = ordered;
  // One to call: assigned, one attempt without answer.
  if (first) {
    const id = await sampleOf(first);
    if (id && supervisor && first.branchId === hq?.id) await assignCallback(callerFor(first), id, { assigneeId: supervisor.id });
    if (id) await performCallback(callerFor(first), id, { outcome: 'not_reached', remarks: '上午 10 点拨打无人接听，下午再试。' });
  }
  // One done: the customer was reached and rated 满意.
  if (second) {
    const id = await sampleOf(second);
    if (id) await performCallback(callerFor(second), id, { outcome: 'reached', level: 4, remarks: '客户表示问题已解决，对处理速度满意，建议营业厅增加叫号提示。' });
  }
  // A bad rating left on the portal, verified as mistaken, and the agent's appeal against it.
  const rated = first;
  if (rated?.assigneeId) {
    const [agent] = await db.select({ username: staff.username }).from(staff).where(eq(staff.id, rated.assigneeId));
    const customer: Ctx = { ...ctx, actor: { kind: 'public', orgId: ctx.orgId, name: '客户' } };
    const evaluation = await transact(customer, (t) => recordEvaluationTx(t, { source: 'portal', requestId: rated.id, level: 2, comment: '等了好久' }));
    const [verify] = await db.select({ id: callbacks.id }).from(callbacks).where(and(eq(callbacks.evaluationId, evaluation.id), eq(callbacks.purpose, 'verify')));
    if (verify && agent) {
      await performCallback(callerFor(rated), verify.id, { outcome: 'reached', verdict: 'mistaken', remarks: '客户表示本想选“满意”，手机上误点了“不满意”，对处理结果没有意见。' });
      await fileAppeal(as(agent.username), evaluation.id, { reason: '回访核实为客户误评，申请不计入本人考核。' });
    }
  }
}
