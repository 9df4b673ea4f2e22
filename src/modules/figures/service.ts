/**
 * Figures from the daily rollups (docs/figures.md): the indicator definitions, values summed from kpi_daily
 * into periods of the organization's zone and computed per indicator, and the rebuild of a range of days.
 */
import { and, between, eq, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../core/db/client.js';
import type { Ctx } from '../../core/context.js';
import { transact } from '../../core/context.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { weightsInForce } from '../evaluations/satisfaction-queries.js';
import { satisfactionOf, sideOf, emptySums, type SatisfactionSums, type Weights } from '../evaluations/satisfaction.js';
import { organizations } from '../org/schema.js';
import * as C from './contracts.js';
import { INDICATORS, indicatorOf, percent } from './definitions.js';
import { heatmapOf } from './heatmap.js';
import { parsePeriod, periodsBetween, type Period } from './periods.js';
import { DEFAULT_ALPHA, quantiles } from './quantile-sketch.js';
import { addCountersInto, addSketchesInto, emptyCounters, emptySketches, type DailyCounters, type DailySketches } from './rollup-facts.js';
import { daysBetween, PHONE_SHORT_ABANDON_SECONDS, PHONE_THRESHOLD_SECONDS, recomputeDaysTx } from './rollup.js';
import { kpiDaily, kpiDirtyDays } from './schema.js';
import { scopedDimension } from './scope.js';

/** The indicators /kpis/values computes from rollups in this version. */
export const AVAILABLE = new Set([
  'first_response_time', 'first_response_compliance', 'target_compliance', 'resolution_time', 'resolution_rate', 'service_completion_rate',
  'first_contact_resolution_rate', 'reopen_rate', 'complaint_count', 'satisfaction_score', 'satisfaction_rate', 'callback_rate', 'corrective_actions',
  'initial_solution_compliance', 'complaint_handling_compliance', 'complaint_handling_days', 'phone_service_level', 'backlog',
]);

/** Reading figures needs `request.read` (every staff role has it; scope by branch applies). */
export const READ_PERMISSION = 'request.read' as const;

export function kpiDefinitions(ctx: Ctx): C.KpiDefinitions {
  authorize(ctx, READ_PERMISSION);
  return { indicators: INDICATORS.map((d) => ({ ...d, available: AVAILABLE.has(d.id) })) };
}

async function timeZoneOf(ctx: Ctx): Promise<string> {
  const [org] = await ctx.app.database.db.select({ tz: organizations.timeZone }).from(organizations).where(eq(organizations.id, ctx.orgId));
  return org?.tz ?? 'Asia/Shanghai';
}

const MAX_DAYS = 3700;

/** Refuses (400 validation_failed) days that are not real dates, from after to, and ranges of more than ~10 years. */
export function checkRange(from: string, to: string, zone: string): void {
  try {
    parsePeriod(from, zone);
    parsePeriod(to, zone);
  } catch {
    throw new AppError('validation_failed', { summary: 'from/to: not a valid day' });
  }
  if (from > to) throw new AppError('validation_failed', { summary: 'from: after to' });
  if (daysBetweenCount(from, to) > MAX_DAYS) throw new AppError('validation_failed', { summary: `from/to: at most ${MAX_DAYS} days` });
}

function daysBetweenCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

interface Bucket {
  period: Period;
  value: string;
  counters: DailyCounters;
  sketches: DailySketches;
}

const n = (x: number | undefined) => x ?? 0;

function durationValue(base: Omit<C.KpiValue, 'figure' | 'count' | 'mean' | 'median' | 'p90' | 'min' | 'max' | 'errorBound'>, s: DailySketches['firstResponse'], sumMillis: number): C.KpiValue {
  const count = s.count;
  const mean = count > 0 ? sumMillis / 1000 / count : null;
  const [median, p90] = quantiles(s, [0.5, 0.9]) as [number | null, number | null];
  return { ...base, figure: mean, count, mean, median, p90, min: s.min, max: s.max, errorBound: s.alpha ?? DEFAULT_ALPHA };
}

function sumsOf(c: DailyCounters): SatisfactionSums {
  const sums = emptySums();
  for (const [source, r] of Object.entries(c.ratings)) {
    const side = source === 'default' ? 'defaults' : sideOf(source);
    if (!side) continue;
    sums[side].count += r.count;
    sums[side].levelSum += r.levelSum;
    sums[side].satisfied += r.satisfied;
  }
  sums.excluded = c.ratingsExcluded;
  sums.pendingVerification = c.ratingsPendingVerification;
  return sums;
}

/**
 * The values of one indicator for one (period, dimension value). `backlog`: the open requests at the end of the
 * period (the running sum of accepted − completed up to its last day; kpiValues computes it), for `backlog`.
 */
export function computeIndicator(id: string, b: Pick<Bucket, 'counters' | 'sketches'> & { backlog?: number }, weights: Weights): Omit<C.KpiValue, 'period' | 'value'>[] {
  const def = indicatorOf(id);
  const unit = def?.unit ?? 'count';
  const c = b.counters;
  const none = { target: null, count: null, mean: null, median: null, p90: null, min: null, max: null, errorBound: null, parts: null };
  const rate = (num: number, den: number, parts: Record<string, number | null> | null = null) => ({ indicator: id, unit: 'percent', ...none, figure: percent(num, den), numerator: num, denominator: den, parts });
  const count = (value: number) => ({ indicator: id, unit, ...none, figure: value, numerator: null, denominator: null });
  const base = { indicator: id, unit: 'seconds', target: null, numerator: null, denominator: null, parts: null };
  switch (id) {
    case 'first_response_time':
      return [durationValue({ period: '', value: '', ...base }, b.sketches.firstResponse, c.frMillis)].map(({ period: _p, value: _v, ...rest }) => rest);
    case 'resolution_time':
      return [durationValue({ period: '', value: '', ...base }, b.sketches.resolution, c.resolutionMillis)].map(({ period: _p, value: _v, ...rest }) => rest);
    case 'first_response_compliance':
      return [rate(c.frMetOnTime, c.frMetOnTime + c.frMetLate + c.frBreached, { metOnTime: c.frMetOnTime, metLate: c.frMetLate, breached: c.frBreached })];
    case 'target_compliance':
      return Object.entries(c.targets)
        .sort(([a], [z]) => a.localeCompare(z))
        .map(([key, t]) => ({ ...rate(t.onTime, t.total), target: key }));
    case 'resolution_rate':
      return [rate(c.resolved, c.accepted)];
    case 'service_completion_rate':
      return [rate(c.completed, c.accepted)];
    case 'first_contact_resolution_rate':
      return [rate(c.firstContactResolved, c.completed)];
    case 'reopen_rate':
      return [rate(c.reopened, c.completed)];
    case 'complaint_count':
      return [count(c.complaints)];
    case 'callback_rate':
      return [rate(c.callbacksDone, c.completed)];
    case 'initial_solution_compliance':
      return [rate(c.initialSolutionOnTime, c.initialSolutionTotal)];
    case 'complaint_handling_compliance':
      return [rate(c.complaintHandlingOnTime, c.complaintHandlingTotal)];
    case 'phone_service_level': {
      const offered = n(c.callsOffered);
      const answered = n(c.callsAnswered);
      return [rate(n(c.callsAnsweredWithin), offered, { offered, answered, answeredWithin: n(c.callsAnsweredWithin), abandoned: offered - answered, thresholdSeconds: PHONE_THRESHOLD_SECONDS, shortAbandonSeconds: PHONE_SHORT_ABANDON_SECONDS })];
    }
    case 'complaint_handling_days': {
      const handled = n(c.complaintsHandled);
      const mean = handled > 0 ? n(c.complaintHandlingDays) / handled : null;
      return [{ indicator: id, unit: 'working_days', ...none, figure: mean, numerator: null, denominator: null, count: handled, mean }];
    }
    case 'backlog':
      return [{ ...count(b.backlog ?? 0), figure: b.backlog ?? null, parts: { accepted: c.accepted, completed: c.completed } }];
    case 'corrective_actions':
      return [rate(c.caClosedOnTime, c.caClosed, { opened: c.caOpened, overdue: c.caOverdue, closed: c.caClosed, closedOnTime: c.caClosedOnTime })];
    case 'satisfaction_score':
    case 'satisfaction_rate': {
      const sums = sumsOf(c);
      const f = satisfactionOf(sums, weights);
      const real = sums.survey.count + sums.callback.count;
      const satisfied = sums.survey.satisfied + sums.callback.satisfied;
      const parts = { surveyCount: f.surveyCount, callbackCount: f.callbackCount, defaults: f.defaults.count, excluded: f.excluded, pendingVerification: f.pendingVerification };
      if (id === 'satisfaction_score') return [{ indicator: id, unit: 'score5', ...none, figure: f.score, numerator: null, denominator: null, count: real, parts: { ...parts, score100: f.score100 } }];
      return [{ indicator: id, unit: 'percent', ...none, figure: f.satisfiedShare === null ? null : f.satisfiedShare * 100, numerator: satisfied, denominator: real, parts }];
    }
    default:
      return [];
  }
}


/** Grains whose periods are whole local months: read from kpi_monthly (one row per value and month). */
const MONTHLY_GRAINS: ReadonlySet<C.KpiValuesQuery['grain']> = new Set(['month', 'quarter', 'year']);

interface RollupRow {
  day: string;
  dimValue: string;
  counters: DailyCounters;
  sketches: DailySketches | null;
}

/**
 * In one statement: the rollup rows of a range of whole days (`first`..`last`) of one dimension, as (day, value,
 * counters, sketches) — from kpi_monthly when the range is whole months (a month row stands on its first day), else
 * from kpi_daily; sketches, the bulk of a row, only when asked for — with the organization's time zone and how many
 * days of the range still wait for the rollup job.
 */
async function rollupRows(
  db: Executor,
  orgId: string,
  q: { dim: string; value: string | undefined; first: string; last: string; monthly: boolean; sketches: boolean; backlog: boolean },
): Promise<{ zone: string; rows: RollupRow[]; pending: number; backlog: Map<string, number> | null }> {
  const sketches = q.sketches ? sql.raw('sketches') : sql.raw('NULL::jsonb');
  const valueIs = q.value === undefined ? sql`TRUE` : sql`dim_value = ${q.value}`;
  const rowsSql = q.monthly
    ? sql`SELECT month || '-01' AS day, dim_value, counters, ${sketches} AS sketches FROM kpi_monthly
        WHERE org_id = ${orgId} AND dim = ${q.dim} AND month BETWEEN ${q.first.slice(0, 7)} AND ${q.last.slice(0, 7)} AND ${valueIs}`
    : sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, dim_value, counters, ${sketches} AS sketches FROM kpi_daily
        WHERE org_id = ${orgId} AND dim = ${q.dim} AND day BETWEEN ${q.first}::date AND ${q.last}::date AND ${valueIs}`;
  // The backlog before the range: accepted − completed of every earlier month (the plain open_delta column) and of
  // the range's month before `first` (daily counters).
  const open = sql.raw(`coalesce(sum((counters->>'accepted')::bigint - coalesce((counters->>'completed')::bigint, 0)), 0)::float8`);
  const backlogSql = q.backlog
    ? sql`UNION ALL SELECT 'backlog', NULL, b.dim_value, NULL, NULL, b.open FROM (
          SELECT dim_value, sum(open_delta)::float8 AS open FROM kpi_monthly WHERE org_id = ${orgId} AND dim = ${q.dim} AND month < ${q.first.slice(0, 7)} AND ${valueIs} GROUP BY dim_value
          UNION ALL SELECT dim_value, ${open} FROM kpi_daily WHERE org_id = ${orgId} AND dim = ${q.dim} AND day >= ${`${q.first.slice(0, 7)}-01`}::date AND day < ${q.first}::date AND ${valueIs} GROUP BY dim_value
        ) b`
    : sql``;
  const result = await db.execute(sql`
    SELECT 'row' AS kind, r.day, r.dim_value, r.counters, r.sketches, NULL::float8 AS n FROM (${rowsSql}) r
    UNION ALL SELECT 'zone', NULL, o.time_zone, NULL, NULL, NULL FROM organizations o WHERE o.id = ${orgId}
    UNION ALL SELECT 'pending', NULL, NULL, NULL, NULL, count(DISTINCT d.day)::float8 FROM kpi_dirty_days d
      WHERE d.org_id = ${orgId} AND d.day BETWEEN ${q.first}::date AND ${q.last}::date
    ${backlogSql}`);
  let zone = 'Asia/Shanghai';
  let pending = 0;
  const rows: RollupRow[] = [];
  const backlog = q.backlog ? new Map<string, number>() : null;
  for (const r of rowsOf<{ kind: string; day: string; dim_value: string; counters: DailyCounters; sketches: DailySketches | null; n: number | null }>(result)) {
    if (r.kind === 'row') rows.push({ day: r.day, dimValue: r.dim_value, counters: r.counters, sketches: r.sketches });
    else if (r.kind === 'zone') zone = r.dim_value;
    else if (r.kind === 'pending') pending = Number(r.n ?? 0);
    else backlog?.set(r.dim_value, (backlog.get(r.dim_value) ?? 0) + Number(r.n ?? 0));
  }
  return { zone, rows, pending, backlog };
}

/** Indicator values per period and dimension value, summed from the daily (or monthly) rollups (see docs/figures.md). */
export async function kpiValues(ctx: Ctx, input: unknown): Promise<C.KpiValuesView> {
  authorize(ctx, READ_PERMISSION);
  const q = parse(C.KpiValuesQuery, input);
  for (const id of q.indicators) {
    if (!AVAILABLE.has(id)) throw new AppError('validation_failed', { summary: `indicators: ${id} is not available (see /kpis/definitions)` });
  }
  // Periods are whole local days: their keys and days do not depend on the zone (only their instants do), so the
  // zone is read beside the figures instead of before them.
  checkRange(q.from, q.to, 'UTC');
  const { dim, value, branch } = scopedDimension(ctx.actor, q.dimension, q.value);
  const periods = periodsBetween(parsePeriod(q.from, 'UTC').start, parsePeriod(q.to, 'UTC').start, 'UTC', q.grain);
  const first = periods[0]!.firstDay;
  const last = periods[periods.length - 1]!.lastDay;
  const db = ctx.app.database.db;
  const needsSketches = q.indicators.some((i) => i === 'first_response_time' || i === 'resolution_time');
  // Two statements side by side: the rows with the zone, the pending days and the backlog before the range (one
  // round trip), and the weights in force.
  const collapse = dim === 'org' && !branch;
  const [{ zone, rows, pending, backlog }, w] = await Promise.all([
    rollupRows(db, ctx.orgId, { dim, value, first, last, monthly: MONTHLY_GRAINS.has(q.grain), sketches: needsSketches, backlog: q.indicators.includes('backlog') }),
    q.indicators.some((i) => i.startsWith('satisfaction')) ? weightsInForce(db, ctx.orgId) : Promise.resolve({ weights: { survey: 1, callback: 1 } }),
  ]);
  // The organization's rows are one value (''); a branch reader's stand for theirs.
  const base = backlog && collapse ? new Map([['', [...backlog.values()].reduce((a, x) => a + x, 0)]]) : backlog;
  const buckets = new Map<string, Bucket>();
  for (const r of rows) {
    const period = periods.find((p) => p.firstDay <= r.day && r.day <= p.lastDay);
    if (!period) continue;
    const key = `${period.key}|${dim === 'org' && !branch ? '' : r.dimValue}`;
    const found = buckets.get(key);
    // A period's first row lends its sketches (parsed for this call only) instead of being merged into empty ones.
    const b = found ?? { period, value: dim === 'org' && !branch ? '' : r.dimValue, counters: emptyCounters(), sketches: r.sketches ?? emptySketches() };
    addCountersInto(b.counters, r.counters);
    if (found && r.sketches) addSketchesInto(b.sketches, r.sketches);
    buckets.set(key, b);
  }
  // Every period appears for the organization (an empty month is a row of nulls and zeros, not a gap).
  if (dim === 'org' || (branch && dim === 'branch')) {
    const v = dim === 'org' ? '' : (value ?? '');
    for (const p of periods) if (!buckets.has(`${p.key}|${v}`)) buckets.set(`${p.key}|${v}`, { period: p, value: v, counters: emptyCounters(), sketches: emptySketches() });
  }
  const backlogs = base ? backlogsFrom(base, periods, buckets) : null;
  const ordered = [...buckets.values()].sort((a, z) => (a.period.firstDay === z.period.firstDay ? a.value.localeCompare(z.value) : a.period.firstDay < z.period.firstDay ? -1 : 1));
  const values: C.KpiValue[] = [];
  for (const b of ordered) {
    const backlog = backlogs?.get(`${b.period.key}|${b.value}`);
    for (const id of q.indicators) for (const v of computeIndicator(id, { ...b, backlog }, w.weights)) values.push({ period: b.period.key, value: b.value, ...v });
  }
  return {
    timeZone: zone, grain: q.grain, dimension: branch && q.dimension === 'org' ? 'org' : dim,
    periods: periods.map((p) => ({ key: p.key, firstDay: p.firstDay, lastDay: p.lastDay })),
    values, pendingDays: pending,
  };
}

/**
 * The backlog (open requests: registered, not merged, not archived) at the end of each period, per dimension value:
 * what was open before the first day (the sum of accepted − completed over all earlier days: whole months from
 * kpi_monthly, the rest of the first month from kpi_daily) plus the running sum over the periods. Both counters
 * are additive facts of the request's current state, so the sum is exact: a reopened request loses its archive
 * fact, a merged or deleted one both. Adds an empty bucket for every period of every value with a backlog, so a
 * value's series has no gaps. `base` (what was open before, per value) comes with the rows (rollupRows). Returns
 * `period|value` → backlog.
 */
function backlogsFrom(base: Map<string, number>, periods: Period[], buckets: Map<string, Bucket>): Map<string, number> {
  const valuesSeen = new Set<string>([...[...base].filter(([, x]) => x !== 0).map(([v]) => v), ...[...buckets.values()].map((b) => b.value)]);
  const out = new Map<string, number>();
  for (const v of valuesSeen) {
    let running = base.get(v) ?? 0;
    for (const p of periods) {
      const key = `${p.key}|${v}`;
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { period: p, value: v, counters: emptyCounters(), sketches: emptySketches() }));
      running += n(b.counters.accepted) - n(b.counters.completed);
      out.set(key, running);
    }
  }
  return out;
}

/** Registrations by local hour and weekday over a range of local days (GET /kpis/heatmap), from the daily rollups. */
export async function kpiHeatmap(ctx: Ctx, input: unknown): Promise<C.KpiHeatmapView> {
  authorize(ctx, READ_PERMISSION);
  const q = parse(C.KpiHeatmapQuery, input);
  const zone = await timeZoneOf(ctx);
  checkRange(q.from, q.to, zone);
  const { dim, value, branch } = scopedDimension(ctx.actor, q.dimension, q.value);
  const db = ctx.app.database.db;
  const where = [eq(kpiDaily.orgId, ctx.orgId), eq(kpiDaily.dim, dim), between(kpiDaily.day, q.from, q.to)];
  if (value !== undefined) where.push(eq(kpiDaily.dimValue, value));
  const [rows, [pending]] = await Promise.all([
    db.select({ day: kpiDaily.day, byHour: sql<number[] | null>`${kpiDaily.counters}->'acceptedByHour'` }).from(kpiDaily).where(and(...where)),
    db.select({ n: sql<number>`count(DISTINCT ${kpiDirtyDays.day})::int` }).from(kpiDirtyDays).where(and(eq(kpiDirtyDays.orgId, ctx.orgId), between(kpiDirtyDays.day, q.from, q.to))),
  ]);
  const map = heatmapOf(rows.map((r) => ({ day: r.day, byHour: r.byHour ?? undefined })));
  return {
    timeZone: zone, measure: 'accepted', from: q.from, to: q.to,
    dimension: branch && q.dimension === 'org' ? 'org' : dim, value: branch && q.dimension === 'org' ? null : (value ?? null),
    ...map, pendingDays: n(pending?.n),
  };
}

/** Recomputes the rollups of a range of local days from the raw tables (`pledge kpi rebuild`); returns the rows written. */
export async function rebuildKpis(ctx: Ctx, input: unknown): Promise<{ days: number; rows: number }> {
  authorize(ctx, 'org.update');
  const q = parse(C.KpiRebuildInput, input);
  const zone = await timeZoneOf(ctx);
  checkRange(q.from, q.to, zone);
  const days = daysBetween(q.from, q.to);
  let rows = 0;
  // A month per transaction: bounded statements, and the job keeps running between chunks.
  for (let i = 0; i < days.length; i += 31) {
    const chunk = days.slice(i, i + 31);
    // Dirty marks are left to the job (it recomputes those days once more): deleting them here without holding
    // them first could drop the mark of a write that committed while this chunk was being recomputed.
    rows += await transact(ctx, (t) => recomputeDaysTx(t.tx, ctx.orgId, chunk));
  }
  await transact(ctx, (t) => audit(t, { action: 'kpi.rebuilt', entityType: 'organization', entityId: ctx.orgId, after: { from: q.from, to: q.to, days: days.length, rows } }));
  return { days: days.length, rows };
}
