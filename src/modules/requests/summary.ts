/**
 * "My work" for the home page: a handful of counts, each one the number of rows a console view lists. Every
 * figure is computed from the console's own WHERE conditions (`filterConditions` in queries.ts) for the filters
 * it returns, so opening `/requests?<those filters>` shows exactly the rows counted. Counts are capped: each
 * counts at most SUMMARY_CAP + 1 rows (a LIMITed subquery), so a desk with a million requests answers as fast
 * as a small one, and a figure past the cap reads "999+".
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { actorId, type Ctx } from '../../core/context.js';
import { authorize, can } from '../../core/policy.js';
import { teamMembers, teams } from '../org/schema.js';
import { Id } from '../shared/contracts.js';
import * as C from './contracts.js';
import { filterConditions } from './queries.js';
import { requests } from './schema.js';
import { settingsOf } from './settings-of.js';

/** The largest count reported exactly; past it a figure is `{ count: SUMMARY_CAP, capped: true }` ("999+"). */
export const SUMMARY_CAP = 999;
/** At most this many of a person's teams are counted one by one (by name). */
const MAX_TEAMS = 20;

/** The console's filters without the sort (a count has none): `/requests?` + these lists the figure's rows. */
export const SummaryFilters = C.RequestFilters.omit({ sort: true });
export type SummaryFilters = z.infer<typeof SummaryFilters>;

const Count = {
  count: z.number().int().min(0).describe(`rows counted, at most ${SUMMARY_CAP}`),
  capped: z.boolean().describe(`true: more than ${SUMMARY_CAP} (show "${SUMMARY_CAP}+")`),
};

export const SummaryFigure = z.object({ ...Count, filters: SummaryFilters.describe('the console view listing exactly these rows') });
export type SummaryFigure = z.infer<typeof SummaryFigure>;

export const RequestSummary = z.object({
  cap: z.number().int(),
  mine: SummaryFigure.describe('open requests assigned to me (queue=mine)'),
  mineDueSoon: SummaryFigure.describe('mine with a running clock past its warning instant (queue=mine&clock=warning)'),
  mineBreached: SummaryFigure.describe('mine with a breached clock (queue=mine&clock=breached)'),
  waitingCustomer: SummaryFigure.describe('mine waiting on the customer (queue=mine&states=waiting_customer)'),
  teamUnassigned: z
    .object({ ...Count, teams: z.array(SummaryFigure.extend({ teamId: Id, teamName: z.string() })) })
    .describe('open, unassigned requests of my teams: the sum of one figure per team (queue=unassigned&teamId=…)'),
  escalatedOpen: z
    .object({ ...Count, teamId: Id, filters: SummaryFilters.describe('the special team\'s open requests, where these wait (the console has no acknowledgement filter)') })
    .nullable()
    .describe('open escalated requests in the special team not yet acknowledged; null unless I am in the special team or hold request.assign'),
});
export type RequestSummary = z.infer<typeof RequestSummary>;

/** Counts the rows matching the conditions, up to the cap (never more than SUMMARY_CAP + 1 rows are visited as matches). */
async function cappedCount(ctx: Ctx, conditions: SQL[]): Promise<{ count: number; capped: boolean }> {
  const db = ctx.app.database.db;
  const matches = db.select({ one: sql<number>`1`.as('one') }).from(requests).where(and(...conditions)).limit(SUMMARY_CAP + 1).as('matches');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(matches);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, SUMMARY_CAP), capped: n > SUMMARY_CAP };
}

/** One figure: the console's conditions for these filters, counted. */
async function figure(ctx: Ctx, filters: SummaryFilters, extra: SQL[] = []): Promise<SummaryFigure> {
  const conditions = await filterConditions(ctx, filters);
  return { ...(await cappedCount(ctx, [...conditions, ...extra])), filters };
}

/** Adds up capped figures: exact while every part is exact and the total is within the cap. */
function total(parts: { count: number; capped: boolean }[]): { count: number; capped: boolean } {
  const sum = parts.reduce((s, p) => s + p.count, 0);
  return { count: Math.min(sum, SUMMARY_CAP), capped: sum > SUMMARY_CAP || parts.some((p) => p.capped) };
}

/** The signed-in person's work, in the scope the console gives them (branch-scoped staff: their branch). */
export async function requestSummary(ctx: Ctx): Promise<RequestSummary> {
  authorize(ctx, 'request.read');
  const db = ctx.app.database.db;
  const me = actorId(ctx.actor);
  const [myTeams, settings] = await Promise.all([
    me
      ? db.select({ id: teams.id, name: teams.name }).from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId)).where(eq(teamMembers.staffId, me)).orderBy(asc(teams.name), asc(teams.id)).limit(MAX_TEAMS)
      : Promise.resolve([]),
    settingsOf(db, ctx.orgId),
  ]);

  const special = settings.specialTeamId;
  const seesEscalations = special !== null && (myTeams.some((t) => t.id === special) || can(ctx.actor, 'request.assign'));
  const escalated = async () => {
    if (!special || !seesEscalations) return null;
    // The special team's open requests (its partial team index), escalated and not yet taken up.
    const filters: SummaryFilters = { queue: 'all', teamId: special, open: true, escalation: 'pending' };
    const counted = await figure(ctx, filters);
    return { count: counted.count, capped: counted.capped, teamId: special, filters };
  };

  const [mine, mineDueSoon, mineBreached, waitingCustomer, perTeam, escalatedOpen] = await Promise.all([
    figure(ctx, { queue: 'mine' }),
    figure(ctx, { queue: 'mine', clock: 'warning' }),
    figure(ctx, { queue: 'mine', clock: 'breached' }),
    figure(ctx, { queue: 'mine', states: ['waiting_customer'] }),
    Promise.all(myTeams.map(async (t) => ({ ...(await figure(ctx, { queue: 'unassigned', teamId: t.id })), teamId: t.id, teamName: t.name }))),
    escalated(),
  ]);
  return { cap: SUMMARY_CAP, mine, mineDueSoon, mineBreached, waitingCustomer, teamUnassigned: { ...total(perTeam), teams: perTeam }, escalatedOpen };
}
