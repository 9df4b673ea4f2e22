/**
 * Cluster findings (集中问题): the same category drawing at least `threshold` complaints within `windowDays`
 * raises one corrective action instead of one per complaint. Pure: the service loads the category's
 * complaints (id and registration instant) and asks whether the window ending now holds a cluster.
 */
export interface ClusterRule {
  /** How many complaints in the window make a cluster (≥ 2). */
  threshold: number;
  /** The window's length in days, ending at the instant asked about. */
  windowDays: number;
}

export interface Complaint {
  id: string;
  at: Date;
}

const DAY_MS = 86_400_000;

/** The window (from, to] the rule looks at, ending at `at`. */
export function windowOf(rule: ClusterRule, at: Date): { from: Date; to: Date } {
  return { from: new Date(at.getTime() - rule.windowDays * DAY_MS), to: at };
}

/**
 * The complaints of the window ending at `at` — registered after `at − windowDays` and not after `at` — if
 * there are at least `threshold` of them (each id once, in time order), else null. Complaints after `at` do
 * not count: what happens later cannot make an earlier cluster.
 */
export function detectCluster(complaints: readonly Complaint[], at: Date, rule: ClusterRule): Complaint[] | null {
  const sorted = [...new Map(complaints.map((c) => [c.id, c])).values()].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { from, to } = windowOf(rule, at);
  // Slide the window's start over the sorted instants (binary search for the first one inside it).
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.at.getTime() > from.getTime()) hi = mid;
    else lo = mid + 1;
  }
  const members: Complaint[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.at.getTime() <= to.getTime(); i++) members.push(sorted[i]!);
  return members.length >= rule.threshold ? members : null;
}

/**
 * Replays a category's complaints in time order as the service meets them: each complaint either joins the
 * open cluster (once one was raised, it stays open in this replay) or, when the window ending at it holds
 * `threshold` complaints, raises the cluster with them. Returns the cluster's members and the complaint that
 * raised it, or null. (Used by tests and the demo to show what the rule does to a history.)
 */
export function replayCategory(complaints: readonly Complaint[], rule: ClusterRule): { raisedBy: string; members: string[] } | null {
  const sorted = [...complaints].sort((a, b) => a.at.getTime() - b.at.getTime());
  let cluster: { raisedBy: string; members: string[] } | null = null;
  for (let i = 0; i < sorted.length; i++) {
    const c = sorted[i]!;
    if (cluster) {
      cluster.members.push(c.id);
      continue;
    }
    const found = detectCluster(sorted.slice(0, i + 1), c.at, rule);
    if (found) cluster = { raisedBy: c.id, members: found.map((m) => m.id) };
  }
  return cluster;
}
