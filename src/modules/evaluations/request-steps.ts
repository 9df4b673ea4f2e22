/** Evaluations' part of a request's steps (see requests/step-hooks.ts). */
import type { TxCtx } from '../../core/context.js';
import type { RequestRow } from '../requests/records.js';
import type { CustomerConfirmation, RequestStep } from '../requests/step-hooks.js';
import { callbacksAfterStep } from './callbacks.js';
import { surveysAfterConfirm, surveysAfterStep } from './surveys.js';

/** deliver_result → survey invitation; reopen → pending surveys cancelled; archive → callback sampling. */
export async function evaluationsAfterStep(t: TxCtx, step: RequestStep): Promise<void> {
  await surveysAfterStep(t, step);
  await callbacksAfterStep(t, step);
}

/** The portal's confirmation with a rating is recorded as an evaluation (source portal). */
export async function evaluationsAfterConfirm(t: TxCtx, request: RequestRow, input: CustomerConfirmation): Promise<void> {
  await surveysAfterConfirm(t, request, input);
}
