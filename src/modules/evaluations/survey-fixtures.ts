/** Test fixtures of the survey tests (not loaded by the product). */
import type { Desk } from '../../test/desk.js';
import * as R from '../requests/service.js';

/** A request of the desk's first agent, brought to feedback (the survey goes out). */
export async function toFeedback(desk: Desk, input: Record<string, unknown>) {
  const r = await R.registerRequest(desk.agent1.ctx, { type: 'service_request', subject: '宽带报修', assigneeId: desk.agent1.staff.id, teamId: desk.team.id, ...input });
  for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(desk.agent1.ctx, r.id, { action });
  await R.transitionRequest(desk.agent1.ctx, r.id, { action: 'deliver_result', result: '已修复' });
  return r;
}
