/** Persisted service clocks: a time limit started on a record, counted on a business calendar. */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Pause } from './clock-state.js';

export const clocks = pgTable(
  'clocks',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    /** The record the clock belongs to: a request, a corrective action, a piece of feedback… */
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    /** What is measured, e.g. first_response, initial_solution, resolution. */
    kind: text().notNull(),
    label: text(),
    /** The commitment version and target that set this clock, if any (the request page explains its deadline). */
    commitmentVersionId: uuid(),
    targetKey: text(),
    calendarId: uuid().notNull(),
    duration: text().notNull(),
    warnRatio: real(),
    state: text().notNull(), // running | paused | met | breached | cancelled
    startedAt: timestamp({ withTimezone: true }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    warningAt: timestamp({ withTimezone: true }),
    pausedAt: timestamp({ withTimezone: true }),
    pauses: jsonb().$type<Pause[]>().notNull().default(sql`'[]'::jsonb`),
    warnedAt: timestamp({ withTimezone: true }),
    breachedAt: timestamp({ withTimezone: true }),
    metAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('clocks_subject_idx').on(t.orgId, t.subjectType, t.subjectId),
    // The watcher's two questions: which running clocks are past due, which past their warning.
    index('clocks_due_idx').on(t.dueAt).where(sql`state = 'running' AND breached_at IS NULL`),
    index('clocks_warning_idx').on(t.warningAt).where(sql`state = 'running' AND warned_at IS NULL AND warning_at IS NOT NULL`),
    index('clocks_calendar_idx').on(t.calendarId),
    // The live wall's question: which clocks of an organization count down now (open requests' clocks only).
    index('clocks_open_idx').on(t.orgId, t.subjectType, t.dueAt).where(sql`state IN ('running', 'breached')`),
  ],
);
