/**
 * Daily rollups (docs/decisions/0002-figures-rollups.md): `recomputeDaysTx` replaces the kpi_daily rows of some
 * local days of one organization by what the raw tables say now, in one grouping-sets statement over a union of
 * facts. The rollup job runs it on the days the triggers marked dirty; `pledge kpi rebuild` runs it over a
 * range. Both are the same function, so rollups and rebuild cannot disagree unless a write escapes the marks.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../core/db/client.js';
import { isWorkingDay, localDateOf } from '../calendars/calendar.js';
import { compiledOf, defaultCalendar } from '../calendars/service.js';
import { ServiceLevelQuery } from '../channels/calls-contracts.js';
import { organizations } from '../org/schema.js';
import { surveySettingsOf } from '../evaluations/survey-settings.js';
import { lockDaysTx } from './day-locks.js';
import { monthsOf, recomputeMonthsTx } from './monthly.js';
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
  category: string | null;
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

/** GROUPING(agent, team, branch, channel, type, category) bit masks of each grouping set (1 = rolled up). */
const DIM_OF_GROUPING: Record<number, Dimension> = {
  0b111111: 'org', 0b011111: 'agent', 0b101111: 'team', 0b110111: 'branch', 0b111011: 'channel', 0b111101: 'type', 0b111110: 'category',
};

function dimValue(dim: Dimension, r: AggRow): string {
  if (dim === 'org') return '';
  return r[dim] ?? '';
}

/**
 * The facts of the given local days, one row per counted thing, in SQL (see docs/figures.md for each rule).
 * Columns: day, agent, team, branch, channel, type, category, k (what is counted), sub (source, target key, the local
 * hour of a registration…), n, lv, sat,
 * pending, v (a duration in seconds), rid (the request behind the fact, if any: drill-down lists them), at (the
 * instant the fact counts on, whose local day is `day`). A new fact must give rid and at too.
 * Exported so the drill-down reads exactly the facts the figures count.
 */
/**
 * The phone service level's rule as GET /calls/service-level applies it by default: answered within N seconds,
 * unanswered calls that rang less than the short-abandon seconds not offered (docs/phone.md).
 */
const PHONE = ServiceLevelQuery.parse({});
export const PHONE_THRESHOLD_SECONDS = PHONE.threshold;
export const PHONE_SHORT_ABANDON_SECONDS = PHONE.shortAbandon;

/** What some facts need besides the days: the working dates of the default calendar (complaint handling days). */
export interface FactsOptions {
  /**
   * The working dates (YYYY-MM-DD, in the calendar's zone) from the earliest registration of a complaint
   * delivered on these days to the last day. Without them (no default calendar) complaint handling days are
   * not counted at all, never counted as 0.
   */
  workingDays?: { zone: string; dates: string[] } | null;
}

export function factsSql(orgId: string, days: string[], tz: string, satisfiedFrom: number, options: FactsOptions = {}) {
  const dayOf = (col: string) => sql.raw(`(${col} AT TIME ZONE '${tz.replace(/'/g, "''")}')::date`);
  const inDays = (col: string) => sql`${dayOf(col)} = ANY(${`{${days.join(',')}}`}::date[])`;
  // Index-friendly bounds around the days (the exact filter is inDays).
  const lo = days[0]!;
  const hi = days[days.length - 1]!;
  const inRange = (col: string) =>
    sql`${sql.raw(col)} >= (${lo}::date::timestamp AT TIME ZONE ${tz}) AND ${sql.raw(col)} < ((${hi}::date + 1)::timestamp AT TIME ZONE ${tz})`;
  const at = (col: string) => sql`${inRange(col)} AND ${inDays(col)}`;
  const hourOf = (col: string) => sql.raw(`extract(hour FROM ${col} AT TIME ZONE '${tz.replace(/'/g, "''")}')::int::text`);
  const secs = (a: string, b: string) => sql.raw(`greatest(0, extract(epoch FROM (${a} - ${b})))::float8`);
  const dims = sql.raw(`r.assignee_id::text AS agent, r.team_id::text AS team, r.branch_id::text AS branch, r.channel, r.type, r.category_id::text AS category`);
  return sql`
    SELECT ${dayOf('r.created_at')} AS day, ${dims}, 'accepted' AS k, ${hourOf('r.created_at')} AS sub, 1 AS n, 0 AS lv, 0 AS sat, false AS pending, NULL::float8 AS v, r.id AS rid, r.created_at AS at
      FROM requests r WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND ${at('r.created_at')}
    UNION ALL
    SELECT ${dayOf('r.created_at')}, ${dims}, 'complaints', NULL, 1, 0, 0, false, NULL, r.id, r.created_at
      FROM requests r WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND r.type = 'complaint' AND ${at('r.created_at')}
    UNION ALL
    SELECT ${dayOf('r.archived_at')}, ${dims}, 'completed', NULL, 1, 0, 0, false, NULL, r.id, r.archived_at
      FROM requests r WHERE r.org_id = ${orgId} AND r.state = 'archived' AND ${at('r.archived_at')}
    UNION ALL
    SELECT ${dayOf('r.archived_at')}, ${dims}, CASE WHEN r.reopen_count = 0 THEN 'firstContactResolved' ELSE 'reopened' END, NULL, 1, 0, 0, false, NULL, r.id, r.archived_at
      FROM requests r WHERE r.org_id = ${orgId} AND r.state = 'archived' AND ${at('r.archived_at')}
    UNION ALL
    SELECT ${dayOf('r.resolved_at')}, ${dims}, 'resolved', NULL, 1, 0, 0, false, ${secs('r.resolved_at', 'r.created_at')}, r.id, r.resolved_at
      FROM requests r WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND ${at('r.resolved_at')}
    UNION ALL
    SELECT ${dayOf("CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END")}, ${dims},
        CASE WHEN c.state = 'breached' THEN 'frBreached' WHEN c.breached_at IS NULL THEN 'frMetOnTime' ELSE 'frMetLate' END, NULL, 1, 0, 0, false,
        CASE WHEN c.state = 'met' THEN ${secs('c.met_at', 'c.started_at')} END, r.id, CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END
      FROM clocks c JOIN requests r ON r.id::text = c.subject_id AND r.org_id = c.org_id
      WHERE c.org_id = ${orgId} AND c.subject_type = 'request' AND c.kind = 'first_response'
        AND ((c.state = 'met' AND ${at('c.met_at')}) OR (c.state = 'breached' AND ${at('c.breached_at')}))
    UNION ALL
    SELECT ${dayOf("CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END")}, ${dims}, 'target', c.target_key, 1, 0,
        CASE WHEN c.state = 'met' AND c.breached_at IS NULL THEN 1 ELSE 0 END, false, NULL, r.id, CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END
      FROM clocks c JOIN requests r ON r.id::text = c.subject_id AND r.org_id = c.org_id
      WHERE c.org_id = ${orgId} AND c.subject_type = 'request' AND c.target_key IS NOT NULL
        AND ((c.state = 'met' AND ${at('c.met_at')}) OR (c.state = 'breached' AND ${at('c.breached_at')}))
    UNION ALL
    SELECT ${dayOf('e.at')}, e.agent_id::text, e.team_id::text, e.branch_id::text, e.channel, e.request_type, rq.category_id::text,
        CASE WHEN e.excluded THEN 'ratingsExcluded' ELSE 'rating' END, e.source, 1, e.level, CASE WHEN e.level >= ${satisfiedFrom} THEN 1 ELSE 0 END,
        (NOT e.excluded AND e.verification IS NOT DISTINCT FROM 'pending'), NULL, e.request_id, e.at
      FROM evaluations e LEFT JOIN requests rq ON rq.id = e.request_id AND rq.org_id = e.org_id WHERE e.org_id = ${orgId} AND ${at('e.at')}
    UNION ALL
    SELECT ${dayOf('cb.called_at')}, ${dims}, 'callbacksDone', NULL, 1, 0, 0, false, NULL, r.id, cb.called_at
      FROM callbacks cb JOIN requests r ON r.id = cb.request_id AND r.org_id = cb.org_id
      WHERE cb.org_id = ${orgId} AND cb.state = 'done' AND ${at('cb.called_at')}
    UNION ALL
    SELECT ${dayOf('ca.created_at')}, ca.agent_id::text, ca.team_id::text, ca.branch_id::text, rq.channel, rq.type, rq.category_id::text, 'caOpened', NULL, 1, 0, 0, false, NULL, ca.request_id, ca.created_at
      FROM corrective_actions ca LEFT JOIN requests rq ON rq.id = ca.request_id
      WHERE ca.org_id = ${orgId} AND ca.state <> 'cancelled' AND ${at('ca.created_at')}
    UNION ALL
    SELECT ${dayOf('ca.closed_at')}, ca.agent_id::text, ca.team_id::text, ca.branch_id::text, rq.channel, rq.type, rq.category_id::text, 'caClosed', NULL, 1, 0,
        CASE WHEN ca.closed_on_time = 'yes' THEN 1 ELSE 0 END, false, NULL, ca.request_id, ca.closed_at
      FROM corrective_actions ca LEFT JOIN requests rq ON rq.id = ca.request_id
      WHERE ca.org_id = ${orgId} AND ca.state = 'closed' AND ${at('ca.closed_at')}
    UNION ALL
    SELECT ${dayOf('ca.overdue_at')}, ca.agent_id::text, ca.team_id::text, ca.branch_id::text, rq.channel, rq.type, rq.category_id::text, 'caOverdue', NULL, 1, 0, 0, false, NULL, ca.request_id, ca.overdue_at
      FROM corrective_actions ca LEFT JOIN requests rq ON rq.id = ca.request_id
      WHERE ca.org_id = ${orgId} AND ca.state <> 'cancelled' AND ${at('ca.overdue_at')}
    UNION ALL
    SELECT ${dayOf("CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END")}, ${dims},
        CASE WHEN c.kind = 'initial_solution' THEN 'initialSolution' ELSE 'complaintHandling' END, c.kind, 1, 0,
        CASE WHEN c.state = 'met' AND c.breached_at IS NULL THEN 1 ELSE 0 END, false, NULL, r.id, CASE c.state WHEN 'met' THEN c.met_at ELSE c.breached_at END
      FROM clocks c JOIN requests r ON r.id::text = c.subject_id AND r.org_id = c.org_id
      WHERE c.org_id = ${orgId} AND c.subject_type = 'request'
        AND (c.kind = 'initial_solution' OR (r.type = 'complaint' AND c.kind IN ('resolved', 'result.delivered', 'archived')))
        AND ((c.state = 'met' AND ${at('c.met_at')}) OR (c.state = 'breached' AND ${at('c.breached_at')}))
    UNION ALL
    SELECT ${dayOf('cl.ring_at')}, cl.agent_id::text, NULL, NULL, 'phone', NULL, NULL, 'call', NULL, 1,
        CASE WHEN cl.answered_at IS NOT NULL THEN 1 ELSE 0 END,
        CASE WHEN cl.answered_at IS NOT NULL AND cl.answered_at - cl.ring_at <= make_interval(secs => ${PHONE_THRESHOLD_SECONDS}) THEN 1 ELSE 0 END,
        false, NULL, cl.request_id, cl.ring_at
      FROM calls cl
      WHERE cl.org_id = ${orgId} AND cl.direction = 'inbound' AND ${at('cl.ring_at')}
        AND (cl.answered_at IS NOT NULL OR cl.ended_at IS NULL OR cl.ended_at - cl.ring_at >= make_interval(secs => ${PHONE_SHORT_ABANDON_SECONDS}))${complaintDays(options, orgId, dims, dayOf, at)}`;
}

/** Complaints delivered on the days, with the working days from registration (the day of registration not counted). */
function complaintDays(options: FactsOptions, orgId: string, dims: SQL, dayOf: (col: string) => SQL, at: (col: string) => SQL): SQL {
  const wd = options.workingDays;
  if (!wd) return sql``;
  const local = (col: string) => sql.raw(`(${col} AT TIME ZONE '${wd.zone.replace(/'/g, "''")}')::date`);
  return sql`
    UNION ALL
    SELECT ${dayOf('r.resolved_at')}, ${dims}, 'complaintHandled', NULL, 1,
        (SELECT count(*) FROM unnest(${`{${wd.dates.join(',')}}`}::date[]) AS w(d) WHERE w.d > ${local('r.created_at')} AND w.d <= ${local('r.resolved_at')})::int,
        0, false, NULL, r.id, r.resolved_at
      FROM requests r WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND r.type = 'complaint' AND ${at('r.resolved_at')}`;
}

/**
 * What factsSql needs for an organization's days, read from the database: its time zone, the satisfied level of
 * its survey settings and the working dates of its default calendar. The rollup and the drill-down both use it.
 */
export async function factsInputsOf(t: Executor, orgId: string, days: readonly string[]): Promise<{ tz: string; satisfiedFrom: number; options: FactsOptions }> {
  const [org] = await t.select({ tz: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new RangeError(`no organization ${orgId}`);
  const settings = await surveySettingsOf(t, orgId);
  return { tz: org.tz, satisfiedFrom: settings.satisfiedFromLevel, options: { workingDays: await workingDaysFor(t, orgId, org.tz, days) } };
}

/** The default calendar's working dates from the earliest registration of a complaint delivered on the days. */
async function workingDaysFor(t: Executor, orgId: string, tz: string, days: readonly string[]): Promise<FactsOptions['workingDays']> {
  const row = await defaultCalendar(t, orgId);
  if (!row || days.length === 0) return null;
  const cal = compiledOf(row);
  const lo = days[0]!;
  const hi = days[days.length - 1]!;
  const [first] = rowsOf<{ at: Date | string | null }>(
    await t.execute(sql`SELECT min(created_at) AS at FROM requests
      WHERE org_id = ${orgId} AND type = 'complaint' AND state <> 'merged'
        AND resolved_at >= (${lo}::date::timestamp AT TIME ZONE ${tz}) AND resolved_at < ((${hi}::date + 1)::timestamp AT TIME ZONE ${tz})`),
  );
  if (!first?.at) return { zone: cal.timeZone, dates: [] };
  // From the earliest registration's local date to a day past the last day (the calendar's zone may differ).
  const start = localDateOf(cal, new Date(first.at));
  const dates: string[] = [];
  for (const d of daysBetween(start < lo ? start : lo, addDays(hi, 1))) if (isWorkingDay(cal, d)) dates.push(d);
  return { zone: cal.timeZone, dates };
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Replaces the kpi_daily rows of these local days (YYYY-MM-DD) of the organization; returns the rows written. */
export async function recomputeDaysTx(t: Executor, orgId: string, days: readonly string[]): Promise<number> {
  const wanted = [...new Set(days)].sort();
  for (const d of wanted) if (!DAY.test(d)) throw new RangeError(`not a day: ${d}`);
  if (wanted.length === 0) return 0;
  await lockDaysTx(t, orgId, wanted);
  const inputs = await factsInputsOf(t, orgId, wanted);
  const facts = factsSql(orgId, wanted, inputs.tz, inputs.satisfiedFrom, inputs.options);
  // Durations are grouped by sketch bucket (in `sub`), so a sketch is assembled from counts per bucket.
  const bucket = sql.raw(`CASE WHEN f.v IS NULL THEN f.sub WHEN f.v <= 1e-9 THEN 'z' ELSE ceil(ln(f.v) / ${LN_GAMMA})::int::text END`);
  const result = await t.execute(sql`
    WITH f AS (${facts}), b AS (SELECT f.*, ${bucket} AS bsub FROM f)
    SELECT to_char(day, 'YYYY-MM-DD') AS day, GROUPING(agent, team, branch, channel, type, category)::int AS g, agent, team, branch, channel, type, category, k, bsub AS sub,
      sum(n)::int AS n, sum(lv)::int AS lv, sum(sat)::int AS sat,
      coalesce(sum(n) FILTER (WHERE NOT pending), 0)::int AS pn, coalesce(sum(lv) FILTER (WHERE NOT pending), 0)::int AS plv,
      coalesce(sum(sat) FILTER (WHERE NOT pending), 0)::int AS psat,
      coalesce(sum(round(v * 1000)), 0)::bigint AS vms, min(v)::float8 AS vmin, max(v)::float8 AS vmax
    FROM b
    GROUP BY GROUPING SETS ((day, k, bsub), (day, agent, k, bsub), (day, team, k, bsub), (day, branch, k, bsub), (day, channel, k, bsub), (day, type, k, bsub), (day, category, k, bsub))`);
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
  // The months these days fall in are re-summed from their days in the same transaction (monthly.ts).
  await recomputeMonthsTx(t, orgId, monthsOf(wanted));
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
    case 'accepted': {
      c.accepted += n;
      const hour = Number(r.sub);
      if (Number.isInteger(hour) && hour >= 0 && hour < 24) c.acceptedByHour[hour]! += n;
      return;
    }
    case 'caClosed':
      c.caClosed += n;
      c.caClosedOnTime += Number(r.sat);
      return;
    case 'initialSolution':
      c.initialSolutionTotal += n;
      c.initialSolutionOnTime += Number(r.sat);
      return;
    case 'complaintHandling':
      c.complaintHandlingTotal += n;
      c.complaintHandlingOnTime += Number(r.sat);
      return;
    case 'call':
      c.callsOffered += n;
      c.callsAnswered += Number(r.lv);
      c.callsAnsweredWithin += Number(r.sat);
      return;
    case 'complaintHandled':
      c.complaintsHandled += n;
      c.complaintHandlingDays += Number(r.lv);
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

