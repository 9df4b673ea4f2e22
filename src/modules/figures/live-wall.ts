/**
 * The team lead's live wall, computed at one instant from the open requests and their clocks (pure; live.ts
 * reads the rows). A clock counts as it looks at that instant, as on the request page (requests/clock-look.ts):
 * a running clock past its due instant is breached even before the clock watcher records it. A request counts
 * once, under its most urgent clock: breached, else about to breach (a clock past its warning), else running.
 */

export type LiveClockState = 'running' | 'warning' | 'breached';

export interface WallRequest {
  id: string;
  state: string;
  assigneeId: string | null;
}

export interface WallClock {
  requestId: string;
  kind: string;
  /** The stored state: running | paused | met | breached | cancelled. */
  state: string;
  dueAt: Date;
  warningAt: Date | null;
}

/** A clock's state at `now`; null for one that does not count down (paused, met, cancelled). */
export function liveClockState(clock: Pick<WallClock, 'state' | 'dueAt' | 'warningAt'>, now: Date): LiveClockState | null {
  if (clock.state === 'breached') return 'breached';
  if (clock.state !== 'running') return null;
  if (clock.dueAt.getTime() <= now.getTime()) return 'breached';
  if (clock.warningAt !== null && clock.warningAt.getTime() <= now.getTime()) return 'warning';
  return 'running';
}

const RANK: Record<LiveClockState, number> = { running: 1, warning: 2, breached: 3 };

/** The most urgent of some clock states (null for none). */
export function mostUrgent(states: Iterable<LiveClockState | null>): LiveClockState | null {
  let out: LiveClockState | null = null;
  for (const s of states) if (s !== null && (out === null || RANK[s] > RANK[out])) out = s;
  return out;
}

export interface Load {
  open: number;
  aboutToBreach: number;
  breached: number;
}

export interface SoonestClock {
  requestId: string;
  kind: string;
  dueAt: Date;
  state: LiveClockState;
}

export interface WallSummary {
  open: { total: number; byState: Record<string, number> };
  aboutToBreach: number;
  breached: number;
  unassigned: number;
  /** Per assignee id: their open requests, and how many of those are about to breach or breached. */
  byAssignee: Map<string, Load>;
  /** Clocks counting down on the open requests, soonest due first (breached ones, due earliest, first). */
  soonest: SoonestClock[];
}

/** The wall's figures at `now` from the open requests and their clocks (clocks of other requests are ignored). */
export function summarizeWall(requests: readonly WallRequest[], clocks: readonly WallClock[], now: Date, soonestLimit = 20): WallSummary {
  const urgency = new Map<string, LiveClockState | null>(requests.map((r) => [r.id, null]));
  const counting: SoonestClock[] = [];
  for (const c of clocks) {
    if (!urgency.has(c.requestId)) continue;
    const state = liveClockState(c, now);
    if (state === null) continue;
    urgency.set(c.requestId, mostUrgent([urgency.get(c.requestId)!, state]));
    counting.push({ requestId: c.requestId, kind: c.kind, dueAt: c.dueAt, state });
  }
  const byState: Record<string, number> = {};
  const byAssignee = new Map<string, Load>();
  let aboutToBreach = 0;
  let breached = 0;
  let unassigned = 0;
  for (const r of requests) {
    byState[r.state] = (byState[r.state] ?? 0) + 1;
    const u = urgency.get(r.id);
    const warning = u === 'warning' ? 1 : 0;
    const late = u === 'breached' ? 1 : 0;
    aboutToBreach += warning;
    breached += late;
    if (r.assigneeId === null) {
      unassigned += 1;
      continue;
    }
    const load = byAssignee.get(r.assigneeId) ?? { open: 0, aboutToBreach: 0, breached: 0 };
    load.open += 1;
    load.aboutToBreach += warning;
    load.breached += late;
    byAssignee.set(r.assigneeId, load);
  }
  counting.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { open: { total: requests.length, byState }, aboutToBreach, breached, unassigned, byAssignee, soonest: counting.slice(0, soonestLimit) };
}

export interface Membership {
  staffId: string;
  teamId: string;
  joinedAt: Date;
}

/**
 * The team each person shows under: `team` when they belong to it, else the first team they joined (ties by
 * team id), else null.
 */
export function teamOfPerson(memberships: readonly Membership[], team: string | null): Map<string, string> {
  const before = (a: Membership, b: Membership) => {
    const aTeam = a.teamId === team ? 0 : 1;
    const bTeam = b.teamId === team ? 0 : 1;
    if (aTeam !== bTeam) return aTeam < bTeam;
    if (a.joinedAt.getTime() !== b.joinedAt.getTime()) return a.joinedAt.getTime() < b.joinedAt.getTime();
    return a.teamId < b.teamId;
  };
  const first = new Map<string, Membership>();
  for (const m of memberships) {
    const current = first.get(m.staffId);
    if (!current || before(m, current)) first.set(m.staffId, m);
  }
  return new Map([...first].map(([id, m]) => [id, m.teamId]));
}
