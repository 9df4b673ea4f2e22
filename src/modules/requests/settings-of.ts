/** The organization's request settings row, or the defaults until an administrator saves them. */
import { eq } from 'drizzle-orm';
import type { Executor } from '../../core/db/client.js';
import { DEFAULT_CHAIN, normalizeChain } from '../notifications/recipients.js';
import { requestSettings } from './schema.js';

export type RequestSettings = typeof requestSettings.$inferSelect;

/** The organization's request settings (defaults until an administrator saves them). */
export async function settingsOf(exec: Executor, orgId: string): Promise<RequestSettings> {
  const [row] = await exec.select().from(requestSettings).where(eq(requestSettings.orgId, orgId));
  // The chain in its current shape (rows saved before steps existed hold plain roles).
  if (row) return { ...row, notifyChain: normalizeChain(row.notifyChain) as RequestSettings['notifyChain'] };
  const now = new Date(0);
  return {
    orgId, specialTeamId: null, autoEscalateTypes: ['urgent_fault'], autoEscalateComplaintPriorities: ['major'],
    notifyChain: normalizeChain(DEFAULT_CHAIN) as RequestSettings['notifyChain'],
    maxAttachmentBytes: 10 * 1024 * 1024, allowedAttachmentTypes: [], inboundAddresses: [], createdAt: now, updatedAt: now,
  };
}
