/**
 * Public feedback (意见反馈): the form on the public page, the look-up by number, the published list, and the
 * staff inbox. Shapes shared by the API and the web app; imports nothing but zod.
 */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';

export const FeedbackKind = z.enum(['suggestion', 'complaint', 'praise']);
export type FeedbackKind = z.infer<typeof FeedbackKind>;

/** received: waiting for an answer · answered · invalid: spam, abuse… (no answer owed). */
export const FeedbackState = z.enum(['received', 'answered', 'invalid']);
export type FeedbackState = z.infer<typeof FeedbackState>;

export const InvalidReason = z.enum(['spam', 'abuse', 'duplicate', 'other']);
export type InvalidReason = z.infer<typeof InvalidReason>;

const Phone = z.string().trim().max(40).regex(/^[0-9+\-() ]*$/, 'digits, +, -, (, ) and spaces');
const blankToNull = (v: string) => (v === '' ? null : v);

/** The public form. Name, phone and e-mail are optional; consent allows publishing an anonymised summary. */
export const FeedbackSubmit = z.strictObject({
  kind: FeedbackKind,
  body: z.string().trim().min(5).max(5000),
  contactName: z.string().trim().max(100).transform(blankToNull).nullable().optional(),
  contactPhone: Phone.transform(blankToNull).nullable().optional(),
  contactEmail: z.union([z.literal(''), z.email().max(200)]).transform(blankToNull).nullable().optional(),
  consentToPublish: z.boolean().default(false),
});
export type FeedbackSubmit = z.input<typeof FeedbackSubmit>;

export const FeedbackSubmitted = z.object({
  number: z.string().describe('FK-yyyymmdd-nnnn'),
  code: z.string().describe('the private look-up code: shown once, only its hash is kept'),
  link: z.string().describe('/public/<org>/feedback/<number>?k=<code>'),
  answerDueAt: Timestamp.nullable().describe('when the answer is due (the feedback clock)'),
  emailed: z.boolean(),
});
export type FeedbackSubmitted = z.infer<typeof FeedbackSubmitted>;

export const FeedbackLookupQuery = z.strictObject({ k: z.string().max(100).default('') });

/** What the submitter sees with number and code. */
export const FeedbackLookup = z.object({
  number: z.string(),
  kind: FeedbackKind,
  state: FeedbackState,
  body: z.string(),
  createdAt: Timestamp,
  answerDueAt: Timestamp.nullable(),
  answer: z.string().nullable(),
  answeredAt: Timestamp.nullable(),
  invalidReason: InvalidReason.nullable(),
  published: z.boolean(),
});
export type FeedbackLookup = z.infer<typeof FeedbackLookup>;

/** One entry of the published list: never contact details. */
export const PublishedFeedback = z.object({
  number: z.string(),
  kind: FeedbackKind,
  createdAt: Timestamp,
  summary: z.string(),
  answer: z.string(),
  answeredAt: Timestamp,
  publishedAt: Timestamp,
});
export type PublishedFeedback = z.infer<typeof PublishedFeedback>;

export const PublishedFeedbackQuery = z.strictObject({
  kind: FeedbackKind.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export const PublishedFeedbackPage = z.object({
  items: z.array(PublishedFeedback),
  total: z.number().int(),
  /** The promised time to answer (ISO 8601 business time, e.g. P5D), for the form's promise. */
  answerWithin: z.string(),
});
export type PublishedFeedbackPage = z.infer<typeof PublishedFeedbackPage>;

// ---------- staff ----------

export const FeedbackListQuery = z.strictObject({
  state: FeedbackState.optional(),
  kind: FeedbackKind.optional(),
  published: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  /** Only items whose answer clock is breached. */
  overdue: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  q: z.string().trim().max(100).optional().describe('number or words of the text'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type FeedbackListQuery = z.input<typeof FeedbackListQuery>;

export const FeedbackClock = z.object({
  state: z.string(),
  dueAt: Timestamp,
  breachedAt: Timestamp.nullable(),
  metAt: Timestamp.nullable(),
});

export const FeedbackView = z.object({
  id: Id,
  number: z.string(),
  kind: FeedbackKind,
  state: FeedbackState,
  body: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable().describe('masked unless the reader holds pii:read'),
  contactEmail: z.string().nullable().describe('masked unless the reader holds pii:read'),
  consentToPublish: z.boolean(),
  request: z.object({ id: Id, number: z.string(), state: z.string() }).nullable(),
  clock: FeedbackClock.nullable(),
  answer: z.string().nullable(),
  answeredBy: z.object({ id: Id, name: z.string() }).nullable(),
  answeredAt: Timestamp.nullable(),
  invalidReason: InvalidReason.nullable(),
  publicSummary: z.string().nullable(),
  published: z.boolean(),
  publishedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type FeedbackView = z.infer<typeof FeedbackView>;

export const FeedbackDetail = FeedbackView.extend({
  /** The text with personal data removed: what staff start the public summary from. */
  suggestedSummary: z.string(),
  /** The answer as the public list would show it (personal data removed). */
  publicAnswer: z.string().nullable(),
  /** Why it cannot be published now (null: it can). */
  publishBlocker: z.enum(['not_answered', 'no_consent']).nullable(),
});
export type FeedbackDetail = z.infer<typeof FeedbackDetail>;

export const FeedbackPage = z.object({ items: z.array(FeedbackView), nextCursor: z.string().nullable() });
export type FeedbackPage = z.infer<typeof FeedbackPage>;

export const FeedbackAnswer = z.strictObject({ answer: z.string().trim().min(1).max(5000) });
export type FeedbackAnswer = z.input<typeof FeedbackAnswer>;

export const FeedbackInvalidate = z.strictObject({ reason: InvalidReason, note: z.string().trim().max(500).optional() });
export type FeedbackInvalidate = z.input<typeof FeedbackInvalidate>;

export const FeedbackPublish = z.strictObject({ summary: z.string().trim().min(1).max(2000) });
export type FeedbackPublish = z.input<typeof FeedbackPublish>;

const Duration = z.string().trim().regex(/^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?)?$/, 'ISO 8601 duration such as P5D or PT48H').refine((v) => v !== 'P' && v !== 'PT' && !v.endsWith('T'), 'ISO 8601 duration such as P5D or PT48H');

/** Settings section `feedback`. */
export const FeedbackSettings = z.object({
  /** Time to answer, in the business time of the organization's default calendar (P5D = 5 working days). */
  answerWithin: Duration.default('P5D'),
  /** Share of that time after which the clock warns; null: no warning. */
  warnRatio: z.number().min(0.1).max(0.99).nullable().default(0.8),
});
export type FeedbackSettings = z.infer<typeof FeedbackSettings>;
export const FeedbackSettingsInput = z.strictObject({ answerWithin: Duration, warnRatio: z.number().min(0.1).max(0.99).nullable().optional() });
