/**
 * Evaluations (评价): survey invitations and their one-time links, the ratings they and callbacks produce,
 * appeals against bad ratings, callbacks (回访), public feedback and satisfaction campaigns.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
};

/** Per-organization evaluation settings (survey expiry, reminder, default rating, sampling, corrective rules). */
export const evaluationSettings = pgTable('evaluation_settings', {
  orgId: uuid().primaryKey(),
  settings: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * One survey invitation: sent when a request reaches feedback (or by a campaign), answered once through a
 * link that carries a one-time token (only its hash is stored).
 */
export const surveys = pgTable(
  'surveys',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    requestId: uuid(),
    campaignId: uuid(),
    customerId: uuid(),
    /** How the invitation went out: email | chat | sms | qr. */
    channel: text().notNull(),
    /** Masked address it went to (e.g. li***@example.com, 138****0000), for the record. */
    sentTo: text(),
    tokenHash: text().notNull(),
    state: text().notNull(), // pending | answered | expired | defaulted | cancelled
    sentAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    remindAt: timestamp({ withTimezone: true }),
    remindedAt: timestamp({ withTimezone: true }),
    /** When no rating counts as the organization's stated default level (null: the option is off). */
    defaultAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('surveys_token_uq').on(t.tokenHash),
    index('surveys_request_idx').on(t.orgId, t.requestId),
    index('surveys_campaign_idx').on(t.orgId, t.campaignId),
    // The survey worker's questions: reminders and defaults that are due.
    index('surveys_remind_idx').on(t.remindAt).where(sql`state = 'pending' AND reminded_at IS NULL AND remind_at IS NOT NULL`),
    index('surveys_default_idx').on(t.defaultAt).where(sql`state = 'pending' AND default_at IS NOT NULL`),
  ],
);

/**
 * One satisfaction rating, whatever produced it: a survey answer, a callback, the portal's confirmation, or
 * the stated default when nobody rated (source `default`, shown apart in the figures). The request's agent,
 * team, branch, channel and type are copied at rating time so the figures need no join.
 */
export const evaluations = pgTable(
  'evaluations',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    source: text().notNull(), // survey | callback | portal | default | campaign
    requestId: uuid(),
    surveyId: uuid(),
    callbackId: uuid(),
    campaignId: uuid(),
    /** 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
    level: integer().notNull(),
    attitude: integer(),
    speed: integer(),
    result: integer(),
    nps: integer(),
    comment: text(),
    /** The customer's answer to "is it resolved?" (null: not asked). */
    resolved: boolean(),
    agentId: uuid(),
    teamId: uuid(),
    branchId: uuid(),
    channel: text(),
    requestType: text(),
    /** Bad ratings are verified by a real-name callback (核实): pending | confirmed | mistaken | malicious. */
    verification: text(),
    /** Appeal of a mistaken or malicious bad rating: pending | upheld | rejected. */
    appealState: text(),
    /** An upheld appeal takes the rating out of the agent's figures (it stays visible, marked appealed). */
    excluded: boolean().notNull().default(false),
    at: timestamp({ withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [
    index('evaluations_org_at_idx').on(t.orgId, t.at),
    index('evaluations_request_idx').on(t.orgId, t.requestId),
    index('evaluations_agent_idx').on(t.orgId, t.agentId, t.at),
    index('evaluations_campaign_idx').on(t.orgId, t.campaignId),
  ],
);

/** An appeal by the agent or branch against a bad rating the callback found mistaken or malicious. */
export const evaluationAppeals = pgTable(
  'evaluation_appeals',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    evaluationId: uuid().notNull(),
    appellantId: uuid().notNull(),
    reason: text().notNull(),
    state: text().notNull(), // pending | upheld | rejected
    decidedById: uuid(),
    decision: text(),
    decidedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index('evaluation_appeals_eval_idx').on(t.orgId, t.evaluationId), index('evaluation_appeals_state_idx').on(t.orgId, t.state, t.createdAt)],
);

/**
 * A phone callback (回访): a sampled resolved request, or the real-name verification of a bad rating. The
 * form records the customer's rating (which counts with the callback weight) and remarks.
 */
export const callbacks = pgTable(
  'callbacks',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    requestId: uuid().notNull(),
    purpose: text().notNull(), // sample | verify
    /** For purpose verify: the bad rating being verified. */
    evaluationId: uuid(),
    /** Why it was sampled: all_complaints | percent | manual. */
    rule: text(),
    assigneeId: uuid(),
    state: text().notNull(), // pending | done | unreachable | cancelled
    attempts: integer().notNull().default(0),
    level: integer(),
    remarks: text(),
    /** For purpose verify: confirmed | mistaken | malicious. */
    verdict: text(),
    calledById: uuid(),
    calledAt: timestamp({ withTimezone: true }),
    branchId: uuid(),
    ...timestamps,
  },
  (t) => [
    index('callbacks_org_state_idx').on(t.orgId, t.state, t.createdAt),
    index('callbacks_request_idx').on(t.orgId, t.requestId),
    uniqueIndex('callbacks_verify_uq').on(t.evaluationId).where(sql`purpose = 'verify'`),
  ],
);

/**
 * Public feedback (意见反馈): a suggestion, complaint or praise from the public page, answered on its own clock.
 * Complaints and suggestions also run the loop as a request; the published entry shows the staff-written
 * anonymised summary and answer only.
 */
export const publicFeedback = pgTable(
  'public_feedback',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    number: text().notNull(),
    kind: text().notNull(), // suggestion | complaint | praise
    requestId: uuid(),
    /** The submitter's words (private); contact details are kept encrypted like a request's. */
    body: text().notNull(),
    contactName: text(),
    contactPhoneEnc: text(),
    contactPhoneLast4: text(),
    contactEmail: text(),
    consentToPublish: boolean().notNull().default(false),
    state: text().notNull(), // received | answered | invalid
    answer: text(),
    answeredById: uuid(),
    answeredAt: timestamp({ withTimezone: true }),
    invalidReason: text(),
    /** What the public list shows: a summary with personal data removed, written or approved by staff. */
    publicSummary: text(),
    published: boolean().notNull().default(false),
    publishedAt: timestamp({ withTimezone: true }),
    lookupTokenHash: text(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('public_feedback_number_uq').on(t.orgId, t.number),
    index('public_feedback_state_idx').on(t.orgId, t.state, t.createdAt),
    index('public_feedback_published_idx').on(t.orgId, t.publishedAt).where(sql`published`),
  ],
);

/** A satisfaction campaign (满意度调查活动): a sample of customers invited to rate a period's service. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    name: text().notNull(),
    /** The period rated, e.g. 2026-Q3. */
    periodStart: timestamp({ withTimezone: true }).notNull(),
    periodEnd: timestamp({ withTimezone: true }).notNull(),
    state: text().notNull(), // draft | sending | sent | closed
    /** Sampling: share of eligible customers in percent, cap, channels, filters. */
    sampling: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    seed: text(),
    invited: integer().notNull().default(0),
    responded: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }),
    createdById: uuid(),
    sentAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index('campaigns_org_idx').on(t.orgId, t.createdAt)],
);
