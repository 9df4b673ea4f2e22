/**
 * The figures' drill-down and the team lead's live wall (docs/figures-drilldown.md): the requests behind a
 * figure, and the open work of a desk right now. Shapes shared by the API and the web app; imports nothing but zod.
 */
import { z } from 'zod';

const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** Dimensions a figure is broken down by (as /kpis/values). */
export const DrillDimension = z.enum(['org', 'agent', 'team', 'branch', 'channel', 'type', 'category']);
export type DrillDimension = z.infer<typeof DrillDimension>;

/**
 * Which facts of a figure to list (default: the denominator of a rate, the facts of a count or duration):
 * - `numerator`, `denominator`, and `missed` (in the denominator, not in the numerator; rates whose numerator is
 *   part of their denominator);
 * - first_response_compliance: `metOnTime`, `metLate`, `breached`;
 * - corrective_actions: `opened`, `overdue`, `closed`, `closedOnTime`;
 * - satisfaction_score / satisfaction_rate: `defaults` (default ratings, shown apart), `excluded`,
 *   `pendingVerification`;
 * - phone_service_level: `offered`, `answered`, `answeredWithin`, `abandoned` (calls);
 * - backlog (default: the requests open at the end of the period): `accepted`, `completed` in the period.
 */
export const DrillPart = z.enum([
  'numerator', 'denominator', 'missed', 'metOnTime', 'metLate', 'breached', 'opened', 'overdue', 'closed', 'closedOnTime', 'defaults', 'excluded', 'pendingVerification',
  'offered', 'answered', 'answeredWithin', 'abandoned', 'accepted', 'completed',
]);
export type DrillPart = z.infer<typeof DrillPart>;

export const KpiDrilldownQuery = z
  .strictObject({
    /** An indicator id with `available: true` (GET /kpis/definitions). */
    indicator: z.string().min(1).max(60),
    /** A period key as /kpis/values returns it: 2026-11-05, 2026-W47, 2026-11, 2026-Q4, 2026. */
    period: z.string().max(20).optional(),
    /** The grain of `period` (optional: the key says it; when given it must agree). */
    grain: z.enum(['day', 'week', 'month', 'quarter', 'year']).optional(),
    /** Instead of `period`: first and last local day (inclusive), at most 366 days. */
    from: LocalDay.optional(),
    to: LocalDay.optional(),
    dimension: DrillDimension.default('org'),
    /** Only this value of the dimension (an agent, team, branch or category id, a channel, a request type); '' = none (unassigned, no team…). */
    value: z.string().max(100).optional(),
    /** For target_compliance (required there): the commitment target key. */
    target: z.string().min(1).max(100).optional(),
    part: DrillPart.optional(),
    /** Only facts on this ISO weekday (1 = Monday … 7) and/or local hour (0–23) of `at`: a cell of the heat map. */
    weekday: z.coerce.number().int().min(1).max(7).optional(),
    hour: z.coerce.number().int().min(0).max(23).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
  })
  .refine((q) => (q.period !== undefined) !== (q.from !== undefined || q.to !== undefined), { message: 'give either period or from and to', path: ['period'] })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'give both from and to', path: ['to'] });
export type KpiDrilldownQuery = z.infer<typeof KpiDrilldownQuery>;

export const KpiDrillItem = z.object({
  /** The request behind the fact; null for a fact without one (a campaign rating, a corrective action from an inspection). */
  requestId: z.string().nullable(),
  number: z.string().nullable(),
  subject: z.string().nullable(),
  /** Type and channel the fact counts under (the request's; a rating's as copied onto it). */
  type: z.string().nullable(),
  channel: z.string().nullable(),
  /** The request's state and priority now. */
  state: z.string().nullable(),
  priority: z.string().nullable(),
  /** The agent and team the fact counts for (the request's assignee; a rating's or corrective action's own). */
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  teamId: z.string().nullable(),
  /** When the request was registered. */
  createdAt: z.string().nullable(),
  /** The instant the fact counts on (its local day is in the period); for the backlog, when the open request was registered. */
  at: z.string(),
  /** Whether the fact is in the figure's numerator; null when the figure has none, or its numerator is another set of facts. */
  inNumerator: z.boolean().nullable(),
  /** Durations (first response, resolution), in seconds of elapsed time; null otherwise. */
  seconds: z.number().nullable(),
});
export type KpiDrillItem = z.infer<typeof KpiDrillItem>;

export const KpiDrilldownView = z.object({
  /** How many facts the figure counts (a rate's denominator, a count, a duration's count). */
  total: z.number().int(),
  items: z.array(KpiDrillItem),
  nextCursor: z.string().nullable(),
});
export type KpiDrilldownView = z.infer<typeof KpiDrilldownView>;

export const KpiLiveQuery = z.strictObject({
  /** One team (any team of the organization); default: every request in the reader's scope. */
  team: z.uuid().optional(),
});
export type KpiLiveQuery = z.infer<typeof KpiLiveQuery>;

/** A clock at the instant of the wall: running, past its warning (about to breach), or past due. */
export const LiveClockState = z.enum(['running', 'warning', 'breached']);
export type LiveClockState = z.infer<typeof LiveClockState>;

export const KpiLiveAgent = z.object({
  id: z.string(),
  name: z.string(),
  /** The team they belong to (with ?team=, that team when they are in it; else the first they joined); null: none. */
  teamId: z.string().nullable(),
  /** Their duty calendar (else the organization's default) has working time now. */
  onDuty: z.boolean(),
  /** Open requests assigned to them (in the wall's scope), and how many of those are about to breach or breached. */
  open: z.number().int(),
  aboutToBreach: z.number().int(),
  breached: z.number().int(),
});
export type KpiLiveAgent = z.infer<typeof KpiLiveAgent>;

export const KpiLiveSoonest = z.object({
  requestId: z.string(),
  number: z.string(),
  subject: z.string(),
  assigneeName: z.string().nullable(),
  /** What the clock measures (first_response, resolved, …). */
  clockKind: z.string(),
  dueAt: z.string(),
  state: LiveClockState,
});
export type KpiLiveSoonest = z.infer<typeof KpiLiveSoonest>;

export const KpiLiveView = z.object({
  /** The instant the wall was computed at. */
  at: z.string(),
  /** Open requests (not archived, not merged), and per state of the loop. */
  open: z.object({ total: z.number().int(), byState: z.record(z.string(), z.number().int()) }),
  /** Open requests with a clock past its warning and none breached (each request counts once, under its most urgent clock). */
  aboutToBreach: z.number().int(),
  /** Open requests with a breached clock not yet met. */
  breached: z.number().int(),
  /** Open requests nobody is assigned to. */
  unassigned: z.number().int(),
  agents: z.array(KpiLiveAgent),
  /** The 20 open clocks due soonest (breached ones first: they were due earliest). */
  soonest: z.array(KpiLiveSoonest),
});
export type KpiLiveView = z.infer<typeof KpiLiveView>;
