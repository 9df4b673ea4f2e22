/**
 * Routing rules, pure: does a rule's condition hold for a request, and which agent gets it (round-robin or
 * least-loaded among those on duty). No I/O.
 */
export interface RoutingConditions {
  types: readonly string[];
  priorities: readonly string[];
  categoryIds: readonly string[];
  channels: readonly string[];
  customerFlags: readonly string[];
  branchIds: readonly string[];
}

export interface RoutingFacts {
  type: string;
  priority: string;
  channel: string;
  /** The request's category and its ancestors: a rule on a parent category covers its children. */
  categoryIds: readonly string[];
  customerFlags: readonly string[];
  branchId: string;
}

/** Every non-empty condition must hold; within one, any listed value does (flags: any of them). */
export function ruleMatches(c: RoutingConditions, f: RoutingFacts): boolean {
  const within = (list: readonly string[], value: string) => list.length === 0 || list.includes(value);
  const any = (list: readonly string[], values: readonly string[]) => list.length === 0 || values.some((v) => list.includes(v));
  return (
    within(c.types, f.type) && within(c.priorities, f.priority) && within(c.channels, f.channel) && within(c.branchIds, f.branchId) &&
    any(c.categoryIds, f.categoryIds) && any(c.customerFlags, f.customerFlags)
  );
}

export type Strategy = 'round_robin' | 'least_loaded' | 'team_only';

export interface Candidate {
  id: string;
  /** Open requests assigned now. */
  load: number;
}

/**
 * Picks the agent. Round-robin: the next one after the last assigned, in a stable order (by id).
 * Least-loaded: the smallest load, ties broken by the round-robin order. Null: nobody (team queue only).
 */
export function pickAssignee(strategy: Strategy, candidates: readonly Candidate[], lastAssignedId: string | null): string | null {
  if (strategy === 'team_only' || candidates.length === 0) return null;
  const ordered = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = lastAssignedId === null ? 0 : ordered.findIndex((c) => c.id > lastAssignedId);
  const rotation = start <= 0 ? ordered : [...ordered.slice(start), ...ordered.slice(0, start)];
  if (strategy === 'round_robin') return rotation[0]!.id;
  const least = Math.min(...rotation.map((c) => c.load));
  return rotation.find((c) => c.load === least)!.id;
}
