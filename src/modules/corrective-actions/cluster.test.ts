import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectCluster, replayCategory, type Complaint } from './cluster.js';

const DAY = 86_400_000;
const BASE = Date.parse('2026-03-01T00:00:00Z');

/** Brute force: look at every complaint, keep those whose instant lies in (at − window, at]. */
function oracle(complaints: readonly Complaint[], at: Date, threshold: number, windowDays: number): string[] | null {
  const seen = new Set<string>();
  const inside: Complaint[] = [];
  for (const c of complaints) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    if (c.at.getTime() > at.getTime() - windowDays * DAY && c.at.getTime() <= at.getTime()) inside.push(c);
  }
  return inside.length >= threshold ? inside.map((c) => c.id).sort() : null;
}

const complaint = fc.record({ id: fc.integer({ min: 0, max: 40 }).map((n) => `c${n}`), at: fc.integer({ min: 0, max: 90 * DAY }).map((ms) => new Date(BASE + ms)) });

describe('cluster detection', () => {
  it('finds exactly the complaints of the window ending now, and only when there are enough (brute-force oracle)', () => {
    fc.assert(
      fc.property(fc.array(complaint, { maxLength: 40 }), fc.integer({ min: 0, max: 100 * DAY }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 40 }), (list, atMs, threshold, windowDays) => {
        // Ids are unique per complaint (a complaint is one request).
        const unique = [...new Map(list.map((c) => [c.id, c])).values()];
        const at = new Date(BASE + atMs);
        const found = detectCluster(unique, at, { threshold, windowDays });
        expect(found ? found.map((c) => c.id).sort() : null).toEqual(oracle(unique, at, threshold, windowDays));
        if (found) for (let i = 1; i < found.length; i++) expect(found[i]!.at.getTime()).toBeGreaterThanOrEqual(found[i - 1]!.at.getTime());
      }),
      { numRuns: 400 },
    );
  });

  it('the window is half-open: a complaint exactly windowDays old no longer counts, one at the instant does', () => {
    const at = new Date(BASE + 30 * DAY);
    const list = [{ id: 'old', at: new Date(BASE) }, { id: 'a', at: new Date(BASE + DAY) }, { id: 'b', at }];
    expect(detectCluster(list, at, { threshold: 3, windowDays: 30 })).toBeNull();
    expect(detectCluster(list, at, { threshold: 2, windowDays: 30 })!.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('replay: one cluster raised by the first complaint that completes a window, later ones join it (sliding-window oracle)', () => {
    fc.assert(
      fc.property(fc.array(complaint, { maxLength: 30 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 30 }), (list, threshold, windowDays) => {
        const unique = [...new Map(list.map((c) => [c.id, c])).values()].sort((a, b) => a.at.getTime() - b.at.getTime());
        const result = replayCategory(unique, { threshold, windowDays });
        // Oracle: the first index i whose window (t_i − w, t_i] over complaints 0..i holds ≥ threshold.
        let first = -1;
        for (let i = 0; i < unique.length && first < 0; i++) {
          const count = unique.slice(0, i + 1).filter((c) => c.at.getTime() > unique[i]!.at.getTime() - windowDays * DAY).length;
          if (count >= threshold) first = i;
        }
        if (first < 0) {
          expect(result).toBeNull();
          return;
        }
        expect(result!.raisedBy).toBe(unique[first]!.id);
        const inWindow = unique.slice(0, first + 1).filter((c) => c.at.getTime() > unique[first]!.at.getTime() - windowDays * DAY);
        // (Complaints at the same instant may come in either order within the window.)
        expect(result!.members.slice(0, inWindow.length).sort()).toEqual(inWindow.map((c) => c.id).sort());
        expect(result!.members.slice(inWindow.length)).toEqual(unique.slice(first + 1).map((c) => c.id));
        // One cluster instead of N separate findings: never fewer members than the threshold.
        expect(result!.members.length).toBeGreaterThanOrEqual(threshold);
      }),
      { numRuns: 300 },
    );
  });
});
