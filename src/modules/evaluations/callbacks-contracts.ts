/**
 * Callbacks (回访): sampling rules, the queue, the call form, verification of bad ratings (核实).
 * Shapes shared by the API and the web app; imports nothing but zod (and the request vocabulary).
 */
import { z } from 'zod';
import { RequestType } from '../requests/contracts.js';
import { Id, QueryBoolean, Timestamp, optionalText } from '../shared/contracts.js';

export const CallbackPurpose = z.enum(['sample', 'verify']);
export type CallbackPurpose = z.infer<typeof CallbackPurpose>;

/** pending: to be called · done: the customer was reached · unreachable: not reached after the attempts · cancelled */
export const CallbackState = z.enum(['pending', 'done', 'unreachable', 'cancelled']);
export type CallbackState = z.infer<typeof CallbackState>;

/** Why a request was sampled. */
export const CallbackRule = z.enum(['all_complaints', 'percent', 'manual']);
export type CallbackRule = z.infer<typeof CallbackRule>;

/** The verdict of a verification callback (核实结论). */
export const Verdict = z.enum(['confirmed', 'mistaken', 'malicious']);
export type Verdict = z.infer<typeof Verdict>;

const Percent = z.number().min(0).max(100);

/**
 * The organization's callback settings (section `callbacks`). Sampling at archive: every complaint (when
 * `allComplaints`), and `percent` % of the rest — or the request type's own percentage when one is set.
 */
export const CallbackSettings = z.object({
  allComplaints: z.boolean().default(true),
  percent: Percent.default(10),
  /** Per request type, overriding `percent` (complaints too, when `allComplaints` is off). */
  percentByType: z.partialRecord(RequestType, Percent).default({}),
  /** Fixes the draw: the same seed and request give the same answer, so a sample can be reproduced. */
  seed: z.string().trim().min(1).max(100).default('pledge-callbacks'),
  /** Calls without reaching the customer before a callback is unreachable. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
});
export type CallbackSettings = z.infer<typeof CallbackSettings>;
export const CallbackSettingsInput = z.strictObject({
  allComplaints: z.boolean(),
  percent: Percent,
  percentByType: z.partialRecord(RequestType, Percent).default({}),
  seed: z.string().trim().min(1).max(100),
  maxAttempts: z.number().int().min(1).max(10),
});
export type CallbackSettingsInput = z.input<typeof CallbackSettingsInput>;

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(10)).optional();

export const CallbackListQuery = z.strictObject({
  state: list(CallbackState).describe('comma list'),
  purpose: CallbackPurpose.optional(),
  branchId: Id.optional(),
  assigneeId: Id.optional(),
  /** Only callbacks nobody is assigned to. */
  unassigned: QueryBoolean.optional(),
  requestType: RequestType.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type CallbackListQuery = z.input<typeof CallbackListQuery>;

/** A person or branch named in a view. */
export const Ref = z.object({ id: Id, name: z.string() });

/** The rating a verification callback is about (appeals show the same rating with more around it). */
export const RatedEvaluation = z.object({
  id: Id,
  source: z.string(),
  level: z.number().int(),
  comment: z.string().nullable(),
  at: Timestamp,
  verification: z.string().nullable(),
  appealState: z.string().nullable(),
  excluded: z.boolean(),
  agent: Ref.nullable(),
});
export type RatedEvaluation = z.infer<typeof RatedEvaluation>;

export const CallbackView = z.object({
  id: Id,
  purpose: CallbackPurpose,
  rule: CallbackRule.nullable(),
  state: CallbackState,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  level: z.number().int().nullable(),
  remarks: z.string().nullable(),
  verdict: Verdict.nullable(),
  /** A verification that ended unreachable counts as confirmed by default, marked unverified (未核实). */
  unverified: z.boolean(),
  request: z.object({ id: Id, number: z.string(), subject: z.string(), type: RequestType, channel: z.string(), state: z.string(), agent: Ref.nullable() }),
  evaluation: RatedEvaluation.nullable(),
  /** The rating this callback recorded (purpose sample, customer reached). */
  recordedEvaluationId: Id.nullable(),
  assignee: Ref.nullable(),
  calledBy: Ref.nullable(),
  calledAt: Timestamp.nullable(),
  branch: Ref.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CallbackView = z.infer<typeof CallbackView>;

export const CallbackPage = z.object({ items: z.array(CallbackView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type CallbackPage = z.infer<typeof CallbackPage>;

/** What the caller needs on the form: who to call, and what the request was about. */
export const CallbackDetail = CallbackView.extend({
  contact: z.object({ name: z.string().nullable(), phone: z.string().nullable().describe('masked unless the reader holds pii:read'), email: z.string().nullable() }),
  summary: z.object({ description: z.string(), result: z.string().nullable(), registeredAt: Timestamp, resolvedAt: Timestamp.nullable() }),
});
export type CallbackDetail = z.infer<typeof CallbackDetail>;

export const CallbackAssign = z.strictObject({ assigneeId: Id.nullable() });
export type CallbackAssign = z.infer<typeof CallbackAssign>;

/**
 * The call's outcome. Reached on a sample callback: the customer's rating (5 非常满意 … 1 非常不满意) and
 * remarks. Reached on a verification: the verdict and remarks. Not reached: one attempt counted.
 */
export const CallbackPerform = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('reached'),
    level: z.number().int().min(1).max(5).optional(),
    verdict: Verdict.optional(),
    remarks: optionalText(2000),
  }),
  z.strictObject({ outcome: z.literal('not_reached'), remarks: optionalText(2000) }),
]);
export type CallbackPerform = z.infer<typeof CallbackPerform>;

const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 with a UTC offset or Z');

/** Sampling on demand over requests archived in [from, to); omitted rules come from the settings. */
export const SampleRun = z.strictObject({
  from: Instant,
  to: Instant,
  allComplaints: z.boolean().optional(),
  percent: Percent.optional(),
  requestTypes: z.array(RequestType).max(5).optional().describe('only these types'),
  seed: z.string().trim().min(1).max(100).optional(),
  branchId: Id.optional(),
});
export type SampleRun = z.input<typeof SampleRun>;

export const SampleDrawn = z.object({
  requestId: Id,
  number: z.string(),
  subject: z.string(),
  type: RequestType,
  rule: CallbackRule,
  /** Already has a sample callback: not created again. */
  alreadySampled: z.boolean(),
});
export type SampleDrawn = z.infer<typeof SampleDrawn>;

export const SamplePreview = z.object({
  seed: z.string(),
  considered: z.number().int(),
  drawn: z.array(SampleDrawn),
});
export type SamplePreview = z.infer<typeof SamplePreview>;

export const SampleResult = z.object({ seed: z.string(), considered: z.number().int(), created: z.number().int(), skipped: z.number().int() });
export type SampleResult = z.infer<typeof SampleResult>;

/** A callback added by hand for one resolved request. */
export const CallbackCreate = z.strictObject({ requestId: Id, assigneeId: Id.nullable().optional() });
export type CallbackCreate = z.infer<typeof CallbackCreate>;
