import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { outbox } from '../../core/db/schema.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { requestMessages } from '../requests/schema.js';
import * as R from '../requests/service.js';
import { surveys } from './schema.js';
import { toFeedback } from './survey-fixtures.js';
import { AppError } from '../../core/errors.js';
import { requestDetail } from '../requests/queries.js';
import { recordEvaluationTx } from './evaluations.js';
import { listEvaluations, satisfaction } from './satisfaction-queries.js';
import { evaluations } from './schema.js';
import { SurveyWorker } from '../../jobs/survey-worker.js';
import { answerSurvey, invitationChannel, invitationMail, issueQrSurvey, issueSurveyTx, publicSurvey, resendSurvey, runSurveyDuties, surveyTokenHash, updateSurveySettings } from './surveys.js';

async function expectCode(p: Promise<unknown>, code: string) {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}
import { writeSectionTx } from './settings-store.js';


const surveysOf = (desk: Desk, requestId: string) => desk.org.app.database.db.select().from(surveys).where(and(eq(surveys.orgId, desk.org.orgId), eq(surveys.requestId, requestId)));
const outboxOf = (desk: Desk) => desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId)).orderBy(asc(outbox.id)); // in the order queued (PostgreSQL returns rows in no fixed order)

describe('issueSurveyTx', () => {
  it('stores only the hash of a random token and sets expiry, reminder and default from the settings', async () => {
    const desk = await buildDesk();
    const now = new Date('2026-11-23T10:00:00+08:00');
    const sys = { ...desk.org.system, now: () => now };
    await transact(sys, (t) => writeSectionTx(t, 'surveys', { expiryHours: 48, reminderAfterHours: 24, defaultAfterDays: null }));
    const r = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '咨询' });
    const a = await transact(sys, (t) => issueSurveyTx(t, { requestId: r.id, channel: 'email' }));
    const b = await transact(sys, (t) => issueSurveyTx(t, { requestId: r.id, channel: 'email' }));
    expect(a.token).not.toBe(b.token);
    expect(a.link).toBe(`${desk.org.app.config.publicUrl}/s/${a.token}`);
    expect(a.survey.tokenHash).toBe(surveyTokenHash(a.token));
    expect(a.survey.tokenHash).not.toContain(a.token);
    expect(a.survey).toMatchObject({ state: 'pending', expiresAt: new Date(now.getTime() + 48 * 3600_000), remindAt: new Date(now.getTime() + 24 * 3600_000), defaultAt: null });
    // The default, when on, closes the link when it is recorded; a reminder after the expiry is none.
    await transact(sys, (t) => writeSectionTx(t, 'surveys', { expiryHours: 24, reminderAfterHours: 72, defaultAfterDays: 2, defaultLevel: 4 }));
    const c = await transact(sys, (t) => issueSurveyTx(t, { requestId: r.id, channel: 'email' }));
    expect(c.survey).toMatchObject({ defaultAt: new Date(now.getTime() + 2 * 86400_000), expiresAt: new Date(now.getTime() + 2 * 86400_000), remindAt: null });
  });
});

describe('invitations at feedback', () => {
  it('e-mail request: a localized e-mail with the link is in the outbox, to the contact address, masked in the record', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'lisi@example.com', description: '网络断了' });
    const [s] = await surveysOf(desk, r.id);
    expect(s).toMatchObject({ channel: 'email', state: 'pending', sentTo: 'li***@example.com' });
    const mails = (await outboxOf(desk)).filter((m) => m.kind === 'email' && (m.payload as { headers?: Record<string, string> }).headers?.['X-Pledge-Survey'] === s!.id);
    expect(mails).toHaveLength(1);
    const p = mails[0]!.payload as { to: string; subject: string; text: string };
    expect(p.to).toBe('lisi@example.com');
    expect(p.subject).toContain('请评价');
    expect(p.text).toMatch(/\/s\/[A-Za-z0-9_-]{20,}/);
  });

  it('phone request: an SMS with the link is in the outbox, to the decrypted phone', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'phone', contactPhone: '13800138000' });
    const [s] = await surveysOf(desk, r.id);
    expect(s).toMatchObject({ channel: 'sms', sentTo: '138****8000' });
    const sms = (await outboxOf(desk)).filter((m) => m.kind === 'sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.payload).toMatchObject({ to: '13800138000' });
    expect((sms[0]!.payload as { text: string }).text).toMatch(/\/s\/[A-Za-z0-9_-]{20,}/);
  });

  it('chat request: the prompt with the link is a reply in the conversation', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'chat' });
    const [s] = await surveysOf(desk, r.id);
    expect(s).toMatchObject({ channel: 'chat' });
    const lines = await desk.org.app.database.db.select().from(requestMessages).where(eq(requestMessages.requestId, r.id));
    expect(lines.some((m) => m.kind === 'reply' && /\/s\/[A-Za-z0-9_-]{20,}/.test(m.body))).toBe(true);
  });

  it('walk-in: a QR survey is issued (nothing sent); no contact at all on the web: no survey; a disabled channel falls back', async () => {
    const desk = await buildDesk();
    const walkIn = await toFeedback(desk, { channel: 'walk_in' });
    expect(await surveysOf(desk, walkIn.id)).toMatchObject([{ channel: 'qr', state: 'pending' }]);
    const web = await toFeedback(desk, { channel: 'web' });
    expect(await surveysOf(desk, web.id)).toHaveLength(0);
    await transact(desk.org.system, (t) => writeSectionTx(t, 'surveys', { channels: ['email'] }));
    const phone = await toFeedback(desk, { channel: 'phone', contactPhone: '13800138000', contactEmail: 'w@example.com' });
    expect(await surveysOf(desk, phone.id)).toMatchObject([{ channel: 'email' }]);
  });

  it('reopen cancels the pending survey; the next feedback sends a new one', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'a@example.com' });
    await R.transitionRequest(desk.agent1.ctx, r.id, { action: 'reopen', reason: '客户来电说没修好' });
    expect(await surveysOf(desk, r.id)).toMatchObject([{ state: 'cancelled' }]);
    await R.transitionRequest(desk.agent1.ctx, r.id, { action: 'deliver_result', result: '再次修复' });
    const all = await surveysOf(desk, r.id);
    expect(all.map((s) => s.state).sort()).toEqual(['cancelled', 'pending']);
  });

  it('the portal confirmation records a portal rating and closes the pending survey as answered', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'a@example.com' });
    const row = await R.loadRequest(desk.org.app.database.db, desk.org.system, r.id);
    await transact(desk.org.system, (t) => R.customerConfirmTx(t, row, { solved: true, rating: 2, comment: '太慢' }));
    expect(await surveysOf(desk, r.id)).toMatchObject([{ state: 'answered' }]);
    const rows = await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.requestId, r.id));
    expect(rows).toMatchObject([{ source: 'portal', level: 2, resolved: true, comment: '太慢', agentId: desk.agent1.staff.id }]);
  });
});

/** The token of the latest survey e-mail to `to`. */
async function tokenMailedTo(desk: Desk, to: string): Promise<string> {
  const mails = (await outboxOf(desk)).filter((m) => m.kind === 'email' && (m.payload as { to: string }).to === to).sort((a, b) => a.id - b.id);
  const text = (mails.at(-1)!.payload as { text: string }).text;
  return /\/s\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
}

const visitor = { locale: 'zh-CN' as const, ip: '127.0.0.1', requestId: null };

describe('answering a survey', () => {
  it('records the rating once: a second answer is 410 survey.used; "resolved" archives the request', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'once@example.com' });
    const token = await tokenMailedTo(desk, 'once@example.com');
    const page = await publicSurvey(desk.org.app, token, visitor);
    expect(page).toMatchObject({ kind: 'request', requestNumber: r.number, askResolved: true, nps: false });
    expect(await answerSurvey(desk.org.app, token, { level: 4, attitude: 5, speed: 3, result: 4, comment: '还行', resolved: true, nps: 9 }, visitor)).toEqual({ ok: true, reopened: false });
    const db = desk.org.app.database.db;
    const rows = await db.select().from(evaluations).where(eq(evaluations.requestId, r.id));
    // NPS is off in the settings: not recorded.
    expect(rows).toMatchObject([{ source: 'survey', level: 4, attitude: 5, speed: 3, result: 4, nps: null, resolved: true, agentId: desk.agent1.staff.id }]);
    expect((await R.loadRequest(db, desk.org.system, r.id)).state).toBe('archived');
    await expectCode(answerSurvey(desk.org.app, token, { level: 1 }, visitor), 'survey.used');
    await expectCode(publicSurvey(desk.org.app, token, visitor), 'survey.used');
    await expectCode(publicSurvey(desk.org.app, 'x'.repeat(32), visitor), 'not_found');
    expect(await db.select().from(evaluations).where(eq(evaluations.requestId, r.id))).toHaveLength(1);
  });

  it('"not resolved" reopens the request with the comment as the reason', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'no@example.com' });
    const token = await tokenMailedTo(desk, 'no@example.com');
    expect(await answerSurvey(desk.org.app, token, { level: 2, comment: '网络还是断', resolved: false }, visitor)).toEqual({ ok: true, reopened: true });
    const detail = await requestDetail(desk.agent1.ctx, r.id);
    expect(detail.request).toMatchObject({ state: 'handling', reopenCount: 1, rating: 2 });
    expect(detail.timeline.some((e) => e.type === 'event' && e.kind === 'transition' && e.action === 'reopen' && e.reason === '网络还是断')).toBe(true);
    expect(await surveysOf(desk, r.id)).toMatchObject([{ state: 'answered' }]);
  });

  it('an expired link is 410 survey.expired and records nothing; a bad answer is 400 and leaves the link usable', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'late@example.com' });
    const token = await tokenMailedTo(desk, 'late@example.com');
    await expectCode(answerSurvey(desk.org.app, token, { level: 9 }, visitor), 'validation_failed');
    const [s] = await surveysOf(desk, r.id);
    const later = { ...visitor, now: () => new Date(s!.expiresAt.getTime() + 1000) };
    await expectCode(publicSurvey(desk.org.app, token, later), 'survey.expired');
    await expectCode(answerSurvey(desk.org.app, token, { level: 5 }, later), 'survey.expired');
    expect(await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.requestId, r.id))).toHaveLength(0);
    expect(await answerSurvey(desk.org.app, token, { level: 5 }, visitor)).toMatchObject({ ok: true });
  });
});

describe('the survey worker duties', () => {
  async function duties(desk: Desk, at: Date) {
    return transact({ ...desk.org.system, now: () => at }, (t) => runSurveyDuties(t, at, 500));
  }

  it('sends one reminder (a fresh link: the first stops working), then expires', async () => {
    const desk = await buildDesk();
    await transact(desk.org.system, (t) => writeSectionTx(t, 'surveys', { expiryHours: 240, reminderAfterHours: 72 }));
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'remind@example.com' });
    const first = await tokenMailedTo(desk, 'remind@example.com');
    const [s] = await surveysOf(desk, r.id);
    await duties(desk, new Date(s!.remindAt!.getTime() + 1000));
    const reminder = await tokenMailedTo(desk, 'remind@example.com');
    expect(reminder).not.toBe(first);
    await duties(desk, new Date(s!.remindAt!.getTime() + 2000));
    const mails = (await outboxOf(desk)).filter((m) => m.kind === 'email' && (m.payload as { to: string }).to === 'remind@example.com' && (m.payload as { headers?: Record<string, string> }).headers?.['X-Pledge-Survey']).sort((a, b) => a.id - b.id);
    expect(mails).toHaveLength(2);
    expect((mails.at(-1)!.payload as { subject: string }).subject).toContain('提醒');
    await expectCode(publicSurvey(desk.org.app, first, visitor), 'not_found');
    await duties(desk, new Date(s!.expiresAt.getTime() + 1000));
    expect(await surveysOf(desk, r.id)).toMatchObject([{ state: 'expired' }]);
    await expectCode(publicSurvey(desk.org.app, reminder, visitor), 'survey.expired');
  });

  it('records the stated default apart (source default): not on the request, counted apart in satisfaction', async () => {
    const desk = await buildDesk();
    await transact(desk.org.system, (t) => writeSectionTx(t, 'surveys', { defaultAfterDays: 7, defaultLevel: 5, reminderAfterHours: null }));
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'quiet@example.com' });
    const [s] = await surveysOf(desk, r.id);
    expect(s!.defaultAt).not.toBeNull();
    await duties(desk, new Date(s!.defaultAt!.getTime() + 1000));
    expect(await surveysOf(desk, r.id)).toMatchObject([{ state: 'defaulted' }]);
    const db = desk.org.app.database.db;
    expect(await db.select().from(evaluations).where(eq(evaluations.requestId, r.id))).toMatchObject([{ source: 'default', level: 5 }]);
    expect((await R.loadRequest(db, desk.org.system, r.id)).rating).toBeNull();
    const fig = await satisfaction(desk.manager.ctx, { requestId: r.id });
    expect(fig.rows[0]).toMatchObject({ count: 0, score: null, defaults: { count: 1, scoreWithDefaults: 5 } });
  });
});

describe('satisfaction queries and permissions', () => {
  it('groups by agent and by month with the weights of the settings; an agent reads, only a configurer saves settings', async () => {
    const desk = await buildDesk();
    await transact(desk.org.system, (t) => writeSectionTx(t, 'surveys', { weights: { survey: 60, callback: 40 } }));
    const r1 = await toFeedback(desk, { channel: 'email', contactEmail: 'a1@example.com' });
    const r2 = await R.registerRequest(desk.agent2.ctx, { type: 'consultation', channel: 'web', subject: 'x', assigneeId: desk.agent2.staff.id, teamId: desk.team.id });
    await transact(desk.org.system, async (t) => {
      await recordEvaluationTx(t, { source: 'survey', requestId: r1.id, level: 5 });
      await recordEvaluationTx(t, { source: 'callback', requestId: r1.id, level: 3 });
      await recordEvaluationTx(t, { source: 'portal', requestId: r2.id, level: 4 });
    });
    const byAgent = await satisfaction(desk.agent1.ctx, { groupBy: 'agent' });
    expect(byAgent).toMatchObject({ kind: 'personal', weights: { survey: 60, callback: 40 }, weightsFrom: 'settings' });
    const a1 = byAgent.rows.find((x) => x.key === desk.agent1.staff.id)!;
    expect(a1.score).toBeCloseTo(0.6 * 5 + 0.4 * 3, 10);
    expect(a1.label).toBe(desk.agent1.staff.displayName);
    expect(byAgent.rows.find((x) => x.key === desk.agent2.staff.id)).toMatchObject({ score: 4, satisfiedShare: 1 });
    const byMonth = await satisfaction(desk.manager.ctx, { groupBy: 'period', period: 'month' });
    expect(byMonth.rows).toHaveLength(1);
    expect(byMonth.rows[0]!.count).toBe(3);
    const list = await listEvaluations(desk.agent1.ctx, { agentId: desk.agent1.staff.id });
    expect(list.items.map((e) => e.source).sort()).toEqual(['callback', 'survey']);
    await expectCode(updateSurveySettings(desk.agent1.ctx, { nps: true }), 'forbidden');
    expect(await updateSurveySettings(desk.manager.ctx, { nps: true })).toMatchObject({ nps: true, satisfiedFromLevel: 3 });
    await expectCode(updateSurveySettings(desk.manager.ctx, { satisfiedFromLevel: 9 }), 'validation_failed');
  });

  it('QR for a walk-in: a fresh link and SVG each time, the previous one withdrawn; only staff who handle the request', async () => {
    const desk = await buildDesk();
    const r = await toFeedback(desk, { channel: 'walk_in' });
    const one = await issueQrSurvey(desk.agent1.ctx, { requestId: r.id });
    const two = await issueQrSurvey(desk.agent1.ctx, { requestId: r.id });
    expect(one.link).not.toBe(two.link);
    expect(two.qrSvg).toContain('<svg');
    const token = (l: string) => l.split('/s/')[1]!;
    await expectCode(publicSurvey(desk.org.app, token(one.link), visitor), 'survey.expired');
    expect(await publicSurvey(desk.org.app, token(two.link), visitor)).toMatchObject({ requestNumber: r.number });
    await expectCode(issueQrSurvey(desk.supervisor.ctx, { requestId: r.id }), 'forbidden');
  });
});

describe('resending', () => {
  it('sends a pending survey again with a fresh link (the old one stops working); not for a QR survey or another organization', async () => {
    const desk = await buildDesk();
    const other = await buildDesk();
    const r = await toFeedback(desk, { channel: 'phone', contactPhone: '13700001111' });
    const [s] = await surveysOf(desk, r.id);
    const texts = async () => (await outboxOf(desk)).filter((m) => m.kind === 'sms').map((m) => (m.payload as { text: string }).text);
    const first = /\/s\/([\w-]+)/.exec((await texts())[0]!)![1]!;
    expect(await resendSurvey(desk.agent1.ctx, s!.id)).toMatchObject({ id: s!.id, state: 'pending', channel: 'sms' });
    const all = await texts();
    expect(all).toHaveLength(2);
    const second = /\/s\/([\w-]+)/.exec(all[1]!)![1]!;
    expect(second).not.toBe(first);
    await expectCode(publicSurvey(desk.org.app, first, visitor), 'not_found');
    expect(await publicSurvey(desk.org.app, second, visitor)).toMatchObject({ requestNumber: r.number });
    await expectCode(resendSurvey(other.agent1.ctx, s!.id), 'not_found');
    const walkIn = await toFeedback(desk, { channel: 'walk_in' });
    const [qr] = await surveysOf(desk, walkIn.id);
    await expectCode(resendSurvey(desk.agent1.ctx, qr!.id), 'survey.not_request');
  });
});

describe('invitationChannel', () => {
  const all = ['email', 'sms', 'chat', 'qr'] as const;
  it.each([
    ['email', { email: true, phone: true }, all, 'email'],
    ['chat', { email: false, phone: false }, all, 'chat'],
    ['phone', { email: true, phone: true }, all, 'sms'],
    ['phone', { email: true, phone: false }, all, 'email'],
    ['walk_in', { email: true, phone: true }, all, 'qr'],
    ['web', { email: true, phone: true }, all, 'email'],
    ['web', { email: false, phone: true }, all, 'sms'],
    ['web', { email: false, phone: false }, all, null],
    ['phone', { email: false, phone: true }, ['email'], null],
    ['chat', { email: true, phone: false }, ['email', 'sms'], 'email'],
  ] as const)('%s with %o, enabled %o → %s', (channel, contact, enabled, expected) => {
    expect(invitationChannel(channel, contact, enabled)).toBe(expected);
  });
});

describe('SurveyWorker', () => {
  it('runs the due duties and sleeps until the next one', async () => {
    const desk = await buildDesk();
    await transact(desk.org.system, (t) => writeSectionTx(t, 'surveys', { reminderAfterHours: 1 }));
    const r = await toFeedback(desk, { channel: 'email', contactEmail: 'worker@example.com' });
    const [s] = await surveysOf(desk, r.id);
    const worker = new SurveyWorker(desk.org.app, { now: () => new Date(s!.remindAt!.getTime() + 1000) });
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);
    const [after] = await surveysOf(desk, r.id);
    expect(after!.remindedAt).not.toBeNull();
    const next = await worker.nextInstant();
    expect(next).not.toBeNull();
  });
});

describe('invitationMail', () => {
  it('states the last valid day in the organization time zone, in the customer language', () => {
    const at = new Date('2026-12-06T17:30:00Z'); // 7 December, 01:30 in Shanghai
    const zh = invitationMail('zh-CN', '华信', { number: 'N1', subject: '报修' }, 'https://x/s/t', at, false, 'Asia/Shanghai');
    expect(zh.text).toContain('2026-12-07 前有效');
    const en = invitationMail('en-US', 'Huaxin', { number: 'N1', subject: 'repair' }, 'https://x/s/t', at, true, 'Europe/London');
    expect(en.subject).toContain('Reminder');
    expect(en.text).toContain('until 2026-12-06');
  });
});
