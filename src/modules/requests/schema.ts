/**
 * Requests (工单) and what the console works with: categories, the loop's events, messages and notes, stored
 * files, routing rules, per-organization request settings, staff notifications, macros, saved views and
 * webhooks.
 */
import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
};

/** Request numbers: the organization's local date + this sequence (unique without a per-org lock). */
export const requestNumberSeq = pgSequence('request_number_seq', { startWith: 1, increment: 1 });

export const requestCategories = pgTable(
  'request_categories',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    parentId: uuid(),
    name: text().notNull(),
    nameEn: text(),
    position: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex('request_categories_name_uq').on(t.orgId, sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.name)],
);

/** A start event of the loop that happened on a request, with when (reapplyTargets counts from it). */
export interface HappenedEvent {
  event: string;
  at: string;
}

export const requests = pgTable(
  'requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    /** Tracking number shown to the customer (受理编号). */
    number: text().notNull(),
    type: text().notNull(), // consultation | service_request | complaint | suggestion | urgent_fault
    priority: text().notNull(), // general | urgent | major
    channel: text().notNull(), // phone | email | chat | web | app | social | walk_in
    state: text().notNull(), // see loop.ts
    subject: text().notNull(),
    description: text().notNull().default(''),
    customerId: uuid(),
    /** Contact details of an anonymous requester (or overriding the customer's). */
    contactName: text(),
    contactPhoneEnc: text(),
    contactPhoneHash: text(),
    contactPhoneLast4: text(),
    contactEmail: text(),
    /** Green-channel flags (elderly, disabled, vip) copied from the customer or given at intake. */
    customerFlags: text().array().notNull().default(sql`'{}'::text[]`),
    categoryId: uuid(),
    branchId: uuid().notNull(),
    teamId: uuid(),
    assigneeId: uuid(),
    /** The named person responsible for the current step (责任到人). */
    responsibleId: uuid(),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** Commitment versions in force at registration: the request is measured against these. */
    commitmentVersionIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    /** Start events that happened (registration, escalation…), for re-applying targets after a change. */
    happened: jsonb().$type<HappenedEvent[]>().notNull().default(sql`'[]'::jsonb`),
    escalatedAt: timestamp({ withTimezone: true }),
    escalationTeamId: uuid(),
    firstResponseAt: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    rating: integer(),
    ratingComment: text(),
    /** A complaint's verdict once handled: true upheld (属实, raises a corrective action), false not upheld. */
    complaintUpheld: boolean(),
    reopenCount: integer().notNull().default(0),
    mergedIntoId: uuid(),
    /** The earliest due instant among the request's open clocks (sorting by urgency). */
    nextDueAt: timestamp({ withTimezone: true }),
    lastActivityAt: timestamp({ withTimezone: true }).notNull(),
    lastCustomerMessageAt: timestamp({ withTimezone: true }),
    archivedAt: timestamp({ withTimezone: true }),
    registeredById: uuid(),
    /** Words and CJK bigrams of subject, description and messages (see search.ts). */
    searchVector: tsvector().notNull().default(sql`''::tsvector`),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('requests_org_number_uq').on(t.orgId, t.number),
    // Ascending b-trees serve both directions of the keyset orders (a DESC NULLS LAST index would not match
    // ORDER BY … DESC); the open-queue indexes are partial.
    index('requests_org_created_idx').on(t.orgId, t.createdAt, t.id),
    index('requests_org_activity_idx').on(t.orgId, t.lastActivityAt, t.id),
    // Sorting by due time lists open requests: the whole desk's, and one person's.
    index('requests_org_due_idx').on(t.orgId, sql`coalesce(${t.nextDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`, t.id).where(sql`state NOT IN ('archived', 'merged')`),
    index('requests_org_assignee_due_idx').on(t.orgId, t.assigneeId, sql`coalesce(${t.nextDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`, t.id).where(sql`state NOT IN ('archived', 'merged')`),
    index('requests_org_assignee_idx').on(t.orgId, t.assigneeId, t.createdAt, t.id).where(sql`state NOT IN ('archived', 'merged')`),
    index('requests_org_team_idx').on(t.orgId, t.teamId, t.createdAt, t.id).where(sql`state NOT IN ('archived', 'merged')`),
    index('requests_org_state_idx').on(t.orgId, t.state, t.createdAt, t.id),
    index('requests_org_customer_idx').on(t.orgId, t.customerId),
    index('requests_org_contact_email_idx').on(t.orgId, sql`lower(${t.contactEmail})`),
    index('requests_search_idx').using('gin', t.searchVector),
  ],
);

/** Every step of the loop and every change of hands: who, when, why, and who is responsible next. */
export const requestEvents = pgTable(
  'request_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    requestId: uuid().notNull(),
    kind: text().notNull(), // transition | assign | transfer | escalate | update | merge | confirm | register
    action: text(),
    fromState: text(),
    toState: text(),
    reason: text(),
    responsibleId: uuid(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    actorType: text().notNull(), // staff | system | public | customer
    actorId: uuid(),
    actorName: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('request_events_request_idx').on(t.requestId, t.at)],
);

/** Customer messages, replies to the customer, internal notes and system lines of a request. */
export const requestMessages = pgTable(
  'request_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    requestId: uuid().notNull(),
    kind: text().notNull(), // customer | reply | note | system
    channel: text().notNull(),
    body: text().notNull(),
    authorStaffId: uuid(),
    authorName: text().notNull(),
    mentions: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    /** E-mail threading: this message's Message-ID and what it answered. */
    emailMessageId: text(),
    emailInReplyTo: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('request_messages_request_idx').on(t.requestId, t.createdAt),
    index('request_messages_email_idx').on(t.orgId, t.emailMessageId).where(sql`email_message_id IS NOT NULL`),
  ],
);

/** Stored file contents, once per organization and content hash (app nodes stay stateless). */
export const fileBlobs = pgTable(
  'file_blobs',
  {
    orgId: uuid().notNull(),
    sha256: text().notNull(),
    size: integer().notNull(),
    content: bytea().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.sha256] })],
);

/** A file attached to a request (optionally to one of its messages). */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    requestId: uuid(),
    messageId: uuid(),
    /** Evidence of a corrective action (整改佐证). */
    correctiveActionId: uuid(),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    uploadedByStaffId: uuid(),
    uploadedByName: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('attachments_request_idx').on(t.requestId), index('attachments_message_idx').on(t.messageId), index('attachments_corrective_action_idx').on(t.correctiveActionId)],
);

export interface RoutingConditions {
  types: string[];
  priorities: string[];
  categoryIds: string[];
  channels: string[];
  customerFlags: string[];
  branchIds: string[];
}

/** Admin-defined routing: the first active rule (by position) whose conditions hold assigns the request. */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    name: text().notNull(),
    position: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    conditions: jsonb().$type<RoutingConditions>().notNull(),
    teamId: uuid(),
    staffId: uuid(),
    strategy: text().notNull().default('round_robin'), // round_robin | least_loaded | team_only
    lastAssignedId: uuid(),
    ...timestamps,
  },
  (t) => [index('routing_rules_org_idx').on(t.orgId, t.position)],
);

/**
 * The notification chain as stored: per occasion, steps `{ role, afterMinutes }` (role: assignee | team_lead |
 * manager | supervisor). Rows saved before steps existed (and the column's default) hold plain roles, read as
 * told at once — see normalizeChain in src/modules/notifications/recipients.ts.
 */
export type NotifyChainEntry = string | { role: string; afterMinutes: number };
export interface NotifyChain {
  warning: NotifyChainEntry[];
  breach: NotifyChainEntry[];
  escalation: NotifyChainEntry[];
}

/** Per-organization request settings: special team, escalation triggers, the notification chain, file limits. */
export const requestSettings = pgTable('request_settings', {
  orgId: uuid().primaryKey(),
  specialTeamId: uuid(),
  /** Escalated automatically to the special team: these types, and complaints of these priorities. */
  autoEscalateTypes: text().array().notNull().default(sql`'{urgent_fault}'::text[]`),
  autoEscalateComplaintPriorities: text().array().notNull().default(sql`'{major}'::text[]`),
  notifyChain: jsonb().$type<NotifyChain>().notNull().default(sql`'{"warning":["assignee"],"breach":["assignee","team_lead","manager"],"escalation":["team_lead","manager"]}'::jsonb`),
  maxAttachmentBytes: integer().notNull().default(10 * 1024 * 1024),
  allowedAttachmentTypes: text().array().notNull().default(sql`'{}'::text[]`),
  /** Addresses inbound e-mail arrives at (support@…); mail to them becomes requests of this organization. */
  inboundAddresses: text().array().notNull().default(sql`'{}'::text[]`),
  ...timestamps,
});

/** What a staff member is told: live in the app, and by e-mail through the outbox, within duty hours. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    recipientId: uuid().notNull(),
    kind: text().notNull(), // clock.warning | clock.breached | escalated | mention | assigned
    requestId: uuid(),
    params: jsonb().$type<Record<string, string | number | null>>().notNull().default(sql`'{}'::jsonb`),
    urgent: boolean().notNull().default(false),
    /** Not shown nor e-mailed before this instant (the start of the recipient's duty). */
    deliverAt: timestamp({ withTimezone: true }).notNull(),
    deliveredAt: timestamp({ withTimezone: true }),
    readAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('notifications_recipient_idx').on(t.recipientId, t.createdAt.desc()),
    index('notifications_pending_idx').on(t.deliverAt).where(sql`delivered_at IS NULL`),
  ],
);

/** Canned responses with placeholders; shared (organization) or personal. */
export const macros = pgTable(
  'macros',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    ownerId: uuid(), // null: shared by the organization
    name: text().notNull(),
    body: text().notNull(),
    ...timestamps,
  },
  (t) => [index('macros_org_idx').on(t.orgId, t.ownerId)],
);

/** A person's saved console filters. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    staffId: uuid().notNull(),
    name: text().notNull(),
    filters: jsonb().$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [index('saved_views_staff_idx').on(t.staffId)],
);

/** Signed (HMAC-SHA256) webhooks for request events, delivered through the outbox. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    name: text().notNull(),
    url: text().notNull(),
    secretEnc: text().notNull(),
    events: text().array().notNull(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [index('webhooks_org_idx').on(t.orgId)],
);
