/**
 * Daily rollups of the indicators (docs/decisions/0002-figures-rollups.md): one row per organization, local
 * day, dimension and dimension value, holding additive counters and mergeable duration sketches; and the
 * (organization, day) pairs whose rows must be recomputed, marked by database triggers on every write.
 */
import { sql } from 'drizzle-orm';
import { bigint, date, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { DailyCounters, DailySketches } from './rollup-facts.js';

export const kpiDaily = pgTable(
  'kpi_daily',
  {
    orgId: uuid().notNull(),
    /** The local date in the organization's time zone. */
    day: date({ mode: 'string' }).notNull(),
    /** org | agent | team | branch | channel | type */
    dim: text().notNull(),
    /** The agent, team or branch id, the channel or request type; '' for the organization and for "none". */
    dimValue: text().notNull(),
    counters: jsonb().$type<DailyCounters>().notNull(),
    sketches: jsonb().$type<DailySketches>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.dim, t.dimValue] }), index('kpi_daily_dim_idx').on(t.orgId, t.dim, t.day)],
);

/**
 * The sums of whole local months of kpi_daily, per dimension value (month `YYYY-MM`): a month's dashboard (and a
 * quarter's or year's) reads one row per value instead of thirty. Written only by `recomputeMonthsTx`
 * (monthly.ts) right after the days it sums, in the same transaction.
 */
export const kpiMonthly = pgTable(
  'kpi_monthly',
  {
    orgId: uuid().notNull(),
    /** The local month, `YYYY-MM`. */
    month: text().notNull(),
    dim: text().notNull(),
    dimValue: text().notNull(),
    counters: jsonb().$type<DailyCounters>().notNull(),
    sketches: jsonb().$type<DailySketches>().notNull(),
    /**
     * accepted − completed of the month, kept by PostgreSQL from the counters: the backlog before a range is the
     * sum of this over every earlier month, read without detoasting and parsing each month's counters.
     */
    openDelta: bigint({ mode: 'number' })
      .notNull()
      .generatedAlwaysAs(sql`coalesce((counters->>'accepted')::bigint, 0) - coalesce((counters->>'completed')::bigint, 0)`),
  },
  // open_delta in the index: the backlog's sum over earlier months is an index-only scan (rows are a few kB each).
  (t) => [primaryKey({ columns: [t.orgId, t.dim, t.month, t.dimValue] }), index('kpi_monthly_open_idx').on(t.orgId, t.dim, t.month, t.dimValue, t.openDelta)],
);

/**
 * Append-only marks: every writing statement inserts one row per (organization, local day) it touched, with no
 * unique key, so concurrent writes never wait on each other or on the rollup job. The job claims marks with
 * `FOR UPDATE SKIP LOCKED` and deletes only the marks it read; a mark written meanwhile survives for the next run.
 */
export const kpiDirtyDays = pgTable(
  'kpi_dirty_days',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: uuid().notNull(),
    day: date({ mode: 'string' }).notNull(),
    markedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kpi_dirty_days_org_day_idx').on(t.orgId, t.day)],
);
