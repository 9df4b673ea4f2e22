/**
 * Daily rollups (docs/decisions/0002-figures-rollups.md): `recomputeDaysTx` replaces the kpi_daily rows of some
 * local days of one organization by what the raw tables say now, in one grouping-sets statement over a union of
 * facts. The rollup job runs it on the days the triggers marked dirty; `pledge kpi rebuild` runs it over a
 * range. Both are the same function, so rollups and rebuild cannot disagree unless a write escapes the marks.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../core/db/client.js';
import { organizations } from '../org/schema.js';
import { surveySettingsOf } from '../evaluations/survey-settings.js';
import { DEFAULT_ALPHA, type Sketch } from './quantile-sketch.js';
import { emptyCounters, emptySketches, SCALAR_COUNTERS, type DailyCounters, type DailySketches, type Dimension } from './rollup-facts.js';
import { kpiDaily } from './schema.js';

const LN_GAMMA = Math.log((1 + DEFAULT_ALPHA) / (1 - DEFAULT_ALPHA));
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a dimension leaves out bad ratings pending verification (figures about people, satisfaction.ts). */
const PERSONAL: ReadonlySet<Dimension> = new Set(['agent', 'team', 'branch']);

interface AggRow {
  day: string;
  g: number;
  agent: string | null;
  team: string | null;
  branch: string | null;
  channel: string | null;
  type: string | null;
  k: string;
  sub: string | null;
  n: number;
  lv: number;
  sat: number;
  pn: number;
  plv: number;
  psat: number;
  vms: number | string;
  vmin: number | null;
  vmax: number | null;
}

/** GROUPING(agent, team, branch, channel, type) bit masks of each grouping set (1 = rolled up). */
const DIM_OF_GROUPING: Record<number, Dimension> = { 0b11111: 'org', 0b01111: 'agent', 0b10111: 'team', 0b11011: 'branch', 0b11101: 'channel', 0b11110: 'type' };

function dimValue(dim: Dimension, r: AggRow): string {
  if (dim === 'org') return '';
  return r[dim] ?? '';
}

/** The facts of the given local days, one row per counted thing, in SQL (see docs/figures.md for each rule). */
function factsSql(orgId: string, days: string[], tz: string, satisfiedFrom: number) {
  const dayOf = (col: string) => sql.raw(`(${col} AT TIME ZONE '${tz.replace(/'/g, "''")}')::date`);
  const inDays = (col: string) => sql`${dayOf(col)} = ANY(${`{${days.join(',')}}`}::date[])`;
  // Index-friendly bounds around the days (the exact filter is inDays).
  const lo = days[0]!;
  const hi = days[days.length - 1]!;
  const inRange = (col: string) =>
    sql`${sql.raw(col)} >= (${lo}::date::timestamp AT TIME ZONE ${tz}) AND ${sql.raw(col)} < ((${hi}::date + 1)::timestamp AT TIME ZONE ${tz})`;
  const at = (col: string) => sql`${inRange(col)} AND ${inDays(col)}`;
  const secs = (a: string, b: string) => sql.raw(`greatest(0, extract(epoch FROM (${a} - ${b})))::float8`);
  const dims = sql.raw(`r.assignee_id::text AS agent, r.team_id::text AS team, r.branch_id::text AS branch, r.channel, r.type`);
  return sql`
    SELECT ${dayOf('r.created_at')} AS day, ${dims}, 'accepted' AS k, NULL::text AS sub, 1 AS n, 0 AS lv, 0 AS sat, false AS pending, NULL::float8 AS v
      FROM requests r WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND ${at('r.created_at')}
    UNION ALL
    SELECT ${dayOf('r.created_at')}, ${dims}, 'complaints', NULL, 1, 0, 0, false, NULL
      FROM requests r WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND r.type = 'complaint' AND ${at('r.created_at')}
    UNION ALL
    SELECT ${dayOf('r.archived_at')}, ${dims}, 'completed', NULL, 1, 0, 0, false, NULL
      FROM requests r WHERE r.org_id = ${orgId} AND r.state = 'archived' AND ${at('r.archived_at')}
    UNION ALL
    SELECT ${dayOf('r.archived_at')}, ${dims}, CASE WHEN r.reopen_count = 0 THEN 'firstContactResolved' ELSE 'reopened' END, NULL, 1, 0, 0, false, NULL
      FROM requests r WHERE r.org_id = ${orgId} AND r.state = 'archived' AND ${at('r.archived_at')}
    UNION ALL
    SELECT ${dayOf('r.resolved_at')}, ${dims}, 'resolved', NULL, 1, 0, 0, false, ${secs('r.resolved_at', 'r.created_at')}
      FROM requests r WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND ${at('r.resolved_at')}
    UNION ALL
    SELECT ${dayOf("CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END")}, ${dims},
        CASE WHEN c.state = 'breached' THEN 'frBreached' WHEN c.breached_at IS NULL THEN 'frMetOnTime' ELSE 'frMetLate' END, NULL, 1, 0, 0, false,
        CASE WHEN c.state = 'met' THEN ${secs('c.met_at', 'c.started_at')} END
      FROM clocks c JOIN requests r ON r.id::text = c.subject_id AND r.org_id = c.org_id
      WHERE c.org_id = ${orgId} AND c.subject_type = 'request' AND c.kind = 'first_response'
        AND ((c.state = 'met' AND ${at('c.met_at')}) OR (c.state = 'breached' AND ${at('c.breached_at')}))
    UNION ALL
    SELECT ${dayOf("CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END")}, ${dims}, 'target', c.target_key, 1, 0,
        CASE WHEN c.state = 'met' AND c.breached_at IS NULL THEN 1 ELSE 0 END, false, NULL
      FROM clocks c JOIN requests r ON r.id::text = c.subject_id AND r.org_id = c.org_id
      WHERE c.org_id = ${orgId} AND c.subject_type = 'request' AND c.target_key IS NOT NULL
        AND ((c.state = 'met' AND ${at('c.met_at')}) OR (c.state = 'breached' AND ${at('c.breached_at')}))
    UNION ALL
    SELECT ${dayOf('e.at')}, e.agent_id::text, e.team_id::text, e.branch_id::text, e.channel, e.request_type,
        CASE WHEN e.excluded THEN 'ratingsExcluded' ELSE 'rating' END, e.source, 1, e.level, CASE WHEN e.level >= ${satisfiedFrom} THEN 1 ELSE 0 END,
        (NOT e.excluded AND e.verification IS NOT DISTINCT FROM 'pending'), NULL
      FROM evaluations e WHERE e.org_id = ${orgId} AND ${at('e.at')}
    UNION ALL
    SELECT ${dayOf('cb.called_at')}, ${dims}, 'callbacksDone', NULL, 1, 0, 0, false, NULL
      FROM callbacks cb JOIN requests r ON r.id = cb.request_id AND r.org_id = cb.org_id
      WHERE cb.org_id = ${orgId} AND cb.state = 'done' AND ${at('cb.called_at')}
    UNION ALL
    SELECT ${dayOf('ca.created_at')}, ca.agent_id::text, ca.team_id::text, ca.branch_id::text, rq.channel, rq.type, 'caOpened', NULL, 1, 0, 0, false, NULL
      FROM corrective_actions ca LEFT JOIN requests rq ON rq.id = ca.request_id
      WHERE ca.org_id = ${orgId} AND ca.state <> 'cancelled' AND ${at('ca.created_at')}
    UNION ALL
    SELECT ${dayOf('ca.closed_at')}, ca.agent_id::text, ca.team_id::text, ca.branch_id::text, rq.channel, rq.type, 'caClosed', NULL, 1, 0,
        CASE WHEN ca.closed_on_time = 'yes' THEN 1 ELSE 0 END, false, NULL
      FROM corrective_actions ca LEFT JOIN requests rq ON rq.id = ca.request_id
      WHERE ca.org_id = ${orgId} AND ca.state = 'closed' AND ${at('ca.closed_at')}
    UNION ALL
    SELECT ${dayOf('ca.overdue_at')}, ca.agent_id::text, ca.team_id::text, ca.branch_id::text, rq.channel, rq.type, 'caOverdue', NULL, 1, 0, 0, false, NULL
      FROM corrective_actions ca LEFT JOIN requests rq ON rq.id = ca.request_id
      WHERE ca.org_id = ${orgId} AND ca.state <> 'cancelled' AND ${at('ca.overdue_at')}`;
}

/** Replaces the kpi_daily rows of these local days (YYYY-MM-DD) of the organization; returns the rows written. */
export async function recomputeDaysTx(t: Executor, orgId: string, days: readonly string[]): Promise<number> {
  const wanted = [...new Set(days)].sort();
  for (const d of wanted) if (!DAY.test(d)) throw new RangeError(`not a day: ${d}`);
  if (wanted.length === 0) return 0;
  const [org] = await t.select({ tz: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new RangeError(`no organization ${orgId}`);
  const settings = await surveySettingsOf(t, orgId);
  const facts = factsSql(orgId, wanted, org.tz, settings.satisfiedFromLevel);
  // Durations are grouped by sketch bucket (in `sub`), so a sketch is assembled from counts per bucket.
  const bucket = sql.raw(`CASE WHEN f.v IS NULL THEN f.sub WHEN f.v <= 1e-9 THEN 'z' ELSE ceil(ln(f.v) / ${LN_GAMMA})::int::text END`);
  const result = await t.execute(sql`
    WITH f AS (${facts}), b AS (SELECT f.*, ${bucket} AS bsub FROM f)
    SELECT to_char(day, 'YYYY-MM-DD') AS day, GROUPING(agent, team, branch, channel, type)::int AS g, agent, team, branch, channel, type, k, bsub AS sub,
      sum(n)::int AS n, sum(lv)::int AS lv, sum(sat)::int AS sat,
      coalesce(sum(n) FILTER (WHERE NOT pending), 0)::int AS pn, coalesce(sum(lv) FILTER (WHERE NOT pending), 0)::int AS plv,
      coalesce(sum(sat) FILTER (WHERE NOT pending), 0)::int AS psat,
      coalesce(sum(round(v * 1000)), 0)::bigint AS vms, min(v)::float8 AS vmin, max(v)::float8 AS vmax
    FROM b
    GROUP BY GROUPING SETS ((day, k, bsub), (day, agent, k, bsub), (day, team, k, bsub), (day, branch, k, bsub), (day, channel, k, bsub), (day, type, k, bsub))`);
  const rows = new Map<string, { day: string; dim: Dimension; dimValue: string; counters: DailyCounters; sketches: DailySketches }>();
  for (const r of rowsOf<AggRow>(result)) {
    const dim = DIM_OF_GROUPING[Number(r.g)];
    if (!dim) continue;
    const value = dimValue(dim, r);
    const key = `${r.day}|${dim}|${value}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { day: r.day, dim, dimValue: value, counters: emptyCounters(), sketches: emptySketches() }));
    accumulate(row.counters, row.sketches, dim, r);
  }
  await t.delete(kpiDaily).where(and(eq(kpiDaily.orgId, orgId), inArray(kpiDaily.day, wanted)));
  const values = [...rows.values()].map((r) => ({ orgId, ...r }));
  for (let i = 0; i < values.length; i += 500) await t.insert(kpiDaily).values(values.slice(i, i + 500));
  return values.length;
}

function addToSketch(s: Sketch, sub: string | null, n: number, min: number | null, max: number | null): Sketch {
  const out: Sketch = { ...s, buckets: { ...s.buckets }, count: s.count + n };
  if (sub === 'z') out.zero += n;
  else if (sub !== null) out.buckets[sub] = (out.buckets[sub] ?? 0) + n;
  if (min !== null) out.min = s.min === null ? min : Math.min(s.min, min);
  if (max !== null) out.max = s.max === null ? max : Math.max(s.max, max);
  return out;
}

function accumulate(c: DailyCounters, s: DailySketches, dim: Dimension, r: AggRow): void {
  const n = Number(r.n);
  const vmin = r.vmin === null ? null : Number(r.vmin);
  const vmax = r.vmax === null ? null : Number(r.vmax);
  switch (r.k) {
    case 'target': {
      const t = (c.targets[r.sub ?? ''] ??= { onTime: 0, total: 0 });
      t.total += n;
      t.onTime += Number(r.sat);
      return;
    }
    case 'rating': {
      const personal = PERSONAL.has(dim);
      const src = r.sub ?? 'unknown';
      const x = (c.ratings[src] ??= { count: 0, levelSum: 0, satisfied: 0 });
      x.count += personal ? Number(r.pn) : n;
      x.levelSum += personal ? Number(r.plv) : Number(r.lv);
      x.satisfied += personal ? Number(r.psat) : Number(r.sat);
      c.ratingsPendingVerification += n - Number(r.pn);
      if (x.count === 0 && x.levelSum === 0) delete c.ratings[src];
      return;
    }
    case 'resolved':
      c.resolved += n;
      c.resolutionMillis += Number(r.vms);
      s.resolution = addToSketch(s.resolution, r.sub, n, vmin, vmax);
      return;
    case 'frMetOnTime':
    case 'frMetLate':
      c[r.k] += n;
      c.frMillis += Number(r.vms);
      s.firstResponse = addToSketch(s.firstResponse, r.sub, n, vmin, vmax);
      return;
    case 'caClosed':
      c.caClosed += n;
      c.caClosedOnTime += Number(r.sat);
      return;
    default:
      if ((SCALAR_COUNTERS as readonly string[]).includes(r.k)) c[r.k as (typeof SCALAR_COUNTERS)[number]] += n;
  }
}

/** The local days from `from` to `to` inclusive (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  if (!DAY.test(from) || !DAY.test(to)) throw new RangeError('days are YYYY-MM-DD');
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= end; d += 86_400_000) {
    out.push(new Date(d).toISOString().slice(0, 10));
    if (out.length > 3700) throw new RangeError('at most ten years at once');
  }
  return out;
}

