/**
 * What happens, in the same transaction, when a rating is recorded (whatever produced it): a bad rating
 * (不满意 or worse) gets a real-name verification callback (核实) and raises a corrective action (整改).
 */
import type { TxCtx } from '../../core/context.js';
import { correctiveOnBadRating } from '../corrective-actions/findings.js';
import { verificationOnBadRating } from './callbacks.js';
import type { evaluations } from './schema.js';

export type EvaluationRow = typeof evaluations.$inferSelect;

/** A rating of this level or lower is bad (2 不满意, 1 非常不满意). */
export const BAD_LEVEL = 2;

export async function afterEvaluationRecorded(t: TxCtx, evaluation: EvaluationRow): Promise<void> {
  if (evaluation.level > BAD_LEVEL || evaluation.source === 'default') return;
  await verificationOnBadRating(t, evaluation);
  await correctiveOnBadRating(t, evaluation);
}
