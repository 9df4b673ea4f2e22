/**
 * The team lead's live wall (docs/figures-drilldown.md): open requests, those about to breach and breached,
 * the unassigned, the agents with their duty and load, and the clocks due soonest — computed now from the
 * requests and their clocks (not from rollups), through the open-request indexes. The arithmetic is live-wall.ts.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { transact, type Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { compiledOf } from '../calendars/service.js';
import { clocks } from '../clocks/schema.js';
import { calendarsOf } from '../clocks/service.js';
import { staff, teamMembers, teams } from '../org/schema.js';
import { onDuty } from '../requests/duty.js';
import { requests } from '../requests/schema.js';
import * as C from './drill-contracts.js';
import { summarizeWall, teamOfPerson } from './live-wall.js';
import { READ_PERMISSION } from './service.js';

/** Written as the open-request indexes' predicate, so the planner uses them (requests/schema.ts). */
const OPEN = sql.raw(`"requests"."state" NOT IN ('archived', 'merged')`);
/** Clocks counting down (a paused clock does not), written as the predicate of clocks_open_idx. */
const COUNTING = sql.raw(`"clocks"."state" IN ('running', 'breached')`);
/** Roles that take requests (as routing's duty pick). */
const DESK_ROLES = ['agent', 'team_lead'];

/** The live wall of a team, or of every request in the reader's scope. */
export async function kpiLive(ctx: Ctx, input: unknown): Promise<C.KpiLiveView> {
  authorize(ctx, READ_PERMISSION);
  const q = parse(C.KpiLiveQuery, input);
  const now = ctx.now();
  const branch = branchFilter(ctx.actor);
  const team = q.team ?? null;
  return transact(ctx, async (t) => {
    const db = t.tx;
    if (team) {
      const [row] = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, team), eq(teams.orgId, t.orgId)));
      if (!row) throw new AppError('not_found', { entity: 'team' });
    }
    // A branch-scoped reader sees their branch's requests, in any team.
    const scope: SQL[] = [eq(requests.orgId, t.orgId), OPEN];
    if (branch) scope.push(eq(requests.branchId, branch));
    if (team) scope.push(eq(requests.teamId, team));
    // One statement at a time: they share the transaction's connection.
    const open = await db.select({ id: requests.id, state: requests.state, assigneeId: requests.assigneeId }).from(requests).where(and(...scope));
    const clockRows = await db
      .select({ requestId: clocks.subjectId, kind: clocks.kind, state: clocks.state, dueAt: clocks.dueAt, warningAt: clocks.warningAt })
      .from(clocks)
      .innerJoin(requests, and(eq(sql`${requests.id}::text`, clocks.subjectId), eq(requests.orgId, clocks.orgId)))
      .where(and(eq(clocks.orgId, t.orgId), eq(clocks.subjectType, 'request'), COUNTING, ...scope));
    const members = await db
      .select({ staffId: teamMembers.staffId, teamId: teamMembers.teamId, joinedAt: teamMembers.addedAt })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(staff, eq(staff.id, teamMembers.staffId))
      .where(and(
        eq(teams.orgId, t.orgId), eq(staff.active, true), inArray(staff.role, DESK_ROLES),
        ...(team ? [eq(teams.id, team)] : [eq(teams.active, true), ...(branch ? [eq(teams.branchId, branch)] : [])]),
      ));
    const wall = summarizeWall(open, clockRows, now);
    // People: the desk's members, and whoever else holds its open requests (with the teams they belong to).
    const memberIds = new Set(members.map((m) => m.staffId));
    const others = [...wall.byAssignee.keys()].filter((id) => !memberIds.has(id));
    const people = [...memberIds, ...others];
    const soonIds = [...new Set(wall.soonest.map((s) => s.requestId))];
    const staffRows = people.length ? await db.select({ id: staff.id, name: staff.displayName, dutyCalendarId: staff.dutyCalendarId }).from(staff).where(and(eq(staff.orgId, t.orgId), inArray(staff.id, people))) : [];
    const otherMemberships = others.length
      ? await db.select({ staffId: teamMembers.staffId, teamId: teamMembers.teamId, joinedAt: teamMembers.addedAt }).from(teamMembers).where(and(eq(teamMembers.orgId, t.orgId), inArray(teamMembers.staffId, others)))
      : [];
    const soonRows = soonIds.length ? await db.select({ id: requests.id, number: requests.number, subject: requests.subject, assigneeId: requests.assigneeId }).from(requests).where(and(eq(requests.orgId, t.orgId), inArray(requests.id, soonIds))) : [];
    const calendars = await calendarsOf(t);
    const teamOf = teamOfPerson([...members, ...otherMemberships], team);
    const nameOf = new Map(staffRows.map((s) => [s.id, s.name]));
    const dutyOf = (calendarId: string | null) => {
      const cal = (calendarId ? calendars.byId.get(calendarId) : undefined) ?? calendars.fallback;
      // No calendar at all: everyone is on duty (as routing assumes).
      return cal ? onDuty(compiledOf(cal), now) : true;
    };
    const agents = staffRows
      .map((s) => {
        const load = wall.byAssignee.get(s.id) ?? { open: 0, aboutToBreach: 0, breached: 0 };
        return { id: s.id, name: s.name, teamId: teamOf.get(s.id) ?? null, onDuty: dutyOf(s.dutyCalendarId), ...load };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || (a.id < b.id ? -1 : 1));
    const soon = new Map(soonRows.map((r) => [r.id, r]));
    return {
      at: now.toISOString(),
      open: wall.open,
      aboutToBreach: wall.aboutToBreach,
      breached: wall.breached,
      unassigned: wall.unassigned,
      agents,
      soonest: wall.soonest.flatMap((s) => {
        const r = soon.get(s.requestId);
        if (!r) return [];
        return [{ requestId: r.id, number: r.number, subject: r.subject, assigneeName: r.assigneeId ? (nameOf.get(r.assigneeId) ?? null) : null, clockKind: s.kind, dueAt: s.dueAt.toISOString(), state: s.state }];
      }),
    };
  });
}
