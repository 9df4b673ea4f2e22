/**
 * The drill-down's rules against the figures' own formulas: random facts are summed into daily counters the way
 * the rollup does (by hand, below), `computeIndicator` computes the figures, and the facts each rule lists must
 * number exactly the figure's denominator, numerator and parts.
 */
import { describe, expect, it } from 'vitest';
import { sideOf } from '../evaluations/satisfaction.js';
import { add } from './quantile-sketch.js';
import { emptyCounters, emptySketches, SCALAR_COUNTERS, type DailyCounters, type DailySketches } from './rollup-facts.js';
import { AVAILABLE, computeIndicator } from './service.js';
import type { DrillPart } from './drill-contracts.js';
import { DRILLABLE, drillRule, inNumerator, listed, partsOf, REAL_RATING_SOURCES, type DrillFact, type DrillRule } from './drill-rules.js';
import { mulberry32 as prng } from '../../core/prng.js';

interface Fact extends DrillFact {
  v: number | null;
}

// An archived request gives two facts under the same conditions (factsSql): `completed`, and either
// `firstContactResolved` or `reopened`; the generator keeps them paired, as the data always has them.
const KINDS = [
  'accepted', 'complaints', 'completed', 'resolved', 'frMetOnTime', 'frMetLate', 'frBreached', 'target', 'rating',
  'ratingsExcluded', 'callbacksDone', 'caOpened', 'caClosed', 'caOverdue', 'initialSolution', 'complaintHandling', 'call', 'complaintHandled',
];
const SOURCES = ['survey', 'portal', 'campaign', 'callback', 'default'];
const TARGETS = ['first-response', 'resolution', 'complaint-result'];

/** Random facts shaped as factsSql gives them (sub, sat, pending and v only where that kind has them). */
function randomFacts(seed: number, n: number): Fact[] {
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (): Fact[] => {
    const k = pick(KINDS);
    if (k === 'completed') {
      const archived = { sub: null, lv: 0, sat: 0, pending: false, v: null };
      return [{ k, ...archived }, { k: rnd() < 0.7 ? 'firstContactResolved' : 'reopened', ...archived }];
    }
    const sub = k === 'target' ? pick(TARGETS) : k === 'rating' || k === 'ratingsExcluded' ? pick(SOURCES) : null;
    // A call: lv = answered, sat = answered within the threshold; a handled complaint: lv = working days.
    const lv = k === 'call' ? (rnd() < 0.8 ? 1 : 0) : k === 'rating' ? 1 + Math.floor(rnd() * 5) : k === 'complaintHandled' ? Math.floor(rnd() * 6) : 0;
    const sat = k === 'call' ? (lv === 1 && rnd() < 0.7 ? 1 : 0) : ['target', 'caClosed', 'rating', 'ratingsExcluded', 'initialSolution', 'complaintHandling'].includes(k) ? (rnd() < 0.6 ? 1 : 0) : 0;
    const pending = k === 'rating' && rnd() < 0.2;
    const v = k === 'resolved' || k === 'frMetOnTime' || k === 'frMetLate' ? Math.floor(rnd() * 90_000) : null;
    return [{ k, sub, lv, sat, pending, v }];
  }).flat();
}

/** The rollup's summing of facts into one row's counters (rollup.ts `accumulate`), written out by hand. */
function sumFacts(facts: readonly Fact[], personal: boolean): { counters: DailyCounters; sketches: DailySketches } {
  const c = emptyCounters();
  const s = emptySketches();
  for (const f of facts) {
    if (f.k === 'target') {
      const t = (c.targets[f.sub!] ??= { onTime: 0, total: 0 });
      t.total += 1;
      t.onTime += f.sat;
    } else if (f.k === 'rating') {
      const counted = personal && f.pending ? 0 : 1;
      const r = (c.ratings[f.sub!] ??= { count: 0, levelSum: 0, satisfied: 0 });
      r.count += counted;
      r.levelSum += counted * f.lv;
      r.satisfied += counted * f.sat;
      if (f.pending) c.ratingsPendingVerification += 1;
    } else if (f.k === 'resolved') {
      c.resolved += 1;
      c.resolutionMillis += f.v! * 1000;
      s.resolution = add(s.resolution, f.v!);
    } else if (f.k === 'frMetOnTime' || f.k === 'frMetLate') {
      c[f.k] += 1;
      c.frMillis += f.v! * 1000;
      s.firstResponse = add(s.firstResponse, f.v!);
    } else if (f.k === 'initialSolution' || f.k === 'complaintHandling') {
      c[`${f.k}Total`] += 1;
      c[`${f.k}OnTime`] += f.sat;
    } else if (f.k === 'call') {
      c.callsOffered += 1;
      c.callsAnswered += f.lv;
      c.callsAnsweredWithin += f.sat;
    } else if (f.k === 'complaintHandled') {
      c.complaintsHandled += 1;
      c.complaintHandlingDays += f.lv;
    } else if (f.k === 'caClosed') {
      c.caClosed += 1;
      c.caClosedOnTime += f.sat;
    } else if ((SCALAR_COUNTERS as readonly string[]).includes(f.k)) {
      c[f.k as (typeof SCALAR_COUNTERS)[number]] += 1;
    } else throw new Error(`unknown kind ${f.k}`);
  }
  return { counters: c, sketches: s };
}

function rule(indicator: string, options: { part?: DrillPart; target?: string; personal: boolean }): DrillRule {
  const r = drillRule(indicator, options);
  if (!r.ok) throw new Error(r.summary);
  return r.rule;
}

const count = (facts: readonly Fact[], r: DrillRule) => facts.filter((f) => listed(r, f)).length;
const countIn = (facts: readonly Fact[], r: DrillRule) => facts.filter((f) => listed(r, f) && inNumerator(r, f) === true).length;

describe('drill-down rules = the figures', () => {
  it('every indicator the figures compute can be drilled into', () => {
    expect([...AVAILABLE].filter((id) => !(DRILLABLE as readonly string[]).includes(id))).toEqual([]);
  });

  it('real rating sources are exactly those with a side in the satisfaction figures', () => {
    for (const source of SOURCES) expect((REAL_RATING_SOURCES as readonly string[]).includes(source)).toBe(sideOf(source) !== null);
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    for (const personal of [false, true]) {
      it(`seed ${seed}, ${personal ? 'personal' : 'service'} figures: the listed facts number the denominator, numerator and parts`, () => {
        const facts = randomFacts(seed, 40 + seed * 37);
        const b = sumFacts(facts, personal);
        for (const indicator of DRILLABLE) {
          const targets = indicator === 'target_compliance' ? TARGETS : [undefined];
          for (const target of targets) {
            const [value] = computeIndicator(indicator, b, { survey: 1, callback: 1 }).filter((x) => x.target === (target ?? null));
            const r = rule(indicator, { target, personal });
            const label = `${indicator} ${target ?? ''}`;
            if (indicator === 'backlog') {
              // A balance from the first day, not facts of the period (drilldown.test.ts checks it); its parts are.
              expect(r.source).toBe('backlog');
              expect(count(facts, rule(indicator, { personal, part: 'accepted' }))).toBe(value!.parts!.accepted);
              expect(count(facts, rule(indicator, { personal, part: 'completed' }))).toBe(value!.parts!.completed);
              continue;
            }
            expect(r.source, label).toBe('facts');
            if (value === undefined) {
              // target_compliance has a value only for targets with facts.
              expect(count(facts, r), label).toBe(0);
              continue;
            }
            if (value.denominator !== null) {
              expect(count(facts, r), label).toBe(value.denominator);
              expect(count(facts, rule(indicator, { target, personal, part: 'denominator' })), label).toBe(value.denominator);
              expect(count(facts, rule(indicator, { target, personal, part: 'numerator' })), label).toBe(value.numerator);
              if (partsOf(indicator).includes('missed')) {
                expect(countIn(facts, r), label).toBe(value.numerator);
                expect(count(facts, rule(indicator, { target, personal, part: 'missed' })), label).toBe(value.denominator - value.numerator!);
              } else {
                // A numerator made of other facts (archived ÷ registered): no flag per item.
                expect(facts.filter((f) => listed(r, f)).every((f) => inNumerator(r, f) === null), label).toBe(true);
              }
            } else if (value.count !== null) {
              expect(count(facts, r), label).toBe(value.count);
            } else {
              expect(count(facts, r), label).toBe(value.figure);
            }
            for (const [part, n] of Object.entries(value.parts ?? {})) {
              if (!(partsOf(indicator) as string[]).includes(part)) continue;
              expect(count(facts, rule(indicator, { target, personal, part: part as DrillPart })), `${label} ${part}`).toBe(n);
            }
          }
        }
      });
    }
  }

  it('each part counts what the figure calls it; the facts are not trivial', () => {
    const facts = randomFacts(7, 400);
    const b = sumFacts(facts, false);
    expect(b.counters.frMetLate).toBeGreaterThan(0);
    expect(b.counters.caClosed - b.counters.caClosedOnTime).toBeGreaterThan(0);
    const fr = rule('first_response_compliance', { personal: false, part: 'metLate' });
    expect(count(facts, fr)).toBe(b.counters.frMetLate);
    // Met late is part of the denominator, not of the numerator.
    expect(facts.filter((f) => listed(fr, f)).every((f) => inNumerator(fr, f) === false)).toBe(true);
    const opened = rule('corrective_actions', { personal: false, part: 'opened' });
    expect(count(facts, opened)).toBe(b.counters.caOpened);
    expect(facts.filter((f) => listed(opened, f)).every((f) => inNumerator(opened, f) === null)).toBe(true);
    expect(partsOf('corrective_actions')).toEqual(['numerator', 'denominator', 'missed', 'opened', 'overdue', 'closed', 'closedOnTime']);
    expect(partsOf('service_completion_rate')).toEqual(['numerator', 'denominator']);
    expect(partsOf('complaint_count')).toEqual([]);
  });

  it('refuses what has no meaning: a part the indicator lacks, a missing or stray target, an unknown indicator', () => {
    expect(drillRule('complaint_count', { personal: false, part: 'numerator' })).toMatchObject({ ok: false, field: 'part' });
    expect(drillRule('service_completion_rate', { personal: false, part: 'missed' })).toMatchObject({ ok: false, field: 'part' });
    expect(drillRule('reopen_rate', { personal: false, part: 'opened' })).toMatchObject({ ok: false, field: 'part' });
    expect(drillRule('target_compliance', { personal: false })).toMatchObject({ ok: false, field: 'target' });
    expect(drillRule('reopen_rate', { personal: false, target: 'first-response' })).toMatchObject({ ok: false, field: 'target' });
    expect(drillRule('backlog', { personal: false, part: 'numerator' })).toMatchObject({ ok: false, field: 'part' });
    expect(drillRule('backlog', { personal: false })).toMatchObject({ ok: true, rule: { source: 'backlog', numerator: null } });
    expect(partsOf('phone_service_level')).toEqual(['numerator', 'denominator', 'missed', 'offered', 'answered', 'answeredWithin', 'abandoned']);
    expect(drillRule('nope', { personal: false })).toMatchObject({ ok: false, field: 'indicator' });
  });
});
