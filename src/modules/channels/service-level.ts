/**
 * The telephone service level (接通率 / 服务水平), pure: no I/O.
 *
 * Definitions (docs/phone.md repeats them for readers of the figures):
 * - Only **inbound** calls count; outbound calls are the desk calling out.
 * - The **answer delay** of an answered call is `answeredAt − ringAt`: the phone channel's response time.
 * - An inbound call nobody answered is **abandoned**. One whose caller hung up within `shortAbandonSeconds`
 *   of the first ring (`endedAt − ringAt < shortAbandonSeconds`) is a **short abandon** — a misdial or a
 *   caller who changed their mind before anyone could have answered — and is left out of the offered calls.
 *   An unanswered call without an end time has an unknown ring length and counts as abandoned.
 * - **offered** = answered + abandoned (short abandons excluded).
 * - **answered within** = answered calls whose delay is at most the threshold ("within 20 s" includes 20 s).
 * - **service level** = answered within ÷ offered (null when nothing was offered).
 * - **average answer** = the mean answer delay of answered calls; **p90 answer** = the nearest-rank 90th
 *   percentile: the smallest delay that at least 90 % of answered calls did not exceed.
 */

export interface CallTiming {
  direction: 'inbound' | 'outbound';
  /** Epoch milliseconds. */
  ringAt: number;
  answeredAt: number | null;
  endedAt: number | null;
}

export interface ServiceLevelOptions {
  /** Answered within this many seconds counts as within the service level (e.g. 20 for "80/20"). */
  thresholdSeconds: number;
  /** Unanswered calls that rang for less than this are short abandons, not offered (0: every abandon counts). */
  shortAbandonSeconds: number;
}

/** One bar of the answer-delay distribution: answered calls with fromSeconds < delay ≤ toSeconds (the first bar includes 0). */
export interface DelayBucket {
  fromSeconds: number;
  /** null: no upper bound (the last bar). */
  toSeconds: number | null;
  count: number;
  /** Every delay in this bar is within the threshold. */
  withinThreshold: boolean;
}

export interface ServiceLevelFigures {
  offered: number;
  answered: number;
  answeredWithin: number;
  abandoned: number;
  shortAbandoned: number;
  serviceLevel: number | null;
  averageAnswerSeconds: number | null;
  p90AnswerSeconds: number | null;
  distribution: DelayBucket[];
}

/** The usual bar edges in seconds; the threshold is added as an edge so that bars never straddle it. */
export const DELAY_EDGES = [5, 10, 15, 20, 30, 45, 60, 90, 120] as const;

/** The upper edges of the distribution's bars for a threshold (sorted, without duplicates). */
export function bucketEdges(thresholdSeconds: number): number[] {
  return [...new Set([...DELAY_EDGES, thresholdSeconds])].sort((a, b) => a - b);
}

/**
 * The nearest-rank percentile (`percent` in 1…100) of a list sorted ascending: the element at rank
 * ⌈percent·n/100⌉. Integer arithmetic keeps 90 % of 30 at rank 27 (0.9 × 30 is 27.000000000000004 in floats).
 */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[rank - 1]!;
}

/** Computes the service-level figures of a set of calls. */
export function serviceLevel(calls: Iterable<CallTiming>, options: ServiceLevelOptions): ServiceLevelFigures {
  const thresholdMs = options.thresholdSeconds * 1000;
  const shortMs = options.shortAbandonSeconds * 1000;
  const edges = bucketEdges(options.thresholdSeconds);
  const counts = new Array<number>(edges.length + 1).fill(0);
  const delays: number[] = [];
  let answeredWithin = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let delaySum = 0;

  for (const call of calls) {
    if (call.direction !== 'inbound') continue;
    if (call.answeredAt === null) {
      const rang = call.endedAt === null ? null : call.endedAt - call.ringAt;
      if (rang !== null && rang < shortMs) shortAbandoned++;
      else abandoned++;
      continue;
    }
    const delayMs = call.answeredAt - call.ringAt;
    if (delayMs <= thresholdMs) answeredWithin++;
    const seconds = delayMs / 1000;
    delays.push(seconds);
    delaySum += seconds;
    // Bars are (previous edge, edge]: the first edge not below the delay.
    let bar = edges.findIndex((edge) => delayMs <= edge * 1000);
    if (bar === -1) bar = edges.length;
    counts[bar]!++;
  }

  const answered = delays.length;
  const offered = answered + abandoned;
  delays.sort((a, b) => a - b);
  return {
    offered,
    answered,
    answeredWithin,
    abandoned,
    shortAbandoned,
    serviceLevel: offered === 0 ? null : answeredWithin / offered,
    averageAnswerSeconds: answered === 0 ? null : delaySum / answered,
    p90AnswerSeconds: nearestRank(delays, 90),
    distribution: counts.map((count, i) => ({
      fromSeconds: i === 0 ? 0 : edges[i - 1]!,
      toSeconds: i < edges.length ? edges[i]! : null,
      count,
      withinThreshold: i < edges.length && edges[i]! <= options.thresholdSeconds,
    })),
  };
}
