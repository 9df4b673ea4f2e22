/**
 * The callback settings (section `callbacks` of the evaluation settings) and the sampling rule they define:
 * which resolved requests get a callback (回访). The rule itself is pure: it depends only on the settings and
 * the request's id and type, so a sample can be reproduced and audited.
 */
import { audit } from '../../core/audit.js';
import { transact, type Ctx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import type { RequestType } from '../requests/contracts.js';
import * as C from './callbacks-contracts.js';
import { inSample } from './sampling.js';
import { readSection, writeSectionTx } from './settings-store.js';

/** The percentage of requests of this type drawn by the percent rule. */
export function percentFor(settings: Pick<C.CallbackSettings, 'percent' | 'percentByType'>, type: RequestType): number {
  return settings.percentByType[type] ?? settings.percent;
}

/**
 * Why a request is sampled, or null: every complaint when `allComplaints` is on; otherwise drawn with its
 * type's percentage (deterministic in the seed and the request id).
 */
export function samplingRuleOf(settings: Pick<C.CallbackSettings, 'allComplaints' | 'percent' | 'percentByType' | 'seed'>, request: { id: string; type: RequestType }): 'all_complaints' | 'percent' | null {
  if (settings.allComplaints && request.type === 'complaint') return 'all_complaints';
  return inSample(settings.seed, request.id, percentFor(settings, request.type)) ? 'percent' : null;
}

export async function readCallbackSettings(exec: Executor, orgId: string): Promise<C.CallbackSettings> {
  return readSection(exec, orgId, 'callbacks', C.CallbackSettings);
}

/** The settings (for the queue page and the sampling dialog). */
export async function getCallbackSettings(ctx: Ctx): Promise<C.CallbackSettings> {
  authorize(ctx, 'callback.manage');
  return readCallbackSettings(ctx.app.database.db, ctx.orgId);
}

/** Saves the sampling rules and the number of attempts (evaluation.configure). */
export async function updateCallbackSettings(ctx: Ctx, input: unknown): Promise<C.CallbackSettings> {
  authorize(ctx, 'evaluation.configure');
  const data = parse(C.CallbackSettingsInput, input);
  return transact(ctx, async (t) => {
    const before = await readCallbackSettings(t.tx, t.orgId);
    const after = C.CallbackSettings.parse(data);
    await writeSectionTx(t, 'callbacks', after);
    await audit(t, { action: 'callback.settings', entityType: 'evaluation_settings', entityId: t.orgId, before: { ...before }, after: { ...after } });
    await t.emit('callback.settings_updated', { entityType: 'evaluation_settings', entityId: t.orgId, data: {} });
    return after;
  });
}
