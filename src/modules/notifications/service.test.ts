import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { EventBus, type DomainEvent } from '../../core/events.js';
import type { App, Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { outbox } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { ClockWatcher } from '../../jobs/clock-watcher.js';
import { NotificationDispatcher } from '../../jobs/notification-dispatcher.js';
import { createCalendar } from '../calendars/service.js';
import { createApiToken } from '../org/auth.js';
import { updateStaff } from '../org/staff.js';
import { updateTeam } from '../org/structure.js';
import * as R from '../requests/service.js';
import { notifications, requestSettings } from '../requests/schema.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { buildOrg, buildStaff, ctxAs, engine, openTestDatabase, TEST_PASSWORD, testApp } from '../../test/harness.js';
import { createAction } from '../corrective-actions/service.js';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from './service.js';

const at = (s: string) => new Date(s);

/** The desk's people acting at a movable instant, plus a watcher and a dispatcher reading the same clock. */
function desk$(desk: Desk, start: string) {
  let now = at(start);
  const app = desk.org.app;
  const as = (p: { actor: Ctx['actor'] }) => ctxAs(app, p.actor, { now: () => now });
  return {
    set: (iso: string) => (now = at(iso)),
    agent1: as(desk.agent1),
    agent2: as(desk.agent2),
    lead: as(desk.lead),
    admin: as(desk.admin),
    watcher: new ClockWatcher(app, { now: () => now }),
    dispatcher: new NotificationDispatcher(app, { now: () => now }),
  };
}

async function withEmails(desk: Desk) {
  for (const [key, p] of Object.entries({ agent1: desk.agent1, agent2: desk.agent2, lead: desk.lead, manager: desk.manager, supervisor: desk.supervisor, specialist: desk.specialist })) {
    await updateStaff(desk.admin.ctx, p.staff.id, { email: `${key}.${desk.org.code}@example.com` });
  }
}

async function rowsOf(desk: Desk) {
  return desk.org.app.database.db.select().from(notifications).where(eq(notifications.orgId, desk.org.orgId)).orderBy(asc(notifications.createdAt), asc(notifications.kind), asc(notifications.recipientId));
}

async function emailsOf(app: App, orgId: string) {
  return app.database.db.select().from(outbox).where(and(eq(outbox.orgId, orgId), eq(outbox.kind, 'email'))).orderBy(asc(outbox.id));
}

function captured(app: App, orgId: string, type = 'notification.created') {
  const events: DomainEvent[] = [];
  const off = app.bus.subscribe(type, (e) => void (e.orgId === orgId && events.push(e)));
  return { events, off };
}

const who = (desk: Desk, id: string) => Object.entries({ agent1: desk.agent1, agent2: desk.agent2, lead: desk.lead, manager: desk.manager, supervisor: desk.supervisor, specialist: desk.specialist, admin: desk.admin }).find(([, p]) => p.staff.id === id)?.[0] ?? id;

describe('notifications: clocks and duty hours', () => {
  it('a warning at 10:00 on a working day notifies the assignee at once, live and by e-mail in their language', async () => {
    const desk = await buildDesk();
    await withEmails(desk);
    await updateStaff(desk.admin.ctx, desk.agent1.staff.id, { locale: 'en-US' });
    // Tuesday 13 January 2026; first response PT30M warns at 80 %: 09:36 + 24 min = 10:00.
    const d = desk$(desk, '2026-01-13T09:36:00+08:00');
    const r = await R.registerRequest(d.agent2, { type: 'service_request', channel: 'web', subject: '宽带报修', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    d.set('2026-01-13T10:00:00+08:00');
    await d.watcher.runOnce();
    const rows = await rowsOf(desk);
    expect(rows.map((n) => [n.kind, who(desk, n.recipientId), n.deliverAt.toISOString(), n.urgent])).toEqual([
      ['assigned', 'agent1', at('2026-01-13T09:36:00+08:00').toISOString(), false],
      ['clock.warning', 'agent1', at('2026-01-13T10:00:00+08:00').toISOString(), false],
    ]);
    expect(rows[1]!.params).toMatchObject({ number: r.number, subject: '宽带报修', clockKind: 'first_response', dueAt: at('2026-01-13T10:06:00+08:00').toISOString() });

    const live = captured(desk.org.app, desk.org.orgId);
    expect(await d.dispatcher.runOnce()).toBeGreaterThanOrEqual(2);
    await desk.org.app.bus.drain();
    live.off();
    expect(live.events.map((e) => [e.data?.recipientId, e.data?.kind])).toEqual([
      [desk.agent1.staff.id, 'assigned'],
      [desk.agent1.staff.id, 'clock.warning'],
    ]);
    const mails = await emailsOf(desk.org.app, desk.org.orgId);
    const warning = mails.find((m) => m.dedupeKey === `notification:${rows[1]!.id}`)!;
    const payload = warning.payload as { to: string; subject: string; text: string };
    expect(payload.to).toBe(`agent1.${desk.org.code}@example.com`);
    expect(payload.subject).toBe(`[${`测试组织 ${desk.org.code}`}] Request ${r.number}: the first response time limit is almost up`);
    expect(payload.text).toContain('runs out at 2026-01-13 10:06');
    expect(payload.text).toContain(`${desk.org.app.config.publicUrl}/requests/${r.id}`);
    expect(warning.nextAttemptAt).toEqual(at('2026-01-13T10:00:00+08:00'));
    // Delivered once: running again finds nothing of this desk.
    await d.dispatcher.runOnce();
    expect(await emailsOf(desk.org.app, desk.org.orgId)).toHaveLength(mails.length);
    expect((await rowsOf(desk)).every((n) => n.deliveredAt?.getTime() === at('2026-01-13T10:00:00+08:00').getTime())).toBe(true);
  });

  it('a breach at 22:00 of a general request waits for 09:00 of the next working day (the e-mail too); of a major one it goes at once', async () => {
    for (const priority of ['general', 'major'] as const) {
      const desk = await buildDesk();
      await withEmails(desk);
      // The special team gets a lead: an escalated request is theirs, so their lead is the breach chain's team lead.
      await updateTeam(desk.admin.ctx, desk.special.id, { leadId: desk.specialist.staff.id });
      // Friday 16 January 2026, 20:00: escalated at once, so the 7×24 emergency clock (PT2H) breaches at 22:00.
      const d = desk$(desk, '2026-01-16T20:00:00+08:00');
      const r = await R.registerRequest(d.agent1, { type: 'consultation', priority, channel: 'web', subject: '账单疑问', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
      await R.escalateRequest(d.agent1, r.id, { reason: '客户多次来电' });
      d.set('2026-01-16T22:00:00+08:00');
      await d.watcher.runOnce();
      await d.dispatcher.runOnce();
      const monday = at('2026-01-19T09:00:00+08:00');
      let rows = await rowsOf(desk);
      const expected = priority === 'general'
        ? { escalated: monday, breached: monday, delivered: false }
        : { escalated: at('2026-01-16T20:00:00+08:00'), breached: at('2026-01-16T22:00:00+08:00'), delivered: true };
      // The agent escalated it themselves: the escalation goes to the special team and the chain (the lead of
      // the team it came from, the manager), not to them.
      expect(rows.filter((n) => n.kind === 'escalated').map((n) => [who(desk, n.recipientId), n.urgent, n.deliverAt.toISOString()]).sort()).toEqual(
        ['lead', 'manager', 'specialist'].map((p) => [p, priority === 'major', expected.escalated.toISOString()]),
      );
      // The default breach ladder: assignee and team lead at once, the manager two hours later (00:00 Saturday).
      const breaches = rows.filter((n) => n.kind === 'clock.breached');
      const [managerBreach, firstBreaches] = [breaches.filter((n) => n.recipientId === desk.manager.staff.id), breaches.filter((n) => n.recipientId !== desk.manager.staff.id)];
      expect(firstBreaches.map((n) => who(desk, n.recipientId)).sort()).toEqual(['agent1', 'specialist']);
      expect(firstBreaches.every((n) => n.urgent === (priority === 'major') && n.deliverAt.getTime() === expected.breached.getTime())).toBe(true);
      expect(firstBreaches[0]!.params).toMatchObject({ clockKind: 'emergency_response', priority });
      expect(firstBreaches.every((n) => (n.deliveredAt !== null) === expected.delivered)).toBe(true);
      expect(managerBreach).toHaveLength(1);
      expect(managerBreach[0]!).toMatchObject({ deliveredAt: null, deliverAt: priority === 'general' ? monday : at('2026-01-17T00:00:00+08:00'), params: { afterMinutes: 120 } });

      if (priority === 'major') {
        d.set('2026-01-17T00:00:00+08:00');
        await d.dispatcher.runOnce();
        rows = await rowsOf(desk);
        expect(rows.find((n) => n.id === managerBreach[0]!.id)!.deliveredAt).toEqual(at('2026-01-17T00:00:00+08:00'));
      }
      if (priority === 'general') {
        expect(await emailsOf(desk.org.app, desk.org.orgId)).toHaveLength(0);
        d.set('2026-01-19T09:00:00+08:00');
        await d.dispatcher.runOnce();
        rows = await rowsOf(desk);
        expect(rows.every((n) => n.deliveredAt?.getTime() === monday.getTime())).toBe(true);
      }
      const mails = await emailsOf(desk.org.app, desk.org.orgId);
      expect(mails).toHaveLength(rows.length);
      const agentBreach = rows.find((n) => n.kind === 'clock.breached' && n.recipientId === desk.agent1.staff.id)!;
      const mail = mails.find((m) => m.dedupeKey === `notification:${agentBreach.id}`)!;
      expect(mail.nextAttemptAt).toEqual(expected.breached);
      const payload = mail.payload as { subject: string; text: string };
      expect(payload.subject).toContain(`工单 ${r.number} 的“应急响应”已超时`);
      expect(payload.subject.startsWith('[紧急] ')).toBe(priority === 'major');
      expect(payload.text).toContain('已于 2026-01-16 22:00 超时');
    }
  });

  it("a person's own duty calendar decides (editable through the staff API, the organization's calendars only)", async () => {
    const desk = await buildDesk();
    const view = await updateStaff(desk.admin.ctx, desk.agent1.staff.id, { dutyCalendarId: desk.hotlineCal.id });
    expect(view.dutyCalendarId).toBe(desk.hotlineCal.id);
    const other = await buildOrg(desk.org.app);
    const otherAdmin = await buildStaff(other, 'admin');
    const foreign = await createCalendar(otherAdmin.ctx, { name: '别家', timeZone: 'Asia/Shanghai', week: { mon: [['00:00', '24:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, overrides: {} });
    const error = await updateStaff(desk.admin.ctx, desk.agent2.staff.id, { dutyCalendarId: foreign.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'org.invalid_reference', details: { field: 'dutyCalendarId' } });

    const d = desk$(desk, '2026-01-16T20:00:00+08:00');
    const r = await R.registerRequest(d.agent2, { type: 'consultation', channel: 'web', subject: '夜间咨询', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await R.escalateRequest(d.agent2, r.id, { reason: '需要专项处理' });
    d.set('2026-01-16T22:00:00+08:00');
    await d.watcher.runOnce();
    const breaches = (await rowsOf(desk)).filter((n) => n.kind === 'clock.breached');
    // agent1 is on a 7×24 duty: told at 22:00; the manager keeps office hours (the special team has no lead).
    expect(Object.fromEntries(breaches.map((n) => [who(desk, n.recipientId), n.deliverAt.toISOString()]))).toEqual({
      agent1: at('2026-01-16T22:00:00+08:00').toISOString(),
      manager: at('2026-01-19T09:00:00+08:00').toISOString(),
    });
    // Cleared: back to the organization's default calendar.
    expect((await updateStaff(desk.admin.ctx, desk.agent1.staff.id, { dutyCalendarId: null })).dutyCalendarId).toBeNull();
  });
});

describe('notifications: corrective actions', () => {
  it('the e-mail of a raised corrective action links to the action (it has no request)', async () => {
    const desk = await buildDesk();
    await withEmails(desk);
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const action = await createAction(ctxAs(desk.org.app, desk.supervisor.actor, { now: () => at('2026-01-13T10:00:00+08:00') }), { finding: '窗口服务用语不规范', teamId: desk.team.id, ownerId: desk.agent2.staff.id });
    await d.dispatcher.runOnce();
    const mails = await emailsOf(desk.org.app, desk.org.orgId);
    const mail = mails.find((m) => (m.payload as { to: string }).to === `agent2.${desk.org.code}@example.com`);
    expect((mail?.payload as { text: string } | undefined)?.text).toContain(`查看整改：${desk.org.app.config.publicUrl}/corrective-actions/${action.id}`);
  });
});

describe('notifications: the ladder (later steps of a chain)', () => {
  /** Tuesday 13 January 2026: registered 14:00 with agent1, first response (PT30M) breaches at 14:30; +2 h is 16:30, on duty. */
  async function breachAt1430(desk: Desk) {
    const d = desk$(desk, '2026-01-13T14:00:00+08:00');
    const r = await R.registerRequest(d.agent2, { type: 'service_request', channel: 'web', subject: '宽带报修', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    d.set('2026-01-13T14:30:00+08:00');
    await d.watcher.runOnce();
    await d.dispatcher.runOnce();
    return { d, r };
  }
  const breachesOf = async (desk: Desk) => (await rowsOf(desk)).filter((n) => n.kind === 'clock.breached');

  it('a breach tells the assignee and the lead at once, the manager two hours later if the request is still open', async () => {
    const desk = await buildDesk();
    const { d } = await breachAt1430(desk);
    let breaches = await breachesOf(desk);
    expect(breaches.map((n) => [who(desk, n.recipientId), n.deliverAt.toISOString(), n.deliveredAt?.toISOString() ?? null]).sort()).toEqual([
      ['agent1', at('2026-01-13T14:30:00+08:00').toISOString(), at('2026-01-13T14:30:00+08:00').toISOString()],
      ['lead', at('2026-01-13T14:30:00+08:00').toISOString(), at('2026-01-13T14:30:00+08:00').toISOString()],
      ['manager', at('2026-01-13T16:30:00+08:00').toISOString(), null],
    ]);
    // Not yet: one hour later the manager has heard nothing.
    d.set('2026-01-13T15:30:00+08:00');
    await d.dispatcher.runOnce();
    expect((await breachesOf(desk)).find((n) => n.recipientId === desk.manager.staff.id)!.deliveredAt).toBeNull();
    const live = captured(desk.org.app, desk.org.orgId);
    d.set('2026-01-13T16:30:00+08:00');
    await d.dispatcher.runOnce();
    await desk.org.app.bus.drain();
    live.off();
    breaches = await breachesOf(desk);
    const manager = breaches.find((n) => n.recipientId === desk.manager.staff.id)!;
    expect(manager).toMatchObject({ deliveredAt: at('2026-01-13T16:30:00+08:00'), createdAt: at('2026-01-13T16:30:00+08:00'), params: { clockKind: 'first_response', afterMinutes: 120 } });
    expect(live.events.map((e) => [e.data?.recipientId, e.data?.kind])).toEqual([[desk.manager.staff.id, 'clock.breached']]);
    // The manager's bell shows it, unread.
    const page = await listNotifications(ctxAs(desk.org.app, desk.manager.actor), {});
    expect(page.unreadCount).toBe(1);
    expect(page.items[0]).toMatchObject({ id: manager.id, kind: 'clock.breached' });
  });

  it('a result delivered within the two hours: the manager is never told (the step is dropped, nothing unread)', async () => {
    const desk = await buildDesk();
    const { d, r } = await breachAt1430(desk);
    d.set('2026-01-13T15:00:00+08:00');
    await R.transitionRequest(d.lead, r.id, { action: 'analyse' });
    await R.transitionRequest(d.agent1, r.id, { action: 'start_handling' });
    await R.transitionRequest(d.agent1, r.id, { action: 'deliver_result', result: '已上门修复，线路恢复正常。' });
    const live = captured(desk.org.app, desk.org.orgId);
    d.set('2026-01-13T16:30:00+08:00');
    expect(await d.dispatcher.runOnce()).toBeGreaterThanOrEqual(1);
    await desk.org.app.bus.drain();
    live.off();
    expect(live.events.filter((e) => e.data?.recipientId === desk.manager.staff.id)).toEqual([]);
    expect((await breachesOf(desk)).map((n) => who(desk, n.recipientId)).sort()).toEqual(['agent1', 'lead']);
    expect((await rowsOf(desk)).every((n) => n.deliveredAt !== null)).toBe(true);
    expect((await emailsOf(desk.org.app, desk.org.orgId)).length).toBe(0); // nobody here has an e-mail address
    expect((await listNotifications(ctxAs(desk.org.app, desk.manager.actor), {})).unreadCount).toBe(0);
  });

  it('a later step outside the manager\'s duty hours waits for the duty, unless urgent', async () => {
    for (const priority of ['general', 'urgent'] as const) {
      const desk = await buildDesk();
      // Tuesday 17:00: the first response is due 17:30; the manager's step falls at 19:30, after office hours.
      const d = desk$(desk, '2026-01-13T17:00:00+08:00');
      await R.registerRequest(d.agent2, { type: 'service_request', priority, channel: 'web', subject: '晚间报修', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
      d.set('2026-01-13T17:30:00+08:00');
      await d.watcher.runOnce();
      const manager = (await breachesOf(desk)).find((n) => n.recipientId === desk.manager.staff.id)!;
      expect(manager.deliverAt).toEqual(priority === 'urgent' ? at('2026-01-13T19:30:00+08:00') : at('2026-01-14T09:00:00+08:00'));
      expect(manager.urgent).toBe(priority === 'urgent');
      d.set('2026-01-13T19:30:00+08:00');
      await d.dispatcher.runOnce();
      expect((await breachesOf(desk)).find((n) => n.id === manager.id)!.deliveredAt !== null).toBe(priority === 'urgent');
      if (priority === 'general') {
        d.set('2026-01-14T09:00:00+08:00');
        await d.dispatcher.runOnce();
        expect((await breachesOf(desk)).find((n) => n.id === manager.id)!.deliveredAt).toEqual(at('2026-01-14T09:00:00+08:00'));
      }
    }
  });

  it('an escalation step is dropped once the special team acknowledges; kept while it has not', async () => {
    for (const acknowledge of [true, false]) {
      const desk = await buildDesk();
      await R.updateRequestSettings(desk.admin.ctx, { notifyChain: { warning: ['assignee'], breach: ['assignee'], escalation: ['team_lead', { role: 'manager', afterMinutes: 30 }] } });
      const d = desk$(desk, '2026-01-13T10:00:00+08:00');
      const r = await R.registerRequest(d.agent1, { type: 'complaint', channel: 'web', subject: '多次投诉', teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
      await R.escalateRequest(d.agent1, r.id, { reason: '客户情绪激动' });
      const specialist = ctxAs(desk.org.app, desk.specialist.actor, { now: () => at('2026-01-13T10:10:00+08:00') });
      if (acknowledge) await R.acknowledgeEscalation(specialist, r.id);
      d.set('2026-01-13T10:30:00+08:00');
      await d.dispatcher.runOnce();
      const escalated = (await rowsOf(desk)).filter((n) => n.kind === 'escalated');
      expect(escalated.map((n) => who(desk, n.recipientId)).sort()).toEqual(acknowledge ? ['lead', 'specialist'] : ['lead', 'manager', 'specialist']);
      expect(escalated.every((n) => n.deliveredAt !== null)).toBe(true);
    }
  });

  it('settings stored in the earlier shape (plain roles) still read, and tell everyone at once', async () => {
    const desk = await buildDesk();
    const db = desk.org.app.database.db;
    await db.update(requestSettings).set({ notifyChain: { warning: ['assignee'], breach: ['assignee', 'team_lead', 'manager'], escalation: ['team_lead'] } }).where(eq(requestSettings.orgId, desk.org.orgId));
    const view = await R.getRequestSettings(desk.admin.ctx);
    expect(view.notifyChain).toEqual({
      warning: [{ role: 'assignee', afterMinutes: 0 }],
      breach: [{ role: 'assignee', afterMinutes: 0 }, { role: 'team_lead', afterMinutes: 0 }, { role: 'manager', afterMinutes: 0 }],
      escalation: [{ role: 'team_lead', afterMinutes: 0 }],
    });
    await breachAt1430(desk);
    const breaches = await breachesOf(desk);
    expect(breaches.map((n) => who(desk, n.recipientId)).sort()).toEqual(['agent1', 'lead', 'manager']);
    expect(breaches.every((n) => n.deliveredAt?.getTime() === at('2026-01-13T14:30:00+08:00').getTime() && n.params.afterMinutes === undefined)).toBe(true);
  });

  it('the API takes both shapes, answers steps, and refuses delays out of range with a code', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    try {
      const { token } = await createApiToken(desk.admin.ctx, { name: '通知链', scopes: ['request.read', 'request.configure'] });
      const put = (notifyChain: unknown) => server.inject({ method: 'PUT', url: '/api/v1/request-settings', headers: { authorization: `Bearer ${token}` }, payload: { notifyChain } });
      const ok = await put({ warning: ['assignee'], breach: ['assignee', { role: 'manager', afterMinutes: 60 }], escalation: [{ role: 'team_lead' }] });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().notifyChain).toEqual({
        warning: [{ role: 'assignee', afterMinutes: 0 }],
        breach: [{ role: 'assignee', afterMinutes: 0 }, { role: 'manager', afterMinutes: 60 }],
        escalation: [{ role: 'team_lead', afterMinutes: 0 }],
      });
      for (const afterMinutes of [-5, 10_081, 1.5]) {
        const bad = await put({ warning: [], breach: [{ role: 'manager', afterMinutes }], escalation: [] });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
        expect(JSON.stringify(bad.json())).toContain('notifyChain.breach.0.afterMinutes');
      }
      const unknownRole = await put({ warning: ['ceo'], breach: [], escalation: [] });
      expect(unknownRole.statusCode).toBe(400);
      await expect(R.updateRequestSettings(desk.admin.ctx, { notifyChain: { warning: [], breach: [{ role: 'manager', afterMinutes: -1 }], escalation: [] } })).rejects.toMatchObject({ code: 'validation_failed' });
      expect((await R.getRequestSettings(desk.admin.ctx)).notifyChain.breach).toEqual([{ role: 'assignee', afterMinutes: 0 }, { role: 'manager', afterMinutes: 60 }]);
    } finally {
      await server.close();
    }
  });
});

describe('notifications: escalation, assignment, mentions', () => {
  it('an urgent fault escalated at registration tells the special team and the configured chain at once, never the actor, never the inactive', async () => {
    const desk = await buildDesk();
    await R.updateRequestSettings(desk.admin.ctx, { notifyChain: { warning: ['assignee'], breach: ['assignee'], escalation: ['assignee', 'team_lead', 'manager', 'supervisor'] } });
    const { deactivateStaff } = await import('../org/staff.js');
    await deactivateStaff(desk.admin.ctx, desk.manager.staff.id);
    const d = desk$(desk, '2026-01-16T23:00:00+08:00');
    // agent2 registers the fault and takes it: as the actor they are not told, though the chain names the assignee.
    const r = await R.registerRequest(d.agent2, { type: 'urgent_fault', channel: 'phone', subject: '机房断电', teamId: desk.team.id, assigneeId: desk.agent2.staff.id });
    expect(r.escalated).toBe(true);
    const rows = await rowsOf(desk);
    expect(rows.map((n) => [n.kind, who(desk, n.recipientId), n.urgent, n.deliverAt.toISOString()]).sort()).toEqual(
      [
        ['escalated', 'lead', true, at('2026-01-16T23:00:00+08:00').toISOString()],
        ['escalated', 'specialist', true, at('2026-01-16T23:00:00+08:00').toISOString()],
        ['escalated', 'supervisor', true, at('2026-01-16T23:00:00+08:00').toISOString()],
      ].sort(),
    );
    expect(rows[0]!.params).toMatchObject({ number: r.number, type: 'urgent_fault', reason: 'auto: urgent_fault', actorName: desk.agent2.actor.name });
  });

  it('assignment tells the new assignee (not someone taking it themselves); a transfer says so', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const mine = await R.registerRequest(d.agent2, { type: 'consultation', channel: 'web', subject: '自己接' });
    await R.assignRequest(d.agent2, mine.id, { assigneeId: desk.agent2.staff.id });
    expect(await rowsOf(desk)).toHaveLength(0);
    const r = await R.registerRequest(d.agent2, { type: 'consultation', channel: 'web', subject: '分派给他人' });
    await R.transitionRequest(d.lead, r.id, { action: 'analyse' });
    await R.assignRequest(d.lead, r.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id });
    await R.assignRequest(d.lead, r.id, { teamId: desk.team.id, assigneeId: desk.agent1.staff.id }); // unchanged: nobody new to tell
    await R.transitionRequest(d.agent1, r.id, { action: 'start_handling' });
    d.set('2026-01-13T10:05:00+08:00');
    await R.assignRequest(d.lead, r.id, { assigneeId: desk.agent2.staff.id, reason: '换班' });
    const rows = await rowsOf(desk);
    expect(rows.map((n) => [n.kind, who(desk, n.recipientId), n.params.transfer, n.params.actorName])).toEqual([
      ['assigned', 'agent1', 0, desk.lead.actor.name],
      ['assigned', 'agent2', 1, desk.lead.actor.name],
    ]);
  });

  it('@mentions in a note tell the mentioned (not the author mentioning themselves)', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const r = await R.registerRequest(d.agent1, { type: 'complaint', channel: 'web', subject: '服务态度投诉' });
    const note = await R.addMessage(d.agent1, r.id, { kind: 'note', body: '@组长 @小王 请看一下这个投诉，客户要求今天回电。', mentions: [desk.lead.staff.id, desk.agent2.staff.id, desk.agent1.staff.id] });
    const rows = await rowsOf(desk);
    expect(rows.map((n) => [n.kind, who(desk, n.recipientId)]).sort()).toEqual([['mention', 'agent2'], ['mention', 'lead']]);
    expect(rows[0]!.params).toMatchObject({ messageId: note.id, excerpt: '@组长 @小王 请看一下这个投诉，客户要求今天回电。', actorName: desk.agent1.actor.name, number: r.number });
    expect(rows.every((n) => !n.urgent && n.deliverAt.getTime() === at('2026-01-13T10:00:00+08:00').getTime())).toBe(true);
  });
});

describe('notifications: reading them', () => {
  let server: FastifyInstance;
  beforeAll(async () => {
    server = await buildServer(await testApp(), { web: false });
  });
  afterAll(async () => server.close());

  it('lists mine newest first with the unread count, marks one and all read (GET/POST /api/v1/notifications…)', async () => {
    const desk = await buildDesk();
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const r = await R.registerRequest(d.agent1, { type: 'consultation', channel: 'web', subject: '提醒测试' });
    for (let i = 1; i <= 3; i++) {
      d.set(`2026-01-13T10:0${i}:00+08:00`);
      await R.addMessage(d.agent1, r.id, { kind: 'note', body: `第 ${i} 条`, mentions: [desk.agent2.staff.id] });
    }
    // One more, not yet delivered: it is not shown.
    d.set('2026-01-13T12:30:00+08:00');
    await R.addMessage(d.agent1, r.id, { kind: 'note', body: '午休时的备注', mentions: [desk.agent2.staff.id] });
    d.set('2026-01-13T12:31:00+08:00');
    await d.dispatcher.runOnce();

    const signIn = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: desk.agent2.username, password: TEST_PASSWORD } });
    const cookie = `pledge_session=${signIn.cookies.find((c) => c.name === 'pledge_session')!.value}`;
    const call = (method: 'GET' | 'POST', url: string) => server.inject({ method, url: `/api/v1${url}`, headers: { cookie } });

    let res = await call('GET', '/notifications?limit=2');
    expect(res.statusCode).toBe(200);
    let page = res.json();
    expect(page.unreadCount).toBe(3);
    expect(page.items.map((n: { params: { excerpt: string } }) => n.params.excerpt)).toEqual(['第 3 条', '第 2 条']);
    expect(page.items[0]).toMatchObject({ kind: 'mention', requestId: r.id, urgent: false, readAt: null });
    res = await call('GET', `/notifications?limit=2&cursor=${page.nextCursor}`);
    expect(res.json().items.map((n: { params: { excerpt: string } }) => n.params.excerpt)).toEqual(['第 1 条']);
    expect(res.json().nextCursor).toBeNull();

    const events = captured(desk.org.app, desk.org.orgId, 'notification.read');
    res = await call('POST', `/notifications/${page.items[0].id}/read`);
    expect(res.statusCode).toBe(200);
    expect(res.json().readAt).not.toBeNull();
    res = await call('GET', '/notifications?unread=true');
    expect(res.statusCode, res.body).toBe(200);
    page = res.json();
    expect(page.unreadCount).toBe(2);
    expect(page.items).toHaveLength(2);
    expect((await call('POST', '/notifications/read-all')).json()).toEqual({ updated: 2 });
    expect((await call('GET', '/notifications')).json().unreadCount).toBe(0);
    await desk.org.app.bus.drain();
    events.off();
    expect(events.events.map((e) => e.data?.recipientId)).toEqual([desk.agent2.staff.id, desk.agent2.staff.id]);

    // Someone else's notification is not found; a bad cursor is a validation error.
    const theirs = await server.inject({ method: 'POST', url: `/api/v1/notifications/${page.items[0]?.id ?? (await rowsOf(desk))[0]!.id}/read`, headers: { cookie: `pledge_session=${(await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: desk.lead.username, password: TEST_PASSWORD } })).cookies.find((c) => c.name === 'pledge_session')!.value}` } });
    expect(theirs.statusCode).toBe(404);
    expect((await call('GET', '/notifications?cursor=nonsense')).statusCode).toBe(400);
    // The services refuse anyone but staff.
    await expect(listNotifications(desk.org.system, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(markAllNotificationsRead(desk.org.system)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(markNotificationRead(desk.agent1.ctx, (await rowsOf(desk))[0]!.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('notification dispatcher', () => {
  it(`two dispatchers deliver each notification exactly once (${engine})`, async () => {
    const first = await testApp();
    const desk = await buildDesk(await buildOrg(first));
    const people = [];
    for (let i = 0; i < 10; i++) people.push(await buildStaff(desk.org, 'agent'));
    for (const [i, p] of people.entries()) await updateStaff(desk.admin.ctx, p.staff.id, { email: `p${i}.${desk.org.code}@example.com` });
    const d = desk$(desk, '2026-01-13T10:00:00+08:00');
    const r = await R.registerRequest(d.agent1, { type: 'consultation', channel: 'web', subject: '批量提醒' });
    for (let i = 0; i < 30; i++) await R.addMessage(d.agent1, r.id, { kind: 'note', body: `备注 ${i}`, mentions: people.map((p) => p.staff.id) });
    const ids = new Set((await rowsOf(desk)).map((n) => n.id));
    expect(ids.size).toBe(300);

    const secondDb = engine === 'postgres' ? await openTestDatabase() : first.database;
    const second: App = { ...first, database: secondDb, bus: new EventBus() };
    const seen = new Map<string, number>();
    const count = (e: DomainEvent) => {
      if (e.entityId && ids.has(e.entityId)) seen.set(e.entityId, (seen.get(e.entityId) ?? 0) + 1);
    };
    const offA = first.bus.subscribe('notification.created', count);
    const offB = second.bus.subscribe('notification.created', count);
    const now = () => at('2026-01-13T10:00:00+08:00');
    const a = new NotificationDispatcher(first, { now, batchSize: 20 });
    const b = new NotificationDispatcher(second, { now, batchSize: 20 });
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()]);
    await Promise.all([first.bus.drain(), second.bus.drain()]);
    offA();
    offB();
    expect(na + nb).toBeGreaterThanOrEqual(300);
    expect(seen.size).toBe(300);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const mails = await first.database.db.select({ key: outbox.dedupeKey }).from(outbox).where(inArray(outbox.dedupeKey, [...ids].map((id) => `notification:${id}`)));
    expect(mails).toHaveLength(300);
    expect(new Set(mails.map((m) => m.key)).size).toBe(300);
    if (secondDb !== first.database) await secondDb.close();
  });

  it('once started, wakes at once when an urgent notification is scheduled', async () => {
    const desk = await buildDesk();
    const app = desk.org.app;
    const dispatcher = new NotificationDispatcher(app, { maxSleepMs: 60_000 });
    const live = captured(app, desk.org.orgId);
    dispatcher.start();
    try {
      // Real time: an urgent fault's escalation is due at once whatever the hour, so the special team hears
      // of it within moments (the event `notifications.scheduled` wakes the dispatcher).
      await R.registerRequest(desk.agent1.ctx, { type: 'urgent_fault', channel: 'phone', subject: '主干光缆中断' });
      const deadline = Date.now() + 5_000;
      while (!live.events.some((e) => e.data?.recipientId === desk.specialist.staff.id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(live.events.find((e) => e.data?.recipientId === desk.specialist.staff.id)?.data).toMatchObject({ kind: 'escalated', urgent: true });
    } finally {
      await dispatcher.stop();
      live.off();
    }
  });
});
