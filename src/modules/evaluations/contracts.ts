/** Contracts of surveys, ratings and satisfaction (HTTP and services). */
import { z } from 'zod';
import { Id } from '../shared/contracts.js';
import { SURVEY_CHANNELS, SurveySettings } from './survey-settings.js';

export { SurveySettings };

export const EVALUATION_SOURCES = ['survey', 'portal', 'callback', 'default', 'campaign'] as const;

export const SurveyState = z.enum(['pending', 'answered', 'expired', 'defaulted', 'cancelled']);
export const SurveyChannel = z.enum(SURVEY_CHANNELS);
export const EvaluationSource = z.enum(EVALUATION_SOURCES);
const Iso = z.string();

export const SurveyView = z.object({
  id: Id,
  requestId: Id.nullable(),
  requestNumber: z.string().nullable(),
  campaignId: Id.nullable(),
  channel: SurveyChannel,
  sentTo: z.string().nullable(),
  state: SurveyState,
  sentAt: Iso,
  expiresAt: Iso,
  remindAt: Iso.nullable(),
  remindedAt: Iso.nullable(),
  defaultAt: Iso.nullable(),
  answeredAt: Iso.nullable(),
});
export type SurveyView = z.infer<typeof SurveyView>;

export const SurveyListQuery = z.strictObject({
  requestId: Id.optional(),
  campaignId: Id.optional(),
  state: SurveyState.optional(),
  channel: SurveyChannel.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const SurveyList = z.object({ items: z.array(SurveyView) });

/** A fresh link (resend, QR print): the only time the token is shown. */
export const SurveyLinkView = z.object({ survey: SurveyView, link: z.string(), qrSvg: z.string().nullable() });
export type SurveyLinkView = z.infer<typeof SurveyLinkView>;
export const QrIssue = z.strictObject({ requestId: Id });

export const EvaluationView = z.object({
  id: Id,
  source: EvaluationSource,
  requestId: Id.nullable(),
  requestNumber: z.string().nullable(),
  surveyId: Id.nullable(),
  callbackId: Id.nullable(),
  campaignId: Id.nullable(),
  level: z.number().int(),
  attitude: z.number().int().nullable(),
  speed: z.number().int().nullable(),
  result: z.number().int().nullable(),
  nps: z.number().int().nullable(),
  comment: z.string().nullable(),
  resolved: z.boolean().nullable(),
  agent: z.object({ id: Id, name: z.string() }).nullable(),
  teamId: Id.nullable(),
  branchId: Id.nullable(),
  channel: z.string().nullable(),
  requestType: z.string().nullable(),
  verification: z.string().nullable(),
  appealState: z.string().nullable(),
  excluded: z.boolean(),
  at: Iso,
});
export type EvaluationView = z.infer<typeof EvaluationView>;

const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const EvaluationListQuery = z.strictObject({
  agentId: Id.optional(),
  teamId: Id.optional(),
  branchId: Id.optional(),
  requestId: Id.optional(),
  source: EvaluationSource.optional(),
  level: z.coerce.number().int().min(1).max(5).optional(),
  /** Local dates in the organization's time zone, inclusive. */
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Keyset: the `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export const EvaluationPage = z.object({ items: z.array(EvaluationView), nextCursor: z.string().nullable() });

export const SatisfactionGroupBy = z.enum(['none', 'request', 'agent', 'team', 'branch', 'channel', 'requestType', 'period']);
export const SatisfactionQuery = z.strictObject({
  groupBy: SatisfactionGroupBy.default('none'),
  period: z.enum(['day', 'week', 'month', 'quarter']).default('month'),
  from: DateOnly.optional(),
  to: DateOnly.optional(),
  agentId: Id.optional(),
  teamId: Id.optional(),
  branchId: Id.optional(),
  requestId: Id.optional(),
  channel: z.string().max(30).optional(),
  requestType: z.string().max(30).optional(),
});
export type SatisfactionQuery = z.input<typeof SatisfactionQuery>;

const Weights = z.object({ survey: z.number(), callback: z.number() });
export const SatisfactionFigure = z.object({
  count: z.number().int(),
  surveyCount: z.number().int(),
  callbackCount: z.number().int(),
  surveyAverage: z.number().nullable(),
  callbackAverage: z.number().nullable(),
  appliedWeights: Weights,
  score: z.number().nullable(),
  score100: z.number().nullable(),
  satisfiedShare: z.number().nullable(),
  excluded: z.number().int(),
  pendingVerification: z.number().int(),
  defaults: z.object({ count: z.number().int(), scoreWithDefaults: z.number().nullable(), score100WithDefaults: z.number().nullable(), satisfiedShareWithDefaults: z.number().nullable() }),
});
export const SatisfactionRow = SatisfactionFigure.extend({ key: z.string().nullable(), label: z.string().nullable() });
export const SatisfactionResult = z.object({
  groupBy: SatisfactionGroupBy,
  period: z.enum(['day', 'week', 'month', 'quarter']),
  /** Personal figures (agent, team, branch) leave out ratings whose verification is pending. */
  kind: z.enum(['personal', 'service']),
  weights: Weights,
  weightsFrom: z.enum(['commitment', 'settings']),
  satisfiedFromLevel: z.number().int(),
  timeZone: z.string(),
  rows: z.array(SatisfactionRow),
});
export type SatisfactionResult = z.infer<typeof SatisfactionResult>;

// ---------- the public survey page ----------

export const SurveyToken = z.string().min(16).max(100).regex(/^[A-Za-z0-9_-]+$/);

export const PublicSurvey = z.object({
  orgName: z.string(),
  kind: z.enum(['request', 'campaign']),
  requestNumber: z.string().nullable(),
  requestSubject: z.string().nullable(),
  campaignName: z.string().nullable(),
  periodStart: Iso.nullable(),
  periodEnd: Iso.nullable(),
  /** Ask the 0–10 recommendation question. */
  nps: z.boolean(),
  /** Ask "is your problem resolved?" (request surveys). */
  askResolved: z.boolean(),
  expiresAt: Iso,
});
export type PublicSurvey = z.infer<typeof PublicSurvey>;

const Score = z.number().int().min(1).max(5);
export const SurveyAnswer = z.strictObject({
  level: Score,
  attitude: Score.nullish(),
  speed: Score.nullish(),
  result: Score.nullish(),
  nps: z.number().int().min(0).max(10).nullish(),
  comment: z.string().trim().max(2000).nullish(),
  /** Request surveys: false reopens the request (the comment is the reason). */
  resolved: z.boolean().nullish(),
});
export const SurveyAnswered = z.object({ ok: z.literal(true), reopened: z.boolean() });
