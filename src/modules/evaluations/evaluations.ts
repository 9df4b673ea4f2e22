/**
 * Ratings (评价): the one way a satisfaction rating is recorded, whatever produced it — a survey answer, the
 * portal's confirmation, a callback, a campaign survey or the organization's stated default. The request's
 * agent, team, branch, channel and type are copied at rating time so the figures need no join.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../core/audit.js';
import type { TxCtx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { parse } from '../../core/validate.js';
import { requests } from '../requests/schema.js';
import { EVALUATION_SOURCES } from './contracts.js';
import { afterEvaluationRecorded, type EvaluationRow } from './evaluation-hooks.js';
import { evaluations } from './schema.js';

export type { EvaluationRow } from './evaluation-hooks.js';

export { EVALUATION_SOURCES };
export type EvaluationSource = (typeof EVALUATION_SOURCES)[number];

/** The five levels: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
export const LEVELS = [5, 4, 3, 2, 1] as const;

const score = z.number().int().min(1).max(5);

export const RecordEvaluationInput = z
  .object({
    source: z.enum(EVALUATION_SOURCES),
    requestId: z.uuid().optional(),
    surveyId: z.uuid().optional(),
    callbackId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
    level: score,
    attitude: score.nullish(),
    speed: score.nullish(),
    result: score.nullish(),
    nps: z.number().int().min(0).max(10).nullish(),
    comment: z.string().trim().max(2000).nullish(),
    resolved: z.boolean().nullish(),
    at: z.date().optional(),
  })
  .refine((v) => v.requestId !== undefined || v.campaignId !== undefined, { message: 'a rating rates a request or a campaign', path: ['requestId'] });
export type RecordEvaluationInput = z.input<typeof RecordEvaluationInput>;

/**
 * Records one rating inside the caller's transaction: copies the request's facts, keeps the request's
 * displayed rating on the latest real rating (a stated default never shows as the customer's), audits,
 * emits `evaluation.recorded` and runs the rating hook (a bad rating → verification callback and
 * corrective action). Callers authorize; this trusts its caller.
 */
export async function recordEvaluationTx(t: TxCtx, input: RecordEvaluationInput): Promise<EvaluationRow> {
  const data = parse(RecordEvaluationInput, input);
  const at = data.at ?? t.now();
  let facts: Pick<EvaluationRow, 'agentId' | 'teamId' | 'branchId' | 'channel' | 'requestType'> = { agentId: null, teamId: null, branchId: null, channel: null, requestType: null };
  if (data.requestId) {
    const [request] = await t.tx.select().from(requests).where(eq(requests.id, data.requestId)).for('update');
    if (!request || request.orgId !== t.orgId) throw new AppError('not_found', { entity: 'request' });
    facts = { agentId: request.assigneeId, teamId: request.teamId, branchId: request.branchId, channel: request.channel, requestType: request.type };
  }
  const now = t.now();
  const [row] = await t.tx
    .insert(evaluations)
    .values({
      orgId: t.orgId,
      source: data.source,
      requestId: data.requestId ?? null,
      surveyId: data.surveyId ?? null,
      callbackId: data.callbackId ?? null,
      campaignId: data.campaignId ?? null,
      level: data.level,
      attitude: data.attitude ?? null,
      speed: data.speed ?? null,
      result: data.result ?? null,
      nps: data.nps ?? null,
      comment: data.comment || null,
      resolved: data.resolved ?? null,
      ...facts,
      at,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const evaluation = row!;
  if (data.requestId && data.source !== 'default') {
    await t.tx.update(requests).set({ rating: evaluation.level, ratingComment: evaluation.comment }).where(eq(requests.id, data.requestId));
  }
  await audit(t, {
    action: 'evaluation.record',
    entityType: 'evaluation',
    entityId: evaluation.id,
    after: { source: evaluation.source, requestId: evaluation.requestId, surveyId: evaluation.surveyId, callbackId: evaluation.callbackId, campaignId: evaluation.campaignId, level: evaluation.level, agentId: evaluation.agentId, resolved: evaluation.resolved },
  });
  await t.emit('evaluation.recorded', {
    entityType: 'evaluation',
    entityId: evaluation.id,
    data: { source: evaluation.source, level: evaluation.level, requestId: evaluation.requestId, agentId: evaluation.agentId, teamId: evaluation.teamId, branchId: evaluation.branchId },
  });
  await afterEvaluationRecorded(t, evaluation);
  return evaluation;
}
