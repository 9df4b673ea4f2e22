/** Survey invitations (being built in issue 6 by the surveys work; see docs/evaluations.md). */
import type { TxCtx } from '../../core/context.js';
import type { RequestRow } from '../requests/records.js';
import type { CustomerConfirmation, RequestStep } from '../requests/step-hooks.js';

export async function surveysAfterStep(_t: TxCtx, _step: RequestStep): Promise<void> {}

export async function surveysAfterConfirm(_t: TxCtx, _request: RequestRow, _input: CustomerConfirmation): Promise<void> {}
