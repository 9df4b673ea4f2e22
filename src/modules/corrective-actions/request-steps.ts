/** Corrective actions' part of a request's steps (see requests/step-hooks.ts). */
import type { TxCtx } from '../../core/context.js';
import type { RequestStep } from '../requests/step-hooks.js';

/** A complaint archived with an upheld verdict raises a corrective action. */
export async function correctiveAfterStep(_t: TxCtx, _step: RequestStep): Promise<void> {
  // filled in by the corrective-actions work (issue 6)
}
