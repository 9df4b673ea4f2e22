/**
 * Commitments (服务承诺书): versioned, approved, published sets of measurable targets. Shapes shared by the
 * API, the templates and the web app. Imports nothing but zod.
 */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';

// ---------- the vocabulary targets are written in ----------

export const Channel = z.enum(['phone', 'email', 'chat', 'web', 'app', 'social', 'walk_in']);
export type Channel = z.infer<typeof Channel>;
export const RequestType = z.enum(['consultation', 'service_request', 'complaint', 'suggestion', 'urgent_fault']);
export type RequestType = z.infer<typeof RequestType>;
export const Priority = z.enum(['general', 'urgent', 'major']);
export type Priority = z.infer<typeof Priority>;
export const CustomerFlag = z.enum(['elderly', 'disabled', 'vip']);

/** Events of the closed loop that start a clock. */
export const StartEvent = z.enum([
  'request.registered', // 登记：a request of any type is registered
  'complaint.received', // 投诉受理：a complaint reaches the organization (before it is registered)
  'complaint.registered', // 投诉登记
  'request.escalated', // 升级至专项小组
  'customer.replied', // 客户回复（每次）
  'feedback.received', // 公众意见收到
  'request.reopened', // 重新打开
]);
export type StartEvent = z.infer<typeof StartEvent>;

/** Events that stop a clock. */
export const StopEvent = z.enum([
  'first_response', // 首次响应
  'next_reply', // 客户消息后的下一次答复
  'initial_solution', // 初步解决方案
  'emergency_response', // 启动应急响应
  'complaint.registered', // 投诉登记完成
  'resolved', // 问题解决（处理完成）
  'result.delivered', // 结果反馈给客户
  'archived', // 归档
]);
export type StopEvent = z.infer<typeof StopEvent>;

export const LocalizedText = z.strictObject({
  'zh-CN': z.string().trim().min(1).max(200),
  'en-US': z.string().trim().max(200).optional(),
});

/** Where a target applies; an empty or missing list means "all". */
export const AppliesTo = z.strictObject({
  channels: z.array(Channel).max(7).default([]),
  requestTypes: z.array(RequestType).max(5).default([]),
  priorities: z.array(Priority).max(3).default([]),
  customerFlags: z.array(CustomerFlag).max(3).default([]).describe('any of these flags (green channel); empty: every customer'),
});
export type AppliesTo = z.infer<typeof AppliesTo>;

export const Remedy = z.strictObject({
  kind: z.enum(['apology_call', 'fee_waiver', 'voucher', 'other']),
  description: z.string().trim().min(1).max(500),
  /** The remedy is a task on the request with its own clock. */
  duration: z.string().trim().regex(/^P/, 'an ISO 8601 duration').max(40),
});

const TargetKey = z.string().trim().min(1).max(60).regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, _ . -');

export const TimeLimitTarget = z.strictObject({
  kind: z.literal('time_limit'),
  key: TargetKey,
  name: LocalizedText,
  start: StartEvent,
  stop: StopEvent,
  duration: z.string().trim().min(2).max(40).describe('PT5M, PT2H (business time) or P5D (working days)'),
  /** null: the organization's default calendar. */
  calendarId: Id.nullable().default(null),
  appliesTo: AppliesTo.default({ channels: [], requestTypes: [], priorities: [], customerFlags: [] }),
  warnRatio: z.number().gt(0).lt(1).nullable().default(0.8),
  /** Share of clocks that must be met, in percent (e.g. 95). */
  complianceGoal: z.number().min(0).max(100).nullable().default(null),
  remedy: Remedy.nullable().default(null),
});
export type TimeLimitTarget = z.infer<typeof TimeLimitTarget>;

export const RateMetric = z.enum([
  'service_completion_rate', // 服务完成率 = completed ÷ accepted
  'resolution_rate', // 问题解决率
  'first_contact_resolution_rate', // 一次性解决率
  'response_compliance_rate', // 响应时效达标率
  'satisfaction_score', // 满意度（加权平均分）
  'satisfaction_rate', // 满意率（% 满意）
  'complaint_count', // 投诉件数
  'complaint_handling_days', // 投诉平均处理时长（工作日）
  'training_hours_per_agent', // 人均培训学时
  'offline_waiting_minutes', // 线下平均等候时长
  'callback_rate', // 回访率
  'faq_entries', // 知识库条目数（本期新增或更新）
  'polite_phrase_rate', // 规范礼貌用语使用率（质检抽样）
  'average_response_seconds', // 平均响应时间（秒）
]);
export type RateMetric = z.infer<typeof RateMetric>;

export const RateTarget = z.strictObject({
  kind: z.literal('rate'),
  key: TargetKey,
  name: LocalizedText,
  metric: RateMetric,
  period: z.enum(['month', 'quarter', 'half_year', 'year']),
  comparator: z.enum(['>=', '<=']),
  threshold: z.number().min(0).max(1_000_000),
  /**
   * For satisfaction metrics: the weights of survey-side ratings (surveys, portal, campaigns) and callback
   * ratings in the weighted average (omitted: the organization's survey settings).
   */
  weights: z.strictObject({ survey: z.number().min(0).max(100), callback: z.number().min(0).max(100) }).optional(),
  /** For scores: the top of the scale (5 points, 100 points); for rates: omitted (percent). */
  scale: z.number().positive().max(1000).nullable().default(null),
  appliesTo: AppliesTo.default({ channels: [], requestTypes: [], priorities: [], customerFlags: [] }),
});
export type RateTarget = z.infer<typeof RateTarget>;

export const Target = z.discriminatedUnion('kind', [TimeLimitTarget, RateTarget]);
export type Target = z.infer<typeof Target>;

// ---------- commitments, versions, approval ----------

export const PartyType = z.enum(['enterprise', 'individual', 'other']);
export const VersionStatus = z.enum(['draft', 'in_review', 'approved', 'published', 'superseded', 'withdrawn']);
export type VersionStatus = z.infer<typeof VersionStatus>;
export const ApprovalStep = z.enum(['internal_evaluation', 'joint_meeting', 'decision_body']);
export type ApprovalStep = z.infer<typeof ApprovalStep>;
export const ChangeTrigger = z.enum(['initial', 'law_or_regulation', 'concentrated_complaints', 'service_model_change', 'emergency', 'other']);
export type ChangeTrigger = z.infer<typeof ChangeTrigger>;

export const Scope = z.strictObject({
  branchIds: z.array(Id).max(200).default([]).describe('empty: the whole organization'),
  departmentIds: z.array(Id).max(200).default([]),
  channels: z.array(Channel).max(7).default([]).describe('empty: every channel'),
});
export type Scope = z.infer<typeof Scope>;

export const Attachment = z.strictObject({ name: z.string().trim().min(1).max(200), url: z.string().trim().max(2000) });

/** The editable content of a version (a draft). */
export const VersionContent = z.strictObject({
  title: z.string().trim().min(1).max(200),
  partyType: PartyType.default('enterprise'),
  scope: Scope.default({ branchIds: [], departmentIds: [], channels: [] }),
  responsibleDepartmentId: Id.nullable().default(null),
  responsiblePersonId: Id.nullable().default(null),
  effectiveFrom: z.iso.date().nullable().default(null),
  effectiveTo: z.iso.date().nullable().default(null),
  bodyZh: z.string().max(100_000).default(''),
  bodyEn: z.string().max(100_000).nullable().default(null),
  targets: z.array(Target).max(100).default([]),
});
export type VersionContent = z.infer<typeof VersionContent>;

export const CommitmentCreate = VersionContent.extend({
  number: z.string().trim().min(1).max(50).regex(/^[\p{L}\p{N}〔〕()（）[\]_./-]+$/u, 'letters, digits and 〔〕()[]_./-'),
});
export type CommitmentCreate = z.infer<typeof CommitmentCreate>;
/** A partial edit of a draft: fields left out stay as they are (no defaults here, unlike VersionContent). */
export const VersionUpdate = z.strictObject({
  title: VersionContent.shape.title.optional(),
  partyType: PartyType.optional(),
  scope: Scope.optional(),
  responsibleDepartmentId: Id.nullable().optional(),
  responsiblePersonId: Id.nullable().optional(),
  effectiveFrom: z.iso.date().nullable().optional(),
  effectiveTo: z.iso.date().nullable().optional(),
  bodyZh: z.string().max(100_000).optional(),
  bodyEn: z.string().max(100_000).nullable().optional(),
  targets: z.array(Target).max(100).optional(),
});
export const NewVersion = z.strictObject({
  trigger: ChangeTrigger.exclude(['initial']),
  summary: z.string().trim().min(1).max(2000).describe('what changes and why: the basis of the user notice'),
});
export const Decision = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  comment: z.string().trim().max(5000).default(''),
  attachments: z.array(Attachment).max(20).default([]),
});
export const Withdraw = z.strictObject({ comment: z.string().trim().min(1).max(2000).describe('why it leaves review') });
export const Publish = z.strictObject({
  notice: z
    .strictObject({
      title: z.string().trim().min(1).max(200),
      body: z.string().trim().min(1).max(20_000),
      titleEn: z.string().trim().min(1).max(200).optional(),
      bodyEn: z.string().trim().min(1).max(20_000).optional(),
    })
    .optional()
    .describe('the user notice (公告); generated from the change summary when omitted'),
});

export const ApprovalRecord = z.object({
  id: Id,
  step: ApprovalStep,
  decision: z.enum(['approved', 'rejected']),
  comment: z.string(),
  attachments: z.array(Attachment),
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  decidedAt: Timestamp,
  round: z.number().int(),
});

export const Version = z.object({
  id: Id,
  commitmentId: Id,
  number: z.string(),
  version: z.number().int(),
  status: VersionStatus,
  title: z.string(),
  partyType: PartyType,
  scope: Scope,
  responsibleDepartmentId: Id.nullable(),
  responsiblePersonId: Id.nullable(),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  bodyZh: z.string(),
  bodyEn: z.string().nullable(),
  targets: z.array(Target),
  changeTrigger: ChangeTrigger,
  changeSummary: z.string().nullable(),
  templateKey: z.string().nullable(),
  nextStep: ApprovalStep.nullable().describe('the approval step waiting for a decision (in review)'),
  approvals: z.array(ApprovalRecord),
  publishedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Version = z.infer<typeof Version>;

export const CommitmentSummary = z.object({
  id: Id,
  number: z.string(),
  title: z.string(),
  inForce: z.object({ versionId: Id, version: z.number().int(), publishedAt: Timestamp }).nullable(),
  draft: z.object({ versionId: Id, version: z.number().int(), status: VersionStatus }).nullable(),
  versions: z.number().int(),
  updatedAt: Timestamp,
});

export const Notice = z.object({
  id: Id,
  commitmentId: Id.nullable(),
  versionId: Id.nullable(),
  title: z.string(),
  body: z.string(),
  titleEn: z.string().nullable(),
  bodyEn: z.string().nullable(),
  trigger: ChangeTrigger.nullable(),
  publishedAt: Timestamp,
});

// ---------- templates ----------

export const TemplateParameter = z.object({
  key: z.string(),
  label: LocalizedText,
  type: z.enum(['text', 'number', 'duration', 'percent']),
  default: z.union([z.string(), z.number()]).nullable(),
  unit: z.string().nullable().describe('shown after the input: 分钟, 小时, 个工作日, %, 分, 次, 学时…'),
});
export const TemplateSummary = z.object({
  key: z.string(),
  title: z.string(),
  description: z.string(),
  internal: z.boolean().describe('internal template (the improvement agreement), not published to customers'),
  parameters: z.array(TemplateParameter),
});
export const TemplateInstantiate = z.strictObject({
  number: z.string().trim().min(1).max(50),
  values: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});

// ---------- matching (explainable) ----------

export const RequestFacts = z.strictObject({
  type: RequestType,
  priority: Priority,
  channel: Channel,
  customerFlags: z.array(CustomerFlag).default([]),
  branchId: Id.nullable().default(null),
  departmentId: Id.nullable().default(null),
});
export type RequestFacts = z.infer<typeof RequestFacts>;
