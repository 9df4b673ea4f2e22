import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { satisfactionOf, sumRatings, type FigureKind, type RatingFact } from './satisfaction.js';

const fact = fc.record({
  source: fc.constantFrom('survey', 'portal', 'campaign', 'callback', 'default'),
  level: fc.integer({ min: 1, max: 5 }),
  excluded: fc.constantFrom(false, false, false, true),
  verification: fc.constantFrom(null, null, 'pending', 'confirmed', 'mistaken'),
});
const weights = fc.record({ survey: fc.integer({ min: 0, max: 100 }), callback: fc.integer({ min: 0, max: 100 }) });

/**
 * The oracle, item by item: every counted rating weighs its side's weight divided by its side's count (so a
 * side's weight is shared among its ratings); a side without ratings drops out; both weights 0 → sides alike.
 */
function oracle(facts: RatingFact[], w: { survey: number; callback: number }, from: number, kind: FigureKind, withDefaults: boolean) {
  const counted = facts.filter((f) => !f.excluded && !(kind === 'personal' && f.verification === 'pending'));
  const survey = counted.filter((f) => ['survey', 'portal', 'campaign'].includes(f.source) || (withDefaults && f.source === 'default'));
  const callback = counted.filter((f) => f.source === 'callback');
  if (survey.length + callback.length === 0) return null;
  let ws = survey.length ? w.survey : 0;
  let wc = callback.length ? w.callback : 0;
  if (ws + wc === 0) [ws, wc] = [survey.length ? 1 : 0, callback.length ? 1 : 0];
  const items = [...survey.map((f) => ({ f, weight: ws / survey.length })), ...callback.map((f) => ({ f, weight: wc / callback.length }))];
  const total = items.reduce((s, i) => s + i.weight, 0);
  return {
    score: items.reduce((s, i) => s + i.weight * i.f.level, 0) / total,
    share: items.reduce((s, i) => s + (i.f.level >= from ? i.weight : 0), 0) / total,
  };
}

describe('satisfaction (weighted, property-tested against the item-by-item oracle)', () => {
  it('score, share and the score with defaults match the oracle for any ratings and weights', () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 40 }), weights, fc.integer({ min: 1, max: 5 }), fc.constantFrom<FigureKind>('personal', 'service'), (facts, w, from, kind) => {
        const figure = satisfactionOf(sumRatings(facts, from, kind), w);
        const real = oracle(facts, w, from, kind, false);
        const all = oracle(facts, w, from, kind, true);
        if (real === null) {
          expect(figure.score).toBeNull();
          expect(figure.satisfiedShare).toBeNull();
        } else {
          expect(figure.score!).toBeCloseTo(real.score, 9);
          expect(figure.satisfiedShare!).toBeCloseTo(real.share, 9);
          expect(figure.score100!).toBeCloseTo(((real.score - 1) / 4) * 100, 7);
        }
        if (all === null) expect(figure.defaults.scoreWithDefaults).toBeNull();
        else expect(figure.defaults.scoreWithDefaults!).toBeCloseTo(all.score, 9);
        expect(figure.excluded).toBe(facts.filter((f) => f.excluded).length);
        expect(figure.pendingVerification).toBe(facts.filter((f) => !f.excluded && f.verification === 'pending').length);
        expect(figure.defaults.count).toBe(facts.filter((f) => !f.excluded && f.source === 'default' && !(kind === 'personal' && f.verification === 'pending')).length);
      }),
      { numRuns: 500 },
    );
  });

  it('a default never moves the real score; an excluded rating never counts; pending counts for the service only', () => {
    const base: RatingFact[] = [{ source: 'survey', level: 4, excluded: false, verification: null }];
    const w = { survey: 70, callback: 30 };
    const withDefault = [...base, { source: 'default', level: 5, excluded: false, verification: null }];
    expect(satisfactionOf(sumRatings(withDefault, 3, 'service'), w).score).toBe(4);
    expect(satisfactionOf(sumRatings(withDefault, 3, 'service'), w).defaults).toMatchObject({ count: 1, scoreWithDefaults: 4.5 });
    const appealed = [...base, { source: 'survey', level: 1, excluded: true, verification: 'mistaken' }];
    expect(satisfactionOf(sumRatings(appealed, 3, 'personal'), w)).toMatchObject({ score: 4, excluded: 1 });
    const pending = [...base, { source: 'survey', level: 2, excluded: false, verification: 'pending' }];
    expect(satisfactionOf(sumRatings(pending, 3, 'personal'), w)).toMatchObject({ score: 4, pendingVerification: 1 });
    expect(satisfactionOf(sumRatings(pending, 3, 'service'), w)).toMatchObject({ score: 3, pendingVerification: 1, satisfiedShare: 0.5 });
  });

  it('weights 70/30: survey average 4, callback average 2 → 3.4 (= 60 on 100); one side missing → the other alone', () => {
    const facts: RatingFact[] = [
      { source: 'survey', level: 5, excluded: false, verification: null },
      { source: 'portal', level: 3, excluded: false, verification: null },
      { source: 'callback', level: 2, excluded: false, verification: null },
    ];
    const f = satisfactionOf(sumRatings(facts, 3, 'service'), { survey: 70, callback: 30 });
    expect(f.score).toBeCloseTo(3.4, 12);
    expect(f.score100).toBeCloseTo(60, 10);
    expect(f.satisfiedShare).toBeCloseTo(0.7, 12);
    expect(f.appliedWeights).toEqual({ survey: 0.7, callback: 0.3 });
    const only = satisfactionOf(sumRatings(facts.slice(0, 2), 3, 'service'), { survey: 70, callback: 30 });
    expect(only).toMatchObject({ score: 4, appliedWeights: { survey: 1, callback: 0 } });
  });
});
