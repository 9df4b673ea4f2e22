/**
 * The demo organization seeded on the first start of an empty embedded database (and by `pledge seed-demo`).
 * Everything is created through the services, so the demo's audit log reads like real use.
 * The people and customers are invented; their sign-ins are documented in the README.
 */
import { eq } from 'drizzle-orm';
import { systemCtx, type App } from '../core/context.js';
import { organizations, staff } from '../core/db/schema.js';
import type { Role } from '../core/policy.js';
import { applyHolidayYears, createCalendar } from '../modules/calendars/service.js';
import { decideStep, publishVersion, submitForReview, updateDraft } from '../modules/commitments/service.js';
import { lastFullPeriods } from '../modules/commitments/public-figures.js';
import { createFromTemplate } from '../modules/commitments/template-service.js';
import { seedDemoCalls } from './calls.js';
import { seedDemoEvaluations } from './evaluations.js';
import { seedDemoCallbacks } from './callbacks.js';
import { seedDemoCorrective } from './corrective.js';
import { seedDemoFeedback } from './feedback.js';
import { seedDemoHistory } from './history.js';
import { KpiRollupWorker } from '../jobs/kpi-rollup.js';
import { generateMonthlyReport } from '../modules/reports/service.js';
import { seedDemoDesk } from './requests.js';
import { actorOf } from '../modules/org/auth.js';
import { createCustomer } from '../modules/org/customers.js';
import { createStaff } from '../modules/org/staff.js';
import { createBranch, createDepartment, createOrganization, createTeam, updateOrganization, updateTeam } from '../modules/org/structure.js';

export const DEMO_ORG_CODE = 'demo';
export const DEMO_PASSWORD = 'Pledge2026';

interface Person {
  username: string;
  displayName: string;
  role: Role;
  branch: 'HQ' | 'EAST' | 'WEST';
  department?: string;
  teams?: string[];
  phone?: string;
}

const PEOPLE: Person[] = [
  { username: 'admin', displayName: '王建国', role: 'admin', branch: 'HQ', department: '综合管理部' },
  { username: 'manager', displayName: '李文静', role: 'manager', branch: 'HQ', department: '客户服务部' },
  { username: 'supervisor', displayName: '赵敏', role: 'supervisor', branch: 'HQ', department: '质量监督部' },
  { username: 'lead', displayName: '陈志强', role: 'team_lead', branch: 'HQ', department: '客户服务部', teams: ['热线服务组', '专项小组'], phone: '13901012233' },
  { username: 'auditor', displayName: '孙立华', role: 'auditor', branch: 'HQ', department: '综合管理部' },
  { username: 'zhangwei', displayName: '张伟', role: 'agent', branch: 'HQ', department: '客户服务部', teams: ['热线服务组', '专项小组'], phone: '13811021188' },
  { username: 'liuyang', displayName: '刘洋', role: 'agent', branch: 'HQ', department: '客户服务部', teams: ['热线服务组'] },
  { username: 'yangfan', displayName: '杨帆', role: 'agent', branch: 'HQ', department: '客户服务部', teams: ['在线服务组'] },
  { username: 'huangli', displayName: '黄丽', role: 'agent', branch: 'HQ', department: '客户服务部', teams: ['在线服务组', '专项小组'] },
  { username: 'zhoujie', displayName: '周杰', role: 'agent', branch: 'EAST', department: '城东营业厅', teams: ['城东窗口组'] },
  { username: 'wuting', displayName: '吴婷', role: 'agent', branch: 'EAST', department: '城东营业厅', teams: ['城东窗口组'] },
  { username: 'xulei', displayName: '徐磊', role: 'agent', branch: 'EAST', department: '城东营业厅', teams: ['城东窗口组'] },
  { username: 'guofang', displayName: '郭芳', role: 'agent', branch: 'WEST', department: '城西营业厅', teams: ['城西窗口组'] },
  { username: 'hejing', displayName: '何静', role: 'agent', branch: 'WEST', department: '城西营业厅', teams: ['城西窗口组'] },
  { username: 'machao', displayName: '马超', role: 'agent', branch: 'WEST', department: '城西营业厅', teams: ['城西窗口组'] },
];

const CUSTOMERS = [
  { name: '刘桂兰', phone: '13812341188', flags: ['elderly'] as const, notes: '独居老人，来电请放慢语速' },
  { name: '陈晓明', phone: '13955556666', flags: ['vip'] as const },
  { name: '周海燕', phone: '13600001234', flags: [] as const, email: 'zhouhy@example.cn' },
  { name: '吴国庆', phone: '13787654321', flags: ['disabled'] as const, notes: '听障，优先文字沟通' },
  { name: '郑丽华', phone: '18612345678', flags: [] as const, idNumber: '11010519491231002X' },
  { name: '王志刚', phone: '15011112222', flags: ['elderly', 'vip'] as const },
];

/** Seeds the demo organization; returns false when it already exists. */
export async function seedDemo(app: App): Promise<boolean> {
  const db = app.database.db;
  const [existing] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.code, DEMO_ORG_CODE));
  if (existing) return false;
  const base = { app, now: () => new Date(), requestId: null, ip: null, locale: 'zh-CN' as const };
  const { organization, headOffice } = await createOrganization(base, {
    code: DEMO_ORG_CODE,
    name: '华信公共服务有限公司',
    headOffice: { code: 'HQ', name: '总部' },
  });
  const ctx = systemCtx(app, organization.id);
  const east = await createBranch(ctx, { code: 'EAST', name: '城东分公司', address: '江城市城东区解放路 88 号', phone: '027-85550101' });
  const west = await createBranch(ctx, { code: 'WEST', name: '城西分公司', address: '江城市城西区中山大道 216 号', phone: '027-85550202' });
  const branchIds = { HQ: headOffice.id, EAST: east.id, WEST: west.id };

  const departmentIds = new Map<string, string>();
  for (const [branch, name] of [['HQ', '客户服务部'], ['HQ', '质量监督部'], ['HQ', '综合管理部'], ['EAST', '城东营业厅'], ['WEST', '城西营业厅']] as const) {
    departmentIds.set(name, (await createDepartment(ctx, { branchId: branchIds[branch], name })).id);
  }
  const teamIds = new Map<string, string>();
  for (const [branch, department, name, kind] of [
    ['HQ', '客户服务部', '热线服务组', 'regular'],
    ['HQ', '客户服务部', '在线服务组', 'regular'],
    ['HQ', '客户服务部', '专项小组', 'special'],
    ['EAST', '城东营业厅', '城东窗口组', 'regular'],
    ['WEST', '城西营业厅', '城西窗口组', 'regular'],
  ] as const) {
    teamIds.set(name, (await createTeam(ctx, { branchId: branchIds[branch], departmentId: departmentIds.get(department), name, kind })).id);
  }

  const created = await Promise.all(
    PEOPLE.map((p) =>
      createStaff(ctx, {
        username: p.username,
        displayName: p.displayName,
        role: p.role,
        branchId: branchIds[p.branch],
        departmentId: p.department ? departmentIds.get(p.department) : null,
        teamIds: (p.teams ?? []).map((t) => teamIds.get(t)!),
        email: `${p.username}@demo.pledge.local`,
        phone: p.phone ?? null,
        password: DEMO_PASSWORD,
        scope: p.role === 'manager' ? 'organization' : undefined,
      }),
    ),
  );
  const lead = created.find((s) => s.username === 'lead')!;
  for (const team of ['热线服务组', '专项小组']) await updateTeam(ctx, teamIds.get(team)!, { leadId: lead.id });

  for (const c of CUSTOMERS) await createCustomer(ctx, { ...c, flags: [...c.flags] });

  const office = [['09:00', '12:00'], ['13:30', '18:00']];
  const head = await createCalendar(ctx, { name: '总部办公时间', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: {} }, { isDefault: true });
  await applyHolidayYears(ctx, head.id, { years: [2025, 2026] });
  const allDay = [['00:00', '24:00']];
  await createCalendar(ctx, { name: '7×24 服务热线', timeZone: 'Asia/Shanghai', week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, overrides: {} }, { holidayRegion: null });
  const hall = [['09:00', '17:00']];
  const eastHall = await createCalendar(ctx, { name: '城东营业厅（周六营业）', timeZone: 'Asia/Shanghai', week: { mon: hall, tue: hall, wed: hall, thu: hall, fri: hall, sat: hall, sun: [] }, overrides: {} });
  await applyHolidayYears(ctx, eastHall.id, { years: [2025, 2026] });

  await updateOrganization(ctx, {
    publicProfile: {
      phone: '027-12345（7×24 服务热线）', email: 'service@huaxin.example.cn', address: '江城市江汉区建设大道 100 号 总部客户服务中心',
      hours: '营业厅：周一至周五 9:00–17:00，城东营业厅周六照常营业', intro: '华信公共服务有限公司向社会公开服务承诺，接受社会各界监督。',
    },
  });
  // One commitment in force, taken through the whole approval procedure by the demo people.
  const staffRows = await app.database.db.select().from(staff).where(eq(staff.orgId, organization.id));
  const as = (username: string) => ({ ...ctx, actor: actorOf(staffRows.find((p) => p.username === username)!) });
  const letter = await createFromTemplate(as('manager'), 'efficient-response', { number: 'HX-FW-2026-01', values: { orgName: '华信公共服务有限公司' } });
  await updateDraft(as('manager'), letter.id, { effectiveFrom: '2026-01-01', responsibleDepartmentId: departmentIds.get('客户服务部')! });
  await submitForReview(as('manager'), letter.id);
  await decideStep(as('supervisor'), letter.id, 'internal_evaluation', { decision: 'approved', comment: '时限与现有人力匹配，建议通过。' });
  await decideStep(as('manager'), letter.id, 'joint_meeting', { decision: 'approved', comment: '客户服务部、质量监督部、综合管理部联席会议审议通过。' });
  await decideStep(as('admin'), letter.id, 'decision_body', { decision: 'approved', comment: '经理办公会批准。' });
  await publishVersion(as('admin'), letter.id);
  // A second letter still being drafted.
  await createFromTemplate(as('manager'), 'online-offline', { number: 'HX-FW-2026-02', values: { orgName: '华信公共服务有限公司' } });
  await seedDemoDesk({ ctx, as, teamIds, branchIds, staffIds: new Map(staffRows.map((p) => [p.username, p.id])) });
  await seedDemoCalls(ctx, as);
  await seedDemoCallbacks(ctx, as);
  await seedDemoCorrective(ctx, as);
  await seedDemoEvaluations(ctx, as);
  await seedDemoFeedback(ctx, as);
  await seedDemoHistory(ctx, as);
  // The seeded days are rolled up now (the job would within seconds), so the figures show on first load.
  await new KpiRollupWorker(app).runOnce();
  // Last month's report, as the manager's "generate now" (the schedule owes none to an organization created this
  // month), so the reports page has a workbook to open on first visit.
  await generateMonthlyReport(as('manager'), { month: lastFullPeriods(new Date(), 'Asia/Shanghai').month.key });
  return true;
}
