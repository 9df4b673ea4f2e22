/**
 * A ready service desk for request tests: an office calendar (default, 2026 holidays), a 7×24 calendar, a
 * published commitment with the usual time limits, a front-line team with two agents and a lead, a special
 * team, and request settings naming it.
 */
import { applyHolidayYears, createCalendar } from '../modules/calendars/service.js';
import * as commitments from '../modules/commitments/service.js';
import { createTeam } from '../modules/org/structure.js';
import { updateRequestSettings } from '../modules/requests/service.js';
import { buildOrg, buildStaff, type TestOrg } from './harness.js';

const office = [['09:00', '12:00'], ['13:30', '18:00']];
const allDay = [['00:00', '24:00']];

/** The time limits of the test commitment (key → duration). */
export const DESK_TARGETS = {
  'first-response': 'PT30M', // every request, office hours
  'initial-solution': 'PT4H',
  resolution: 'P5D',
  'complaint-result': 'P3D',
  'next-reply': 'PT2H',
  emergency: 'PT2H', // from escalation, 7×24
} as const;

export async function buildDesk(existing?: TestOrg) {
  const org = existing ?? (await buildOrg());
  const admin = await buildStaff(org, 'admin');
  const manager = await buildStaff(org, 'manager', { scope: 'organization' });
  const supervisor = await buildStaff(org, 'supervisor', { scope: 'organization' });
  const lead = await buildStaff(org, 'team_lead');
  const agent1 = await buildStaff(org, 'agent');
  const agent2 = await buildStaff(org, 'agent');
  const specialist = await buildStaff(org, 'agent', { scope: 'organization' });

  const officeCal = await createCalendar(admin.ctx, { name: '办公时间', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: {} }, { isDefault: true });
  await applyHolidayYears(admin.ctx, officeCal.id, { years: [2026] });
  const hotlineCal = await createCalendar(admin.ctx, { name: '7×24', timeZone: 'Asia/Shanghai', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay])), overrides: {} }, { holidayRegion: null });

  const v = await commitments.createCommitment(manager.ctx, {
    number: `D-${org.code}`, title: '测试服务承诺', bodyZh: '正文',
    targets: [
      { kind: 'time_limit', key: 'first-response', name: { 'zh-CN': '首次响应', 'en-US': 'First response' }, start: 'request.registered', stop: 'first_response', duration: DESK_TARGETS['first-response'] },
      { kind: 'time_limit', key: 'initial-solution', name: { 'zh-CN': '初步方案' }, start: 'request.registered', stop: 'initial_solution', duration: DESK_TARGETS['initial-solution'] },
      { kind: 'time_limit', key: 'resolution', name: { 'zh-CN': '办结' }, start: 'request.registered', stop: 'resolved', duration: DESK_TARGETS.resolution, appliesTo: { requestTypes: ['consultation', 'service_request', 'suggestion', 'urgent_fault'] } },
      { kind: 'time_limit', key: 'complaint-result', name: { 'zh-CN': '投诉处理结果' }, start: 'complaint.registered', stop: 'result.delivered', duration: DESK_TARGETS['complaint-result'] },
      { kind: 'time_limit', key: 'next-reply', name: { 'zh-CN': '客户回复后答复' }, start: 'customer.replied', stop: 'next_reply', duration: DESK_TARGETS['next-reply'] },
      { kind: 'time_limit', key: 'emergency', name: { 'zh-CN': '应急响应' }, start: 'request.escalated', stop: 'emergency_response', duration: DESK_TARGETS.emergency, calendarId: hotlineCal.id },
    ],
  });
  await commitments.submitForReview(manager.ctx, v.id);
  await commitments.decideStep(supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
  await commitments.decideStep(manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
  await commitments.decideStep(admin.ctx, v.id, 'decision_body', { decision: 'approved' });
  await commitments.publishVersion(admin.ctx, v.id);

  const team = await createTeam(admin.ctx, { branchId: org.headOfficeId, name: '一线', leadId: lead.staff.id, memberIds: [lead.staff.id, agent1.staff.id, agent2.staff.id] });
  const special = await createTeam(admin.ctx, { branchId: org.headOfficeId, name: '专项小组', kind: 'special', memberIds: [specialist.staff.id] });
  await updateRequestSettings(admin.ctx, { specialTeamId: special.id });

  return { org, admin, manager, supervisor, lead, agent1, agent2, specialist, officeCal, hotlineCal, versionId: v.id, team, special };
}
export type Desk = Awaited<ReturnType<typeof buildDesk>>;
