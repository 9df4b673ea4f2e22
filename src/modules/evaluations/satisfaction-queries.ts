/**
 * Satisfaction by request, agent, team, branch, channel, request type or period (day, week, month, quarter
 * in the organization's time zone): one SQL aggregation sums each group's ratings per side, and the pure
 * satisfaction.ts turns the sums into the figure. Also the ratings list behind the figures.
 */
import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { rowsOf, type Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { versionsInForce } from '../commitments/service.js';
import { branches, organizations, staff, teams } from '../org/schema.js';
import { loadRequest, resource } from '../requests/records.js';
import { requests } from '../requests/schema.js';
import * as C from './contracts.js';
import { emptySums, satisfactionOf, type FigureKind, type SatisfactionSums, type Weights } from './satisfaction.js';
import { evaluations } from './schema.js';
import { surveySettingsOf } from './survey-settings.js';

/** The weights in force: the first satisfaction target of a published commitment that sets them, else the settings. */
export async function weightsInForce(exec: Executor, orgId: string): Promise<{ weights: Weights; from: 'commitment' | 'settings' }> {
  for (const version of await versionsInForce(exec, orgId)) {
    for (const target of version.targets) {
      if (target.kind === 'rate' && (target.metric === 'satisfaction_score' || target.metric === 'satisfaction_rate') && target.weights) return { weights: target.weights, from: 'commitment' };
    }
  }
  const settings = await surveySettingsOf(exec, orgId);
  return { weights: settings.weights, from: 'settings' };
}

async function timeZoneOf(exec: Executor, orgId: string): Promise<string> {
  const [org] = await exec.select({ tz: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId));
  return org?.tz ?? 'Asia/Shanghai';
}

/** Local dates (inclusive) in the time zone as conditions on `at`. */
function periodConditions(from: string | undefined, to: string | undefined, tz: string): SQL[] {
  const out: SQL[] = [];
  if (from) out.push(sql`${evaluations.at} >= (${from}::date::timestamp AT TIME ZONE ${tz})`);
  if (to) out.push(sql`${evaluations.at} < ((${to}::date + 1)::timestamp AT TIME ZONE ${tz})`);
  return out;
}

const KEY: Record<Exclude<C.SatisfactionQuery['groupBy'], undefined>, SQL> = {
  none: sql`NULL::text`,
  request: sql`request_id::text`,
  agent: sql`agent_id::text`,
  team: sql`team_id::text`,
  branch: sql`branch_id::text`,
  channel: sql`channel`,
  requestType: sql`request_type`,
  period: sql`NULL::text`, // replaced below (needs the period and time zone)
};

/** Satisfaction figures grouped as asked (see docs/evaluations.md). */
export async function satisfaction(ctx: Ctx, input: unknown): Promise<C.SatisfactionResult> {
  authorize(ctx, 'evaluation.read');
  const q = parse(C.SatisfactionQuery, input);
  const db = ctx.app.database.db;
  if (q.requestId) authorize(ctx, 'evaluation.read', resource(await loadRequest(db, ctx, q.requestId)));
  const [tz, settings, w] = await Promise.all([timeZoneOf(db, ctx.orgId), surveySettingsOf(db, ctx.orgId), weightsInForce(db, ctx.orgId)]);
  const kind: FigureKind = ['agent', 'team', 'branch'].includes(q.groupBy) || q.agentId || q.teamId || q.branchId ? 'personal' : 'service';
  const key = q.groupBy === 'period' ? sql`to_char(date_trunc(${q.period}, at AT TIME ZONE ${tz}), 'YYYY-MM-DD')` : KEY[q.groupBy];
  const where: SQL[] = [sql`org_id = ${ctx.orgId}`, ...periodConditions(q.from, q.to, tz)];
  const branch = branchFilter(ctx.actor);
  if (branch) where.push(sql`branch_id = ${branch}`);
  if (q.agentId) where.push(sql`agent_id = ${q.agentId}`);
  if (q.teamId) where.push(sql`team_id = ${q.teamId}`);
  if (q.branchId) where.push(sql`branch_id = ${q.branchId}`);
  if (q.requestId) where.push(sql`request_id = ${q.requestId}`);
  if (q.channel) where.push(sql`channel = ${q.channel}`);
  if (q.requestType) where.push(sql`request_type = ${q.requestType}`);
  const from = settings.satisfiedFromLevel;
  const counted = kind === 'personal' ? sql`NOT excluded AND verification IS DISTINCT FROM 'pending'` : sql`NOT excluded`;
  const side = (s: string) =>
    s === 'survey' ? sql`source IN ('survey', 'portal', 'campaign')` : s === 'callback' ? sql`source = 'callback'` : sql`source = 'default'`;
  const sums = (s: string) => sql`
    count(*) FILTER (WHERE ${counted} AND ${side(s)})::int AS ${sql.identifier(`${s}_count`)},
    coalesce(sum(level) FILTER (WHERE ${counted} AND ${side(s)}), 0)::int AS ${sql.identifier(`${s}_sum`)},
    count(*) FILTER (WHERE ${counted} AND ${side(s)} AND level >= ${from})::int AS ${sql.identifier(`${s}_satisfied`)}`;
  const result = await db.execute(sql`
    SELECT ${key} AS key, ${sums('survey')}, ${sums('callback')}, ${sums('defaults')},
      count(*) FILTER (WHERE excluded)::int AS excluded_count, count(*) FILTER (WHERE NOT excluded AND verification = 'pending')::int AS pending_count
    FROM evaluations WHERE ${sql.join(where, sql` AND `)}
    GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT 1000`);
  const n = (v: unknown) => Number(v ?? 0);
  const sideOf = (r: Record<string, unknown>, s: string) => ({ count: n(r[`${s}_count`]), levelSum: n(r[`${s}_sum`]), satisfied: n(r[`${s}_satisfied`]) });
  const grouped = rowsOf<Record<string, unknown>>(result).map((r) => {
    const s: SatisfactionSums = { survey: sideOf(r, 'survey'), callback: sideOf(r, 'callback'), defaults: sideOf(r, 'defaults'), excluded: n(r.excluded_count), pendingVerification: n(r.pending_count) };
    return { key: typeof r.key === 'string' ? r.key : null, figure: satisfactionOf(s, w.weights) };
  });
  if (q.groupBy === 'none' && grouped.length === 0) grouped.push({ key: null, figure: satisfactionOf(emptySums(), w.weights) });
  const labels = await labelsOf(db, q.groupBy, grouped.map((g) => g.key).filter((k): k is string => k !== null));
  return {
    groupBy: q.groupBy, period: q.period, kind, weights: w.weights, weightsFrom: w.from, satisfiedFromLevel: from, timeZone: tz,
    rows: grouped.map((g) => ({ key: g.key, label: g.key ? (labels.get(g.key) ?? g.key) : null, ...g.figure })),
  };
}

async function labelsOf(exec: Executor, groupBy: string, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  if (groupBy === 'agent') return new Map((await exec.select({ id: staff.id, label: staff.displayName }).from(staff).where(inArray(staff.id, keys))).map((r) => [r.id, r.label]));
  if (groupBy === 'team') return new Map((await exec.select({ id: teams.id, label: teams.name }).from(teams).where(inArray(teams.id, keys))).map((r) => [r.id, r.label]));
  if (groupBy === 'branch') return new Map((await exec.select({ id: branches.id, label: branches.name }).from(branches).where(inArray(branches.id, keys))).map((r) => [r.id, r.label]));
  if (groupBy === 'request') return new Map((await exec.select({ id: requests.id, label: requests.number }).from(requests).where(inArray(requests.id, keys))).map((r) => [r.id, r.label]));
  return new Map();
}

// ---------- the ratings list ----------

type EvaluationRow = typeof evaluations.$inferSelect;

function cursorOf(row: EvaluationRow): string {
  return `${row.at.toISOString()}|${row.id}`;
}

function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = cursor.split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('validation_failed', { summary: 'cursor: invalid' });
  return { at: date, id };
}

export async function presentEvaluations(exec: Executor, rows: readonly EvaluationRow[]): Promise<C.EvaluationView[]> {
  const agentIds = [...new Set(rows.map((r) => r.agentId).filter((id): id is string => !!id))];
  const requestIds = [...new Set(rows.map((r) => r.requestId).filter((id): id is string => !!id))];
  const [agents, numbers] = await Promise.all([
    agentIds.length ? exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, agentIds)) : [],
    requestIds.length ? exec.select({ id: requests.id, number: requests.number }).from(requests).where(inArray(requests.id, requestIds)) : [],
  ]);
  const agentOf = new Map(agents.map((a) => [a.id, a.name]));
  const numberOf = new Map(numbers.map((r) => [r.id, r.number]));
  return rows.map((r) => ({
    id: r.id, source: r.source as C.EvaluationView['source'], requestId: r.requestId, requestNumber: r.requestId ? (numberOf.get(r.requestId) ?? null) : null,
    surveyId: r.surveyId, callbackId: r.callbackId, campaignId: r.campaignId, level: r.level, attitude: r.attitude, speed: r.speed, result: r.result, nps: r.nps,
    comment: r.comment, resolved: r.resolved, agent: r.agentId ? { id: r.agentId, name: agentOf.get(r.agentId) ?? '—' } : null, teamId: r.teamId, branchId: r.branchId,
    channel: r.channel, requestType: r.requestType, verification: r.verification, appealState: r.appealState, excluded: r.excluded, at: r.at.toISOString(),
  }));
}

/** Ratings, newest first, filtered (keyset pagination). */
export async function listEvaluations(ctx: Ctx, input: unknown): Promise<{ items: C.EvaluationView[]; nextCursor: string | null }> {
  authorize(ctx, 'evaluation.read');
  const q = parse(C.EvaluationListQuery, input);
  const db = ctx.app.database.db;
  if (q.requestId) authorize(ctx, 'evaluation.read', resource(await loadRequest(db, ctx, q.requestId)));
  const tz = await timeZoneOf(db, ctx.orgId);
  const where: SQL[] = [eq(evaluations.orgId, ctx.orgId), ...periodConditions(q.from, q.to, tz)];
  const branch = branchFilter(ctx.actor);
  if (branch) where.push(eq(evaluations.branchId, branch));
  if (q.agentId) where.push(eq(evaluations.agentId, q.agentId));
  if (q.teamId) where.push(eq(evaluations.teamId, q.teamId));
  if (q.branchId) where.push(eq(evaluations.branchId, q.branchId));
  if (q.requestId) where.push(eq(evaluations.requestId, q.requestId));
  if (q.source) where.push(eq(evaluations.source, q.source));
  if (q.level) where.push(eq(evaluations.level, q.level));
  if (q.cursor) {
    const c = parseCursor(q.cursor);
    where.push(or(lt(evaluations.at, c.at), and(eq(evaluations.at, c.at), lt(evaluations.id, c.id)))!);
  }
  const rows = await db.select().from(evaluations).where(and(...where)).orderBy(desc(evaluations.at), desc(evaluations.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: await presentEvaluations(db, page), nextCursor: rows.length > q.limit ? cursorOf(page.at(-1)!) : null };
}
