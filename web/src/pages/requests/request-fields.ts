/** Small pure helpers of the request page: type guards for server strings, phone masking (the loop's steps: lib/loop-steps). */
import { Channel } from '@contracts/requests/contracts';
import type { LoopAction, RequestView } from '../../api/requests';

export const isChannel = (value: string): value is Channel => (Channel.options as readonly string[]).includes(value);

/** Actions that need a reason (the server refuses them without one). */
export const REASON_REQUIRED: readonly LoopAction[] = ['reopen', 'merge', 'wait_customer'];

/** A transfer (转派) needs a reason: handling has started and someone already has the request. */
export function isTransfer(request: Pick<RequestView, 'state' | 'assignee'>): boolean {
  return request.state !== 'registered' && request.state !== 'analysing' && request.assignee !== null;
}

/** 13800138000 → 138****8000; a value the server already masked is shown as it is. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const p = phone.trim();
  if (p.includes('*')) return p;
  if (p.length >= 11) return `${p.slice(0, p.length - 8)}****${p.slice(-4)}`;
  if (p.length > 4) return `${'*'.repeat(p.length - 2)}${p.slice(-2)}`;
  return '*'.repeat(p.length);
}
