/**
 * Figures from the daily rollups (docs/figures.md): the indicator definitions, values summed from kpi_daily
 * into periods of the organization's zone and computed per indicator, and the rebuild of a range of days.
 */
import { and, between, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { transact } from '../../core/context.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { weightsInForce } from '../evaluations/satisfaction-queries.js';
import { satisfactionOf, sideOf, emptySums, type SatisfactionSums, type Weights } from '../evaluations/satisfaction.js';
import { organizations } from '../org/schema.js';
import * as C from './contracts.js';
import { INDICATORS, indicatorOf, percent } from './definitions.js';
import { parsePeriod, periodsBetween, type Period } from './periods.js';
import { DEFAULT_ALPHA, quantile } from './quantile-sketch.js';
import { addCountersInto, addSketchesInto, emptyCounters, emptySketches, type DailyCounters, type DailySketches } from './rollup-facts.js';
import { daysBetween, recomputeDaysTx } from './rollup.js';
import { kpiDaily, kpiDirtyDays } from './schema.js';

/** The indicators /kpis/values computes from rollups in this version. */
export const AVAILABLE = new Set([
  'first_response_time', 'first_response_compliance', 'target_compliance', 'resolution_time', 'resolution_rate', 'service_completion_rate',
  'first_contact_resolution_rate', 'reopen_rate', 'complaint_count', 'satisfaction_score', 'satisfaction_rate', 'callback_rate', 'corrective_actions',
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

function checkRange(from: string, to: string, zone: string): void {
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
  return { ...base, figure: mean, count, mean, median: quantile(s, 0.5), p90: quantile(s, 0.9), min: s.min, max: s.max, errorBound: s.alpha ?? DEFAULT_ALPHA };
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

/** The values of one indicator for one (period, dimension value). */
export function computeIndicator(id: string, b: Pick<Bucket, 'counters' | 'sketches'>, weights: Weights): Omit<C.KpiValue, 'period' | 'value'>[] {
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

/** Indicator values per period and dimension value, summed from the daily rollups (see docs/figures.md). */
export async function kpiValues(ctx: Ctx, input: unknown): Promise<C.KpiValuesView> {
  authorize(ctx, READ_PERMISSION);
  const q = parse(C.KpiValuesQuery, input);
  for (const id of q.indicators) {
    if (!AVAILABLE.has(id)) throw new AppError('validation_failed', { summary: `indicators: ${id} is not available (see /kpis/definitions)` });
  }
  const zone = await timeZoneOf(ctx);
  checkRange(q.from, q.to, zone);
  // Scope: a branch-scoped reader sees their branch's figures only (the branch row stands for the organization).
  let dim: C.KpiValuesQuery['dimension'] = q.dimension;
  let value = q.value;
  const branch = branchFilter(ctx.actor);
  if (branch) {
    if (dim === 'org') {
      dim = 'branch';
      value = branch;
    } else if (dim === 'branch') {
      if (value !== undefined && value !== branch) throw new AppError('forbidden', { action: 'kpi.read' });
      value = branch;
    } else throw new AppError('forbidden', { action: 'kpi.read' });
  }
  const periods = periodsBetween(parsePeriod(q.from, zone).start, parsePeriod(q.to, zone).start, zone, q.grain);
  const first = periods[0]!.firstDay;
  const last = periods[periods.length - 1]!.lastDay;
  const db = ctx.app.database.db;
  const where = [eq(kpiDaily.orgId, ctx.orgId), eq(kpiDaily.dim, dim), between(kpiDaily.day, first, last)];
  if (value !== undefined) where.push(eq(kpiDaily.dimValue, value));
  const needsSketches = q.indicators.some((i) => i === 'first_response_time' || i === 'resolution_time');
  const [rows, [pending], w] = await Promise.all([
    // Sketches are the bulk of a row: read them only for the duration indicators.
    needsSketches
      ? db.select({ day: kpiDaily.day, dimValue: kpiDaily.dimValue, counters: kpiDaily.counters, sketches: kpiDaily.sketches }).from(kpiDaily).where(and(...where))
      : db.select({ day: kpiDaily.day, dimValue: kpiDaily.dimValue, counters: kpiDaily.counters, sketches: sql<DailySketches | null>`NULL` }).from(kpiDaily).where(and(...where)),
    db.select({ n: sql<number>`count(*)::int` }).from(kpiDirtyDays).where(and(eq(kpiDirtyDays.orgId, ctx.orgId), between(kpiDirtyDays.day, first, last))),
    q.indicators.some((i) => i.startsWith('satisfaction')) ? weightsInForce(db, ctx.orgId) : Promise.resolve({ weights: { survey: 1, callback: 1 } }),
  ]);
  const buckets = new Map<string, Bucket>();
  for (const r of rows) {
    const period = periods.find((p) => p.firstDay <= r.day && r.day <= p.lastDay);
    if (!period) continue;
    const key = `${period.key}|${dim === 'org' && !branch ? '' : r.dimValue}`;
    const b = buckets.get(key) ?? { period, value: dim === 'org' && !branch ? '' : r.dimValue, counters: emptyCounters(), sketches: emptySketches() };
    addCountersInto(b.counters, r.counters);
    if (r.sketches) addSketchesInto(b.sketches, r.sketches);
    buckets.set(key, b);
  }
  // Every period appears for the organization (an empty month is a row of nulls and zeros, not a gap).
  if (dim === 'org' || (branch && dim === 'branch')) {
    const v = dim === 'org' ? '' : (value ?? '');
    for (const p of periods) if (!buckets.has(`${p.key}|${v}`)) buckets.set(`${p.key}|${v}`, { period: p, value: v, counters: emptyCounters(), sketches: emptySketches() });
  }
  const ordered = [...buckets.values()].sort((a, z) => (a.period.firstDay === z.period.firstDay ? a.value.localeCompare(z.value) : a.period.firstDay < z.period.firstDay ? -1 : 1));
  const values: C.KpiValue[] = [];
  for (const b of ordered) {
    for (const id of q.indicators) for (const v of computeIndicator(id, b, w.weights)) values.push({ period: b.period.key, value: b.value, ...v });
  }
  return {
    timeZone: zone, grain: q.grain, dimension: branch && q.dimension === 'org' ? 'org' : dim,
    periods: periods.map((p) => ({ key: p.key, firstDay: p.firstDay, lastDay: p.lastDay })),
    values, pendingDays: n(pending?.n),
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
