/**
 * How each target of a commitment is measured (docs/figures.md, "Targets against their threshold"): which
 * indicator stands for it, over which rows of the daily rollups (the whole organization, or the channels, request
 * types or branches the target is limited to), which figure of the indicator is compared with the threshold, and
 * whether it is met. Pure: targets.ts reads the rollups and calls these. Targets without a data source in Pledge
 * (training hours, counter waiting time, FAQ entries, polite phrases) are measured by nothing: their figure is
 * null, never invented.
 */
import type { RateMetric, Target, Scope } from '../commitments/contracts.js';
import type { Dimension } from './rollup-facts.js';

/** The indicator that measures each rate metric of a commitment, or null when Pledge holds no data for it. */
export const METRIC_INDICATOR: Readonly<Record<RateMetric, string | null>> = {
  service_completion_rate: 'service_completion_rate',
  resolution_rate: 'resolution_rate',
  first_contact_resolution_rate: 'first_contact_resolution_rate',
  response_compliance_rate: 'first_response_compliance',
  satisfaction_score: 'satisfaction_score',
  satisfaction_rate: 'satisfaction_rate',
  complaint_count: 'complaint_count',
  complaint_handling_days: 'complaint_handling_days',
  // No source here: training records, counter queues, the knowledge base and quality inspections are not in Pledge.
  training_hours_per_agent: null,
  offline_waiting_minutes: null,
  faq_entries: null,
  polite_phrase_rate: null,
  callback_rate: 'callback_rate',
  average_response_seconds: 'first_response_time',
};

/** The unit of each rate metric's figure (satisfaction scores: on the target's scale). */
const METRIC_UNIT: Readonly<Record<RateMetric, string>> = {
  service_completion_rate: 'percent',
  resolution_rate: 'percent',
  first_contact_resolution_rate: 'percent',
  response_compliance_rate: 'percent',
  satisfaction_score: 'score5',
  satisfaction_rate: 'percent',
  complaint_count: 'count',
  complaint_handling_days: 'working_days',
  training_hours_per_agent: 'hours',
  offline_waiting_minutes: 'minutes',
  faq_entries: 'count',
  polite_phrase_rate: 'percent',
  callback_rate: 'percent',
  average_response_seconds: 'seconds',
};

/** Why a target's figure is always null: no data source in Pledge, or a limitation the daily rollups cannot cut. */
export type Unmeasured = 'no_source' | 'filter';

/** Which daily rows a figure sums: one dimension and the values of it to add up (the organization: `org`, ['']). */
export interface Selector {
  dim: Dimension;
  values: string[];
}

export interface Measure {
  kind: 'time_limit' | 'rate';
  indicator: string | null;
  /** Time limits: the target key of their clocks (the `target` of target_compliance). */
  targetKey: string | null;
  comparator: '>=' | '<=';
  threshold: number | null;
  unit: string;
  /** The rows to sum; null when the target cannot be measured here. */
  selector: Selector | null;
  unmeasured: Unmeasured | null;
}

const ORG: Selector = { dim: 'org', values: [''] };

function intersect(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0) return [...b];
  if (b.length === 0) return [...a];
  return a.filter((x) => b.includes(x));
}

/**
 * The rows a rate target is measured on. A rate target counts the requests (ratings, actions…) it is limited
 * to by the version's scope and its own `appliesTo`. Rollups are cut by one dimension at a time, so a limit on
 * one of channel, request type or branch is summed exactly over that dimension's rows; limits on two of them at
 * once, or on departments, priorities or customer flags, cannot be cut from the rollups (null, `filter`).
 * A branch-scoped reader sees their branch's rows only.
 */
export function selectorOf(scope: Scope, target: Target, readerBranch: string | null): { selector: Selector | null; unmeasured: Unmeasured | null } {
  if (target.kind === 'time_limit') {
    // Clocks are started only where the target applies (scope and appliesTo), so all of its clocks count.
    return { selector: readerBranch ? { dim: 'branch', values: [readerBranch] } : ORG, unmeasured: null };
  }
  const a = target.appliesTo;
  if (scope.departmentIds.length > 0 || a.priorities.length > 0 || a.customerFlags.length > 0) return { selector: null, unmeasured: 'filter' };
  const cuts: Selector[] = [];
  if (scope.channels.length > 0 || a.channels.length > 0) cuts.push({ dim: 'channel', values: intersect(scope.channels, a.channels) });
  if (a.requestTypes.length > 0) cuts.push({ dim: 'type', values: [...a.requestTypes] });
  if (scope.branchIds.length > 0 || readerBranch) cuts.push({ dim: 'branch', values: readerBranch ? intersect(scope.branchIds, [readerBranch]) : [...scope.branchIds] });
  if (cuts.length > 1) return { selector: null, unmeasured: 'filter' };
  return { selector: cuts[0] ?? ORG, unmeasured: null };
}

/** How a target is measured, for a reader scoped to a branch (or not). */
export function measureOf(scope: Scope, target: Target, readerBranch: string | null = null): Measure {
  if (target.kind === 'time_limit') {
    const { selector } = selectorOf(scope, target, readerBranch);
    return { kind: 'time_limit', indicator: 'target_compliance', targetKey: target.key, comparator: '>=', threshold: target.complianceGoal, unit: 'percent', selector, unmeasured: null };
  }
  const indicator = METRIC_INDICATOR[target.metric];
  const unit = target.metric === 'satisfaction_score' && target.scale !== null && target.scale !== 5 ? `score${target.scale}` : METRIC_UNIT[target.metric];
  const base = { kind: 'rate' as const, indicator, targetKey: null, comparator: target.comparator, threshold: target.threshold, unit };
  if (indicator === null) return { ...base, selector: null, unmeasured: 'no_source' };
  return { ...base, ...selectorOf(scope, target, readerBranch) };
}

/** The part of an indicator value a figure is read from (as /kpis/values computes it). */
export interface IndicatorFigure {
  target: string | null;
  figure: number | null;
}

/**
 * The figure of a target from its indicator's values for one period: the compliance of its own target key for
 * time limits; the indicator's figure for rates, a satisfaction score converted to the target's scale
 * ((score − 1) ÷ 4 × scale, as the 100-point score is).
 */
export function targetFigure(target: Target, measure: Measure, values: readonly IndicatorFigure[]): number | null {
  if (measure.indicator === null) return null;
  if (target.kind === 'time_limit') return values.find((v) => v.target === target.key)?.figure ?? null;
  const figure = values.find((v) => v.target === null)?.figure ?? null;
  if (figure === null) return null;
  if (target.metric === 'satisfaction_score' && target.scale !== null && target.scale !== 5) return ((figure - 1) / 4) * target.scale;
  return figure;
}

/** Whether a figure meets the threshold (null when either is missing: nothing measured, or no goal set). */
export function met(figure: number | null, comparator: '>=' | '<=', threshold: number | null): boolean | null {
  if (figure === null || threshold === null) return null;
  return comparator === '>=' ? figure >= threshold : figure <= threshold;
}
