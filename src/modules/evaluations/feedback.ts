/**
 * Public feedback (意见反馈): a suggestion, complaint or praise from the public page, answered on its own clock.
 *
 * - Submitting (no account) gives a number `FK-yyyymmdd-nnnn` (the day in the organization's zone) and a private
 *   look-up code, shown once: only its hash is kept. Number and code together show the answer; a wrong code
 *   looks exactly like an unknown number.
 * - Every piece of feedback gets an answer clock (subject `feedback`, kind `answer`) on the organization's default
 *   calendar, its duration from the settings section `feedback` (default P5D: five working days). Answering meets
 *   it, marking the feedback invalid (spam, abuse) cancels it, and the clock watcher breaches it like any other.
 * - A complaint also registers a request (type complaint, channel web), so it runs the closed loop and counts as a
 *   complaint; the feedback keeps its own answer and clock.
 * - Staff publish an answered item, with the submitter's consent, under a public summary; the summary and the
 *   answer are scrubbed of personal data (scrub.ts) before the public sees them.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, count, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type App, type Ctx, type TxCtx } from '../../core/context.js';
import { decrypt, encrypt, maskPhone, normalizePhone, sha256 } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import type { Locale } from '../../core/i18n.js';
import { enqueue } from '../../core/outbox.js';
import { authorize, can } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { parseDurationOrFail } from '../calendars/service.js';
import { clocks } from '../clocks/schema.js';
import { calendarsOf, cancelClocks, meetClocks, startClock } from '../clocks/service.js';
import { orgByCode, publicCtx } from '../commitments/public.js';
import { organizations, staff } from '../org/schema.js';
import type { Visitor } from '../channels/portal.js';
import { requests } from '../requests/schema.js';
import { registerRequestTx } from '../requests/service.js';
import * as C from './feedback-contracts.js';
import { publicFeedback } from './schema.js';
import { scrub } from './scrub.js';
import { readSection, writeSectionTx } from './settings-store.js';

export type FeedbackRow = typeof publicFeedback.$inferSelect;
type OrgRow = Awaited<ReturnType<typeof orgByCode>>;

/** The subject type and kind of the answer clock. */
export const FEEDBACK_SUBJECT = 'feedback';
export const ANSWER_CLOCK = 'answer';
/** The alphabet of look-up codes: no 0/O, 1/I/L, so a code read aloud or copied by hand survives. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;
const NO_HASH = sha256('feedback-lookup:none');

// ---------- pieces ----------

/** A new private look-up code (about 50 bits; the look-up is rate-limited). */
export function newLookupCode(): string {
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return out;
}

function codeHash(code: string): string {
  return sha256(`feedback-lookup:${code.trim().toUpperCase()}`);
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The look-up page of a piece of feedback (a path on this site). */
export function lookupPath(orgCode: string, number: string, code: string): string {
  return `/public/${encodeURIComponent(orgCode)}/feedback/${encodeURIComponent(number)}?k=${encodeURIComponent(code)}`;
}

/** li***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 0) return '***';
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

/** The calendar day of an instant in a time zone, as yyyymmdd. */
function dayIn(timeZone: string, at: Date): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at).replaceAll('-', '');
  } catch {
    return at.toISOString().slice(0, 10).replaceAll('-', '');
  }
}

/** The next number of the day; an advisory lock orders concurrent submissions of one organization. */
async function nextNumber(t: TxCtx, timeZone: string): Promise<string> {
  await t.tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`feedback-number:${t.orgId}`}, 0))`);
  const prefix = `FK-${dayIn(timeZone, t.now())}-`;
  const [row] = await t.tx
    .select({ last: sql<string | null>`max(${publicFeedback.number})` })
    .from(publicFeedback)
    .where(and(eq(publicFeedback.orgId, t.orgId), sql`${publicFeedback.number} LIKE ${`${prefix}%`}`));
  // Numbers of a day sort as text while they have 4 digits; past 9999 the longest is the latest.
  const last = row?.last ? Number(row.last.slice(prefix.length)) : 0;
  return `${prefix}${String(last + 1).padStart(4, '0')}`;
}

async function settingsOf(exec: Executor, orgId: string): Promise<C.FeedbackSettings> {
  return readSection(exec, orgId, 'feedback', C.FeedbackSettings);
}

/** The open answer clock of each feedback id. */
async function clocksOf(exec: Executor, orgId: string, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, typeof clocks.$inferSelect>();
  const rows = await exec
    .select()
    .from(clocks)
    .where(and(eq(clocks.orgId, orgId), eq(clocks.subjectType, FEEDBACK_SUBJECT), eq(clocks.kind, ANSWER_CLOCK), inArray(clocks.subjectId, [...ids])));
  return new Map(rows.map((r) => [r.subjectId, r]));
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The staff view of several rows (one query each for requests, staff names and clocks). */
async function present(ctx: Ctx, exec: Executor, rows: FeedbackRow[]): Promise<C.FeedbackView[]> {
  const requestIds = rows.map((r) => r.requestId).filter((x): x is string => x !== null);
  const staffIds = rows.map((r) => r.answeredById).filter((x): x is string => x !== null);
  const reqs = requestIds.length > 0 ? await exec.select({ id: requests.id, number: requests.number, state: requests.state }).from(requests).where(and(eq(requests.orgId, ctx.orgId), inArray(requests.id, requestIds))) : [];
  const people = staffIds.length > 0 ? await exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(and(eq(staff.orgId, ctx.orgId), inArray(staff.id, staffIds))) : [];
  const clockOf = await clocksOf(exec, ctx.orgId, rows.map((r) => r.id));
  const reqOf = new Map(reqs.map((r) => [r.id, r]));
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const pii = can(ctx.actor, 'pii:read');
  return rows.map((r) => {
    const phone = r.contactPhoneEnc ? decrypt(ctx.app.keys, r.contactPhoneEnc) : null;
    const clock = clockOf.get(r.id);
    return {
      id: r.id, number: r.number, kind: r.kind as C.FeedbackKind, state: r.state as C.FeedbackState, body: r.body, contactName: r.contactName,
      contactPhone: phone ? (pii ? phone : maskPhone(phone)) : null, contactEmail: r.contactEmail ? (pii ? r.contactEmail : maskEmail(r.contactEmail)) : null,
      consentToPublish: r.consentToPublish, request: r.requestId ? (reqOf.get(r.requestId) ?? null) : null,
      clock: clock ? { state: clock.state, dueAt: clock.dueAt.toISOString(), breachedAt: iso(clock.breachedAt), metAt: iso(clock.metAt) } : null,
      answer: r.answer, answeredBy: r.answeredById ? { id: r.answeredById, name: nameOf.get(r.answeredById) ?? '' } : null, answeredAt: iso(r.answeredAt),
      invalidReason: (r.invalidReason as C.InvalidReason | null) ?? null, publicSummary: r.publicSummary, published: r.published, publishedAt: iso(r.publishedAt),
      createdAt: r.createdAt.toISOString(),
    };
  });
}

/** Why an item cannot be published (null: it can): answered items only, with the submitter's consent. */
export function publishBlocker(row: Pick<FeedbackRow, 'state' | 'consentToPublish'>): 'not_answered' | 'no_consent' | null {
  if (row.state !== 'answered') return 'not_answered';
  if (!row.consentToPublish) return 'no_consent';
  return null;
}

/** The submitter's names to remove from published text (the name they gave). */
function namesOf(row: FeedbackRow): string[] {
  return row.contactName ? [row.contactName] : [];
}

async function detail(ctx: Ctx, exec: Executor, row: FeedbackRow): Promise<C.FeedbackDetail> {
  const [view] = await present(ctx, exec, [row]);
  return { ...view!, suggestedSummary: scrub(row.body, namesOf(row)), publicAnswer: row.answer ? scrub(row.answer, namesOf(row)) : null, publishBlocker: publishBlocker(row) };
}

async function loadRow(exec: Executor, orgId: string, id: string, lock = false): Promise<FeedbackRow> {
  const q = exec.select().from(publicFeedback).where(and(eq(publicFeedback.orgId, orgId), eq(publicFeedback.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'feedback' });
  return row;
}

// ---------- mails ----------

const KIND_WORDS: Record<Locale, Record<C.FeedbackKind, string>> = {
  'zh-CN': { suggestion: '建议', complaint: '投诉', praise: '表扬' },
  'en-US': { suggestion: 'suggestion', complaint: 'complaint', praise: 'praise' },
};

function receivedMail(locale: Locale, org: OrgRow, row: FeedbackRow, code: string, link: string) {
  const kind = KIND_WORDS[locale][row.kind as C.FeedbackKind];
  if (locale === 'zh-CN') {
    return {
      subject: `【${org.name}】已收到您的${kind}（编号 ${row.number}）`,
      text: [`您好！`, '', `我们已收到您的${kind}，编号：${row.number}，查询码：${code}。`, '', '答复后可通过以下链接查看：', link, '', '请妥善保管查询码。', '', org.name].join('\n'),
    };
  }
  return {
    subject: `[${org.name}] We have received your ${kind} (number ${row.number})`,
    text: [`Hello,`, '', `We have received your ${kind}. Number: ${row.number}, look-up code: ${code}.`, '', 'Once answered you can read the answer here:', link, '', 'Keep the code to yourself.', '', org.name].join('\n'),
  };
}

function answeredMail(locale: Locale, org: OrgRow, row: FeedbackRow, answer: string) {
  if (locale === 'zh-CN') {
    return {
      subject: `【${org.name}】您的意见反馈已答复（编号 ${row.number}）`,
      text: ['您好！', '', `您的意见反馈（编号 ${row.number}）已答复：`, '', answer, '', '您也可以在公示页用编号和查询码查看答复。', '', org.name].join('\n'),
    };
  }
  return {
    subject: `[${org.name}] Your feedback has been answered (number ${row.number})`,
    text: ['Hello,', '', `Your feedback (number ${row.number}) has been answered:`, '', answer, '', 'You can also read the answer on our public page with your number and code.', '', org.name].join('\n'),
  };
}

// ---------- public: submit, look up, published list ----------

function visitorCtx(app: App, org: OrgRow, visitor: Visitor, name?: string | null): Ctx {
  const base = publicCtx(app, org.id, visitor.locale, visitor.ip, visitor.requestId);
  return { ...base, now: visitor.now ?? base.now, actor: { kind: 'public', orgId: org.id, name: name ?? (visitor.locale === 'zh-CN' ? '访客' : 'Visitor') } };
}

function requestSubject(locale: Locale, number: string, body: string): string {
  const first = body.split('\n')[0]!.trim();
  const head = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  return locale === 'zh-CN' ? `意见反馈 ${number}：${head}` : `Feedback ${number}: ${head}`;
}

/**
 * Files a piece of feedback from the public page in one transaction: the record (phone encrypted), its answer
 * clock, for a complaint a request on the `web` channel, and an acknowledgement e-mail with the number and
 * code when an address was given.
 */
export async function submitFeedback(app: App, orgCode: string, input: unknown, visitor: Visitor): Promise<C.FeedbackSubmitted> {
  const data = parse(C.FeedbackSubmit, input);
  const org = await orgByCode(app, orgCode);
  const ctx = visitorCtx(app, org, visitor, data.contactName);
  const settings = await settingsOf(app.database.db, org.id);
  return transact(ctx, async (t) => {
    const now = t.now();
    const number = await nextNumber(t, org.timeZone);
    const code = newLookupCode();
    const phone = data.contactPhone ?? null;
    const email = data.contactEmail?.toLowerCase() ?? null;
    let requestId: string | null = null;
    if (data.kind === 'complaint') {
      const request = await registerRequestTx(t, {
        type: 'complaint', priority: 'general', channel: 'web', subject: requestSubject(t.locale, number, data.body), description: data.body,
        contactName: data.contactName ?? null, contactPhone: phone, contactEmail: email, customerFlags: [], tags: ['feedback'], attachmentIds: [],
      });
      requestId = request.id;
    }
    const [row] = await t.tx
      .insert(publicFeedback)
      .values({
        orgId: t.orgId, number, kind: data.kind, requestId, body: data.body, contactName: data.contactName ?? null,
        contactPhoneEnc: phone ? encrypt(app.keys, phone) : null, contactPhoneLast4: phone ? normalizePhone(phone).slice(-4) : null, contactEmail: email,
        consentToPublish: data.consentToPublish, state: 'received', lookupTokenHash: codeHash(code), createdAt: now, updatedAt: now,
      })
      .returning();
    const fallback = (await calendarsOf(t)).fallback;
    const clock = fallback
      ? await startClock(t, { subjectType: FEEDBACK_SUBJECT, subjectId: row!.id, kind: ANSWER_CLOCK, label: number, calendarId: fallback.id, duration: settings.answerWithin, warnRatio: settings.warnRatio })
      : null;
    await audit(t, { action: 'feedback.submit', entityType: 'feedback', entityId: row!.id, after: { number, kind: data.kind, requestId, consentToPublish: data.consentToPublish, answerDueAt: clock?.dueAt ?? null } });
    await t.emit('feedback.received', { entityType: 'feedback', entityId: row!.id, data: { number, kind: data.kind, requestId } });
    const link = lookupPath(org.code, number, code);
    if (email) {
      const mail = receivedMail(t.locale, org, row!, code, `${app.config.publicUrl}${link}`);
      await enqueue(t, { kind: 'email', payload: { to: email, subject: mail.subject, text: mail.text }, dedupeKey: `feedback-ack:${row!.id}` });
    }
    return { number, code, link, answerDueAt: clock?.dueAt ?? null, emailed: email !== null };
  });
}

/**
 * The feedback behind a number and code, as its submitter sees it. An unknown number and a wrong code get the
 * same answer (`link.invalid`, 404) after the same work.
 */
export async function lookupFeedback(app: App, orgCode: string, number: string, code: string): Promise<C.FeedbackLookup> {
  const org = await orgByCode(app, orgCode);
  const db = app.database.db;
  const [row] = await db.select().from(publicFeedback).where(and(eq(publicFeedback.orgId, org.id), eq(publicFeedback.number, number.trim().toUpperCase())));
  const matches = sameHash(row?.lookupTokenHash ?? NO_HASH, codeHash(code));
  if (!row || !row.lookupTokenHash || !matches || code.trim() === '') throw new AppError('link.invalid');
  const clock = (await clocksOf(db, org.id, [row.id])).get(row.id);
  return {
    number: row.number, kind: row.kind as C.FeedbackKind, state: row.state as C.FeedbackState, body: row.body, createdAt: row.createdAt.toISOString(),
    answerDueAt: row.state === 'received' && clock ? clock.dueAt.toISOString() : null, answer: row.state === 'answered' ? row.answer : null,
    answeredAt: iso(row.answeredAt), invalidReason: (row.invalidReason as C.InvalidReason | null) ?? null, published: row.published,
  };
}

/** The published list, newest first: kind, dates, the public summary and the answer, both scrubbed again. */
export async function publishedFeedback(app: App, orgCode: string, query: unknown): Promise<C.PublishedFeedbackPage> {
  const q = parse(C.PublishedFeedbackQuery, query ?? {});
  const org = await orgByCode(app, orgCode);
  const db = app.database.db;
  const where = and(eq(publicFeedback.orgId, org.id), eq(publicFeedback.published, true), eq(publicFeedback.state, 'answered'), q.kind ? eq(publicFeedback.kind, q.kind) : undefined);
  const [total] = await db.select({ n: count() }).from(publicFeedback).where(where);
  const rows = await db.select().from(publicFeedback).where(where).orderBy(desc(publicFeedback.publishedAt), desc(publicFeedback.id)).limit(q.limit).offset(q.offset);
  const settings = await settingsOf(db, org.id);
  return {
    total: total?.n ?? 0,
    answerWithin: settings.answerWithin,
    // Scrubbed at publication and again here, so a later change to the rules applies to what is already out.
    items: rows.map((r) => ({
      number: r.number, kind: r.kind as C.FeedbackKind, createdAt: r.createdAt.toISOString(), summary: scrub(r.publicSummary ?? '', namesOf(r)),
      answer: scrub(r.answer ?? '', namesOf(r)), answeredAt: r.answeredAt!.toISOString(), publishedAt: r.publishedAt!.toISOString(),
    })),
  };
}

// ---------- staff ----------

function encodeCursor(row: FeedbackRow): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new AppError('validation_failed', { summary: 'cursor' });
  return { at: date, id };
}

/** The inbox: newest first, filtered by state, kind, publication, overdue answer clock or text. */
export async function listFeedback(ctx: Ctx, query: unknown): Promise<C.FeedbackPage> {
  authorize(ctx, 'feedback.handle');
  const q = parse(C.FeedbackListQuery, query ?? {});
  const conditions: (SQL | undefined)[] = [eq(publicFeedback.orgId, ctx.orgId)];
  if (q.state) conditions.push(eq(publicFeedback.state, q.state));
  if (q.kind) conditions.push(eq(publicFeedback.kind, q.kind));
  if (q.published !== undefined) conditions.push(eq(publicFeedback.published, q.published));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(publicFeedback.number, like), ilike(publicFeedback.body, like)));
  }
  if (q.overdue) {
    conditions.push(sql`EXISTS (SELECT 1 FROM ${clocks} WHERE ${clocks.orgId} = ${ctx.orgId} AND ${clocks.subjectType} = ${FEEDBACK_SUBJECT} AND ${clocks.subjectId} = ${publicFeedback.id}::text AND ${clocks.breachedAt} IS NOT NULL)`);
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    conditions.push(or(lt(publicFeedback.createdAt, c.at), and(eq(publicFeedback.createdAt, c.at), lt(publicFeedback.id, c.id))));
  }
  const db = ctx.app.database.db;
  const rows = await db.select().from(publicFeedback).where(and(...conditions)).orderBy(desc(publicFeedback.createdAt), desc(publicFeedback.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: await present(ctx, db, page), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null };
}

export async function getFeedback(ctx: Ctx, id: string): Promise<C.FeedbackDetail> {
  authorize(ctx, 'feedback.handle');
  const db = ctx.app.database.db;
  return detail(ctx, db, await loadRow(db, ctx.orgId, id));
}

async function change(ctx: Ctx, id: string, fn: (t: TxCtx, row: FeedbackRow) => Promise<FeedbackRow>): Promise<C.FeedbackDetail> {
  authorize(ctx, 'feedback.handle');
  const row = await transact(ctx, async (t) => fn(t, await loadRow(t.tx, t.orgId, id, true)));
  return detail(ctx, ctx.app.database.db, row);
}

function assertState(row: FeedbackRow, ...allowed: C.FeedbackState[]) {
  if (!allowed.includes(row.state as C.FeedbackState)) throw new AppError('feedback.wrong_state', { state: row.state });
}

/** Answers (what the submitter sees): meets the answer clock and e-mails the answer when an address was given. */
export async function answerFeedback(ctx: Ctx, id: string, input: unknown): Promise<C.FeedbackDetail> {
  const data = parse(C.FeedbackAnswer, input);
  return change(ctx, id, async (t, row) => {
    assertState(row, 'received');
    const now = t.now();
    const [updated] = await t.tx
      .update(publicFeedback)
      .set({ state: 'answered', answer: data.answer, answeredById: actorId(t.actor), answeredAt: now, updatedAt: now })
      .where(eq(publicFeedback.id, row.id))
      .returning();
    await meetClocks(t, FEEDBACK_SUBJECT, row.id, [ANSWER_CLOCK], now);
    await audit(t, { action: 'feedback.answer', entityType: 'feedback', entityId: row.id, before: { state: row.state }, after: { state: 'answered', answer: data.answer } });
    await t.emit('feedback.answered', { entityType: 'feedback', entityId: row.id, data: { number: row.number } });
    if (row.contactEmail) {
      const [org] = await t.tx.select().from(organizations).where(eq(organizations.id, t.orgId));
      const mail = answeredMail(t.locale, org!, row, data.answer);
      await enqueue(t, { kind: 'email', payload: { to: row.contactEmail, subject: mail.subject, text: mail.text }, dedupeKey: `feedback-answer:${row.id}` });
    }
    return updated!;
  });
}

/** Marks feedback invalid (spam, abuse, a duplicate): no answer is owed, the answer clock is cancelled. */
export async function invalidateFeedback(ctx: Ctx, id: string, input: unknown): Promise<C.FeedbackDetail> {
  const data = parse(C.FeedbackInvalidate, input);
  return change(ctx, id, async (t, row) => {
    assertState(row, 'received');
    const now = t.now();
    const [updated] = await t.tx.update(publicFeedback).set({ state: 'invalid', invalidReason: data.reason, published: false, updatedAt: now }).where(eq(publicFeedback.id, row.id)).returning();
    await cancelClocks(t, FEEDBACK_SUBJECT, row.id, now);
    await audit(t, { action: 'feedback.invalidate', entityType: 'feedback', entityId: row.id, before: { state: row.state }, after: { state: 'invalid', reason: data.reason, note: data.note ?? null } });
    await t.emit('feedback.invalidated', { entityType: 'feedback', entityId: row.id, data: { number: row.number, reason: data.reason } });
    return updated!;
  });
}

/** Publishes an answered item with the submitter's consent under a summary (scrubbed of personal data). */
export async function publishFeedback(ctx: Ctx, id: string, input: unknown): Promise<C.FeedbackDetail> {
  const data = parse(C.FeedbackPublish, input);
  return change(ctx, id, async (t, row) => {
    const blocker = publishBlocker(row);
    if (blocker === 'not_answered') throw new AppError('feedback.wrong_state', { state: row.state });
    if (blocker === 'no_consent') throw new AppError('feedback.no_consent');
    const summary = scrub(data.summary, namesOf(row));
    const now = t.now();
    const [updated] = await t.tx
      .update(publicFeedback)
      .set({ publicSummary: summary, published: true, publishedAt: row.published ? row.publishedAt : now, updatedAt: now })
      .where(eq(publicFeedback.id, row.id))
      .returning();
    await audit(t, { action: 'feedback.publish', entityType: 'feedback', entityId: row.id, before: { published: row.published, publicSummary: row.publicSummary }, after: { published: true, publicSummary: summary } });
    await t.emit('feedback.published', { entityType: 'feedback', entityId: row.id, data: { number: row.number } });
    return updated!;
  });
}

export async function unpublishFeedback(ctx: Ctx, id: string): Promise<C.FeedbackDetail> {
  return change(ctx, id, async (t, row) => {
    if (!row.published) return row;
    const [updated] = await t.tx.update(publicFeedback).set({ published: false, updatedAt: t.now() }).where(eq(publicFeedback.id, row.id)).returning();
    await audit(t, { action: 'feedback.unpublish', entityType: 'feedback', entityId: row.id, before: { published: true }, after: { published: false } });
    await t.emit('feedback.unpublished', { entityType: 'feedback', entityId: row.id, data: { number: row.number } });
    return updated!;
  });
}

export async function getFeedbackSettings(ctx: Ctx): Promise<C.FeedbackSettings> {
  authorize(ctx, 'feedback.handle');
  return settingsOf(ctx.app.database.db, ctx.orgId);
}

/** Saves the section `feedback` (administrators and managers: evaluation.configure). Applies to new feedback. */
export async function updateFeedbackSettings(ctx: Ctx, input: unknown): Promise<C.FeedbackSettings> {
  authorize(ctx, 'evaluation.configure');
  const data = parse(C.FeedbackSettingsInput, input);
  parseDurationOrFail(data.answerWithin);
  const value: C.FeedbackSettings = { answerWithin: data.answerWithin, warnRatio: data.warnRatio === undefined ? 0.8 : data.warnRatio };
  return transact(ctx, async (t) => {
    const before = await settingsOf(t.tx, t.orgId);
    await writeSectionTx(t, 'feedback', value);
    await audit(t, { action: 'feedback.settings', entityType: 'evaluation_settings', entityId: t.orgId, before: { ...before }, after: { ...value } });
    return value;
  });
}
