/**
 * Satisfaction as defined (满意度): the weighted average of survey-side ratings (surveys, the portal's
 * confirmation, campaign surveys) and callback ratings, with the weights of the commitment in force (or the
 * settings), re-normalized when one side has no ratings; the share satisfied, weighted alike; the score on
 * the five-point scale and on 100. Stated defaults (source `default`) are counted apart and only ever shown
 * in a second score that says it includes them. Pure: the SQL in satisfaction-queries.ts only sums.
 */

export type RatingSide = 'survey' | 'callback';

/** Which side of the weighted average a source belongs to (defaults: none; they are reported apart). */
export function sideOf(source: string): RatingSide | null {
  if (source === 'callback') return 'callback';
  if (source === 'survey' || source === 'portal' || source === 'campaign') return 'survey';
  return null;
}

/** The sums of one side: how many ratings, the sum of their levels, how many satisfied. */
export interface SideSums {
  count: number;
  levelSum: number;
  satisfied: number;
}

/** What a group of ratings adds up to (one row of the SQL aggregation, or {@link sumRatings} in memory). */
export interface SatisfactionSums {
  survey: SideSums;
  callback: SideSums;
  defaults: SideSums;
  /** Left out: an appeal was upheld. */
  excluded: number;
  /** Left out of personal (agent, team, branch) figures until the verification callback is done. */
  pendingVerification: number;
}

export interface Weights {
  survey: number;
  callback: number;
}

export interface RatingFact {
  source: string;
  level: number;
  excluded: boolean;
  verification: string | null;
}

/** Figures about people (agent, team, branch) leave out bad ratings whose verification is pending. */
export type FigureKind = 'personal' | 'service';

export const EMPTY_SIDE: SideSums = { count: 0, levelSum: 0, satisfied: 0 };

export function emptySums(): SatisfactionSums {
  return { survey: { ...EMPTY_SIDE }, callback: { ...EMPTY_SIDE }, defaults: { ...EMPTY_SIDE }, excluded: 0, pendingVerification: 0 };
}

/** Sums ratings in memory, with the same rules as the SQL (tests, and small lists). */
export function sumRatings(facts: readonly RatingFact[], satisfiedFromLevel: number, kind: FigureKind): SatisfactionSums {
  const sums = emptySums();
  for (const f of facts) {
    if (f.excluded) {
      sums.excluded += 1;
      continue;
    }
    if (f.verification === 'pending') {
      sums.pendingVerification += 1;
      if (kind === 'personal') continue;
    }
    const side = f.source === 'default' ? 'defaults' : sideOf(f.source);
    if (!side) continue;
    sums[side].count += 1;
    sums[side].levelSum += f.level;
    if (f.level >= satisfiedFromLevel) sums[side].satisfied += 1;
  }
  return sums;
}

export interface SatisfactionFigure {
  /** Real ratings counted (survey side + callbacks). */
  count: number;
  surveyCount: number;
  callbackCount: number;
  surveyAverage: number | null;
  callbackAverage: number | null;
  /** The weights actually applied (re-normalized to sum 1; a side without ratings weighs 0). */
  appliedWeights: Weights;
  /** Weighted average level on the five-point scale (1..5); null without ratings. */
  score: number | null;
  /** The same on 100: (score − 1) / 4 × 100. */
  score100: number | null;
  /** Weighted share of ratings at or above the satisfied level, 0..1. */
  satisfiedShare: number | null;
  excluded: number;
  pendingVerification: number;
  /** Stated defaults, apart: how many, and the figures if they were counted as survey answers. */
  defaults: { count: number; scoreWithDefaults: number | null; score100WithDefaults: number | null; satisfiedShareWithDefaults: number | null };
}

function combine(a: SideSums, b: SideSums, weights: Weights): { score: number | null; share: number | null; applied: Weights } {
  let ws = a.count > 0 ? Math.max(0, weights.survey) : 0;
  let wc = b.count > 0 ? Math.max(0, weights.callback) : 0;
  // Both present but both weighted 0 (or one side present with weight 0): the ratings present count alike.
  if (ws + wc === 0) {
    ws = a.count > 0 ? 1 : 0;
    wc = b.count > 0 ? 1 : 0;
  }
  const total = ws + wc;
  if (total === 0) return { score: null, share: null, applied: { survey: 0, callback: 0 } };
  const part = (s: SideSums, w: number) => (w === 0 ? { score: 0, share: 0 } : { score: (w / total) * (s.levelSum / s.count), share: (w / total) * (s.satisfied / s.count) });
  const pa = part(a, ws);
  const pb = part(b, wc);
  return { score: pa.score + pb.score, share: pa.share + pb.share, applied: { survey: ws / total, callback: wc / total } };
}

export const to100 = (score: number | null) => (score === null ? null : ((score - 1) / 4) * 100);

/** The satisfaction of one group from its sums. */
export function satisfactionOf(sums: SatisfactionSums, weights: Weights): SatisfactionFigure {
  const real = combine(sums.survey, sums.callback, weights);
  const withDefaults = combine(
    { count: sums.survey.count + sums.defaults.count, levelSum: sums.survey.levelSum + sums.defaults.levelSum, satisfied: sums.survey.satisfied + sums.defaults.satisfied },
    sums.callback,
    weights,
  );
  return {
    count: sums.survey.count + sums.callback.count,
    surveyCount: sums.survey.count,
    callbackCount: sums.callback.count,
    surveyAverage: sums.survey.count > 0 ? sums.survey.levelSum / sums.survey.count : null,
    callbackAverage: sums.callback.count > 0 ? sums.callback.levelSum / sums.callback.count : null,
    appliedWeights: real.applied,
    score: real.score,
    score100: to100(real.score),
    satisfiedShare: real.share,
    excluded: sums.excluded,
    pendingVerification: sums.pendingVerification,
    defaults: {
      count: sums.defaults.count,
      scoreWithDefaults: sums.defaults.count > 0 ? withDefaults.score : real.score,
      score100WithDefaults: to100(sums.defaults.count > 0 ? withDefaults.score : real.score),
      satisfiedShareWithDefaults: sums.defaults.count > 0 ? withDefaults.share : real.share,
    },
  };
}
