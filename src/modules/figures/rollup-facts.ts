/**
 * What one daily rollup row holds: additive counters and duration sketches. Sums of rows (days into weeks,
 * agents into teams) are plain additions; no I/O.
 */
import { emptySketch, merge, type Sketch } from './quantile-sketch.js';

export const DIMENSIONS = ['org', 'agent', 'team', 'branch', 'channel', 'type', 'category'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Counters of one (day, dimension value). Every field is a count or a sum that adds across rows. */
export interface DailyCounters {
  accepted: number;
  /** Accepted by local hour of registration (24 entries, 0 = 00:00–00:59): the heat map by hour and weekday. */
  acceptedByHour: number[];
  completed: number;
  resolved: number;
  /** Archived that day and never reopened. */
  firstContactResolved: number;
  /** Archived that day after at least one reopening. */
  reopened: number;
  complaints: number;
  /** First-response clocks by the local day of their outcome (met or breached). */
  frMetOnTime: number;
  frMetLate: number;
  frBreached: number;
  /** Per commitment target key (request clocks): on time and all with an outcome. */
  targets: Record<string, { onTime: number; total: number }>;
  /** Ratings per source (survey, portal, campaign, callback, default): count, sum of levels, satisfied. */
  ratings: Record<string, { count: number; levelSum: number; satisfied: number }>;
  ratingsExcluded: number;
  ratingsPendingVerification: number;
  callbacksDone: number;
  caOpened: number;
  caClosed: number;
  caClosedOnTime: number;
  caOverdue: number;
  /** Sums in whole milliseconds (integers, so sums do not depend on the order of addition), for means. */
  frMillis: number;
  resolutionMillis: number;
  /** Inbound calls by the local day they rang (the rule of GET /calls/service-level, its default N and short abandon). */
  callsOffered: number;
  callsAnswered: number;
  callsAnsweredWithin: number;
  /** Request clocks of kind initial_solution with an outcome, and those met on time. */
  initialSolutionTotal: number;
  initialSolutionOnTime: number;
  /** Handling clocks of complaints (kind resolved, result.delivered or archived) with an outcome, and on time. */
  complaintHandlingTotal: number;
  complaintHandlingOnTime: number;
  /** Complaints whose result was delivered that day, and the sum of their working days from registration. */
  complaintsHandled: number;
  complaintHandlingDays: number;
}

export interface DailySketches {
  firstResponse: Sketch;
  resolution: Sketch;
}

export const SCALAR_COUNTERS = [
  'accepted', 'completed', 'resolved', 'firstContactResolved', 'reopened', 'complaints', 'frMetOnTime', 'frMetLate', 'frBreached',
  'ratingsExcluded', 'ratingsPendingVerification', 'callbacksDone', 'caOpened', 'caClosed', 'caClosedOnTime', 'caOverdue', 'frMillis', 'resolutionMillis',
  'callsOffered', 'callsAnswered', 'callsAnsweredWithin', 'initialSolutionTotal', 'initialSolutionOnTime', 'complaintHandlingTotal', 'complaintHandlingOnTime',
  'complaintsHandled', 'complaintHandlingDays',
] as const satisfies readonly (keyof DailyCounters)[];

export function emptyCounters(): DailyCounters {
  const c = Object.fromEntries(SCALAR_COUNTERS.map((k) => [k, 0])) as unknown as DailyCounters;
  c.targets = {};
  c.ratings = {};
  c.acceptedByHour = new Array<number>(24).fill(0);
  return c;
}

export function emptySketches(): DailySketches {
  return { firstResponse: emptySketch(), resolution: emptySketch() };
}

/** a + b, field by field (pure). */
export function addCounters(a: DailyCounters, b: DailyCounters): DailyCounters {
  return addCountersInto(addCountersInto(emptyCounters(), a), b);
}

/** Adds b into `out` (mutating it: summing many rows without copying) and returns it. */
export function addCountersInto(out: DailyCounters, b: DailyCounters): DailyCounters {
  for (const k of SCALAR_COUNTERS) out[k] += b[k] ?? 0;
  // Rows written before the hours were counted have none (the migration that added them marks their days).
  if (b.acceptedByHour) {
    out.acceptedByHour ??= new Array<number>(24).fill(0);
    for (let h = 0; h < 24; h++) out.acceptedByHour[h]! += b.acceptedByHour[h] ?? 0;
  }
  for (const src of [b.targets]) {
    for (const [key, v] of Object.entries(src ?? {})) {
      const t = (out.targets[key] ??= { onTime: 0, total: 0 });
      t.onTime += v.onTime;
      t.total += v.total;
    }
  }
  for (const src of [b.ratings]) {
    for (const [key, v] of Object.entries(src ?? {})) {
      const r = (out.ratings[key] ??= { count: 0, levelSum: 0, satisfied: 0 });
      r.count += v.count;
      r.levelSum += v.levelSum;
      r.satisfied += v.satisfied;
    }
  }
  return out;
}

export function addSketches(a: DailySketches, b: DailySketches): DailySketches {
  return { firstResponse: merge(a.firstResponse, b.firstResponse), resolution: merge(a.resolution, b.resolution) };
}

function mergeInto(out: Sketch, b: Sketch): void {
  if (b.count === 0) return;
  if (out.alpha !== b.alpha) throw new RangeError(`cannot merge sketches of different accuracy (${out.alpha} and ${b.alpha})`);
  for (const [k, n] of Object.entries(b.buckets)) out.buckets[k] = (out.buckets[k] ?? 0) + n;
  out.zero += b.zero;
  out.count += b.count;
  out.min = out.min === null ? b.min : b.min === null ? out.min : Math.min(out.min, b.min);
  out.max = out.max === null ? b.max : b.max === null ? out.max : Math.max(out.max, b.max);
}

/** Adds b into `out` (mutating it) and returns it. */
export function addSketchesInto(out: DailySketches, b: DailySketches): DailySketches {
  mergeInto(out.firstResponse, b.firstResponse);
  mergeInto(out.resolution, b.resolution);
  return out;
}
