/** Corrective actions' part of a request's steps (see requests/step-hooks.ts). */
import type { TxCtx } from '../../core/context.js';
import type { RequestStep } from '../requests/step-hooks.js';
import { clusterTx } from './findings.js';

/**
 * A complaint classified (the analyse step: its category is known) counts towards its category's cluster:
 * it joins the open cluster action, or completes a window of ≥ N complaints and raises one.
 */
export async function correctiveAfterStep(t: TxCtx, step: RequestStep): Promise<void> {
  if (step.action !== 'analyse' || step.after.type !== 'complaint' || !step.after.categoryId) return;
  await clusterTx(t, step.after);
}
