/**
 * Survey invitations (满意度调查): when a request reaches feedback a survey goes out through the channel it
 * came from — an e-mail link, a chat prompt, an SMS text, or a QR code printed for a walk-in. The link
 * carries a random one-time token (only its SHA-256 is stored), expires after the configured time, gets one
 * reminder, and — if the organization chose it — counts as the stated default level after N days.
 * Answering records the evaluation (source survey); "not resolved" reopens the request.
 */
import { and, eq } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import type { TxCtx } from '../../core/context.js';
import { decrypt, maskPhone, randomToken, sha256 } from '../../core/crypto.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../core/i18n.js';
import { enqueue, enqueueSms } from '../../core/outbox.js';
import { guessLocale } from '../channels/email-parse.js';
import { customers, organizations } from '../org/schema.js';
import { requestEvent, type RequestRow } from '../requests/records.js';
import { requestMessages } from '../requests/schema.js';
import type { CustomerConfirmation, RequestStep } from '../requests/step-hooks.js';
import { recordEvaluationTx } from './evaluations.js';
import { surveys } from './schema.js';
import { surveySettingsOf, type SurveyChannel, type SurveySettings } from './survey-settings.js';

export type SurveyRow = typeof surveys.$inferSelect;
export type SurveyState = 'pending' | 'answered' | 'expired' | 'defaulted' | 'cancelled';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The hash a survey token is stored and looked up by. */
export function surveyTokenHash(token: string): string {
  return sha256(`survey:${token}`);
}

/** The public link of a survey token (`<public URL>/s/<token>`, the page in web/src/pages/survey). */
export function surveyLink(publicUrl: string, token: string): string {
  return `${publicUrl}/s/${token}`;
}

/** li***@example.com: enough to recognise the address in the record, not to reuse it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

export interface IssueSurveyInput {
  requestId?: string | null;
  campaignId?: string | null;
  customerId?: string | null;
  channel: SurveyChannel;
  /** Masked address it goes to, for the record. */
  sentTo?: string | null;
  /** Overrides the configured expiry (campaigns set their own). */
  expiresAt?: Date | null;
}

/**
 * The instants of a new survey from the settings: expiry, reminder (only if before expiry) and the default
 * (request surveys only; when on, the link works until the default is recorded).
 */
export function surveyInstants(settings: SurveySettings, sentAt: Date, options: { request: boolean; expiresAt?: Date | null }) {
  let expiresAt = options.expiresAt ?? new Date(sentAt.getTime() + settings.expiryHours * HOUR);
  let defaultAt: Date | null = null;
  if (options.request && settings.defaultAfterDays !== null && !options.expiresAt) {
    defaultAt = new Date(sentAt.getTime() + settings.defaultAfterDays * DAY);
    expiresAt = defaultAt;
  }
  const remind = settings.reminderAfterHours === null ? null : new Date(sentAt.getTime() + settings.reminderAfterHours * HOUR);
  const remindAt = remind && remind < expiresAt ? remind : null;
  return { expiresAt, remindAt, defaultAt };
}

/**
 * Creates a survey with a fresh one-time token inside the caller's transaction and returns it with the
 * token (never stored) and the public link. Sending is the caller's business.
 */
export async function issueSurveyTx(t: TxCtx, input: IssueSurveyInput): Promise<{ survey: SurveyRow; token: string; link: string }> {
  const settings = await surveySettingsOf(t.tx, t.orgId);
  const token = randomToken(24);
  const sentAt = t.now();
  const { expiresAt, remindAt, defaultAt } = surveyInstants(settings, sentAt, { request: !!input.requestId, expiresAt: input.expiresAt ?? null });
  const [row] = await t.tx
    .insert(surveys)
    .values({
      orgId: t.orgId,
      requestId: input.requestId ?? null,
      campaignId: input.campaignId ?? null,
      customerId: input.customerId ?? null,
      channel: input.channel,
      sentTo: input.sentTo ?? null,
      tokenHash: surveyTokenHash(token),
      state: 'pending',
      sentAt,
      expiresAt,
      remindAt,
      defaultAt,
      createdAt: sentAt,
      updatedAt: sentAt,
    })
    .returning();
  const survey = row!;
  await audit(t, {
    action: 'survey.issue',
    entityType: 'survey',
    entityId: survey.id,
    after: { requestId: survey.requestId, campaignId: survey.campaignId, channel: survey.channel, sentTo: survey.sentTo, expiresAt: survey.expiresAt, remindAt: survey.remindAt, defaultAt: survey.defaultAt },
  });
  await t.emit('survey.issued', { entityType: 'survey', entityId: survey.id, data: { requestId: survey.requestId, campaignId: survey.campaignId, channel: survey.channel } });
  return { survey, token, link: surveyLink(t.app.config.publicUrl, token) };
}

/** Closes the pending surveys of a request (answered elsewhere, reopened, replaced by a fresh QR code). */
export async function closePendingSurveysTx(t: TxCtx, requestId: string, state: Extract<SurveyState, 'answered' | 'cancelled'>, reason: string): Promise<number> {
  const at = t.now();
  const closed = await t.tx
    .update(surveys)
    .set({ state, updatedAt: at, ...(state === 'answered' ? { answeredAt: at } : {}) })
    .where(and(eq(surveys.orgId, t.orgId), eq(surveys.requestId, requestId), eq(surveys.state, 'pending')))
    .returning({ id: surveys.id });
  for (const s of closed) await audit(t, { action: state === 'answered' ? 'survey.answered_elsewhere' : 'survey.cancel', entityType: 'survey', entityId: s.id, before: { state: 'pending' }, after: { state, reason } });
  return closed.length;
}

// ---------- invitations ----------

interface Contact {
  email: string | null;
  phone: string | null;
}

async function contactOf(t: TxCtx, request: RequestRow): Promise<Contact> {
  let email = request.contactEmail;
  let phone = request.contactPhoneEnc ? decrypt(t.app.keys, request.contactPhoneEnc) : null;
  if ((!email || !phone) && request.customerId) {
    const [customer] = await t.tx.select({ email: customers.email, phoneEnc: customers.phoneEnc }).from(customers).where(eq(customers.id, request.customerId));
    email ??= customer?.email ?? null;
    if (!phone && customer?.phoneEnc) phone = decrypt(t.app.keys, customer.phoneEnc);
  }
  return { email, phone };
}

/**
 * The way a request's survey goes out: the channel it came from when that works (chat → chat prompt,
 * phone → SMS, walk-in → QR code, e-mail → e-mail), otherwise e-mail when an address is known, else SMS
 * when a phone is known; web and app requests rate on the portal's tracking page when nothing else is known.
 * Only channels the settings enable are used; null: no invitation.
 */
export function invitationChannel(requestChannel: string, contact: { email: boolean; phone: boolean }, enabled: readonly SurveyChannel[]): SurveyChannel | null {
  const on = (c: SurveyChannel) => enabled.includes(c);
  const preferred: SurveyChannel | null =
    requestChannel === 'chat' ? 'chat' : requestChannel === 'phone' && contact.phone ? 'sms' : requestChannel === 'walk_in' ? 'qr' : requestChannel === 'email' && contact.email ? 'email' : null;
  if (preferred && on(preferred)) return preferred;
  if (contact.email && on('email')) return 'email';
  if (contact.phone && on('sms')) return 'sms';
  return null;
}

async function orgOf(t: TxCtx) {
  const [org] = await t.tx.select({ name: organizations.name, locale: organizations.defaultLocale }).from(organizations).where(eq(organizations.id, t.orgId));
  return { name: org?.name ?? 'Pledge', locale: org && isLocale(org.locale) ? org.locale : DEFAULT_LOCALE };
}

export function invitationMail(locale: Locale, orgName: string, request: Pick<RequestRow, 'number' | 'subject'>, link: string, expiresAt: Date, reminder: boolean) {
  const until = expiresAt.toISOString().slice(0, 10);
  if (locale === 'zh-CN') {
    return {
      subject: `【${orgName}】${reminder ? '提醒：' : ''}请评价我们的服务（受理编号 ${request.number}）`,
      text: [
        '您好！', '',
        `您的服务请求“${request.subject}”（受理编号 ${request.number}）已处理完毕。请花一分钟评价我们的服务，并告诉我们问题是否已经解决：`, link, '',
        `链接只能使用一次，${until} 前有效。无需登录。`, '', orgName,
      ].join('\n'),
    };
  }
  return {
    subject: `[${orgName}] ${reminder ? 'Reminder: ' : ''}How did we do? (tracking number ${request.number})`,
    text: [
      'Hello,', '',
      `Your request "${request.subject}" (tracking number ${request.number}) has been handled. Please take a minute to rate our service and tell us whether your problem is solved:`, link, '',
      `The link works once, until ${until}. No account is needed.`, '', orgName,
    ].join('\n'),
  };
}

export function invitationSms(locale: Locale, orgName: string, number: string, link: string, reminder: boolean): string {
  if (locale === 'zh-CN') return `【${orgName}】${reminder ? '提醒：' : ''}您的服务请求（${number}）已处理完毕，请评价我们的服务：${link}`;
  return `${orgName}: ${reminder ? 'Reminder: ' : ''}your request ${number} has been handled. Please rate our service: ${link}`;
}

export function invitationChat(locale: Locale, link: string): string {
  if (locale === 'zh-CN') return `感谢您的耐心！请点击链接评价本次服务，并告诉我们问题是否已经解决：${link}`;
  return `Thank you for your patience! Please rate this conversation and tell us whether your problem is solved: ${link}`;
}

/** Sends an invitation (or its reminder) through its channel, inside the caller's transaction. */
async function deliverInvitation(t: TxCtx, request: RequestRow, survey: SurveyRow, link: string, to: string | null, reminder: boolean): Promise<void> {
  const org = await orgOf(t);
  const locale = guessLocale(`${request.subject}\n${request.description}`, org.locale);
  if (survey.channel === 'email' && to) {
    await enqueue(t, { kind: 'email', payload: { to, ...invitationMail(locale, org.name, request, link, survey.expiresAt, reminder), headers: { 'X-Pledge-Request': request.number, 'X-Pledge-Survey': survey.id } } });
  } else if (survey.channel === 'sms' && to) {
    await enqueueSms(t, { to, text: invitationSms(locale, org.name, request.number, link, reminder) });
  } else if (survey.channel === 'chat') {
    const [message] = await t.tx
      .insert(requestMessages)
      .values({ orgId: t.orgId, requestId: request.id, kind: 'reply', channel: 'chat', body: invitationChat(locale, link), authorName: org.name, mentions: [], createdAt: t.now() })
      .returning({ id: requestMessages.id });
    // The visitor's stream shows replies: the prompt reaches an open conversation live.
    await requestEvent(t, 'request.replied', request, { messageId: message!.id, kind: 'reply', mentions: [], channel: 'chat', survey: true });
  }
}

/**
 * Issues and sends the survey of a request that reached feedback. A walk-in's QR survey is issued (the
 * request page prints its code with a fresh token). Returns the survey, or null when no channel applies.
 */
export async function sendRequestSurveyTx(t: TxCtx, request: RequestRow): Promise<SurveyRow | null> {
  const settings = await surveySettingsOf(t.tx, t.orgId);
  const contact = await contactOf(t, request);
  const channel = invitationChannel(request.channel, { email: !!contact.email, phone: !!contact.phone }, settings.channels);
  if (!channel) return null;
  const to = channel === 'email' ? contact.email : channel === 'sms' ? contact.phone : null;
  const sentTo = channel === 'email' && to ? maskEmail(to) : channel === 'sms' && to ? maskPhone(to) : null;
  const { survey, link } = await issueSurveyTx(t, { requestId: request.id, customerId: request.customerId, channel, sentTo });
  await deliverInvitation(t, request, survey, link, to, false);
  return survey;
}

/**
 * A reminder with a fresh link (the old token is replaced: only the hash is kept, so the first link cannot
 * be sent again). QR surveys have nobody to remind.
 */
export async function remindSurveyTx(t: TxCtx, survey: SurveyRow, request: RequestRow | null): Promise<boolean> {
  if (survey.state !== 'pending' || survey.channel === 'qr' || survey.channel === 'portal' || !request) return false;
  const token = randomToken(24);
  const at = t.now();
  await t.tx.update(surveys).set({ tokenHash: surveyTokenHash(token), remindedAt: at, updatedAt: at }).where(eq(surveys.id, survey.id));
  const contact = await contactOf(t, request);
  const to = survey.channel === 'email' ? contact.email : survey.channel === 'sms' ? contact.phone : null;
  await deliverInvitation(t, request, survey, surveyLink(t.app.config.publicUrl, token), to, true);
  await audit(t, { action: 'survey.remind', entityType: 'survey', entityId: survey.id, after: { remindedAt: at, channel: survey.channel } });
  return true;
}

// ---------- the request's steps ----------

/** deliver_result → the survey goes out; reopen → the pending surveys are cancelled (a new one at the next feedback). */
export async function surveysAfterStep(t: TxCtx, step: RequestStep): Promise<void> {
  if (step.action === 'deliver_result') {
    await closePendingSurveysTx(t, step.after.id, 'cancelled', 'superseded');
    await sendRequestSurveyTx(t, step.after);
  } else if (step.action === 'reopen' || step.after.state === 'merged') {
    await closePendingSurveysTx(t, step.after.id, 'cancelled', step.action);
  }
}

/**
 * The portal's confirmation with a rating is the customer's rating (source portal; the portal's 1–5 stars
 * are the five levels: 5 非常满意 … 1 非常不满意), and a pending survey of the request is closed as answered
 * so the customer is not asked twice. A confirmation without a rating (not solved) records nothing.
 */
export async function surveysAfterConfirm(t: TxCtx, request: RequestRow, input: CustomerConfirmation): Promise<void> {
  if (input.rating === undefined || input.rating === null) {
    if (!input.solved) await closePendingSurveysTx(t, request.id, 'cancelled', 'reopen');
    return;
  }
  await closePendingSurveysTx(t, request.id, 'answered', 'portal');
  await recordEvaluationTx(t, { source: 'portal', requestId: request.id, level: input.rating, comment: input.comment ?? null, resolved: input.solved });
}

export const SURVEY_STATES: readonly SurveyState[] = ['pending', 'answered', 'expired', 'defaulted', 'cancelled'];
