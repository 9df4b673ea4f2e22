/**
 * Which facts of the rollups (`factsSql` in rollup.ts: one row per counted thing, kind `k`) a figure counts, and
 * which of them its numerator counts: the drill-down lists exactly these (docs/figures-drilldown.md). The rules
 * mirror `computeIndicator` in service.ts; drill-rules.test.ts checks them against it on random facts. No I/O.
 */
import type { DrillPart } from './drill-contracts.js';

/** The fields of a fact a rule looks at. */
export interface DrillFact {
  k: string;
  sub: string | null;
  lv: number;
  sat: number;
  pending: boolean;
}

/** A test on one fact: all given conditions hold. */
export interface FactTest {
  kinds: readonly string[];
  /** `sub` is one of these (a target key, rating sources). */
  subs?: readonly string[];
  /** A call: answered (1) or not (0). */
  lv?: 0 | 1;
  sat?: 0 | 1;
  pending?: boolean;
}

export interface DrillRule {
  /**
   * Where the facts come from: the rollups' facts of the period's days, or — for the backlog, a balance carried
   * from the first day — the requests open at the end of the period (registered, not merged, not archived by then).
   */
  source: 'facts' | 'backlog';
  /** The facts of the figure (or of the part asked for). */
  facts: FactTest;
  /** Which of those facts the numerator counts; null when the figure has none, or its numerator is another set of facts. */
  numerator: FactTest | null;
  /** List all of `facts`, or only those in the numerator, or only those not in it. */
  keep: 'all' | 'numerator' | 'missed';
}

export type DrillRuleResult = { ok: true; rule: DrillRule } | { ok: false; field: 'indicator' | 'part' | 'target'; summary: string };

/** Rating sources counted as real ratings (survey and callback sides, see evaluations/satisfaction.ts `sideOf`). */
export const REAL_RATING_SOURCES = ['survey', 'portal', 'campaign', 'callback'] as const;

const FR_KINDS = ['frMetOnTime', 'frMetLate', 'frBreached'] as const;
const ARCHIVED = ['firstContactResolved', 'reopened'] as const;

type Shape =
  /** Numerator ⊂ denominator: each listed fact says whether it is in the numerator. */
  | { kind: 'subset'; facts: FactTest; numerator: FactTest; parts?: Partial<Record<DrillPart, FactTest | 'all' | 'numerator' | 'missed'>> }
  /** Numerator and denominator are different facts (completed ÷ accepted: archived this month ÷ registered this month). */
  | { kind: 'cross'; denominator: FactTest; numerator: FactTest }
  /** A count or a duration: the facts counted, with extra parts. */
  | { kind: 'count'; facts: FactTest; parts?: Partial<Record<DrillPart, FactTest>> }
  /** The backlog at the end of the period: open requests, not facts of the period; its parts are. */
  | { kind: 'backlog'; parts: Partial<Record<DrillPart, FactTest>> };

function shapeOf(indicator: string, target: string | undefined, personal: boolean): Shape | null {
  // Figures about people leave out bad ratings pending verification (satisfaction.ts; rollup.ts PERSONAL).
  const ratings: FactTest = { kinds: ['rating'], subs: REAL_RATING_SOURCES, ...(personal ? { pending: false } : {}) };
  const ratingParts = {
    defaults: { kinds: ['rating'], subs: ['default'], ...(personal ? { pending: false } : {}) },
    excluded: { kinds: ['ratingsExcluded'] },
    pendingVerification: { kinds: ['rating'], pending: true },
  } satisfies Partial<Record<DrillPart, FactTest>>;
  switch (indicator) {
    case 'service_completion_rate':
      return { kind: 'cross', denominator: { kinds: ['accepted'] }, numerator: { kinds: ['completed'] } };
    case 'resolution_rate':
      return { kind: 'cross', denominator: { kinds: ['accepted'] }, numerator: { kinds: ['resolved'] } };
    case 'callback_rate':
      return { kind: 'cross', denominator: { kinds: ['completed'] }, numerator: { kinds: ['callbacksDone'] } };
    case 'first_contact_resolution_rate':
      return { kind: 'subset', facts: { kinds: ARCHIVED }, numerator: { kinds: ['firstContactResolved'] } };
    case 'reopen_rate':
      return { kind: 'subset', facts: { kinds: ARCHIVED }, numerator: { kinds: ['reopened'] } };
    case 'complaint_count':
      return { kind: 'count', facts: { kinds: ['complaints'] } };
    case 'first_response_compliance':
      return {
        kind: 'subset', facts: { kinds: FR_KINDS }, numerator: { kinds: ['frMetOnTime'] },
        parts: { metOnTime: 'numerator', metLate: { kinds: ['frMetLate'] }, breached: { kinds: ['frBreached'] } },
      };
    case 'target_compliance':
      return target === undefined ? null : { kind: 'subset', facts: { kinds: ['target'], subs: [target] }, numerator: { kinds: ['target'], sat: 1 } };
    case 'first_response_time':
      // The durations of met first-response clocks (on time or late); a breached clock has no reply yet.
      return { kind: 'count', facts: { kinds: ['frMetOnTime', 'frMetLate'] } };
    case 'resolution_time':
      return { kind: 'count', facts: { kinds: ['resolved'] } };
    case 'satisfaction_score':
      return { kind: 'count', facts: ratings, parts: ratingParts };
    case 'satisfaction_rate':
      return { kind: 'subset', facts: ratings, numerator: { ...ratings, sat: 1 }, parts: ratingParts };
    case 'initial_solution_compliance':
      return { kind: 'subset', facts: { kinds: ['initialSolution'] }, numerator: { kinds: ['initialSolution'], sat: 1 } };
    case 'complaint_handling_compliance':
      return { kind: 'subset', facts: { kinds: ['complaintHandling'] }, numerator: { kinds: ['complaintHandling'], sat: 1 } };
    case 'complaint_handling_days':
      // Complaints delivered in the period (their working days are the figure's sum; not listed per item).
      return { kind: 'count', facts: { kinds: ['complaintHandled'] } };
    case 'phone_service_level':
      return {
        kind: 'subset', facts: { kinds: ['call'] }, numerator: { kinds: ['call'], sat: 1 },
        parts: { offered: 'all', answered: { kinds: ['call'], lv: 1 }, answeredWithin: 'numerator', abandoned: { kinds: ['call'], lv: 0 } },
      };
    case 'backlog':
      return { kind: 'backlog', parts: { accepted: { kinds: ['accepted'] }, completed: { kinds: ['completed'] } } };
    case 'corrective_actions':
      return {
        kind: 'subset', facts: { kinds: ['caClosed'] }, numerator: { kinds: ['caClosed'], sat: 1 },
        parts: { opened: { kinds: ['caOpened'] }, overdue: { kinds: ['caOverdue'] }, closed: { kinds: ['caClosed'] }, closedOnTime: 'numerator' },
      };
    default:
      return null;
  }
}

/** The indicators the drill-down can list. */
export const DRILLABLE = [
  'service_completion_rate', 'resolution_rate', 'callback_rate', 'first_contact_resolution_rate', 'reopen_rate', 'complaint_count', 'first_response_compliance',
  'target_compliance', 'first_response_time', 'resolution_time', 'satisfaction_score', 'satisfaction_rate', 'corrective_actions',
  'initial_solution_compliance', 'complaint_handling_compliance', 'complaint_handling_days', 'phone_service_level', 'backlog',
] as const;

/** The parts an indicator can be drilled into (besides the default list). */
export function partsOf(indicator: string): DrillPart[] {
  const shape = shapeOf(indicator, '', false);
  if (!shape) return [];
  if (shape.kind === 'cross') return ['numerator', 'denominator'];
  if (shape.kind === 'count' || shape.kind === 'backlog') return Object.keys(shape.parts ?? {}) as DrillPart[];
  return ['numerator', 'denominator', 'missed', ...(Object.keys(shape.parts ?? {}) as DrillPart[])];
}

/**
 * The rule of a drill-down: the indicator's facts (or a part of them) and its numerator. `personal`: the figure
 * is about people (agent, team or branch dimension), which leaves out ratings pending verification.
 */
export function drillRule(indicator: string, options: { part?: DrillPart; target?: string; personal: boolean }): DrillRuleResult {
  const { part, target, personal } = options;
  if (!(DRILLABLE as readonly string[]).includes(indicator)) return { ok: false, field: 'indicator', summary: `indicator: no drill-down for ${indicator}` };
  if (indicator === 'target_compliance' && target === undefined) return { ok: false, field: 'target', summary: 'target: required for target_compliance' };
  if (indicator !== 'target_compliance' && target !== undefined) return { ok: false, field: 'target', summary: 'target: only for target_compliance' };
  const shape = shapeOf(indicator, target, personal)!;
  const bad = (): DrillRuleResult => ({ ok: false, field: 'part', summary: `part: ${indicator} has ${partsOf(indicator).join(', ') || 'no parts'}` });
  const ok = (rule: Omit<DrillRule, 'source'>, source: DrillRule['source'] = 'facts'): DrillRuleResult => ({ ok: true, rule: { source, ...rule } });
  switch (shape.kind) {
    case 'backlog': {
      if (part === undefined) return ok({ facts: { kinds: ['backlog'] }, numerator: null, keep: 'all' }, 'backlog');
      const facts = shape.parts[part];
      return facts ? ok({ facts, numerator: null, keep: 'all' }) : bad();
    }
    case 'cross':
      if (part === undefined || part === 'denominator') return ok({ facts: shape.denominator, numerator: null, keep: 'all' });
      if (part === 'numerator') return ok({ facts: shape.numerator, numerator: shape.numerator, keep: 'all' });
      return bad();
    case 'count': {
      if (part === undefined) return ok({ facts: shape.facts, numerator: null, keep: 'all' });
      const facts = shape.parts?.[part];
      return facts ? ok({ facts, numerator: null, keep: 'all' }) : bad();
    }
    case 'subset': {
      const numerator = shape.numerator;
      if (part === undefined || part === 'denominator') return ok({ facts: shape.facts, numerator, keep: 'all' });
      if (part === 'numerator') return ok({ facts: shape.facts, numerator, keep: 'numerator' });
      if (part === 'missed') return ok({ facts: shape.facts, numerator, keep: 'missed' });
      const p = shape.parts?.[part];
      if (p === undefined) return bad();
      if (p === 'all') return ok({ facts: shape.facts, numerator, keep: 'all' });
      if (p === 'numerator' || p === 'missed') return ok({ facts: shape.facts, numerator, keep: p });
      // A part of the denominator keeps the numerator flag (met late: not in); a part outside it (opened) has none.
      const within = p.kinds.every((k) => shape.facts.kinds.includes(k)) && p.subs === undefined && p.pending === undefined && shape.facts.subs === undefined;
      return ok({ facts: within ? { ...shape.facts, ...p } : p, numerator: within ? numerator : null, keep: 'all' });
    }
  }
}

/** Whether a fact passes a test (pure; the SQL of drilldown.ts is the same test). */
export function passes(test: FactTest, f: DrillFact): boolean {
  if (!test.kinds.includes(f.k)) return false;
  if (test.subs !== undefined && (f.sub === null || !test.subs.includes(f.sub))) return false;
  if (test.lv !== undefined && f.lv !== test.lv) return false;
  if (test.sat !== undefined && f.sat !== test.sat) return false;
  if (test.pending !== undefined && f.pending !== test.pending) return false;
  return true;
}

/** Whether the drill-down lists the fact. */
export function listed(rule: DrillRule, f: DrillFact): boolean {
  if (!passes(rule.facts, f)) return false;
  if (rule.keep === 'all' || rule.numerator === null) return true;
  return passes(rule.numerator, f) === (rule.keep === 'numerator');
}

/** The fact's `inNumerator` flag in the list. */
export function inNumerator(rule: DrillRule, f: DrillFact): boolean | null {
  return rule.numerator === null ? null : passes(rule.numerator, f);
}
