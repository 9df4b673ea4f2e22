/**
 * What other modules do, in the same transaction, when a request takes a step of the loop or the customer
 * confirms it: evaluations send the survey at feedback, sample callbacks at archive and record the portal's
 * rating; corrective actions react to a complaint's verdict. Called explicitly (no registry), so whatever
 * path moves a request — console, portal, e-mail, bulk, jobs — the same things happen.
 */
import type { TxCtx } from '../../core/context.js';
import { correctiveAfterStep } from '../corrective-actions/request-steps.js';
import { evaluationsAfterConfirm, evaluationsAfterStep } from '../evaluations/request-steps.js';
import type { LoopAction } from './loop.js';
import type { RequestRow } from './records.js';

export interface RequestStep {
  action: LoopAction;
  before: RequestRow;
  after: RequestRow;
}

export interface CustomerConfirmation {
  solved: boolean;
  rating?: number;
  comment?: string | null;
}

/** After a step of the loop has been written (the request row is `after`). */
export async function afterRequestStep(t: TxCtx, step: RequestStep): Promise<void> {
  await evaluationsAfterStep(t, step);
  await correctiveAfterStep(t, step);
}

/** After the customer confirmed (solved, with a rating) or rejected the result, before the loop moves on. */
export async function afterCustomerConfirm(t: TxCtx, request: RequestRow, input: CustomerConfirmation): Promise<void> {
  await evaluationsAfterConfirm(t, request, input);
}
