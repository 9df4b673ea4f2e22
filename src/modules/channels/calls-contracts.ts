/**
 * The phone channel: call records, their import, turning a call into a request, and the service level.
 * Shapes shared by the API and the web app; imports nothing but zod (and the request vocabulary).
 */
import { z } from 'zod';
import { CustomerFlag, Priority, RequestType } from '../requests/contracts.js';
import { Id, QueryBoolean, Timestamp, optionalText } from '../shared/contracts.js';

export const CallDirection = z.enum(['inbound', 'outbound']);
export type CallDirection = z.infer<typeof CallDirection>;

/** open: answered, not yet dealt with · missed: nobody answered · request: turned into one · resolved_first_contact */
export const CallOutcome = z.enum(['open', 'missed', 'request', 'resolved_first_contact']);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** A phone number as telephony systems write it; empty means withheld (anonymous caller). */
export const CallPhone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[0-9+\-() ]*$/, 'digits, +, -, (, ) and spaces')
  .transform((v) => (v === '' ? null : v));
export const RecordingUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000);
export const ExternalId = z.string().trim().min(1).max(100);
export const CallNotes = z.string().trim().max(4000);

const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 with a UTC offset or Z');

/** One call record from a telephony system or a person. The times must be in order: ring ≤ answer ≤ end. */
export const CallCreate = z.strictObject({
  /** The telephony system's id of the call: sending it again updates (or skips) instead of duplicating. */
  externalId: ExternalId.optional(),
  /**
   * inbound or outbound. No default here: a record sent again without it keeps the stored direction; a new
   * call without it is inbound.
   */
  direction: CallDirection.optional(),
  caller: CallPhone.nullable().optional(),
  /** The number that was called (the hotline). */
  line: optionalText(40),
  ringAt: Instant,
  answeredAt: Instant.nullable().optional(),
  endedAt: Instant.nullable().optional(),
  /** The agent: by id, or by username or employee number (what telephony systems know). */
  agentId: Id.nullable().optional(),
  agent: z.string().trim().min(1).max(100).optional(),
  recordingUrl: RecordingUrl.nullable().optional(),
  notes: CallNotes.transform((v) => (v === '' ? null : v)).nullable().optional(),
});
export type CallCreate = z.infer<typeof CallCreate>;

/** What people correct on a call afterwards. */
export const CallUpdate = z.strictObject({
  notes: CallNotes.transform((v) => (v === '' ? null : v)).nullable().optional(),
  agentId: Id.nullable().optional(),
  recordingUrl: RecordingUrl.nullable().optional(),
});
export type CallUpdate = z.infer<typeof CallUpdate>;

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(10)).optional();

/** The list's query string (keyset pagination on ring time, newest first). */
export const CallListQuery = z.strictObject({
  from: Instant.optional().describe('ring time ≥ from'),
  to: Instant.optional().describe('ring time < to'),
  agentId: Id.optional(),
  outcome: list(CallOutcome).describe('comma list'),
  // Routes pass on the parsed query and the service parses it again, so the parsed boolean is accepted too.
  answered: QueryBoolean.optional(),
  direction: CallDirection.optional(),
  phone: z.string().trim().min(3).max(40).optional().describe('exact caller number (matched by its keyed hash)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type CallListQuery = z.input<typeof CallListQuery>;

const Ref = z.object({ id: Id, name: z.string() });

export const CallView = z.object({
  id: Id,
  externalId: z.string().nullable(),
  direction: CallDirection,
  caller: z.string().nullable().describe('masked unless the reader holds pii:read'),
  line: z.string().nullable(),
  ringAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  /** answeredAt − ringAt: the call's response time. */
  answerSeconds: z.number().nullable(),
  /** endedAt − answeredAt. */
  talkSeconds: z.number().nullable(),
  agent: Ref.nullable(),
  recordingUrl: z.string().nullable(),
  notes: z.string().nullable(),
  outcome: CallOutcome,
  requestId: Id.nullable(),
  requestNumber: z.string().nullable(),
  customer: Ref.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CallView = z.infer<typeof CallView>;

export const CallPage = z.object({ items: z.array(CallView), nextCursor: z.string().nullable() });
export type CallPage = z.infer<typeof CallPage>;

/** Customers whose phone number is the caller's (suggested when turning the call into a request). */
export const CustomerMatch = z.object({ id: Id, name: z.string(), phone: z.string().nullable(), flags: z.array(CustomerFlag) });
export type CustomerMatch = z.infer<typeof CustomerMatch>;

export const CallDetail = CallView.extend({
  customerMatches: z.array(CustomerMatch),
  request: z.object({ id: Id, number: z.string(), state: z.string() }).nullable(),
});
export type CallDetail = z.infer<typeof CallDetail>;

/** The answer to a write keyed by externalId: was it new, changed, or already known as sent? */
export const CallWriteResult = z.object({ result: z.enum(['created', 'updated', 'skipped']), call: CallView });
export type CallWriteResult = z.infer<typeof CallWriteResult>;

/** One problem of a CSV file: the row as numbered in a spreadsheet (the header is row 1) and its column. */
export const CsvRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable().describe('the header as written in the file'),
  field: z.string().nullable().describe('the canonical column: caller, ring_at, …'),
  message: z.string(),
});
export type CsvRowError = z.infer<typeof CsvRowError>;

/** The details of a `csv.invalid` error. */
export const CsvInvalidDetails = z.object({ errors: z.array(CsvRowError), total: z.number().int() });
export type CsvInvalidDetails = z.infer<typeof CsvInvalidDetails>;

export const CallImportResult = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  /** How the file was read: utf-8, gb18030 (GBK, as Excel saves CSV on Chinese Windows), utf-16le/be. */
  encoding: z.string(),
  /** Columns of the file that are not call fields (kept out, not an error). */
  ignoredColumns: z.array(z.string()),
});
export type CallImportResult = z.infer<typeof CallImportResult>;

/** Turning a call into a request (登记): the caller's number becomes the contact phone. */
export const CallToRequest = z.strictObject({
  type: RequestType,
  priority: Priority.default('general'),
  subject: z.string().trim().min(1).max(200),
  /** Defaults to the call's notes. */
  description: z.string().trim().max(20_000).default(''),
  /** Omitted: the customer matched by the caller's number (when exactly one matches); null: none. */
  customerId: Id.nullable().optional(),
  contactName: optionalText(100),
  customerFlags: z.array(CustomerFlag).max(3).default([]),
  categoryId: Id.nullable().optional(),
  teamId: Id.nullable().optional(),
  assigneeId: Id.nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
});
export type CallToRequest = z.infer<typeof CallToRequest>;

/** Logging a call as resolved at first contact: the notes are the result given on the phone. */
export const CallResolve = z.strictObject({
  notes: z.string().trim().min(1).max(20_000),
  type: RequestType.default('consultation'),
  /** Defaults to the first line of the notes. */
  subject: z.string().trim().min(1).max(200).optional(),
  customerId: Id.nullable().optional(),
  contactName: optionalText(100),
  categoryId: Id.nullable().optional(),
});
export type CallResolve = z.infer<typeof CallResolve>;

export const CallHandled = z.object({
  call: CallDetail,
  request: z.object({ id: Id, number: z.string(), state: z.string() }),
});
export type CallHandled = z.infer<typeof CallHandled>;

export const ServiceLevelQuery = z.strictObject({
  from: Instant.optional().describe('default: 7 days before `to`'),
  to: Instant.optional().describe('default: now'),
  threshold: z.coerce.number().int().min(1).max(600).default(20).describe('seconds: answered within this counts'),
  shortAbandon: z.coerce.number().int().min(0).max(60).default(5).describe('seconds: unanswered calls that rang less are not offered'),
  branchId: Id.optional().describe('calls taken by agents of this branch, and calls nobody took'),
  agentId: Id.optional(),
});
export type ServiceLevelQuery = z.input<typeof ServiceLevelQuery>;

export const ServiceLevelView = z.object({
  from: Timestamp,
  to: Timestamp,
  thresholdSeconds: z.number().int(),
  shortAbandonSeconds: z.number().int(),
  offered: z.number().int(),
  answered: z.number().int(),
  answeredWithin: z.number().int(),
  abandoned: z.number().int(),
  shortAbandoned: z.number().int(),
  /** answeredWithin ÷ offered, 0…1; null when nothing was offered. */
  serviceLevel: z.number().nullable(),
  averageAnswerSeconds: z.number().nullable(),
  p90AnswerSeconds: z.number().nullable(),
  distribution: z.array(z.object({ fromSeconds: z.number(), toSeconds: z.number().nullable(), count: z.number().int(), withinThreshold: z.boolean() })),
});
export type ServiceLevelView = z.infer<typeof ServiceLevelView>;
