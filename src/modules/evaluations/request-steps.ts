/** Evaluations' part of a request's steps (see requests/step-hooks.ts). */
import type { TxCtx } from '../../core/context.js';
import type { RequestRow } from '../requests/records.js';
import type { CustomerConfirmation, RequestStep } from '../requests/step-hooks.js';

/** deliver_result → survey invitation; reopen → pending surveys cancelled; archive → callback sampling. */
export async function evaluationsAfterStep(_t: TxCtx, _step: RequestStep): Promise<void> {
  // filled in by the surveys work (issue 6)
}

/** The portal's confirmation with a rating is recorded as an evaluation (source portal). */
export async function evaluationsAfterConfirm(_t: TxCtx, _request: RequestRow, _input: CustomerConfirmation): Promise<void> {
  // filled in by the surveys work (issue 6)
}
