/**
 * Corrective actions (整改): a finding — a bad rating, a breached clock, an upheld complaint, a failed
 * inspection, a cluster of complaints — with an owner, a deadline in working days (a clock on the calendar),
 * root-cause analysis, actions, evidence, re-contact with the customer, verification and closure.
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
};

export const correctiveActions = pgTable(
  'corrective_actions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    /** ZG-yyyymmdd-nnnn, shown to staff. */
    number: text().notNull(),
    source: text().notNull(), // bad_rating | breach | complaint | inspection | cluster | manual
    /** What raised it: { evaluationId } | { clockId } | { categoryId, from, to, count } … */
    sourceRef: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** Dedupe key so one finding raises one action (e.g. breach:<clockId>, cluster:<category>:<window>). */
    sourceKey: text().notNull(),
    requestId: uuid(),
    finding: text().notNull(),
    state: text().notNull(), // open | in_progress | submitted | closed | cancelled
    branchId: uuid(),
    teamId: uuid(),
    ownerId: uuid(),
    /** The agent the finding concerns (their figures), if any. */
    agentId: uuid(),
    /** e.g. P5D: rectify within 5 working days (the clock counts it on the calendar). */
    deadlineDuration: text().notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    rootCause: text(),
    actionsTaken: text(),
    recontactedAt: timestamp({ withTimezone: true }),
    recontactNote: text(),
    submittedAt: timestamp({ withTimezone: true }),
    verifiedById: uuid(),
    verifiedAt: timestamp({ withTimezone: true }),
    verificationNote: text(),
    returnCount: integer().notNull().default(0),
    overdueAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    closedOnTime: text(), // yes | no (null while open)
    ...timestamps,
  },
  (t) => [
    uniqueIndex('corrective_actions_number_uq').on(t.orgId, t.number),
    uniqueIndex('corrective_actions_source_uq').on(t.orgId, t.sourceKey),
    index('corrective_actions_state_idx').on(t.orgId, t.state, t.dueAt),
    index('corrective_actions_owner_idx').on(t.orgId, t.ownerId, t.dueAt).where(sql`state NOT IN ('closed', 'cancelled')`),
    index('corrective_actions_request_idx').on(t.orgId, t.requestId),
  ],
);

/** The requests behind a cluster finding (the same category drawing ≥ N complaints in a period). */
export const correctiveActionRequests = pgTable(
  'corrective_action_requests',
  {
    orgId: uuid().notNull(),
    actionId: uuid().notNull(),
    requestId: uuid().notNull(),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.requestId] }), index('corrective_action_requests_request_idx').on(t.orgId, t.requestId)],
);

/** The action's timeline: every step, who, when, why. */
export const correctiveActionEvents = pgTable(
  'corrective_action_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    actionId: uuid().notNull(),
    kind: text().notNull(), // created | assigned | started | analysed | recontacted | submitted | accepted | returned | closed | cancelled | overdue | evidence | comment
    note: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    actorId: uuid(),
    actorName: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('corrective_action_events_action_idx').on(t.actionId, t.at)],
);
