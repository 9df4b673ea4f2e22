/** Callbacks (being built in issue 6 by the callbacks work; see docs/evaluations.md). */
import type { TxCtx } from '../../core/context.js';
import type { RequestStep } from '../requests/step-hooks.js';
import type { EvaluationRow } from './evaluation-hooks.js';

export async function callbacksAfterStep(_t: TxCtx, _step: RequestStep): Promise<void> {}

export async function verificationOnBadRating(_t: TxCtx, _evaluation: EvaluationRow): Promise<void> {}
