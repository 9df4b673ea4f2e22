/**
 * Who is told about a request, whether it cannot wait, and when it is delivered. Pure: the service loads the
 * people, the chain and the calendars; these functions decide.
 *
 * - The chain (通知链) names roles per occasion (a clock's warning, its breach, an escalation), configured in
 *   the organization's request settings: the request's assignee, the lead of its team, the managers and the
 *   supervisors who reach its branch (branch-scoped ones of that branch, organization-scoped ones always).
 *   Each step of the chain carries a delay (`afterMinutes`): 0 is told at once, a later step only if the
 *   reason still holds then (an escalation ladder; the dispatcher checks, see {@link stillHolds}).
 * - Nobody inactive is told, nobody twice, and never the person whose own action caused it.
 * - Urgent (sent at once, whatever the hour): escalations of urgent or major requests and of urgent faults,
 *   and breaches of urgent or major requests. Everything else waits for the start of the recipient's duty.
 */
import { CalendarError, type CompiledCalendar } from '../calendars/calendar.js';
import { dutyStart } from '../requests/duty.js';

export const CHAIN_ROLES = ['assignee', 'team_lead', 'manager', 'supervisor'] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];
export type Occasion = 'warning' | 'breach' | 'escalation';
export const OCCASIONS: readonly Occasion[] = ['warning', 'breach', 'escalation'];
/** One step of a chain: a role, told `afterMinutes` after the occasion (0: at once). */
export interface ChainStep {
  role: ChainRole;
  afterMinutes: number;
}
export type NotifyChain = Record<Occasion, readonly ChainStep[]>;
/** The longest delay of a step: one week. */
export const MAX_AFTER_MINUTES = 10_080;

const step = (role: ChainRole, afterMinutes = 0): ChainStep => ({ role, afterMinutes });

/**
 * The chain until an administrator saves one: a ladder — a breach tells the assignee and the team lead at once
 * and the managers two hours later if the clock is still not met. (The column's default in request_settings
 * still holds the earlier shape of plain roles; {@link normalizeChain} reads it as stored and this constant
 * is what an organization without a row gets.)
 */
export const DEFAULT_CHAIN: NotifyChain = {
  warning: [step('assignee')],
  breach: [step('assignee'), step('team_lead'), step('manager', 120)],
  escalation: [step('team_lead'), step('manager')],
};

function isRole(value: unknown): value is ChainRole {
  return typeof value === 'string' && (CHAIN_ROLES as readonly string[]).includes(value);
}

/**
 * A chain as stored, in either shape: the earlier plain roles (`["assignee", …]`, told at once) or steps
 * (`[{ role, afterMinutes }]`). An occasion missing from the stored value takes the default; entries that
 * are not understood are dropped, delays are clamped to 0..{@link MAX_AFTER_MINUTES} whole minutes.
 */
export function normalizeChain(stored: unknown): NotifyChain {
  const value = stored && typeof stored === 'object' ? (stored as Partial<Record<Occasion, unknown>>) : {};
  const out = { ...DEFAULT_CHAIN };
  for (const occasion of OCCASIONS) {
    const list = value[occasion];
    if (!Array.isArray(list)) continue;
    const steps: ChainStep[] = [];
    for (const entry of list as unknown[]) {
      if (isRole(entry)) steps.push(step(entry));
      else if (entry && typeof entry === 'object' && isRole((entry as { role?: unknown }).role)) {
        const raw = Number((entry as { afterMinutes?: unknown }).afterMinutes ?? 0);
        const afterMinutes = Number.isFinite(raw) ? Math.min(MAX_AFTER_MINUTES, Math.max(0, Math.round(raw))) : 0;
        steps.push(step((entry as { role: ChainRole }).role, afterMinutes));
      }
    }
    out[occasion] = steps;
  }
  return out;
}

export const NOTIFICATION_KINDS = ['clock.warning', 'clock.breached', 'escalated', 'assigned', 'mention', 'corrective.raised', 'corrective.warning', 'corrective.overdue', 'feedback.warning', 'feedback.overdue'] as const;
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

/**
 * The recipients with the delay of the step that names them: those named directly are told at once; a
 * person the chain names on several steps (the lead who is also the assignee) is told once, on the
 * earliest. In the order of {@link resolveRecipients}.
 */
export function resolveLadder(input: {
  chain: readonly ChainStep[];
  request: RequestPeople;
  people: readonly Person[];
  direct?: readonly string[];
  actorId?: string | null;
}): { id: string; afterMinutes: number }[] {
  const delay = new Map<string, number>();
  for (const id of input.direct ?? []) delay.set(id, 0);
  for (const s of input.chain) {
    for (const id of chainIds([s.role], input.request, input.people)) delay.set(id, Math.min(delay.get(id) ?? Number.POSITIVE_INFINITY, s.afterMinutes));
  }
  return resolveRecipients({ ...input, chain: input.chain.map((s) => s.role) }).map((id) => ({ id, afterMinutes: delay.get(id) ?? 0 }));
}

/** What a later step's notification depends on, as the dispatcher finds it when the step falls due. */
export interface StillHoldsInput {
  kind: string;
  /** The request's loop state (null: the request is gone). */
  requestState: string | null;
  /** For a warning or breach: the state of the clock concerned (null: gone or unknown). */
  clockState?: string | null;
  /** For a warning: whether the clock has breached since (the breach chain speaks then). */
  clockBreached?: boolean;
  /** For an escalation: whether the special team has acknowledged it since. */
  acknowledged?: boolean;
}

/**
 * Does the reason for a later step still hold? A request archived or merged needs nobody any more; a warning
 * or breach whose clock was met (the result delivered, the reply sent…) or cancelled neither, nor a warning
 * whose clock has breached since (the breach chain tells people then); an escalation the special team
 * acknowledged neither. Other kinds are never delayed and always hold.
 */
export function stillHolds(input: StillHoldsInput): boolean {
  // A corrective action's or a piece of feedback's deadline: it holds while its clock is neither met (closed,
  // answered) nor cancelled, whatever became of a request behind it.
  if (['corrective.warning', 'corrective.overdue', 'feedback.warning', 'feedback.overdue'].includes(input.kind)) return input.clockState === 'running' || input.clockState === 'breached';
  if (input.requestState === null || input.requestState === 'archived' || input.requestState === 'merged') return false;
  if (input.kind === 'clock.warning' || input.kind === 'clock.breached') {
    if (!input.clockState || input.clockState === 'met' || input.clockState === 'cancelled') return false;
    return !(input.kind === 'clock.warning' && input.clockBreached);
  }
  if (input.kind === 'escalated') return !input.acknowledged;
  return true;
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
