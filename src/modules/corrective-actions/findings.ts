/** Findings that raise corrective actions (being built in issue 6 by the corrective-actions work). */
import type { TxCtx } from '../../core/context.js';
import type { EvaluationRow } from '../evaluations/evaluation-hooks.js';

export async function correctiveOnBadRating(_t: TxCtx, _evaluation: EvaluationRow): Promise<void> {}
