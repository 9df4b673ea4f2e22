/**
 * Every target of the commitments in force against its threshold, per period (docs/figures.md, "Targets against
 * their threshold"): time limits by the compliance of their clocks against the compliance goal, rate targets by
 * the indicator that measures their metric, summed from the same daily rollups as /kpis/values with the same
 * formulas (computeIndicator), so the dashboards, the monthly report and the public page show one number.
 */
import { and, between, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../core/db/client.js';
import type { Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import type { Target } from '../commitments/contracts.js';
import { versionsInForce } from '../commitments/service.js';
import { weightsInForce } from '../evaluations/satisfaction-queries.js';
import type { Weights } from '../evaluations/satisfaction.js';
import { organizations } from '../org/schema.js';
import * as C from './contracts.js';
import { parsePeriod, periodsBetween, type Period } from './periods.js';
import { addCountersInto, addSketchesInto, emptyCounters, emptySketches, type DailyCounters, type DailySketches, type Dimension } from './rollup-facts.js';
import { kpiDaily, kpiDirtyDays } from './schema.js';
import { checkRange, computeIndicator, READ_PERMISSION } from './service.js';
import { measureOf, met, targetFigure, type Measure, type Selector } from './target-measures.js';

export interface TargetFiguresInput {
  grain: C.TargetGrain;
  /** First and last local day (YYYY-MM-DD, inclusive) in the organization's zone; their periods are whole. */
  from: string;
  to: string;
}

const selectorKey = (s: Selector) => `${s.dim}|${[...s.values].sort().join(',')}`;

/**
 * The targets of every commitment version in force (published, effective during some of the range) with their
 * figure and whether it is met, per period of the grain. No authorization: callers authorize (kpiTargets, the
 * monthly report, the public page). `branchId`: only that branch's figures (a branch-scoped reader).
 * Throws AppError validation_failed for an invalid range.
 */
export async function targetFigures(db: Executor, orgId: string, input: TargetFiguresInput, options: { branchId?: string | null } = {}): Promise<C.KpiTargetsView> {
  const [org] = await db.select({ tz: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId));
  const zone = org?.tz ?? 'Asia/Shanghai';
  checkRange(input.from, input.to, zone);
  const periods = periodsBetween(parsePeriod(input.from, zone).start, parsePeriod(input.to, zone).start, zone, input.grain);
  const first = periods[0]!.firstDay;
  const last = periods[periods.length - 1]!.lastDay;
  const readerBranch = options.branchId ?? null;

  const versions = (await versionsInForce(db, orgId)).filter((v) => (v.effectiveFrom === null || v.effectiveFrom <= last) && (v.effectiveTo === null || v.effectiveTo >= first));
  const items = versions.flatMap((version) => version.targets.map((target) => ({ version, target, measure: measureOf(version.scope, target, readerBranch) })));

  // One read per dimension involved, of the values the targets sum (sketches only for a mean response time).
  const selectors = new Map<string, Selector>();
  for (const { measure } of items) if (measure.selector) selectors.set(selectorKey(measure.selector), measure.selector);
  const byDim = new Map<Dimension, Set<string>>();
  for (const s of selectors.values()) for (const v of s.values) (byDim.get(s.dim) ?? byDim.set(s.dim, new Set()).get(s.dim)!).add(v);
  const needsSketches = items.some((i) => i.measure.indicator === 'first_response_time');
  const [rowsPerDim, [pending]] = await Promise.all([
    Promise.all(
      [...byDim].map(async ([dim, values]) => {
        const where = [eq(kpiDaily.orgId, orgId), eq(kpiDaily.dim, dim), between(kpiDaily.day, first, last)];
        if (dim !== 'org') where.push(inArray(kpiDaily.dimValue, [...values]));
        const rows = await db
          .select({ day: kpiDaily.day, dimValue: kpiDaily.dimValue, counters: kpiDaily.counters, sketches: needsSketches ? kpiDaily.sketches : sql<DailySketches | null>`NULL` })
          .from(kpiDaily)
          .where(and(...where));
        return { dim, rows };
      }),
    ),
    db.select({ n: sql<number>`count(DISTINCT ${kpiDirtyDays.day})::int` }).from(kpiDirtyDays).where(and(eq(kpiDirtyDays.orgId, orgId), between(kpiDirtyDays.day, first, last))),
  ]);

  // Sums per (selector, period).
  const sums = new Map<string, { counters: DailyCounters; sketches: DailySketches }>();
  const sumOf = (s: Selector, p: Period) => {
    const key = `${selectorKey(s)}#${p.key}`;
    let b = sums.get(key);
    if (!b) sums.set(key, (b = { counters: emptyCounters(), sketches: emptySketches() }));
    return b;
  };
  for (const { dim, rows } of rowsPerDim) {
    const wanting = [...selectors.values()].filter((s) => s.dim === dim);
    for (const r of rows) {
      const period = periods.find((p) => p.firstDay <= r.day && r.day <= p.lastDay);
      if (!period) continue;
      for (const s of wanting) {
        if (dim !== 'org' && !s.values.includes(r.dimValue)) continue;
        const b = sumOf(s, period);
        addCountersInto(b.counters, r.counters);
        if (r.sketches) addSketchesInto(b.sketches, r.sketches);
      }
    }
  }

  let defaultWeights: Weights | null = null;
  const weightsFor = async (target: Target): Promise<Weights> => {
    if (target.kind === 'rate' && target.weights) return target.weights;
    defaultWeights ??= (await weightsInForce(db, orgId)).weights;
    return defaultWeights;
  };

  const targets: C.KpiTargetView[] = [];
  for (const { version, target, measure } of items) {
    const weights = measure.indicator?.startsWith('satisfaction') ? await weightsFor(target) : { survey: 1, callback: 1 };
    targets.push({
      commitmentId: version.commitmentId, commitmentNumber: version.number, commitmentTitle: version.title, versionId: version.id, version: version.version,
      key: target.key, name: target.name, kind: target.kind,
      metric: target.kind === 'rate' ? target.metric : null,
      targetPeriod: target.kind === 'rate' ? target.period : null,
      indicator: measure.indicator, targetKey: measure.targetKey, comparator: measure.comparator, threshold: measure.threshold, unit: measure.unit,
      unmeasured: measure.unmeasured,
      values: periods.map((p) => valueOf(target, measure, p, sums, weights)),
    });
  }
  return { timeZone: zone, grain: input.grain, periods: periods.map((p) => ({ key: p.key, firstDay: p.firstDay, lastDay: p.lastDay })), targets, pendingDays: pending?.n ?? 0 };
}

function valueOf(target: Target, measure: Measure, period: Period, sums: Map<string, { counters: DailyCounters; sketches: DailySketches }>, weights: Weights): C.KpiTargetValue {
  if (!measure.selector || !measure.indicator) return { period: period.key, figure: null, met: null };
  const b = sums.get(`${selectorKey(measure.selector)}#${period.key}`) ?? { counters: emptyCounters(), sketches: emptySketches() };
  const figure = targetFigure(target, measure, computeIndicator(measure.indicator, b, weights));
  return { period: period.key, figure, met: met(figure, measure.comparator, measure.threshold) };
}

/** GET /kpis/targets: the targets in force against their threshold (request.read; a branch reader: their branch). */
export async function kpiTargets(ctx: Ctx, input: unknown): Promise<C.KpiTargetsView> {
  authorize(ctx, READ_PERMISSION);
  const q = parse(C.KpiTargetsQuery, input);
  const branch = branchFilter(ctx.actor);
  try {
    return await targetFigures(ctx.app.database.db, ctx.orgId, q, { branchId: branch });
  } catch (e) {
    if (e instanceof RangeError) throw new AppError('validation_failed', { summary: e.message });
    throw e;
  }
}
