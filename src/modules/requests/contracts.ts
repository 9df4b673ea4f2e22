/**
 * Requests (工单): shapes shared by the API, the channels and the web app. Imports nothing but zod (and the
 * vocabulary of commitments, which requests are measured against).
 */
import { z } from 'zod';
import { Channel, CustomerFlag, Priority, RequestType } from '../commitments/contracts.js';
import { Id, QueryBoolean, Timestamp, optionalText } from '../shared/contracts.js';

export { Channel, CustomerFlag, Priority, RequestType };

export const LoopState = z.enum(['registered', 'analysing', 'handling', 'waiting_customer', 'feedback', 'archived', 'merged']);
export type LoopState = z.infer<typeof LoopState>;
export const LoopAction = z.enum(['analyse', 'start_handling', 'wait_customer', 'customer_replied', 'deliver_result', 'archive', 'reopen', 'merge']);
export type LoopAction = z.infer<typeof LoopAction>;

const Tag = z.string().trim().min(1).max(40);
const Phone = z.string().trim().max(40).regex(/^[0-9+\-() ]*$/, 'digits, +, -, (, ) and spaces');

/** Registering a request (登记). A customer or, for an anonymous requester, contact details. */
export const RequestCreate = z.strictObject({
  type: RequestType,
  priority: Priority.default('general'),
  channel: Channel,
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().max(20_000).default(''),
  customerId: Id.nullable().optional(),
  contactName: optionalText(100),
  contactPhone: Phone.transform((v) => (v === '' ? null : v)).nullable().optional(),
  contactEmail: z.email().max(200).nullable().optional(),
  /** Green channel flags given at intake (added to the customer's own). */
  customerFlags: z.array(CustomerFlag).max(3).default([]),
  categoryId: Id.nullable().optional(),
  /** Omitted: the registering person's branch (or the head office for the public). */
  branchId: Id.optional(),
  teamId: Id.nullable().optional(),
  assigneeId: Id.nullable().optional(),
  tags: z.array(Tag).max(20).default([]),
  /** Files uploaded beforehand (POST /attachments) to attach to the request. */
  attachmentIds: z.array(Id).max(20).default([]),
});
export type RequestCreate = z.infer<typeof RequestCreate>;

/** Changing a request's classification or facts (part of analysis; clocks are re-applied). */
export const RequestUpdate = z.strictObject({
  type: RequestType.optional(),
  priority: Priority.optional(),
  subject: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(20_000).optional(),
  customerId: Id.nullable().optional(),
  customerFlags: z.array(CustomerFlag).max(3).optional(),
  categoryId: Id.nullable().optional(),
  tags: z.array(Tag).max(20).optional(),
  reason: optionalText(500),
});
export type RequestUpdate = z.infer<typeof RequestUpdate>;

/** A step of the loop. `reason` is required for reopen, merge and wait_customer. */
export const TransitionInput = z.strictObject({
  action: LoopAction,
  reason: optionalText(1000),
  /** The person responsible for the next step; defaults to the assignee (or the actor). */
  responsibleId: Id.nullable().optional(),
  /** merge: the request this one duplicates. */
  mergeIntoId: Id.optional(),
  /** deliver_result: the result sent to the customer as a reply (optional if already replied). */
  result: z.string().trim().max(20_000).optional(),
});
export type TransitionInput = z.infer<typeof TransitionInput>;

/** Assignment (分派) or transfer (转派) to a team and/or person. */
export const AssignInput = z.strictObject({
  teamId: Id.nullable().optional(),
  assigneeId: Id.nullable().optional(),
  branchId: Id.optional(),
  reason: optionalText(500),
});
export type AssignInput = z.infer<typeof AssignInput>;

export const EscalateInput = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export const MessageCreate = z.strictObject({
  /** reply: to the customer; note: internal (with @mentions). */
  kind: z.enum(['reply', 'note']),
  body: z.string().trim().min(1).max(20_000),
  mentions: z.array(Id).max(20).default([]),
  attachmentIds: z.array(Id).max(20).default([]),
});
export type MessageCreate = z.infer<typeof MessageCreate>;

export const BulkInput = z.strictObject({
  ids: z.array(Id).min(1).max(200),
  assign: AssignInput.optional(),
  transition: TransitionInput.optional(),
});

export const RequestSort = z.enum(['created_desc', 'created_asc', 'due_asc', 'activity_desc']);

/** Console filters (also the shape of a saved view). */
export const RequestFilters = z.strictObject({
  queue: z.enum(['mine', 'team', 'all', 'unassigned']).default('all'),
  states: z.array(LoopState).max(7).optional(),
  open: z.boolean().optional().describe('true: not archived nor merged'),
  types: z.array(RequestType).max(5).optional(),
  priorities: z.array(Priority).max(3).optional(),
  channels: z.array(Channel).max(7).optional(),
  categoryId: Id.optional(),
  teamId: Id.optional(),
  assigneeId: Id.optional(),
  branchId: Id.optional(),
  customerId: Id.optional(),
  tag: Tag.optional(),
  clock: z.enum(['warning', 'breached']).optional().describe('requests with a clock in this state'),
  escalation: z.enum(['any', 'pending']).optional().describe('any: escalated to the special team; pending: escalated and not yet taken up (acknowledged)'),
  q: z.string().trim().max(200).optional().describe('full-text search (Chinese and English)'),
  createdFrom: z.string().optional(),
  createdTo: z.string().optional(),
  sort: RequestSort.default('created_desc'),
});
export type RequestFilters = z.infer<typeof RequestFilters>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item)).optional();

/** The list endpoint's query string: filters as comma lists, keyset cursor. */
export const RequestListQuery = z.strictObject({
  queue: z.enum(['mine', 'team', 'all', 'unassigned']).default('all'),
  states: csv(LoopState),
  open: QueryBoolean.optional(),
  types: csv(RequestType),
  priorities: csv(Priority),
  channels: csv(Channel),
  categoryId: Id.optional(),
  teamId: Id.optional(),
  assigneeId: Id.optional(),
  branchId: Id.optional(),
  customerId: Id.optional(),
  tag: Tag.optional(),
  clock: z.enum(['warning', 'breached']).optional(),
  escalation: z.enum(['any', 'pending']).optional(),
  q: z.string().trim().max(200).optional(),
  createdFrom: z.string().optional(),
  createdTo: z.string().optional(),
  sort: RequestSort.default('created_desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});

export const ClockSummary = z.object({
  id: Id,
  kind: z.string(),
  label: z.string().nullable(),
  state: z.enum(['running', 'paused', 'met', 'breached', 'cancelled']),
  /** running and past its warning instant */
  warning: z.boolean(),
  dueAt: Timestamp,
  warningAt: Timestamp.nullable(),
  startedAt: Timestamp,
  pausedAt: Timestamp.nullable(),
  breachedAt: Timestamp.nullable(),
  metAt: Timestamp.nullable(),
  duration: z.string(),
  calendarId: Id,
  commitmentVersionId: Id.nullable(),
  targetKey: z.string().nullable(),
});
export type ClockSummary = z.infer<typeof ClockSummary>;

/** Why a clock's deadline is what it is: commitment, version, target, calendar. */
export const ClockExplanation = z.object({
  clockId: Id,
  commitmentNumber: z.string().nullable(),
  commitmentTitle: z.string().nullable(),
  version: z.number().int().nullable(),
  targetName: z.object({ 'zh-CN': z.string(), 'en-US': z.string().optional() }).nullable(),
  start: z.string().nullable(),
  stop: z.string().nullable(),
  duration: z.string(),
  calendarName: z.string().nullable(),
  pausedMs: z.number().int(),
});

const PersonRef = z.object({ id: Id, name: z.string() }).nullable();

export const RequestListItem = z.object({
  id: Id,
  number: z.string(),
  type: RequestType,
  priority: Priority,
  channel: Channel,
  state: LoopState,
  subject: z.string(),
  customerName: z.string().nullable(),
  customerFlags: z.array(CustomerFlag),
  categoryId: Id.nullable(),
  branchId: Id,
  teamId: Id.nullable(),
  team: PersonRef,
  assignee: PersonRef,
  tags: z.array(z.string()),
  escalated: z.boolean(),
  nextDueAt: Timestamp.nullable(),
  /** The most urgent clock state: breached > warning > running > none */
  clockState: z.enum(['breached', 'warning', 'running', 'paused', 'none']),
  createdAt: Timestamp,
  lastActivityAt: Timestamp,
});
export type RequestListItem = z.infer<typeof RequestListItem>;

export const RequestPage = z.object({ items: z.array(RequestListItem), nextCursor: z.string().nullable() });

export const RequestView = RequestListItem.extend({
  description: z.string(),
  customerId: Id.nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable().describe('masked unless the reader holds pii:read'),
  contactEmail: z.string().nullable(),
  category: z.object({ id: Id, name: z.string(), path: z.array(z.string()) }).nullable(),
  responsible: PersonRef,
  commitmentVersionIds: z.array(Id),
  escalatedAt: Timestamp.nullable(),
  escalationTeamId: Id.nullable(),
  firstResponseAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  confirmedAt: Timestamp.nullable(),
  rating: z.number().int().nullable(),
  ratingComment: z.string().nullable(),
  reopenCount: z.number().int(),
  mergedIntoId: Id.nullable(),
  archivedAt: Timestamp.nullable(),
  allowedActions: z.array(LoopAction),
  clocks: z.array(ClockSummary),
  updatedAt: Timestamp,
});
export type RequestView = z.infer<typeof RequestView>;

export const AttachmentView = z.object({
  id: Id,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  messageId: Id.nullable(),
  uploadedByName: z.string(),
  createdAt: Timestamp,
});
export type AttachmentView = z.infer<typeof AttachmentView>;

export const MessageView = z.object({
  id: Id,
  kind: z.enum(['customer', 'reply', 'note', 'system']),
  channel: Channel,
  body: z.string(),
  authorName: z.string(),
  authorStaffId: Id.nullable(),
  mentions: z.array(Id),
  attachments: z.array(AttachmentView),
  createdAt: Timestamp,
});
export type MessageView = z.infer<typeof MessageView>;

/** One line of the request page's timeline: a message, a step of the loop, a clock event, an audit entry. */
export const TimelineEntry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), at: Timestamp, message: MessageView }),
  z.object({
    type: z.literal('event'), at: Timestamp, id: Id, kind: z.string(), action: z.string().nullable(), fromState: z.string().nullable(), toState: z.string().nullable(),
    reason: z.string().nullable(), responsible: PersonRef, actorName: z.string(), data: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('clock'), at: Timestamp, clockId: Id, label: z.string().nullable(), kind: z.string(), event: z.enum(['started', 'warning', 'breached', 'met', 'paused', 'cancelled']) }),
  z.object({ type: z.literal('audit'), at: Timestamp, id: z.string(), action: z.string(), actorName: z.string().nullable() }),
]);
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const RequestDetail = z.object({
  request: RequestView,
  explanations: z.array(ClockExplanation),
  timeline: z.array(TimelineEntry),
  attachments: z.array(AttachmentView),
});

// ---------- categories ----------

export const CategoryInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  nameEn: optionalText(100),
  parentId: Id.nullable().default(null),
  position: z.number().int().min(0).max(10_000).default(0),
  active: z.boolean().default(true),
});
export const CategoryView = z.object({
  id: Id, name: z.string(), nameEn: z.string().nullable(), parentId: Id.nullable(), position: z.number().int(), active: z.boolean(),
});

// ---------- customer-facing (portal, tracking link) ----------

/** A request as its customer sees it through the tracking link: no internal notes, no staff details beyond names. */
export const PublicRequestView = z.object({
  number: z.string(),
  type: RequestType,
  state: LoopState,
  subject: z.string(),
  description: z.string(),
  createdAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  confirmedAt: Timestamp.nullable(),
  rating: z.number().int().nullable(),
  canConfirm: z.boolean(),
  canReply: z.boolean(),
  /** The customer's own files that belong to no message (sent with the form). */
  attachments: z.array(AttachmentView),
  messages: z.array(z.object({ id: Id, from: z.enum(['customer', 'staff']), authorName: z.string(), body: z.string(), createdAt: Timestamp, attachments: z.array(AttachmentView) })),
});
export type PublicRequestView = z.infer<typeof PublicRequestView>;

export const PublicReply = z.strictObject({ body: z.string().trim().min(1).max(20_000), attachmentIds: z.array(Id).max(10).default([]) });
export const PublicConfirm = z.strictObject({
  /** true: the customer accepts the result (the request may be archived); false: not solved (reopened). */
  solved: z.boolean(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: optionalText(1000),
});

// ---------- settings ----------

export const NotifyRole = z.enum(['assignee', 'team_lead', 'manager', 'supervisor']);
/** One step of the notification chain: a role, told `afterMinutes` after the occasion if the reason still holds (0: at once). */
export const NotifyStep = z.strictObject({ role: NotifyRole, afterMinutes: z.number().int().min(0).max(10_080).default(0) });
/** A step as sent: `{ role, afterMinutes }`, or (the earlier shape, still accepted) a bare role, told at once. */
const NotifyStepInput = z.preprocess((v) => (typeof v === 'string' ? { role: v, afterMinutes: 0 } : v), NotifyStep);
const NotifyLadderInput = z.array(NotifyStepInput).max(4);
const NotifyLadderView = z.array(z.object({ role: NotifyRole, afterMinutes: z.number().int() }));
export const RequestSettingsInput = z.strictObject({
  specialTeamId: Id.nullable().optional(),
  autoEscalateTypes: z.array(RequestType).max(5).optional(),
  autoEscalateComplaintPriorities: z.array(Priority).max(3).optional(),
  notifyChain: z.strictObject({ warning: NotifyLadderInput, breach: NotifyLadderInput, escalation: NotifyLadderInput }).optional(),
  maxAttachmentBytes: z.number().int().min(1024).max(50 * 1024 * 1024).optional(),
  allowedAttachmentTypes: z.array(z.string().trim().min(1).max(100)).max(50).optional().describe('MIME types (application/pdf), prefixes (image/) or extensions (.dwg); empty: the built-in safe list'),
  inboundAddresses: z.array(z.email().max(200)).max(20).optional(),
});
export const RequestSettingsView = z.object({
  specialTeamId: Id.nullable(),
  autoEscalateTypes: z.array(RequestType),
  autoEscalateComplaintPriorities: z.array(Priority),
  notifyChain: z.object({ warning: NotifyLadderView, breach: NotifyLadderView, escalation: NotifyLadderView }),
  maxAttachmentBytes: z.number().int(),
  allowedAttachmentTypes: z.array(z.string()),
  inboundAddresses: z.array(z.string()),
  /** What an empty allowedAttachmentTypes means: the built-in safe list (type and extensions must agree). */
  defaultAttachmentTypes: z.array(z.object({ type: z.string(), extensions: z.array(z.string()) })),
});
export type RequestSettingsView = z.infer<typeof RequestSettingsView>;

// ---------- routing rules ----------

export const RoutingConditions = z.strictObject({
  types: z.array(RequestType).max(5).default([]),
  priorities: z.array(Priority).max(3).default([]),
  categoryIds: z.array(Id).max(50).default([]),
  channels: z.array(Channel).max(7).default([]),
  customerFlags: z.array(CustomerFlag).max(3).default([]),
  branchIds: z.array(Id).max(50).default([]),
});
export const RoutingStrategy = z.enum(['round_robin', 'least_loaded', 'team_only']);
export const RoutingRuleInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(10_000).default(0),
    active: z.boolean().default(true),
    conditions: RoutingConditions.default({ types: [], priorities: [], categoryIds: [], channels: [], customerFlags: [], branchIds: [] }),
    /** A team (its agents on duty share the work) or one person. */
    teamId: Id.nullable().default(null),
    staffId: Id.nullable().default(null),
    strategy: RoutingStrategy.default('round_robin'),
  })
  .refine((r) => r.teamId !== null || r.staffId !== null, { message: 'teamId or staffId', path: ['teamId'] });
export type RoutingRuleInput = z.infer<typeof RoutingRuleInput>;
export const RoutingRuleView = z.object({
  id: Id, name: z.string(), position: z.number().int(), active: z.boolean(),
  conditions: z.object({ types: z.array(RequestType), priorities: z.array(Priority), categoryIds: z.array(Id), channels: z.array(Channel), customerFlags: z.array(CustomerFlag), branchIds: z.array(Id) }),
  teamId: Id.nullable(), staffId: Id.nullable(), strategy: RoutingStrategy, createdAt: Timestamp, updatedAt: Timestamp,
});
export type RoutingRuleView = z.infer<typeof RoutingRuleView>;

// ---------- webhooks ----------

export const WEBHOOK_EVENTS = [
  'request.registered', 'request.transitioned', 'request.assigned', 'request.escalated', 'request.escalation_acknowledged', 'request.replied',
  'request.noted', 'request.customer_message', 'request.updated',
] as const;
export const WebhookInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(z.enum([...WEBHOOK_EVENTS, '*'])).min(1).max(20),
  active: z.boolean().default(true),
});
export const WebhookView = z.object({
  id: Id, name: z.string(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: Timestamp, updatedAt: Timestamp,
});
export const WebhookCreated = WebhookView.extend({ secret: z.string().describe('shown once: verify X-Pledge-Signature = sha256=HMAC-SHA256(secret, raw body)') });
