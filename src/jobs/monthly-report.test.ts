/**
 * The monthly report's schedule with a moved clock: nothing before the report time; while the month's rollups are
 * still being recomputed it waits; then exactly one of two jobs (two app nodes on PostgreSQL) generates the report
 * and queues one e-mail to the managers with the workbook attached; a later run does nothing. Recipients from the
 * settings, a schedule turned off, an organization created this month.
 */
import { and, eq, like } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { App } from '../core/context.js';
import { outbox } from '../core/db/schema.js';
import { EventBus } from '../core/events.js';
import type { EmailPayload } from '../core/outbox.js';
import { deactivateStaff, updateStaff } from '../modules/org/staff.js';
import * as R from '../modules/requests/service.js';
import { dueAtIn, monthOf } from '../modules/reports/schedule.js';
import { monthlyReports } from '../modules/reports/schema.js';
import { updateReportSettings } from '../modules/reports/service.js';
import { buildDesk } from '../test/desk.js';
import { buildOrg, buildStaff, ctxAs, engine, openTestDatabase, testApp } from '../test/harness.js';
import { KpiRollupWorker } from './kpi-rollup.js';
import { MonthlyReportJob } from './monthly-report.js';

const ZONE = 'Asia/Shanghai';
const minutes = (n: number) => n * 60_000;

/** This month (of the real clock, when the test organizations are created) and the instant next month's report time comes. */
function months() {
  const month = monthOf(new Date(), ZONE);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { month, next, dueAt: dueAtIn(next, ZONE, { enabled: true, day: 1, time: '08:00' }), thisMonthDue: dueAtIn(month, ZONE, { enabled: true, day: 1, time: '08:00' }) };
}

describe('monthly report job', () => {
  it(`generates last month's report once, after the report time and the rollups, and mails it to the managers (${engine})`, async () => {
    const { month, dueAt } = months();
    const desk = await buildDesk();
    const db = desk.org.app.database.db;
    await updateStaff(desk.org.system, desk.manager.staff.id, { email: 'manager@example.cn' });
    const second = await buildStaff(desk.org, 'manager', { scope: 'organization' });
    await updateStaff(desk.org.system, second.staff.id, { email: 'deputy@example.cn' });
    const former = await buildStaff(desk.org, 'manager', { scope: 'organization' });
    await updateStaff(desk.org.system, former.staff.id, { email: 'former@example.cn' });
    await deactivateStaff(desk.org.system, former.staff.id);
    await updateStaff(desk.org.system, desk.supervisor.staff.id, { email: 'supervisor@example.cn' });
    // A request in the month, rolled up.
    const inMonth = new Date(new Date(`${month}-10T10:00:00+08:00`).getTime());
    const agent = ctxAs(desk.org.app, desk.agent1.actor, { now: () => inMonth });
    await R.registerRequest(agent, { type: 'complaint', channel: 'web', subject: '投诉', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
    await new KpiRollupWorker(desk.org.app).runOnce();

    const other = await buildOrg();
    await updateReportSettings(other.system, { recipients: ['ops@example.cn'] });
    const off = await buildOrg();
    await updateReportSettings(off.system, { enabled: false });
    const orgIds = [desk.org.orgId, other.orgId, off.orgId];
    const job = (app: App, at: Date) => new MonthlyReportJob(app, { orgIds, now: () => at });

    // Not before 08:00 on the 1st, local time.
    expect(await job(desk.org.app, new Date(dueAt.getTime() - minutes(5))).runOnce()).toEqual([]);

    // A day of the month still waiting for the rollup job: the report waits (within half an hour of its time).
    await R.registerRequest({ ...agent, now: () => new Date(inMonth.getTime() + minutes(60)) }, { type: 'consultation', channel: 'phone', subject: '咨询', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
    const waiting = await job(desk.org.app, new Date(dueAt.getTime() + minutes(5))).runOnce();
    expect(waiting.find((r) => r.orgId === desk.org.orgId)).toEqual({ orgId: desk.org.orgId, month, status: 'deferred' });
    expect(waiting.find((r) => r.orgId === other.orgId)).toMatchObject({ status: 'generated', mailedTo: ['ops@example.cn'] });
    expect(waiting.some((r) => r.orgId === off.orgId)).toBe(false);
    await new KpiRollupWorker(desk.org.app).runOnce();

    // Two jobs at once — on PostgreSQL two app nodes with their own connections: one generates, the other finds it taken.
    const first = await testApp();
    const node2: App = { ...first, database: engine === 'postgres' ? await openTestDatabase() : first.database, bus: new EventBus() };
    try {
      const at = new Date(dueAt.getTime() + minutes(6));
      const [a, b] = await Promise.all([job(first, at).runOnce(), job(node2, at).runOnce()]);
      const mine = [...a, ...b].filter((r) => r.orgId === desk.org.orgId);
      expect(mine.filter((r) => r.status === 'generated')).toEqual([{ orgId: desk.org.orgId, month, status: 'generated', mailedTo: ['deputy@example.cn', 'manager@example.cn'] }]);
      expect(mine.every((r) => r.status === 'generated' || r.status === 'taken')).toBe(true);
      // Later runs (any node) find the report stored.
      expect(await job(node2, new Date(dueAt.getTime() + minutes(20))).runOnce()).toEqual([]);
      expect(await job(first, new Date(dueAt.getTime() + minutes(60 * 24 * 3))).runOnce()).toEqual([]);
    } finally {
      if (node2.database !== first.database) await node2.database.close();
    }

    const stored = await db.select().from(monthlyReports).where(eq(monthlyReports.orgId, desk.org.orgId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ month, status: 'ready', generatedBy: null, locale: 'zh-CN', mailedTo: ['deputy@example.cn', 'manager@example.cn'], claimToken: null, leaseUntil: null });
    expect(stored[0]!.generatedAt).toEqual(new Date(dueAt.getTime() + minutes(6)));

    // One e-mail, to the active managers, with the workbook attached — the very file stored.
    const mails = await db.select().from(outbox).where(and(eq(outbox.orgId, desk.org.orgId), like(outbox.dedupeKey, 'monthly-report:%')));
    expect(mails).toHaveLength(1);
    const payload = mails[0]!.payload as EmailPayload;
    expect(payload.to).toEqual(['deputy@example.cn', 'manager@example.cn']);
    expect(payload.subject).toContain(desk.org.code);
    expect(payload.subject).toMatch(/^【月度报告】.* \d{4}年\d{1,2}月服务报告$/);
    expect(payload.text).toContain('- 投诉件数：1（上月 0）');
    expect(payload.attachments).toHaveLength(1);
    const attachment = payload.attachments![0]!;
    expect(attachment.filename).toBe(`monthly-report-${desk.org.code}-${month}.xlsx`);
    const bytes = Buffer.from(attachment.content, 'base64');
    expect(Buffer.compare(bytes, stored[0]!.file!)).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '承诺达标', '按团队', '按坐席', '按渠道', '按类型', '每日']);
    const complaints = wb.getWorksheet('概览')!.getRows(3, 60)!.find((r) => r.getCell(1).value === '投诉件数')!;
    expect(complaints.getCell(2).value).toBe(1); // the second request is a consultation

    // The organization with the schedule off got nothing; the other one mailed its recipient list.
    expect(await db.select().from(monthlyReports).where(eq(monthlyReports.orgId, off.orgId))).toEqual([]);
    const otherMail = await db.select().from(outbox).where(and(eq(outbox.orgId, other.orgId), like(outbox.dedupeKey, 'monthly-report:%')));
    expect((otherMail[0]!.payload as EmailPayload).to).toEqual(['ops@example.cn']);
  }, 180_000);

  it('owes nothing for the month before an organization existed; a lapsed claim is taken over', async () => {
    const { month, thisMonthDue, dueAt } = months();
    const org = await buildOrg();
    // Created this month: the report of last month is not owed, even after this month's report time.
    expect(await new MonthlyReportJob(org.app, { orgIds: [org.orgId], now: () => new Date(Math.max(Date.now(), thisMonthDue.getTime()) + minutes(60)) }).runOnce()).toEqual([]);
    // A node that crashed while generating: its claim lapses and the next run takes the month over.
    const at = new Date(dueAt.getTime() + minutes(1));
    await org.app.database.db.insert(monthlyReports).values({ orgId: org.orgId, month, status: 'generating', locale: 'zh-CN', leaseUntil: new Date(at.getTime() + minutes(5)), claimToken: crypto.randomUUID(), createdAt: at });
    expect(await new MonthlyReportJob(org.app, { orgIds: [org.orgId], now: () => new Date(at.getTime() + minutes(2)) }).runOnce()).toEqual([]);
    expect(await new MonthlyReportJob(org.app, { orgIds: [org.orgId], now: () => new Date(at.getTime() + minutes(6)) }).runOnce()).toEqual([{ orgId: org.orgId, month, status: 'generated', mailedTo: [] }]);
    expect(await org.app.database.db.select({ status: monthlyReports.status }).from(monthlyReports).where(eq(monthlyReports.orgId, org.orgId))).toEqual([{ status: 'ready' }]);
  }, 120_000);
});
