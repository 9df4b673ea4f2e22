/**
 * Drill-down (docs/figures-drilldown.md): the requests behind a figure. It reads the very facts the rollups sum
 * (`factsSql` of rollup.ts, one row per counted thing) for the local days of the period, keeps those of the
 * indicator (drill-rules.ts) and of the dimension value, and lists them with their request, a page at a time.
 * So the list's total is the figure's denominator (or count), and its items flagged `inNumerator` its numerator.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../core/context.js';
import { rowsOf } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { organizations } from '../org/schema.js';
import * as C from './drill-contracts.js';
import { scopedDimension } from './scope.js';
import { drillRule, type DrillRule, type FactTest } from './drill-rules.js';
import { parsePeriod } from './periods.js';
import { daysBetween, factsInputsOf, factsSql } from './rollup.js';
import { AVAILABLE, READ_PERMISSION } from './service.js';

/** The longest from/to range a drill-down lists (a year period is at most 366 days too). */
export const MAX_DRILL_DAYS = 366;

/** Keyset position: the last item's instant (microseconds), request, kind, sub and rank among identical facts. */
type Cursor = [string, string, string, string, number];

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) && v.length === 5 && v.slice(0, 4).every((x) => typeof x === 'string') && Number.isInteger(v[4]) &&
      !Number.isNaN(Date.parse(v[0] as string))
    ) {
      return v as Cursor;
    }
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', { summary: 'cursor' }, { field: 'cursor' });
}

const invalid = (field: string, summary: string) => new AppError('validation_failed', { summary }, { field });

/** The local days a query names: a period key (its grain must agree with `grain` when given) or from/to. */
function daysOf(q: C.KpiDrilldownQuery, zone: string): string[] {
  if (q.period !== undefined) {
    let period;
    try {
      period = parsePeriod(q.period, zone);
    } catch {
      throw invalid('period', 'period: not a period key (2026-11-05, 2026-W47, 2026-11, 2026-Q4, 2026)');
    }
    if (q.grain !== undefined && q.grain !== period.grain) throw invalid('grain', `grain: ${q.period} is a ${period.grain}`);
    return daysBetween(period.firstDay, period.lastDay);
  }
  const from = q.from!;
  const to = q.to!;
  for (const [field, day] of [['from', from], ['to', to]] as const) {
    try {
      if (parsePeriod(day, zone).grain !== 'day') throw new RangeError();
    } catch {
      throw invalid(field, `${field}: not a valid day`);
    }
  }
  if (from > to) throw invalid('from', 'from: after to');
  const n = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (n > MAX_DRILL_DAYS) throw invalid('to', `from/to: at most ${MAX_DRILL_DAYS} days`);
  return daysBetween(from, to);
}

const KIND = /^[A-Za-z]+$/;

/** The SQL of a fact test over the facts `f` (kinds are the rules' own words, inlined so the planner skips the other facts). */
function testSql(t: FactTest): SQL {
  for (const k of t.kinds) if (!KIND.test(k)) throw new RangeError(`bad fact kind ${k}`);
  const out: SQL[] = [sql.raw(`f.k IN (${t.kinds.map((k) => `'${k}'`).join(', ')})`)];
  if (t.subs !== undefined) out.push(sql`f.sub IN (${sql.join(t.subs.map((s) => sql`${s}`), sql`, `)})`);
  if (t.lv !== undefined) out.push(sql`f.lv = ${t.lv}`);
  if (t.sat !== undefined) out.push(sql`f.sat = ${t.sat}`);
  if (t.pending !== undefined) out.push(t.pending ? sql`f.pending` : sql`NOT f.pending`);
  return sql.join(out, sql` AND `);
}

function ruleSql(rule: DrillRule): { where: SQL; numerator: SQL } {
  const facts = testSql(rule.facts);
  if (rule.numerator === null) return { where: facts, numerator: sql`NULL::boolean` };
  const num = sql`(${testSql(rule.numerator)})`;
  if (rule.keep === 'all') return { where: facts, numerator: num };
  return { where: sql`${facts} AND ${num} = ${rule.keep === 'numerator'}`, numerator: num };
}

/**
 * The backlog at the end of a local day, as facts: each request counted accepted by then (registered, not merged)
 * and not counted completed by then (archived on or before that day) — the balance the figure sums from the
 * first day (accepted − completed), under the same dimensions as the facts of rollup.ts.
 */
function backlogSql(orgId: string, lastDay: string, tz: string): SQL {
  const end = sql`((${lastDay}::date + 1)::timestamp AT TIME ZONE ${tz})`;
  return sql`
    SELECT (r.created_at AT TIME ZONE ${tz})::date AS day, r.assignee_id::text AS agent, r.team_id::text AS team, r.branch_id::text AS branch, r.channel, r.type,
      r.category_id::text AS category, 'backlog' AS k, NULL::text AS sub, 1 AS n, 0 AS lv, 0 AS sat, false AS pending, NULL::float8 AS v, r.id AS rid, r.created_at AS at
    FROM requests r
    WHERE r.org_id = ${orgId} AND r.state <> 'merged' AND r.created_at < ${end}
      AND NOT (r.state = 'archived' AND r.archived_at IS NOT NULL AND r.archived_at < ${end})`;
}

interface Row {
  total: number;
  k: string | null;
  sub: string | null;
  rid: string | null;
  agent: string | null;
  team: string | null;
  channel: string | null;
  type: string | null;
  v: number | string | null;
  num: boolean | null;
  dup: number | string;
  at_key: string;
  at_iso: string;
  number: string | null;
  subject: string | null;
  state: string | null;
  priority: string | null;
  created_iso: string | null;
  assignee_name: string | null;
}

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The facts behind a figure, with their requests, a page at a time (see docs/figures-drilldown.md). */
export async function kpiDrilldown(ctx: Ctx, input: unknown): Promise<C.KpiDrilldownView> {
  authorize(ctx, READ_PERMISSION);
  const q = parse(C.KpiDrilldownQuery, input);
  if (!AVAILABLE.has(q.indicator)) throw invalid('indicator', `indicator: ${q.indicator} is not available (see /kpis/definitions)`);
  // Scope as /kpis/values: a branch-scoped reader drills into their branch's figures, or their own as an agent.
  const { dim, value } = scopedDimension<C.DrillDimension>(ctx.actor, q.dimension, q.value);
  const personal = dim === 'agent' || dim === 'team' || dim === 'branch';
  const r = drillRule(q.indicator, { part: q.part, target: q.target, personal });
  if (!r.ok) throw invalid(r.field, r.summary);
  const cursor = q.cursor === undefined ? null : decodeCursor(q.cursor);

  const db = ctx.app.database.db;
  const [org] = await db.select({ tz: organizations.timeZone }).from(organizations).where(eq(organizations.id, ctx.orgId));
  const zone = org?.tz ?? 'Asia/Shanghai';
  const days = daysOf(q, zone);
  let facts: SQL;
  if (r.rule.source === 'backlog') {
    facts = backlogSql(ctx.orgId, days[days.length - 1]!, zone);
  } else {
    // The same inputs as the rollup's recompute (zone, satisfied level, working days of the default calendar).
    const inputs = await factsInputsOf(db, ctx.orgId, days);
    facts = factsSql(ctx.orgId, days, inputs.tz, inputs.satisfiedFrom, inputs.options);
  }
  const { where, numerator } = ruleSql(r.rule);
  const filters = [where];
  if (dim !== 'org' && value !== undefined) filters.push(sql`coalesce(${sql.raw(`f.${dim}`)}, '') = ${value}`);
  // A heat-map cell: the local weekday and hour of the instant the fact counts on.
  if (q.weekday !== undefined) filters.push(sql`extract(isodow FROM f.at AT TIME ZONE ${zone})::int = ${q.weekday}`);
  if (q.hour !== undefined) filters.push(sql`extract(hour FROM f.at AT TIME ZONE ${zone})::int = ${q.hour}`);
  const order = sql.raw(`m.at, coalesce(m.rid::text, ''), m.k, coalesce(m.sub, ''), m.dup`);
  const after = cursor
    ? sql`(m.at, coalesce(m.rid::text, ''), m.k, coalesce(m.sub, ''), m.dup) > (${cursor[0]}::timestamptz, ${cursor[1]}, ${cursor[2]}, ${cursor[3]}, ${cursor[4]})`
    : sql`true`;
  const result = await db.execute(sql`
    WITH f AS (${facts}),
    m AS (
      SELECT f.*, ${numerator} AS num,
        row_number() OVER (PARTITION BY f.at, f.rid, f.k, f.sub ORDER BY f.v, f.sat, f.pending, f.agent, f.team, f.branch, f.channel, f.type) AS dup
      FROM f WHERE ${sql.join(filters, sql` AND `)}
    ),
    p AS (SELECT m.* FROM m WHERE ${after} ORDER BY ${order} LIMIT ${q.limit + 1})
    SELECT t.total, p.k, p.sub, p.rid, p.agent, p.team, p.channel, p.type, p.v, p.num, p.dup,
      to_char(p.at AT TIME ZONE 'UTC', ${sql.raw(ISO_US)}) AS at_key, to_char(p.at AT TIME ZONE 'UTC', ${sql.raw(ISO_MS)}) AS at_iso,
      r.number, r.subject, r.state, r.priority, to_char(r.created_at AT TIME ZONE 'UTC', ${sql.raw(ISO_MS)}) AS created_iso, s.display_name AS assignee_name
    FROM (SELECT count(*)::int AS total FROM m) t
      LEFT JOIN p ON true
      LEFT JOIN requests r ON r.id = p.rid AND r.org_id = ${ctx.orgId}
      LEFT JOIN staff s ON s.id = p.agent::uuid AND s.org_id = ${ctx.orgId}
    ORDER BY ${sql.raw(`p.at, coalesce(p.rid::text, ''), p.k, coalesce(p.sub, ''), p.dup`)}`);
  const rows = rowsOf<Row>(result);
  const total = Number(rows[0]?.total ?? 0);
  const found = rows.filter((x) => x.k !== null);
  const shown = found.slice(0, q.limit);
  const last = shown[shown.length - 1];
  return {
    total,
    items: shown.map((x) => ({
      requestId: x.rid, number: x.number, subject: x.subject, type: x.type, channel: x.channel, state: x.state, priority: x.priority,
      assigneeId: x.agent, assigneeName: x.assignee_name, teamId: x.team, createdAt: x.created_iso, at: x.at_iso,
      inNumerator: x.num === null ? null : x.num === true || (x.num as unknown) === 't', seconds: x.v === null ? null : Number(x.v),
    })),
    nextCursor: found.length > q.limit && last ? encodeCursor([last.at_key, last.rid ?? '', last.k!, last.sub ?? '', Number(last.dup)]) : null,
  };
}
