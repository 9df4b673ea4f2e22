/** Channel records: phone calls, chat sessions, mail accounts (IMAP polling) and customer portal sessions. */
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
};

/** One phone call: the answer delay (answered − ring) is its response time. */
export const calls = pgTable(
  'calls',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    /** The telephony system's id of the call (imports are idempotent on it). */
    externalId: text(),
    direction: text().notNull().default('inbound'), // inbound | outbound
    callerPhoneEnc: text(),
    callerPhoneHash: text(),
    callerPhoneLast4: text(),
    /** The number called (the hotline). */
    line: text(),
    ringAt: timestamp({ withTimezone: true }).notNull(),
    answeredAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    agentId: uuid(),
    recordingUrl: text(),
    notes: text(),
    /** open (not yet dealt with) | request (turned into one) | resolved_first_contact | missed */
    outcome: text().notNull().default('open'),
    requestId: uuid(),
    customerId: uuid(),
    ...timestamps,
  },
  (t) => [
    index('calls_org_ring_idx').on(t.orgId, t.ringAt.desc()),
    uniqueIndex('calls_org_external_uq').on(t.orgId, t.externalId),
  ],
);

/** A chat conversation with a visitor of the widget; it is a request on the chat channel from its first message. */
export const chatSessions = pgTable(
  'chat_sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    requestId: uuid().notNull(),
    tokenHash: text().notNull(),
    visitorName: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('chat_sessions_token_uq').on(t.tokenHash), index('chat_sessions_request_idx').on(t.requestId)],
);

/** An IMAP mailbox polled for inbound e-mail. */
export const mailAccounts = pgTable(
  'mail_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    address: text().notNull(),
    host: text().notNull(),
    port: integer().notNull().default(993),
    secure: boolean().notNull().default(true),
    username: text().notNull(),
    passwordEnc: text().notNull(),
    mailbox: text().notNull().default('INBOX'),
    active: boolean().notNull().default(true),
    lastUid: integer().notNull().default(0),
    uidValidity: text(),
    lastPolledAt: timestamp({ withTimezone: true }),
    lastError: text(),
    ...timestamps,
  },
  (t) => [index('mail_accounts_org_idx').on(t.orgId)],
);

/** A customer signed in to the portal by an e-mailed link. */
export const customerSessions = pgTable(
  'customer_sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    customerId: uuid().notNull(),
    tokenHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('customer_sessions_token_uq').on(t.tokenHash), index('customer_sessions_customer_idx').on(t.customerId)],
);
