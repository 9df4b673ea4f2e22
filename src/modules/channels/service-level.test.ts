import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketEdges, nearestRank, serviceLevel, type CallTiming } from './service-level.js';

const T0 = Date.parse('2026-11-23T02:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

/** A call that rang at T0 and was answered after `delay` seconds (null: not answered) and ended `end` seconds after the ring. */
function call(delay: number | null, end: number | null = delay === null ? 30 : delay + 60, direction: CallTiming['direction'] = 'inbound'): CallTiming {
  return { direction, ringAt: T0, answeredAt: delay === null ? null : s(delay), endedAt: end === null ? null : s(end) };
}

/**
 * The oracle: the definitions of service-level.ts written out again the slow, obvious way (each figure
 * counted by its own pass; the percentile by trying every candidate).
 */
function oracle(calls: CallTiming[], threshold: number, short: number) {
  const inbound = calls.filter((c) => c.direction === 'inbound');
  const answeredCalls = inbound.filter((c) => c.answeredAt !== null);
  const delays = answeredCalls.map((c) => (c.answeredAt! - c.ringAt) / 1000);
  const unanswered = inbound.filter((c) => c.answeredAt === null);
  const isShort = (c: CallTiming) => c.endedAt !== null && (c.endedAt - c.ringAt) / 1000 < short;
  const abandoned = unanswered.filter((c) => !isShort(c)).length;
  const offered = answeredCalls.length + abandoned;
  const within = delays.filter((d) => d <= threshold).length;
  // Smallest delay d with at least 90 % of the delays ≤ d.
  const candidates = delays.filter((d) => 10 * delays.filter((x) => x <= d).length >= 9 * delays.length);
  const p90 = candidates.length === 0 ? null : Math.min(...candidates);
  return {
    offered, answered: answeredCalls.length, answeredWithin: within, abandoned, shortAbandoned: unanswered.length - abandoned,
    serviceLevel: offered === 0 ? null : within / offered,
    average: delays.length === 0 ? null : delays.reduce((a, b) => a + b, 0) / delays.length,
    p90,
  };
}

describe('service level', () => {
  it('computes the figures of a known set (80/20 with short abandons left out)', () => {
    const calls = [
      call(3), call(8), call(12), call(20), // within 20 s (20 s itself counts)
      call(21), call(45), // answered late
      call(null, 3), // short abandon: hung up after 3 s, not offered
      call(null, 4.999), // still short
      call(null, 5), // rang 5 s: abandoned
      call(null, 40), // abandoned
      call(null, null), // unanswered, no end time: abandoned
      call(2, 30, 'outbound'), // outbound: not counted at all
      call(null, 1, 'outbound'),
    ];
    const f = serviceLevel(calls, { thresholdSeconds: 20, shortAbandonSeconds: 5 });
    expect(f).toMatchObject({ offered: 9, answered: 6, answeredWithin: 4, abandoned: 3, shortAbandoned: 2 });
    expect(f.serviceLevel).toBeCloseTo(4 / 9, 12);
    expect(f.averageAnswerSeconds).toBeCloseTo((3 + 8 + 12 + 20 + 21 + 45) / 6, 12);
    // Nearest rank: ⌈0.9 × 6⌉ = 6th smallest.
    expect(f.p90AnswerSeconds).toBe(45);
    expect(f.distribution.map((b) => [b.fromSeconds, b.toSeconds, b.count, b.withinThreshold])).toEqual([
      [0, 5, 1, true], [5, 10, 1, true], [10, 15, 1, true], [15, 20, 1, true], [20, 30, 1, false], [30, 45, 1, false],
      [45, 60, 0, false], [60, 90, 0, false], [90, 120, 0, false], [120, null, 0, false],
    ]);

    // Counting every abandon (no short-abandon rule) and a 10 s threshold.
    const strict = serviceLevel(calls, { thresholdSeconds: 10, shortAbandonSeconds: 0 });
    expect(strict).toMatchObject({ offered: 11, answeredWithin: 2, abandoned: 5, shortAbandoned: 0 });
    expect(strict.serviceLevel).toBeCloseTo(2 / 11, 12);
  });

  it('has no level and no averages without calls, and puts an unusual threshold on a bar edge', () => {
    const f = serviceLevel([], { thresholdSeconds: 25, shortAbandonSeconds: 5 });
    expect(f).toMatchObject({ offered: 0, answered: 0, serviceLevel: null, averageAnswerSeconds: null, p90AnswerSeconds: null });
    expect(bucketEdges(25)).toEqual([5, 10, 15, 20, 25, 30, 45, 60, 90, 120]);
    expect(f.distribution.filter((b) => b.withinThreshold).at(-1)?.toSeconds).toBe(25);
    expect(serviceLevel([call(null, 2)], { thresholdSeconds: 20, shortAbandonSeconds: 5 }).serviceLevel).toBeNull();
  });

  it('takes the nearest rank without floating-point slips', () => {
    const thirty = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(nearestRank(thirty, 90)).toBe(27); // 0.9 × 30 = 27.000000000000004 in floating point
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([], 90)).toBeNull();
  });

  it('agrees with the brute-force oracle on random call sets', () => {
    const timing = fc.record({
      direction: fc.constantFrom<'inbound' | 'outbound'>('inbound', 'inbound', 'inbound', 'outbound'),
      ringOffset: fc.integer({ min: 0, max: 86_400_000 }),
      delayMs: fc.option(fc.integer({ min: 0, max: 300_000 }), { nil: null }),
      talkMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(timing, { maxLength: 80 }), fc.integer({ min: 1, max: 180 }), fc.integer({ min: 0, max: 15 }), (raw, threshold, short) => {
        const calls: CallTiming[] = raw.map((r) => {
          const ringAt = T0 + r.ringOffset;
          const answeredAt = r.delayMs === null ? null : ringAt + r.delayMs;
          const endedAt = r.talkMs === null ? null : (answeredAt ?? ringAt) + r.talkMs;
          return { direction: r.direction, ringAt, answeredAt, endedAt };
        });
        const f = serviceLevel(calls, { thresholdSeconds: threshold, shortAbandonSeconds: short });
        const o = oracle(calls, threshold, short);
        expect({ offered: f.offered, answered: f.answered, answeredWithin: f.answeredWithin, abandoned: f.abandoned, shortAbandoned: f.shortAbandoned })
          .toEqual({ offered: o.offered, answered: o.answered, answeredWithin: o.answeredWithin, abandoned: o.abandoned, shortAbandoned: o.shortAbandoned });
        if (o.serviceLevel === null) expect(f.serviceLevel).toBeNull();
        else expect(f.serviceLevel).toBeCloseTo(o.serviceLevel, 12);
        if (o.average === null) expect(f.averageAnswerSeconds).toBeNull();
        else expect(f.averageAnswerSeconds).toBeCloseTo(o.average, 6);
        expect(f.p90AnswerSeconds).toBe(o.p90);
        // The bars hold every answered call, and the bars within the threshold hold exactly the calls answered within it.
        expect(f.distribution.reduce((a, b) => a + b.count, 0)).toBe(o.answered);
        expect(f.distribution.filter((b) => b.withinThreshold).reduce((a, b) => a + b.count, 0)).toBe(o.answeredWithin);
      }),
      { numRuns: 300 },
    );
  });
});
