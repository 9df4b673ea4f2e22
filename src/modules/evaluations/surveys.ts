/**
 * Survey invitations (满意度调查): when a request reaches feedback a survey goes out through the channel it
 * came from — an e-mail link, a chat prompt, an SMS text, or a QR code printed for a walk-in. The link
 * carries a random one-time token (only its SHA-256 is stored), expires after the configured time, gets one
 * reminder, and — if the organization chose it — counts as the stated default level after N days.
 * Answering records the evaluation (source survey); "not resolved" reopens the request.
 */
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { audit } from '../../core/audit.js';
import { transact, type App, type Ctx, type TxCtx } from '../../core/context.js';
import { decrypt, maskPhone, randomToken, sha256 } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../core/i18n.js';
import { enqueue, enqueueSms } from '../../core/outbox.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { guessLocale } from '../channels/email-parse.js';
import { customers, organizations } from '../org/schema.js';
import { loadRequest, requestEvent, resource, type RequestRow } from '../requests/records.js';
import { requestMessages, requests } from '../requests/schema.js';
import { customerConfirmTx, transitionTx } from '../requests/service.js';
import type { CustomerConfirmation, RequestStep } from '../requests/step-hooks.js';
import * as C from './contracts.js';
import { recordEvaluationTx } from './evaluations.js';
import { campaigns, surveys } from './schema.js';
import { writeSectionTx } from './settings-store.js';
import { SurveySettings as SurveySettingsSchema, surveySettingsOf, type SurveyChannel, type SurveySettings } from './survey-settings.js';

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
  // `at`: the first instant the survey worker has a duty (it wakes for it).
  const first = [survey.remindAt, survey.defaultAt, survey.expiresAt].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0]!;
  await t.emit('survey.issued', { entityType: 'survey', entityId: survey.id, data: { requestId: survey.requestId, campaignId: survey.campaignId, channel: survey.channel, at: first.toISOString() } });
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
  const [org] = await t.tx.select({ name: organizations.name, locale: organizations.defaultLocale, timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, t.orgId));
  return { name: org?.name ?? 'Pledge', locale: org && isLocale(org.locale) ? org.locale : DEFAULT_LOCALE, timeZone: org?.timeZone ?? 'Asia/Shanghai' };
}

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function invitationMail(locale: Locale, orgName: string, request: Pick<RequestRow, 'number' | 'subject'>, link: string, expiresAt: Date, reminder: boolean, timeZone = 'Asia/Shanghai') {
  const until = localDate(expiresAt, timeZone);
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
    await enqueue(t, { kind: 'email', payload: { to, ...invitationMail(locale, org.name, request, link, survey.expiresAt, reminder, org.timeZone), headers: { 'X-Pledge-Request': request.number, 'X-Pledge-Survey': survey.id } } });
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
  if (survey.state !== 'pending' || survey.channel === 'qr' || !request) return false;
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

// ---------- the public survey page ----------

export interface SurveyVisitor {
  locale: Locale;
  ip: string | null;
  requestId: string | null;
  now?: () => Date;
}

function publicCtxOf(app: App, orgId: string, visitor: SurveyVisitor): Ctx {
  return { app, actor: { kind: 'public', orgId, name: visitor.locale === 'en-US' ? 'Customer (survey)' : '客户（评价）' }, orgId, now: visitor.now ?? (() => new Date()), requestId: visitor.requestId, ip: visitor.ip, locale: visitor.locale };
}

/** The survey a token opens, or the reason it does not: unknown 404, used 410 survey.used, expired or withdrawn 410 survey.expired. */
function usable(survey: SurveyRow | undefined, now: Date): SurveyRow {
  if (!survey) throw new AppError('not_found', { entity: 'survey' });
  if (survey.state === 'answered' || survey.state === 'defaulted') throw new AppError('survey.used');
  if (survey.state !== 'pending' || survey.expiresAt.getTime() <= now.getTime()) throw new AppError('survey.expired');
  return survey;
}

async function surveyByToken(exec: Executor, token: string, lock = false): Promise<SurveyRow | undefined> {
  const q = exec.select().from(surveys).where(eq(surveys.tokenHash, surveyTokenHash(token)));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** What the survey page shows (no personal data: the request's number and subject only). */
export async function publicSurvey(app: App, token: unknown, visitor: SurveyVisitor): Promise<C.PublicSurvey> {
  const tok = C.SurveyToken.safeParse(token);
  const db = app.database.db;
  const survey = usable(tok.success ? await surveyByToken(db, tok.data) : undefined, (visitor.now ?? (() => new Date()))());
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, survey.orgId));
  const settings = await surveySettingsOf(db, survey.orgId);
  let request: { number: string; subject: string } | undefined;
  if (survey.requestId) [request] = await db.select({ number: requests.number, subject: requests.subject }).from(requests).where(eq(requests.id, survey.requestId));
  let campaign: { name: string; periodStart: Date; periodEnd: Date } | undefined;
  if (survey.campaignId) [campaign] = await db.select({ name: campaigns.name, periodStart: campaigns.periodStart, periodEnd: campaigns.periodEnd }).from(campaigns).where(eq(campaigns.id, survey.campaignId));
  return {
    orgName: org?.name ?? '',
    kind: survey.requestId ? 'request' : 'campaign',
    requestNumber: request?.number ?? null,
    requestSubject: request?.subject ?? null,
    campaignName: campaign?.name ?? null,
    periodStart: campaign?.periodStart.toISOString() ?? null,
    periodEnd: campaign?.periodEnd.toISOString() ?? null,
    nps: settings.nps,
    askResolved: !!survey.requestId,
    expiresAt: survey.expiresAt.toISOString(),
  };
}

/**
 * The customer's answer, once: records the rating (source survey; campaign surveys: campaign). For a request
 * in feedback, "resolved" confirms it (archived) and "not resolved" reopens it through the requests service,
 * the comment being the reason; an archived request is reopened alike.
 */
export async function answerSurvey(app: App, token: unknown, input: unknown, visitor: SurveyVisitor): Promise<{ ok: true; reopened: boolean }> {
  const tok = C.SurveyToken.safeParse(token);
  if (!tok.success) throw new AppError('not_found', { entity: 'survey' });
  const data = parse(C.SurveyAnswer, input);
  const found = await surveyByToken(app.database.db, tok.data);
  if (!found) throw new AppError('not_found', { entity: 'survey' });
  return transact(publicCtxOf(app, found.orgId, visitor), async (t) => {
    const survey = usable(await surveyByToken(t.tx, tok.data, true), t.now());
    const settings = await surveySettingsOf(t.tx, t.orgId);
    let reopened = false;
    let resolved: boolean | null = null;
    if (survey.requestId) {
      resolved = data.resolved ?? null;
      const row = await loadRequest(t.tx, t, survey.requestId, true);
      if (resolved !== null && row.state === 'feedback') {
        // The confirmation without a rating (the survey records its own): archive, or reopen with the comment as reason.
        await customerConfirmTx(t, row, { solved: resolved, comment: data.comment ?? null });
        reopened = !resolved;
      } else if (resolved === false && row.state === 'archived') {
        await transitionTx(t, row, { action: 'reopen', reason: data.comment || 'customer (survey): not resolved' });
        reopened = true;
      }
    }
    const at = t.now();
    await t.tx.update(surveys).set({ state: 'answered', answeredAt: at, updatedAt: at }).where(eq(surveys.id, survey.id));
    await audit(t, { action: 'survey.answer', entityType: 'survey', entityId: survey.id, before: { state: survey.state }, after: { state: 'answered', resolved, reopened } });
    await recordEvaluationTx(t, {
      source: survey.campaignId && !survey.requestId ? 'campaign' : 'survey',
      requestId: survey.requestId ?? undefined,
      surveyId: survey.id,
      campaignId: survey.campaignId ?? undefined,
      level: data.level,
      attitude: data.attitude ?? null,
      speed: data.speed ?? null,
      result: data.result ?? null,
      nps: settings.nps ? (data.nps ?? null) : null,
      comment: data.comment ?? null,
      resolved,
    });
    return { ok: true as const, reopened };
  });
}

// ---------- staff: list, resend, QR ----------

function present(row: SurveyRow, numbers: Map<string, string>): C.SurveyView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id, requestId: row.requestId, requestNumber: row.requestId ? (numbers.get(row.requestId) ?? null) : null, campaignId: row.campaignId,
    channel: row.channel as SurveyChannel, sentTo: row.sentTo, state: row.state as SurveyState, sentAt: row.sentAt.toISOString(), expiresAt: row.expiresAt.toISOString(),
    remindAt: iso(row.remindAt), remindedAt: iso(row.remindedAt), defaultAt: iso(row.defaultAt), answeredAt: iso(row.answeredAt),
  };
}

async function numbersOf(exec: Executor, rows: readonly SurveyRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.requestId).filter((id): id is string => !!id))];
  if (ids.length === 0) return new Map();
  const found = await exec.select({ id: requests.id, number: requests.number }).from(requests).where(inArray(requests.id, ids));
  return new Map(found.map((r) => [r.id, r.number]));
}

/** Surveys, newest first (a branch-scoped reader sees its branch's requests' surveys and the campaigns'). */
export async function listSurveys(ctx: Ctx, input: unknown): Promise<{ items: C.SurveyView[] }> {
  authorize(ctx, 'evaluation.read');
  const q = parse(C.SurveyListQuery, input);
  const db = ctx.app.database.db;
  if (q.requestId) {
    const row = await loadRequest(db, ctx, q.requestId);
    authorize(ctx, 'evaluation.read', resource(row));
  }
  const branch = branchFilter(ctx.actor);
  const where = [eq(surveys.orgId, ctx.orgId)];
  if (q.requestId) where.push(eq(surveys.requestId, q.requestId));
  if (q.campaignId) where.push(eq(surveys.campaignId, q.campaignId));
  if (q.state) where.push(eq(surveys.state, q.state));
  if (q.channel) where.push(eq(surveys.channel, q.channel));
  if (branch) where.push(sql`(${surveys.requestId} IS NULL OR ${surveys.requestId} IN (SELECT id FROM requests WHERE org_id = ${ctx.orgId} AND branch_id = ${branch}))`);
  const rows = await db.select().from(surveys).where(and(...where)).orderBy(desc(surveys.sentAt), desc(surveys.id)).limit(q.limit);
  const numbers = await numbersOf(db, rows);
  return { items: rows.map((r) => present(r, numbers)) };
}

async function requestSurvey(t: TxCtx, id: string): Promise<{ survey: SurveyRow; request: RequestRow }> {
  const [survey] = await t.tx.select().from(surveys).where(and(eq(surveys.id, id), eq(surveys.orgId, t.orgId))).for('update');
  if (!survey) throw new AppError('not_found', { entity: 'survey' });
  if (!survey.requestId) throw new AppError('survey.not_request');
  const request = await loadRequest(t.tx, t, survey.requestId);
  authorize(t, 'request.handle', resource(request), 'request.read');
  return { survey, request };
}

/** Sends a pending survey again with a fresh link (the old link stops working). */
export async function resendSurvey(ctx: Ctx, id: string): Promise<C.SurveyView> {
  return transact(ctx, async (t) => {
    const { survey, request } = await requestSurvey(t, id);
    if (survey.state !== 'pending' || survey.expiresAt <= t.now()) throw new AppError('survey.expired');
    if (survey.channel === 'qr') throw new AppError('survey.not_request');
    const token = randomToken(24);
    await t.tx.update(surveys).set({ tokenHash: surveyTokenHash(token), updatedAt: t.now() }).where(eq(surveys.id, survey.id));
    const contact = await contactOf(t, request);
    await deliverInvitation(t, request, survey, surveyLink(t.app.config.publicUrl, token), survey.channel === 'email' ? contact.email : survey.channel === 'sms' ? contact.phone : null, false);
    await audit(t, { action: 'survey.resend', entityType: 'survey', entityId: survey.id, after: { channel: survey.channel } });
    return present(survey, new Map([[request.id, request.number]]));
  });
}

/**
 * A printable QR code for a walk-in customer of a request in feedback (or archived): a fresh token each
 * time, the previous QR survey of the request withdrawn. Answers the link and the code as SVG.
 */
export async function issueQrSurvey(ctx: Ctx, input: unknown): Promise<C.SurveyLinkView> {
  const data = parse(C.QrIssue, input);
  const issued = await transact(ctx, async (t) => {
    const request = await loadRequest(t.tx, t, data.requestId, true);
    authorize(t, 'request.handle', resource(request), 'request.read');
    if (request.state !== 'feedback' && request.state !== 'archived') throw new AppError('request.not_awaiting_confirmation');
    await closePendingSurveysTx(t, request.id, 'cancelled', 'reprinted');
    const { survey, link } = await issueSurveyTx(t, { requestId: request.id, customerId: request.customerId, channel: 'qr', sentTo: null });
    return { survey: present(survey, new Map([[request.id, request.number]])), link };
  });
  return { ...issued, qrSvg: await QRCode.toString(issued.link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) };
}

// ---------- settings ----------

export async function getSurveySettings(ctx: Ctx): Promise<SurveySettings> {
  authorize(ctx, 'evaluation.read');
  return surveySettingsOf(ctx.app.database.db, ctx.orgId);
}

export async function updateSurveySettings(ctx: Ctx, input: unknown): Promise<SurveySettings> {
  authorize(ctx, 'evaluation.configure');
  const data = parse(SurveySettingsSchema, input);
  return transact(ctx, async (t) => {
    const before = await surveySettingsOf(t.tx, t.orgId);
    await writeSectionTx(t, 'surveys', data);
    await audit(t, { action: 'survey.settings', entityType: 'evaluation_settings', entityId: t.orgId, before: { ...before }, after: { ...data } });
    await t.emit('survey.settings_changed', { entityType: 'evaluation_settings', entityId: t.orgId });
    return data;
  });
}

// ---------- reminder, default, expiry (the survey worker) ----------

export const SURVEYS_SCHEDULED = 'survey.issued';

function inOrg(t: TxCtx, orgId: string): TxCtx {
  return { ...t, orgId, actor: { kind: 'system', orgId, name: 'surveys' }, emit: (type, event = {}) => t.emit(type, { ...event, orgId: event.orgId ?? orgId }) };
}

/**
 * One batch of due survey duties, in one transaction (rows claimed with SKIP LOCKED): stated defaults first
 * (recorded as source default at the organization's level, the survey `defaulted`), then the one reminder,
 * then expiry. Returns how many surveys were handled.
 */
export async function runSurveyDuties(t: TxCtx, now: Date, batchSize: number): Promise<number> {
  const due = await t.tx
    .select()
    .from(surveys)
    .where(and(eq(surveys.state, 'pending'), or(lte(surveys.defaultAt, now), lte(surveys.expiresAt, now), and(isNull(surveys.remindedAt), lte(surveys.remindAt, now)))))
    .orderBy(asc(surveys.sentAt))
    .limit(batchSize)
    .for('update', { skipLocked: true });
  for (const survey of due) {
    const tOrg = inOrg(t, survey.orgId);
    if (survey.defaultAt && survey.defaultAt <= now && survey.requestId) {
      const settings = await surveySettingsOf(t.tx, survey.orgId);
      await t.tx.update(surveys).set({ state: 'defaulted', updatedAt: now }).where(eq(surveys.id, survey.id));
      await audit(tOrg, { action: 'survey.default', entityType: 'survey', entityId: survey.id, before: { state: 'pending' }, after: { state: 'defaulted', level: settings.defaultLevel } });
      await recordEvaluationTx(tOrg, { source: 'default', requestId: survey.requestId, surveyId: survey.id, level: settings.defaultLevel, at: now });
    } else if (survey.expiresAt <= now) {
      await t.tx.update(surveys).set({ state: 'expired', updatedAt: now }).where(eq(surveys.id, survey.id));
      await audit(tOrg, { action: 'survey.expire', entityType: 'survey', entityId: survey.id, before: { state: 'pending' }, after: { state: 'expired' } });
    } else {
      const request = survey.requestId ? await loadRequest(t.tx, tOrg, survey.requestId) : null;
      // Marked even when nobody can be reminded (a QR code), so it is not due again.
      if (!(await remindSurveyTx(tOrg, survey, request))) await t.tx.update(surveys).set({ remindedAt: now, updatedAt: now }).where(eq(surveys.id, survey.id));
    }
  }
  return due.length;
}

/** The earliest instant a pending survey has a duty. */
export async function nextSurveyDuty(exec: Executor): Promise<Date | null> {
  const [row] = await exec
    .select({ at: sql<string | Date | null>`min(least(${surveys.expiresAt}, coalesce(${surveys.defaultAt}, ${surveys.expiresAt}), CASE WHEN ${surveys.remindedAt} IS NULL THEN coalesce(${surveys.remindAt}, ${surveys.expiresAt}) ELSE ${surveys.expiresAt} END))` })
    .from(surveys)
    .where(eq(surveys.state, 'pending'));
  return row?.at ? new Date(row.at) : null;
}
