/**
 * Appeals (申诉) against bad ratings that the verification callback found mistaken or malicious.
 * Shapes shared by the API and the web app; imports nothing but zod.
 */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';
import { RatedEvaluation, Ref } from './callbacks-contracts.js';

export const AppealState = z.enum(['pending', 'upheld', 'rejected']);
export type AppealState = z.infer<typeof AppealState>;

export const AppealCreate = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export type AppealCreate = z.infer<typeof AppealCreate>;

export const AppealDecision = z.strictObject({ decision: z.enum(['upheld', 'rejected']), reason: z.string().trim().min(1).max(2000) });
export type AppealDecision = z.infer<typeof AppealDecision>;

export const AppealListQuery = z.strictObject({
  state: AppealState.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type AppealListQuery = z.input<typeof AppealListQuery>;

/** The rating appealed: still listed after an upheld appeal, marked excluded from the agent's figures. */
export const AppealedRating = RatedEvaluation.extend({
  appealState: AppealState.nullable(),
  branch: Ref.nullable(),
  request: z.object({ id: Id, number: z.string(), subject: z.string() }).nullable(),
  /** The remarks of the verification callback. */
  verificationRemarks: z.string().nullable(),
});
export type AppealedRating = z.infer<typeof AppealedRating>;

export const AppealView = z.object({
  id: Id,
  state: AppealState,
  reason: z.string(),
  appellant: Ref,
  decidedBy: Ref.nullable(),
  decision: z.string().nullable(),
  decidedAt: Timestamp.nullable(),
  rating: AppealedRating,
  createdAt: Timestamp,
});
export type AppealView = z.infer<typeof AppealView>;

export const AppealPage = z.object({ items: z.array(AppealView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type AppealPage = z.infer<typeof AppealPage>;

/** Ratings the reader may appeal now: verified mistaken or malicious, in reach, never appealed. */
export const AppealCandidates = z.object({ items: z.array(AppealedRating) });
export type AppealCandidates = z.infer<typeof AppealCandidates>;
