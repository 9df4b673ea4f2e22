/**
 * Routing: administrators' rules decide the team or person a newly registered request goes to; within a
 * team, round-robin or least-loaded among the agents on duty (their duty calendar has working time now).
 */
import { and, asc, count, eq, inArray, notInArray } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx, type TxCtx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { compiledOf } from '../calendars/service.js';
import { calendarsOf } from '../clocks/service.js';
import { categoriesOf, lineageOf, routingRulesOf } from './config.js';
import { staff, teamMembers, teams } from '../org/schema.js';
import * as C from './contracts.js';
import { onDuty } from './duty.js';
import type { RequestRow } from './records.js';
import { pickAssignee, ruleMatches, type Strategy } from './routing-rules.js';
import { requestCategories, requestEvents, requests, routingRules } from './schema.js';

type RuleRow = typeof routingRules.$inferSelect;

function present(row: RuleRow): C.RoutingRuleView {
  return {
    id: row.id, name: row.name, position: row.position, active: row.active, conditions: row.conditions as C.RoutingRuleView['conditions'],
    teamId: row.teamId, staffId: row.staffId, strategy: row.strategy as Strategy, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

async function checkTargets(exec: Executor, orgId: string, data: C.RoutingRuleInput) {
  if (data.teamId) {
    const [team] = await exec.select({ id: teams.id }).from(teams).where(and(eq(teams.id, data.teamId), eq(teams.orgId, orgId)));
    if (!team) throw new AppError('org.invalid_reference', { entity: 'team' }, { field: 'teamId' });
  }
  if (data.staffId) {
    const [person] = await exec.select({ id: staff.id }).from(staff).where(and(eq(staff.id, data.staffId), eq(staff.orgId, orgId)));
    if (!person) throw new AppError('org.invalid_reference', { entity: 'staff' }, { field: 'staffId' });
  }
  if (data.conditions.categoryIds.length > 0) {
    const found = await exec.select({ id: requestCategories.id }).from(requestCategories).where(and(eq(requestCategories.orgId, orgId), inArray(requestCategories.id, data.conditions.categoryIds)));
    if (found.length !== new Set(data.conditions.categoryIds).size) throw new AppError('org.invalid_reference', { entity: 'category' }, { field: 'conditions.categoryIds' });
  }
}

export async function listRoutingRules(ctx: Ctx): Promise<C.RoutingRuleView[]> {
  authorize(ctx, 'request.read');
  const rows = await ctx.app.database.db.select().from(routingRules).where(eq(routingRules.orgId, ctx.orgId)).orderBy(asc(routingRules.position), asc(routingRules.createdAt));
  return rows.map(present);
}

async function loadRule(exec: Executor, orgId: string, id: string, lock = false): Promise<RuleRow> {
  const q = exec.select().from(routingRules).where(and(eq(routingRules.id, id), eq(routingRules.orgId, orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'rule' });
  return row;
}

export async function createRoutingRule(ctx: Ctx, input: unknown): Promise<C.RoutingRuleView> {
  authorize(ctx, 'request.configure');
  const data = parse(C.RoutingRuleInput, input);
  return transact(ctx, async (t) => {
    await checkTargets(t.tx, t.orgId, data);
    const now = t.now();
    const [row] = await t.tx.insert(routingRules).values({ orgId: t.orgId, ...data, createdAt: now, updatedAt: now }).returning();
    const view = present(row!);
    await audit(t, { action: 'routing_rule.create', entityType: 'routing_rule', entityId: row!.id, after: view });
    await t.emit('routing_rule.created', { entityType: 'routing_rule', entityId: row!.id });
    return view;
  });
}

export async function updateRoutingRule(ctx: Ctx, id: string, input: unknown): Promise<C.RoutingRuleView> {
  authorize(ctx, 'request.configure');
  const data = parse(C.RoutingRuleInput, input);
  return transact(ctx, async (t) => {
    const before = present(await loadRule(t.tx, t.orgId, id, true));
    await checkTargets(t.tx, t.orgId, data);
    const [row] = await t.tx.update(routingRules).set({ ...data, updatedAt: t.now() }).where(eq(routingRules.id, id)).returning();
    const view = present(row!);
    await audit(t, { action: 'routing_rule.update', entityType: 'routing_rule', entityId: id, before, after: view });
    await t.emit('routing_rule.updated', { entityType: 'routing_rule', entityId: id });
    return view;
  });
}

export async function deleteRoutingRule(ctx: Ctx, id: string): Promise<{ ok: true }> {
  authorize(ctx, 'request.configure');
  return transact(ctx, async (t) => {
    const before = present(await loadRule(t.tx, t.orgId, id, true));
    await t.tx.delete(routingRules).where(eq(routingRules.id, id));
    await audit(t, { action: 'routing_rule.delete', entityType: 'routing_rule', entityId: id, before });
    await t.emit('routing_rule.deleted', { entityType: 'routing_rule', entityId: id });
    return { ok: true as const };
  });
}

/** Active members of a team who are on duty now, with their open-request load. */
export async function onDutyMembers(t: TxCtx, teamId: string, at: Date): Promise<{ id: string; load: number }[]> {
  const members = await t.tx
    .select({ id: staff.id, dutyCalendarId: staff.dutyCalendarId })
    .from(teamMembers)
    .innerJoin(staff, eq(staff.id, teamMembers.staffId))
    .where(and(eq(teamMembers.teamId, teamId), eq(staff.active, true), inArray(staff.role, ['agent', 'team_lead'])));
  if (members.length === 0) return [];
  const { byId, fallback } = await calendarsOf(t);
  const onDutyIds = members
    .filter((m) => {
      const row = (m.dutyCalendarId ? byId.get(m.dutyCalendarId) : undefined) ?? fallback;
      return row ? onDuty(compiledOf(row), at) : true;
    })
    .map((m) => m.id);
  if (onDutyIds.length === 0) return [];
  const loads = await t.tx
    .select({ id: requests.assigneeId, n: count() })
    .from(requests)
    .where(and(eq(requests.orgId, t.orgId), inArray(requests.assigneeId, onDutyIds), notInArray(requests.state, ['archived', 'merged'])))
    .groupBy(requests.assigneeId);
  const loadOf = new Map(loads.map((l) => [l.id, l.n]));
  return onDutyIds.map((id) => ({ id, load: loadOf.get(id) ?? 0 }));
}

export interface RoutePlan {
  rule: RuleRow;
  teamId: string | null;
  assigneeId: string | null;
}

/**
 * The first matching rule's decision for a request about to be registered (the organization's active rules
 * come from the configuration cache); null when no rule applies or it names nobody available.
 */
export async function planRoute(
  t: TxCtx,
  facts: { type: string; priority: string; channel: string; categoryId: string | null; customerFlags: string[]; branchId: string; teamId: string | null },
): Promise<RoutePlan | null> {
  const rules = await routingRulesOf(t);
  if (rules.length === 0) return null;
  const categoryIds = facts.categoryId ? lineageOf(await categoriesOf(t), facts.categoryId) : [];
  const rule = rules.find((r) => ruleMatches(r.conditions, { ...facts, categoryIds }));
  if (!rule) return null;
  let teamId = rule.teamId ?? facts.teamId;
  let assigneeId: string | null = null;
  if (rule.staffId) {
    const [person] = await t.tx.select({ id: staff.id, active: staff.active }).from(staff).where(eq(staff.id, rule.staffId));
    if (person?.active) assigneeId = person.id;
  } else if (rule.teamId) {
    // The rule's last assignee changes with every routed request: read it now, not from the cache.
    const [current] = await t.tx.select({ lastAssignedId: routingRules.lastAssignedId }).from(routingRules).where(eq(routingRules.id, rule.id));
    assigneeId = pickAssignee(rule.strategy as Strategy, await onDutyMembers(t, rule.teamId, t.now()), current?.lastAssignedId ?? null);
  }
  if (!teamId && !assigneeId) return null;
  teamId ??= null;
  return { rule, teamId, assigneeId };
}

/** Records a routing decision applied to a request just written: the rule's last assignee, the timeline, the audit log. */
export async function recordRoute(t: TxCtx, row: RequestRow, plan: RoutePlan): Promise<void> {
  const { rule, teamId, assigneeId } = plan;
  if (assigneeId) await t.tx.update(routingRules).set({ lastAssignedId: assigneeId }).where(eq(routingRules.id, rule.id));
  await t.tx.insert(requestEvents).values({
    orgId: t.orgId, requestId: row.id, kind: 'assign', responsibleId: row.responsibleId, data: { ruleId: rule.id, ruleName: rule.name, toTeamId: teamId, toAssigneeId: assigneeId },
    actorType: 'system', actorId: null, actorName: 'routing', at: t.now(),
  });
  await audit(t, { action: 'request.route', entityType: 'request', entityId: row.id, after: { ruleId: rule.id, teamId, assigneeId } });
}
