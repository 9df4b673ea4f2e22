import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { outbox } from '../../core/db/schema.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import { requestMessages } from '../requests/schema.js';
import * as R from '../requests/service.js';
import { surveys } from './schema.js';
import { issueSurveyTx, surveyTokenHash } from './surveys.js';
import { writeSectionTx } from './settings-store.js';

export async function toFeedback(desk: Desk, input: Record<string, unknown>) {
  const r = await R.registerRequest(desk.agent1.ctx, { type: 'service_request', subject: '宽带报修', assigneeId: desk.agent1.staff.id, teamId: desk.team.id, ...input });
  for (const action of ['analyse', 'start_handling'] as const) await R.transitionRequest(desk.agent1.ctx, r.id, { action });
  await R.transitionRequest(desk.agent1.ctx, r.id, { action: 'deliver_result', result: '已修复' });
  return r;
}

const surveysOf = (desk: Desk, requestId: string) => desk.org.app.database.db.select().from(surveys).where(and(eq(surveys.orgId, desk.org.orgId), eq(surveys.requestId, requestId)));
const outboxOf = (desk: Desk) => desk.org.app.database.db.select().from(outbox).where(eq(outbox.orgId, desk.org.orgId));

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
    const { evaluations } = await import('./schema.js');
    const rows = await desk.org.app.database.db.select().from(evaluations).where(eq(evaluations.requestId, r.id));
    expect(rows).toMatchObject([{ source: 'portal', level: 2, resolved: true, comment: '太慢', agentId: desk.agent1.staff.id }]);
  });
});
