/**
 * Deterministic sampling (抽样) for callbacks and campaigns: whether an item is drawn depends only on a seed and
 * the item's id, so a sample can be reproduced and audited later, and drawing never needs a random-number state.
 * No I/O.
 */
import { createHash } from 'node:crypto';

/** A number in [0, 1) fixed by the seed and the id (the first 52 bits of SHA-256 of `seed:id`). */
export function drawOf(seed: string, id: string): number {
  const digest = createHash('sha256').update(`${seed}:${id}`).digest();
  // 52 bits fit a double exactly: 4 bytes high, 20 bits low.
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4) >>> 12;
  return (high * 2 ** 20 + low) / 2 ** 52;
}

/** Whether the id falls in a `percent` % sample (0 → never, 100 → always). */
export function inSample(seed: string, id: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  if (percent >= 100) return true;
  return drawOf(seed, id) < percent / 100;
}

/**
 * Exactly `min(n, ids.length)` ids: those with the smallest draws, in the order of their draws. The same seed
 * and ids give the same sample whatever their input order; duplicates count once.
 */
export function sampleExactly(seed: string, ids: readonly string[], n: number): string[] {
  const unique = [...new Set(ids)];
  const k = Math.max(0, Math.min(Math.floor(n), unique.length));
  return unique
    .map((id) => ({ id, draw: drawOf(seed, id) }))
    .sort((a, b) => a.draw - b.draw || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, k)
    .map((x) => x.id);
}
