/**
 * Corrective actions (整改): shapes shared by the API and the web app, and the `corrective` settings section.
 * Imports nothing but zod (and shared shapes).
 */
import { z } from 'zod';
import { AttachmentView } from '../requests/contracts.js';
import { Id, QueryBoolean, Timestamp } from '../shared/contracts.js';

export const CaSource = z.enum(['bad_rating', 'breach', 'complaint', 'inspection', 'cluster', 'manual']);
export type CaSource = z.infer<typeof CaSource>;
export const CaState = z.enum(['open', 'in_progress', 'submitted', 'closed', 'cancelled']);
export type CaState = z.infer<typeof CaState>;
export const CaStep = z.enum(['start', 'submit', 'accept', 'return', 'cancel']);
export type CaStep = z.infer<typeof CaStep>;

/** A duration the calendar engine understands: P{n}D (working days) or PT…H/M (business hours). */
const Duration = z.string().trim().regex(/^P(\d{1,3}D|T(\d{1,4}H)?(\d{1,5}M)?)$/, 'P{n}D or PT{h}H{m}M').refine((v) => v !== 'PT', 'empty duration');

/** The organization's settings for corrective actions (section `corrective` of the evaluation settings). */
export const CorrectiveSettings = z.object({
  /** Time to rectify, counted on the organization's default calendar: P5D = within 5 working days. */
  deadline: Duration.default('P5D'),
  /** Per source, overriding `deadline` (e.g. breach: P3D). */
  deadlineBySource: z.partialRecord(CaSource, Duration).default({}),
  /** The share of the deadline after which the owner is warned (0.8 = at 80 %), null for no warning. */
  warnRatio: z.number().min(0.1).max(0.99).nullable().default(0.8),
  /** A bad rating (不满意 or worse) raises an action. */
  onBadRating: z.boolean().default(true),
  /** A breached request clock raises an action: every breach of a complaint, and breaches of these clock kinds on any request. */
  onBreach: z
    .object({
      enabled: z.boolean().default(true),
      allComplaintClocks: z.boolean().default(true),
      kinds: z.array(z.string().trim().min(1).max(60)).max(20).default(['resolved', 'result.delivered']),
    })
    .default({ enabled: true, allComplaintClocks: true, kinds: ['resolved', 'result.delivered'] }),
  /** An upheld complaint raises an action. */
  onUpheldComplaint: z.boolean().default(true),
  /** The same category drawing ≥ threshold complaints within windowDays: one cluster action. */
  cluster: z
    .object({ enabled: z.boolean().default(true), threshold: z.number().int().min(2).max(100).default(3), windowDays: z.number().int().min(1).max(365).default(30) })
    .default({ enabled: true, threshold: 3, windowDays: 30 }),
});
export type CorrectiveSettings = z.infer<typeof CorrectiveSettings>;
export const CorrectiveSettingsInput = CorrectiveSettings.partial();

const Text = (max: number) => z.string().trim().min(1).max(max);

/** A corrective action raised by hand (manual) or from an inspection (检查). */
export const CaCreate = z.strictObject({
  source: z.enum(['manual', 'inspection']).default('manual'),
  finding: Text(4000),
  requestId: Id.optional(),
  agentId: Id.optional(),
  teamId: Id.optional(),
  branchId: Id.optional(),
  ownerId: Id.optional(),
  /** An inspection's own reference (e.g. its number), kept in sourceRef. */
  reference: z.string().trim().max(100).optional(),
});
export type CaCreate = z.infer<typeof CaCreate>;

/** The owner's work: root-cause analysis and the actions taken (either or both). */
export const CaWork = z.strictObject({
  rootCause: Text(8000).optional(),
  actionsTaken: Text(8000).optional(),
}).refine((v) => v.rootCause !== undefined || v.actionsTaken !== undefined, 'rootCause or actionsTaken');
export type CaWork = z.infer<typeof CaWork>;

/** Re-contact with the customer (回访客户): what they were told and said. */
export const CaRecontact = z.strictObject({ note: Text(4000) });

/** A step of the lifecycle; return and cancel need a note (the reason). */
export const CaStepInput = z.strictObject({ step: CaStep, note: z.string().trim().max(4000).optional() });
export type CaStepInput = z.infer<typeof CaStepInput>;

export const CaOwnerInput = z.strictObject({ ownerId: Id });

/** The complaint verdict: upheld (属实) or not, with a note. */
export const ComplaintVerdict = z.strictObject({ upheld: z.boolean(), note: Text(2000) });

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(6)).optional();

export const CaListQuery = z.strictObject({
  states: csv(CaState).describe('comma list'),
  source: CaSource.optional(),
  ownerId: Id.optional(),
  teamId: Id.optional(),
  branchId: Id.optional(),
  requestId: Id.optional(),
  overdue: QueryBoolean.optional().describe('true: past the deadline (breached clock, or open past dueAt)'),
  mine: QueryBoolean.optional().describe('true: owned by me'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type CaListQuery = z.input<typeof CaListQuery>;

const Ref = z.object({ id: Id, name: z.string() }).nullable();

export const CaView = z.object({
  id: Id,
  number: z.string(),
  source: CaSource,
  sourceRef: z.record(z.string(), z.unknown()),
  state: CaState,
  finding: z.string(),
  request: z.object({ id: Id, number: z.string(), subject: z.string() }).nullable(),
  owner: Ref,
  agent: Ref,
  team: Ref,
  branch: Ref,
  deadlineDuration: z.string(),
  dueAt: Timestamp,
  overdue: z.boolean(),
  overdueAt: Timestamp.nullable(),
  rootCause: z.string().nullable(),
  actionsTaken: z.string().nullable(),
  recontactedAt: Timestamp.nullable(),
  recontactNote: z.string().nullable(),
  submittedAt: Timestamp.nullable(),
  verifiedBy: Ref,
  verifiedAt: Timestamp.nullable(),
  verificationNote: z.string().nullable(),
  returnCount: z.number().int(),
  closedAt: Timestamp.nullable(),
  closedOnTime: z.boolean().nullable(),
  createdAt: Timestamp,
  /** The steps the reader may take now. */
  allowedSteps: z.array(CaStep),
  /** May the reader write the owner's work (analysis, actions, evidence, re-contact)? */
  canWork: z.boolean(),
});
export type CaView = z.infer<typeof CaView>;

export const CaEventView = z.object({ id: Id, kind: z.string(), note: z.string().nullable(), data: z.record(z.string(), z.unknown()), actorName: z.string(), at: Timestamp });
export type CaEventView = z.infer<typeof CaEventView>;

export const CaDetail = CaView.extend({
  events: z.array(CaEventView),
  /** The requests behind it (a cluster links several). */
  requests: z.array(z.object({ id: Id, number: z.string(), subject: z.string(), state: z.string() })),
  evidence: z.array(AttachmentView),
});
export type CaDetail = z.infer<typeof CaDetail>;

export const CaPage = z.object({ items: z.array(CaView), nextCursor: z.string().nullable() });
export type CaPage = z.infer<typeof CaPage>;

export const ComplaintVerdictView = z.object({ requestId: Id, complaintUpheld: z.boolean().nullable(), actions: z.array(CaView) });
export type ComplaintVerdictView = z.infer<typeof ComplaintVerdictView>;
