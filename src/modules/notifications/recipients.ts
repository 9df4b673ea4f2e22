/**
 * Who is told about a request, whether it cannot wait, and when it is delivered. Pure: the service loads the
 * people, the chain and the calendars; these functions decide.
 *
 * - The chain (通知链) names roles per occasion (a clock's warning, its breach, an escalation), configured in
 *   the organization's request settings: the request's assignee, the lead of its team, the managers and the
 *   supervisors who reach its branch (branch-scoped ones of that branch, organization-scoped ones always).
 * - Nobody inactive is told, nobody twice, and never the person whose own action caused it.
 * - Urgent (sent at once, whatever the hour): escalations of urgent or major requests and of urgent faults,
 *   and breaches of urgent or major requests. Everything else waits for the start of the recipient's duty.
 */
import { CalendarError, type CompiledCalendar } from '../calendars/calendar.js';
import { dutyStart } from '../requests/duty.js';

export const CHAIN_ROLES = ['assignee', 'team_lead', 'manager', 'supervisor'] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];
export type Occasion = 'warning' | 'breach' | 'escalation';
export type NotifyChain = Record<Occasion, readonly ChainRole[]>;

/** The chain until an administrator saves one (the same as the column's default in request_settings). */
export const DEFAULT_CHAIN: NotifyChain = { warning: ['assignee'], breach: ['assignee', 'team_lead', 'manager'], escalation: ['team_lead', 'manager'] };

export const NOTIFICATION_KINDS = ['clock.warning', 'clock.breached', 'escalated', 'assigned', 'mention'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What the rules need to know of a person. */
export interface Person {
  id: string;
  role: string;
  scope: string;
  branchId: string;
  active: boolean;
}

/** What the rules need to know of a request. */
export interface RequestPeople {
  assigneeId: string | null;
  /** The lead of the request's team (null without a team or lead). */
  teamLeadId: string | null;
  branchId: string;
}

function reaches(person: Person, branchId: string): boolean {
  return person.scope === 'organization' || person.branchId === branchId;
}

/** The people a chain names for a request, in chain order (not yet filtered: see {@link resolveRecipients}). */
export function chainIds(chain: readonly ChainRole[], request: RequestPeople, people: readonly Person[]): string[] {
  const out: string[] = [];
  for (const role of chain) {
    if (role === 'assignee' && request.assigneeId) out.push(request.assigneeId);
    else if (role === 'team_lead' && request.teamLeadId) out.push(request.teamLeadId);
    else if (role === 'manager' || role === 'supervisor') {
      for (const p of people) if (p.role === role && reaches(p, request.branchId)) out.push(p.id);
    }
  }
  return out;
}

/**
 * The recipients: those named directly (`direct`: the special team, the mentioned, the new assignee) and
 * those the chain names, each once, active, and never the actor. `people` must hold everyone who may be
 * named (unknown ids are dropped).
 */
export function resolveRecipients(input: {
  chain: readonly ChainRole[];
  request: RequestPeople;
  people: readonly Person[];
  direct?: readonly string[];
  actorId?: string | null;
}): string[] {
  const byId = new Map(input.people.map((p) => [p.id, p]));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of [...(input.direct ?? []), ...chainIds(input.chain, input.request, input.people)]) {
    if (seen.has(id)) continue;
    seen.add(id);
    const person = byId.get(id);
    if (!person?.active || id === input.actorId) continue;
    out.push(id);
  }
  return out;
}

/** Does this notification go out at once, even outside duty hours? */
export function isUrgent(kind: NotificationKind, request: { priority: string; type: string }): boolean {
  const pressing = request.priority === 'urgent' || request.priority === 'major';
  if (kind === 'escalated') return pressing || request.type === 'urgent_fault';
  if (kind === 'clock.breached') return pressing;
  return false;
}

/**
 * When a notification reaches its recipient: now if urgent, or if they are on duty, or if there is no duty
 * calendar to ask; else at the start of their next duty. A calendar without any further working time (or
 * beyond the years it covers) cannot say when duty starts, so the notification is not held back forever.
 */
export function deliveryInstant(urgent: boolean, duty: CompiledCalendar | null, now: Date): Date {
  if (urgent || !duty) return now;
  try {
    return dutyStart(duty, now);
  } catch (error) {
    if (error instanceof CalendarError) return now;
    throw error;
  }
}
