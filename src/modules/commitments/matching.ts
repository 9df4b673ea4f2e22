/**
 * Which targets of which commitment versions apply to a request, and why: a plain function with no I/O.
 * A version applies when the request is inside its scope (branches, departments, channels) and its
 * effective period; a target applies when every dimension of its `appliesTo` admits the request (an empty
 * list admits everything; customer flags match when the customer has any of them).
 */
import type { RequestFacts, Scope, Target } from './contracts.js';

export interface VersionForMatching {
  id: string;
  commitmentId: string;
  number: string;
  version: number;
  title: string;
  scope: Scope;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  targets: readonly Target[];
}

export type Dimension = 'branch' | 'department' | 'scope_channel' | 'effective' | 'channel' | 'request_type' | 'priority' | 'customer_flag';

export interface Check {
  dimension: Dimension;
  /** What the commitment or target asks for (empty: anything). */
  expected: readonly string[];
  /** What the request has. */
  actual: readonly string[];
  ok: boolean;
}

export interface TargetMatch {
  version: VersionForMatching;
  target: Target;
  applies: boolean;
  checks: Check[];
}

function check(dimension: Dimension, expected: readonly string[], actual: readonly string[], any = true): Check {
  const ok = expected.length === 0 || (any ? actual.some((a) => expected.includes(a)) : actual.every((a) => expected.includes(a)));
  return { dimension, expected, actual, ok };
}

/** The scope and period checks of a version for a request registered on `localDate` (YYYY-MM-DD). */
export function versionChecks(version: VersionForMatching, facts: RequestFacts, localDate: string): Check[] {
  const checks: Check[] = [
    check('branch', version.scope.branchIds, facts.branchId ? [facts.branchId] : []),
    check('department', version.scope.departmentIds, facts.departmentId ? [facts.departmentId] : []),
    check('scope_channel', version.scope.channels, [facts.channel]),
  ];
  const from = version.effectiveFrom;
  const to = version.effectiveTo;
  checks.push({
    dimension: 'effective',
    expected: [from ?? '', to ?? ''],
    actual: [localDate],
    ok: (from === null || from <= localDate) && (to === null || localDate <= to),
  });
  return checks;
}

/** The checks of one target's `appliesTo`. */
export function targetChecks(target: Target, facts: RequestFacts): Check[] {
  const a = target.appliesTo;
  return [
    check('channel', a.channels, [facts.channel]),
    check('request_type', a.requestTypes, [facts.type]),
    check('priority', a.priorities, [facts.priority]),
    check('customer_flag', a.customerFlags, facts.customerFlags),
  ];
}

/**
 * Every target of every version, with whether it applies to the request and the checks that decided it,
 * in version then target order. Callers keep `applies` ones; the rest explain why a target did not apply.
 */
export function matchTargets(versions: readonly VersionForMatching[], facts: RequestFacts, localDate: string): TargetMatch[] {
  const out: TargetMatch[] = [];
  for (const version of versions) {
    const vChecks = versionChecks(version, facts, localDate);
    const inScope = vChecks.every((c) => c.ok);
    for (const target of version.targets) {
      const checks = [...vChecks, ...targetChecks(target, facts)];
      out.push({ version, target, applies: inScope && checks.every((c) => c.ok), checks });
    }
  }
  return out;
}
