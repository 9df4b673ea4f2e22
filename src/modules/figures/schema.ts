/**
 * Daily rollups of the indicators (docs/decisions/0002-figures-rollups.md): one row per organization, local
 * day, dimension and dimension value, holding additive counters and mergeable duration sketches; and the
 * (organization, day) pairs whose rows must be recomputed, marked by database triggers on every write.
 */
import { date, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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

export const kpiDirtyDays = pgTable(
  'kpi_dirty_days',
  {
    orgId: uuid().notNull(),
    day: date({ mode: 'string' }).notNull(),
    markedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day] })],
);
