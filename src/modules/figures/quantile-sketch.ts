/**
 * A mergeable quantile sketch with a stated relative error (the DDSketch idea): a positive value x falls in
 * bucket i = ⌈log_γ x⌉ with γ = (1 + α) / (1 − α), and the bucket is represented by 2γ^i / (γ + 1), which is
 * within α of every value in (γ^(i−1), γ^i]. Counts per bucket add up across days, agents and teams, so a
 * month's percentile is read from daily rollups without the raw data, and is within α (1 % by default)
 * of the exact value of the same rank. Values ≤ `zeroBelow` (e.g. 0 s) are counted exactly in a zero bucket.
 * No I/O.
 */

/** The sketch as stored (jsonb): bucket index → count, plus the zero bucket and the exact extremes. */
export interface Sketch {
  /** Relative accuracy α of the bucket representatives. */
  alpha: number;
  zero: number;
  buckets: Record<string, number>;
  count: number;
  min: number | null;
  max: number | null;
}

export const DEFAULT_ALPHA = 0.01;

/** Values at or below this count as zero (exactly), so 0-second first responses are not approximated. */
const ZERO_BELOW = 1e-9;

export function emptySketch(alpha = DEFAULT_ALPHA): Sketch {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  return { alpha, zero: 0, buckets: {}, count: 0, min: null, max: null };
}

function gammaOf(alpha: number): number {
  return (1 + alpha) / (1 - alpha);
}

/** The bucket of a positive value. */
export function bucketOf(value: number, alpha: number): number {
  const gamma = gammaOf(alpha);
  let i = Math.ceil(Math.log(value) / Math.log(gamma));
  // Floating-point logs can land one bucket off at the edges; correct so γ^(i−1) < value ≤ γ^i.
  if (gamma ** i < value) i += 1;
  else if (gamma ** (i - 1) >= value) i -= 1;
  return i;
}

/** The value that stands for bucket i (within α of every value in it). */
export function representative(i: number, alpha: number): number {
  const gamma = gammaOf(alpha);
  return (2 * gamma ** i) / (gamma + 1);
}

/** Adds `n` occurrences of a value (negative values are not durations and are refused). */
export function add(sketch: Sketch, value: number, n = 1): Sketch {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`a sketch holds finite values ≥ 0, got ${value}`);
  if (n <= 0) return sketch;
  const out: Sketch = { ...sketch, buckets: { ...sketch.buckets }, count: sketch.count + n };
  out.min = sketch.min === null ? value : Math.min(sketch.min, value);
  out.max = sketch.max === null ? value : Math.max(sketch.max, value);
  if (value <= ZERO_BELOW) out.zero += n;
  else {
    const key = String(bucketOf(value, sketch.alpha));
    out.buckets[key] = (out.buckets[key] ?? 0) + n;
  }
  return out;
}

/** A sketch of many values at once. */
export function sketchOf(values: Iterable<number>, alpha = DEFAULT_ALPHA): Sketch {
  let s = emptySketch(alpha);
  for (const v of values) s = add(s, v);
  return s;
}

/** The sum of sketches of the same α (a month from its days, a team from its agents). */
export function merge(a: Sketch, b: Sketch): Sketch {
  if (a.alpha !== b.alpha) throw new RangeError(`cannot merge sketches of different accuracy (${a.alpha} and ${b.alpha})`);
  const buckets = { ...a.buckets };
  for (const [k, n] of Object.entries(b.buckets)) buckets[k] = (buckets[k] ?? 0) + n;
  const min = a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min);
  const max = a.max === null ? b.max : b.max === null ? a.max : Math.max(a.max, b.max);
  return { alpha: a.alpha, zero: a.zero + b.zero, buckets, count: a.count + b.count, min, max };
}

/**
 * The q-quantile (0 ≤ q ≤ 1) by the nearest-rank-below rule: the value of rank ⌊q·(n − 1)⌋ in ascending order
 * (the median of 4 values is the 2nd). Within α relative error of the exact value of that rank; the smallest and
 * largest ranks are exact. Null for an empty sketch.
 */
export function quantile(sketch: Sketch, q: number): number | null {
  return quantiles(sketch, [q])[0]!;
}

/** Several quantiles of one sketch (each as `quantile`), walking its buckets once. */
export function quantiles(sketch: Sketch, qs: readonly number[]): (number | null)[] {
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  if (sketch.count === 0) return qs.map(() => null);
  const out = new Array<number | null>(qs.length).fill(null);
  // Ranks that need the buckets, in ascending order; the extremes and the zero bucket are answered directly.
  const open: { at: number; rank: number }[] = [];
  for (const [at, q] of qs.entries()) {
    const rank = Math.floor(q * (sketch.count - 1));
    if (rank === 0) out[at] = sketch.min;
    else if (rank === sketch.count - 1) out[at] = sketch.max;
    else if (rank < sketch.zero) out[at] = 0;
    else open.push({ at, rank });
  }
  if (open.length === 0) return out;
  open.sort((a, b) => a.rank - b.rank);
  const keys = Object.keys(sketch.buckets).map(Number).sort((x, y) => x - y);
  let seen = sketch.zero;
  let next = 0;
  for (const i of keys) {
    seen += sketch.buckets[String(i)] ?? 0;
    if (open[next]!.rank >= seen) continue;
    // Clamp to the exact extremes: never report outside the observed range.
    const value = representative(i, sketch.alpha);
    const clamped = Math.min(Math.max(value, sketch.min ?? value), sketch.max ?? value);
    while (next < open.length && open[next]!.rank < seen) out[open[next++]!.at] = clamped;
    if (next === open.length) return out;
  }
  while (next < open.length) out[open[next++]!.at] = sketch.max;
  return out;
}

/** The exact quantile of the same rank (the oracle the sketch is tested against, and for small sets). */
export function exactQuantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}
