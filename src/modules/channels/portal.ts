/**
 * The customer portal: the web form (a request on the `web` channel, no account needed), the private
 * tracking link (`/portal/<org>/t/<number>?k=<key>`, the key an HMAC of the request id: nothing is stored
 * and a wrong key looks exactly like an unknown number), replies and files from the customer, the
 * confirmation with a rating, and customers who sign in by an e-mailed one-time link to see all their
 * requests. Everything here acts as a `public` actor; a customer session is a `pledge_customer` cookie that
 * the staff authentication never reads.
 */
import { timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type App, type Ctx, type TxCtx } from '../../core/context.js';
import { randomToken, sha256, signValue } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import type { Locale } from '../../core/i18n.js';
import { enqueue } from '../../core/outbox.js';
import { parse } from '../../core/validate.js';
import { orgByCode, publicCtx } from '../commitments/public.js';
import { customers } from '../org/schema.js';
import { DEFAULT_TYPES, fileContent, presentAttachment, storeFileTx, type Upload } from '../requests/attachments.js';
import type { AttachmentView, PublicRequestView } from '../requests/contracts.js';
import { attachments, requestCategories, requestMessages, requests } from '../requests/schema.js';
import { customerConfirmTx, customerMessageTx, registerRequestTx, settingsOf, type RequestRow } from '../requests/service.js';
import * as C from './portal-contracts.js';
import { customerSessions } from './schema.js';

/** The cookie of a signed-in portal customer (never read by the staff sign-in). */
export const CUSTOMER_COOKIE = 'pledge_customer';
/** Purpose of the tracking-link signature (a key for one purpose is worthless for another). */
const LINK_PURPOSE = 'request-link';
export const SIGN_IN_LINK_MINUTES = 30;
export const CUSTOMER_SESSION_DAYS = 30;
/** Files uploaded on the form must be used within this time (older unclaimed uploads are refused). */
const PENDING_UPLOAD_HOURS = 24;
export const MAX_FILES = 10;
/** How often a customer session's last use is written (not on every request). */
const TOUCH_INTERVAL_MS = 60_000;
// Sign-in link tokens and session tokens share the table; the hash prefix keeps one from working as the other.
const SIGN_IN_HASH = 'portal-sign-in:';
const SESSION_HASH = 'portal-session:';
const NO_REQUEST = '00000000-0000-0000-0000-000000000000';

type OrgRow = Awaited<ReturnType<typeof orgByCode>>;
type CustomerRow = typeof customers.$inferSelect;
type AttachmentRow = typeof attachments.$inferSelect;

/** Who is on the other side of an HTTP call: language, address, request id (and, in tests, the clock). */
export interface Visitor {
  locale: Locale;
  ip: string | null;
  requestId: string | null;
  now?: () => Date;
}

interface Portal {
  org: OrgRow;
  ctx: Ctx;
}

const VISITOR_NAME: Record<Locale, string> = { 'zh-CN': '访客', 'en-US': 'Visitor' };

async function portalOf(app: App, code: string, visitor: Visitor, name?: string): Promise<Portal> {
  const org = await orgByCode(app, code);
  const base = publicCtx(app, org.id, visitor.locale, visitor.ip, visitor.requestId);
  return { org, ctx: { ...base, now: visitor.now ?? base.now, actor: { kind: 'public', orgId: org.id, name: name ?? VISITOR_NAME[visitor.locale] } } };
}

/** The same context acting under another public name (the customer writing). */
function as<T extends Ctx>(c: T, name: string): T {
  return { ...c, actor: { kind: 'public', orgId: c.orgId, name } };
}

// ---------- the private link ----------

/** The key of a request's tracking link: an HMAC of its id, so no secret is stored and none can be listed. */
export function linkKey(app: App, requestId: string): string {
  return signValue(app.keys, LINK_PURPOSE, requestId);
}

/** The tracking page of a request (a path on this site). */
export function trackingPath(orgCode: string, number: string, key: string): string {
  return `/portal/${encodeURIComponent(orgCode)}/t/${encodeURIComponent(number)}?k=${encodeURIComponent(key)}`;
}

function sameKey(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The request a link points at. An unknown number and a wrong key get the same answer after the same work,
 * so the link tells nothing about which numbers exist.
 */
async function tracked(exec: Executor, app: App, orgId: string, number: string, key: string, lock = false): Promise<RequestRow> {
  const q = exec.select().from(requests).where(and(eq(requests.orgId, orgId), eq(requests.number, number)));
  const [row] = lock ? await q.for('update') : await q;
  const matches = sameKey(linkKey(app, row?.id ?? NO_REQUEST), key);
  if (!row || !matches) throw new AppError('link.invalid');
  return row;
}

/** A customer may write and add files until the request is archived or merged. */
function assertOpen(row: RequestRow) {
  if (row.state === 'archived' || row.state === 'merged') throw new AppError('request.closed', { status: row.state });
}

// ---------- what the customer sees ----------

/**
 * Files the customer may see and download: those of the conversation they see, and their own files on the
 * request (uploaded from the portal or another customer channel, not by staff). Files of notes never.
 */
async function visibleFiles(exec: Executor, row: RequestRow, messageIds: readonly string[]): Promise<AttachmentRow[]> {
  const own = and(isNull(attachments.messageId), isNull(attachments.uploadedByStaffId));
  const which: SQL | undefined = messageIds.length > 0 ? or(own, inArray(attachments.messageId, [...messageIds])) : own;
  return exec
    .select()
    .from(attachments)
    .where(and(eq(attachments.orgId, row.orgId), eq(attachments.requestId, row.id), which))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
}

async function publicView(exec: Executor, org: OrgRow, row: RequestRow): Promise<PublicRequestView> {
  const messages = await exec
    .select()
    .from(requestMessages)
    .where(and(eq(requestMessages.requestId, row.id), inArray(requestMessages.kind, ['customer', 'reply'])))
    .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id));
  const files = (await visibleFiles(exec, row, messages.map((m) => m.id))).map(presentAttachment);
  const byMessage = new Map<string, AttachmentView[]>();
  for (const f of files) if (f.messageId) byMessage.set(f.messageId, [...(byMessage.get(f.messageId) ?? []), f]);
  const conversation = messages.map((m) => ({
    id: m.id,
    from: m.kind === 'customer' ? ('customer' as const) : ('staff' as const),
    // Staff sign replies with their display name; an automatic reply speaks for the organization.
    authorName: m.kind === 'reply' && !m.authorStaffId ? org.name : m.authorName,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    attachments: byMessage.get(m.id) ?? [],
  }));
  return {
    number: row.number, type: row.type as PublicRequestView['type'], state: row.state as PublicRequestView['state'], subject: row.subject,
    description: row.description, createdAt: row.createdAt.toISOString(), resolvedAt: row.resolvedAt?.toISOString() ?? null,
    confirmedAt: row.confirmedAt?.toISOString() ?? null, rating: row.rating, canConfirm: row.state === 'feedback',
    canReply: row.state !== 'archived' && row.state !== 'merged', attachments: files.filter((f) => f.messageId === null), messages: conversation,
  };
}

/** The form's facts: file limits and the organization's active categories. */
export async function portalInfo(app: App, code: string): Promise<C.PortalInfo> {
  const org = await orgByCode(app, code);
  const db = app.database.db;
  const settings = await settingsOf(db, org.id);
  const accept = settings.allowedAttachmentTypes.length > 0
    ? settings.allowedAttachmentTypes.map((t) => (t.endsWith('/') ? `${t}*` : t)).join(',')
    : [...new Set(Object.values(DEFAULT_TYPES).flat())].join(',');
  const categories = await db
    .select()
    .from(requestCategories)
    .where(and(eq(requestCategories.orgId, org.id), eq(requestCategories.active, true)))
    .orderBy(asc(requestCategories.position), asc(requestCategories.name));
  return {
    organization: { code: org.code, name: org.name, timeZone: org.timeZone },
    maxAttachmentBytes: settings.maxAttachmentBytes, accept, maxFiles: MAX_FILES,
    categories: categories.map((c) => ({ id: c.id, name: c.name, nameEn: c.nameEn, parentId: c.parentId })),
  };
}

// ---------- files ----------

/**
 * Checks that files named in a submission or reply were uploaded from the portal (not by staff), recently,
 * and not yet used elsewhere: for a reply, unbound or bound to this very request.
 */
async function claimUploads(t: TxCtx, ids: readonly string[], requestId: string | null): Promise<void> {
  if (ids.length === 0) return;
  const unique = [...new Set(ids)];
  const since = new Date(t.now().getTime() - PENDING_UPLOAD_HOURS * 3600_000);
  const rows = await t.tx.select().from(attachments).where(and(eq(attachments.orgId, t.orgId), inArray(attachments.id, unique)));
  const usable = rows.filter(
    (r) => r.uploadedByStaffId === null && r.messageId === null && r.createdAt >= since && (r.requestId === null || (requestId !== null && r.requestId === requestId)),
  );
  if (usable.length !== unique.length) throw new AppError('org.invalid_reference', { entity: 'attachment' }, { field: 'attachmentIds' });
}

/** A file uploaded on the form before the request exists (the organization's size and type limits apply). */
export async function uploadFormFile(app: App, code: string, upload: Upload, visitor: Visitor): Promise<AttachmentView> {
  const { ctx } = await portalOf(app, code, visitor);
  return transact(ctx, (t) => storeFileTx(t, upload, ctx.actor.name));
}

/** A file uploaded on the tracking page: bound to that request at once, so it can join only its messages. */
export async function uploadTrackedFile(app: App, code: string, number: string, key: string, upload: Upload, visitor: Visitor): Promise<AttachmentView> {
  const { org, ctx } = await portalOf(app, code, visitor);
  return transact(ctx, async (t) => {
    const row = await tracked(t.tx, app, org.id, number, key, true);
    assertOpen(row);
    const name = row.contactName ?? ctx.actor.name;
    return storeFileTx(as(t, name), upload, name, row.id);
  });
}

/** A file of a tracked request, if the customer may see it (see {@link visibleFiles}). */
export async function trackedFile(app: App, code: string, number: string, key: string, fileId: string) {
  const org = await orgByCode(app, code);
  const db = app.database.db;
  const row = await tracked(db, app, org.id, number, key);
  const messageIds = (await db.select({ id: requestMessages.id }).from(requestMessages).where(and(eq(requestMessages.requestId, row.id), inArray(requestMessages.kind, ['customer', 'reply'])))).map((m) => m.id);
  const visible = await visibleFiles(db, row, messageIds);
  if (!visible.some((f) => f.id === fileId)) throw new AppError('not_found', { entity: 'attachment' });
  return fileContent(db, org.id, fileId);
}

// ---------- submit, follow, reply, confirm ----------

const TYPE_WORDS: Record<Locale, Record<C.PortalRequestType, string>> = {
  'zh-CN': { consultation: '咨询', service_request: '求助/预约', complaint: '投诉', suggestion: '建议' },
  'en-US': { consultation: 'consultation', service_request: 'service request', complaint: 'complaint', suggestion: 'suggestion' },
};

function acknowledgement(locale: Locale, org: OrgRow, row: RequestRow, link: string) {
  const type = TYPE_WORDS[locale][row.type as C.PortalRequestType];
  const name = row.contactName ?? '';
  if (locale === 'zh-CN') {
    return {
      subject: `【${org.name}】已受理您的${type}（受理编号 ${row.number}）`,
      text: [
        `${name}，您好！`, '',
        `我们已收到您提交的${type}“${row.subject}”，受理编号：${row.number}。`, '',
        '通过下面的专属链接，您可以随时查看处理进度、补充说明或文件，并在处理完成后确认结果、评价服务：', link, '',
        '请妥善保管此链接：持有链接的人都可以查看和回复这条记录。', '', org.name,
      ].join('\n'),
    };
  }
  return {
    subject: `[${org.name}] We have received your ${type} (tracking number ${row.number})`,
    text: [
      `Dear ${name},`, '',
      `We have received your ${type} "${row.subject}". Your tracking number is ${row.number}.`, '',
      'With this private link you can follow its progress, add details or files, and confirm the result and rate our service when it is done:', link, '',
      'Keep the link to yourself: whoever has it can read and answer this request.', '', org.name,
    ].join('\n'),
  };
}

/**
 * Files a request from the web form (channel `web`) in one transaction: registration with its clocks and
 * routing, the uploaded files, and an acknowledgement e-mail with the tracking number and the private link
 * when an address was given. A signed-in customer's request is recorded as theirs.
 */
export async function submitRequest(app: App, code: string, input: unknown, visitor: Visitor, customerToken: string | null = null): Promise<C.PortalSubmitted> {
  const data = parse(C.PortalSubmit, input);
  const { org, ctx } = await portalOf(app, code, visitor, data.contactName);
  const customer = customerToken ? await customerOfSession(app, org.id, customerToken, ctx.now()) : null;
  return transact(ctx, async (t) => {
    await claimUploads(t, data.attachmentIds, null);
    const row = await registerRequestTx(t, {
      type: data.type, priority: 'general', channel: 'web', subject: data.subject, description: data.description, customerId: customer?.id ?? null,
      contactName: data.contactName, contactPhone: data.contactPhone ?? null, contactEmail: data.contactEmail ?? customer?.email ?? null,
      customerFlags: [], categoryId: data.categoryId ?? null, tags: [], attachmentIds: data.attachmentIds,
    });
    if (data.attachmentIds.length > 0) {
      await t.tx.update(attachments).set({ uploadedByName: data.contactName }).where(and(eq(attachments.orgId, t.orgId), inArray(attachments.id, data.attachmentIds)));
    }
    const link = trackingPath(org.code, row.number, linkKey(app, row.id));
    if (row.contactEmail) {
      // Links in mail use the configured public address, never the Host header (which a caller controls).
      const mail = acknowledgement(t.locale, org, row, `${app.config.publicUrl}${link}`);
      await enqueue(t, { kind: 'email', payload: { to: row.contactEmail, subject: mail.subject, text: mail.text }, dedupeKey: `portal-ack:${row.id}` });
    }
    return { number: row.number, link, emailed: row.contactEmail !== null };
  });
}

/** The request behind a tracking link, as its customer sees it. */
export async function trackRequest(app: App, code: string, number: string, key: string): Promise<PublicRequestView> {
  const org = await orgByCode(app, code);
  const row = await tracked(app.database.db, app, org.id, number, key);
  return publicView(app.database.db, org, row);
}

/**
 * The customer writes on the tracking page. While the request waits on them this resumes the loop (back to
 * handling, clocks running again); otherwise the message is recorded and the next-reply clock starts.
 */
export async function replyToTracked(app: App, code: string, number: string, key: string, input: unknown, visitor: Visitor): Promise<PublicRequestView> {
  const data = parse(C.PublicReply, input);
  const { org, ctx } = await portalOf(app, code, visitor);
  await transact(ctx, async (t) => {
    const row = await tracked(t.tx, app, org.id, number, key, true);
    assertOpen(row);
    const author = as(t, row.contactName ?? ctx.actor.name);
    await claimUploads(author, data.attachmentIds, row.id);
    await customerMessageTx(author, row, { body: data.body, authorName: author.actor.name, channel: 'web', attachmentIds: data.attachmentIds });
  });
  return trackRequest(app, code, number, key);
}

/** The customer's confirmation in the feedback step: solved → archived with the rating; not solved → reopened. */
export async function confirmTracked(app: App, code: string, number: string, key: string, input: unknown, visitor: Visitor): Promise<PublicRequestView> {
  const data = parse(C.PublicConfirm, input);
  const { org, ctx } = await portalOf(app, code, visitor);
  await transact(ctx, async (t) => {
    const row = await tracked(t.tx, app, org.id, number, key, true);
    await customerConfirmTx(as(t, row.contactName ?? ctx.actor.name), row, data);
  });
  return trackRequest(app, code, number, key);
}

// ---------- signed-in customers ----------

function signInMail(locale: Locale, org: OrgRow, customer: CustomerRow, link: string) {
  if (locale === 'zh-CN') {
    return {
      subject: `【${org.name}】登录链接`,
      text: [
        `${customer.name}，您好！`, '',
        `请在 ${SIGN_IN_LINK_MINUTES} 分钟内打开以下链接登录，查看您在${org.name}提交的全部服务请求。链接只能使用一次：`, link, '',
        '如非本人操作，请忽略本邮件，您的账户不会有任何变化。', '', org.name,
      ].join('\n'),
    };
  }
  return {
    subject: `[${org.name}] Your sign-in link`,
    text: [
      `Dear ${customer.name},`, '',
      `Open this link within ${SIGN_IN_LINK_MINUTES} minutes to sign in and see all the requests you have filed with ${org.name}. It works once:`, link, '',
      'If you did not ask for it, ignore this e-mail; nothing changes.', '', org.name,
    ].join('\n'),
  };
}

/**
 * Sends a one-time sign-in link (valid {@link SIGN_IN_LINK_MINUTES} minutes) if a customer of the
 * organization has this address. The answer never says whether one does.
 */
export async function requestSignInLink(app: App, code: string, input: unknown, visitor: Visitor): Promise<{ accepted: true }> {
  const data = parse(C.PortalSignIn, input);
  const { org, ctx } = await portalOf(app, code, visitor);
  const [customer] = await app.database.db
    .select()
    .from(customers)
    .where(and(eq(customers.orgId, org.id), sql`lower(${customers.email}) = lower(${data.email.trim()})`))
    .orderBy(asc(customers.createdAt), asc(customers.id))
    .limit(1);
  if (!customer?.email) return { accepted: true };
  await transact(as(ctx, customer.name), async (t) => {
    const now = t.now();
    // Housekeeping: this customer's expired links and sessions go.
    await t.tx.delete(customerSessions).where(and(eq(customerSessions.customerId, customer.id), lt(customerSessions.expiresAt, now)));
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
    await t.tx.insert(customerSessions).values({ orgId: org.id, customerId: customer.id, tokenHash: sha256(`${SIGN_IN_HASH}${token}`), createdAt: now, lastSeenAt: now, expiresAt });
    const mail = signInMail(t.locale, org, customer, `${app.config.publicUrl}/api/v1/portal/${encodeURIComponent(org.code)}/session/${token}`);
    await enqueue(t, { kind: 'email', payload: { to: customer.email!, subject: mail.subject, text: mail.text } });
    await audit(t, { action: 'portal.sign_in_link', entityType: 'customer', entityId: customer.id, after: { expiresAt } });
  });
  return { accepted: true };
}

/**
 * Exchanges a sign-in link for a customer session ({@link CUSTOMER_SESSION_DAYS} days, sliding). The link
 * is deleted as it is used, so a second use (or a used, expired or forged one) is `link.invalid`.
 */
export async function exchangeSignInLink(app: App, code: string, token: string, visitor: Visitor): Promise<{ token: string; expiresAt: Date }> {
  const { org, ctx } = await portalOf(app, code, visitor);
  return transact(ctx, async (t) => {
    const now = t.now();
    const [link] = await t.tx
      .delete(customerSessions)
      .where(and(eq(customerSessions.orgId, org.id), eq(customerSessions.tokenHash, sha256(`${SIGN_IN_HASH}${token}`))))
      .returning();
    if (!link || link.expiresAt <= now) throw new AppError('link.invalid');
    const session = randomToken();
    const expiresAt = new Date(now.getTime() + CUSTOMER_SESSION_DAYS * 86_400_000);
    const [row] = await t.tx
      .insert(customerSessions)
      .values({ orgId: org.id, customerId: link.customerId, tokenHash: sha256(`${SESSION_HASH}${session}`), createdAt: now, lastSeenAt: now, expiresAt })
      .returning({ id: customerSessions.id });
    await audit(t, { action: 'portal.sign_in', entityType: 'customer', entityId: link.customerId, after: { sessionId: row!.id } });
    return { token: session, expiresAt };
  });
}

/** The customer behind a session cookie of this organization, or null. Sessions slide with use. */
export async function customerOfSession(app: App, orgId: string, token: string, now: Date): Promise<CustomerRow | null> {
  const db = app.database.db;
  const [found] = await db
    .select({ session: customerSessions, customer: customers })
    .from(customerSessions)
    .innerJoin(customers, eq(customers.id, customerSessions.customerId))
    .where(and(eq(customerSessions.tokenHash, sha256(`${SESSION_HASH}${token}`)), eq(customerSessions.orgId, orgId)));
  if (!found || found.session.expiresAt <= now) return null;
  if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(customerSessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + CUSTOMER_SESSION_DAYS * 86_400_000) })
      .where(eq(customerSessions.id, found.session.id));
  }
  return found.customer;
}

async function requireCustomer(app: App, code: string, token: string | null | undefined, visitor: Visitor): Promise<{ org: OrgRow; customer: CustomerRow }> {
  const org = await orgByCode(app, code);
  const customer = token ? await customerOfSession(app, org.id, token, (visitor.now ?? (() => new Date()))()) : null;
  if (!customer) throw new AppError('auth.required');
  return { org, customer };
}

/** The signed-in customer. */
export async function portalMe(app: App, code: string, token: string | null | undefined, visitor: Visitor): Promise<C.PortalMe> {
  const { customer } = await requireCustomer(app, code, token, visitor);
  return { name: customer.name, email: customer.email };
}

/**
 * All requests of the signed-in customer, newest first, each with its tracking link: those recorded as
 * theirs (or as another customer record with the same address, which the e-mailed link proved they own) and
 * those filed with their address as contact.
 */
export async function myRequests(app: App, code: string, token: string | null | undefined, visitor: Visitor): Promise<{ items: C.PortalRequestItem[] }> {
  const { org, customer } = await requireCustomer(app, code, token, visitor);
  const email = customer.email?.trim().toLowerCase() ?? null;
  const sameAddress = email
    ? sql`${requests.customerId} IN (SELECT id FROM customers WHERE org_id = ${org.id} AND lower(email) = ${email})`
    : sql`false`;
  const mine = email ? or(eq(requests.customerId, customer.id), sameAddress, sql`lower(${requests.contactEmail}) = ${email}`) : eq(requests.customerId, customer.id);
  const rows = await app.database.db
    .select()
    .from(requests)
    .where(and(eq(requests.orgId, org.id), mine))
    .orderBy(desc(requests.createdAt), desc(requests.id))
    .limit(200);
  return {
    items: rows.map((r) => ({
      number: r.number, type: r.type as C.PortalRequestItem['type'], state: r.state as C.PortalRequestItem['state'], subject: r.subject,
      createdAt: r.createdAt.toISOString(), lastActivityAt: r.lastActivityAt.toISOString(), link: trackingPath(org.code, r.number, linkKey(app, r.id)),
    })),
  };
}

/** Ends a customer session. */
export async function signOutCustomer(app: App, code: string, token: string, visitor: Visitor): Promise<void> {
  const { org, ctx } = await portalOf(app, code, visitor);
  await transact(ctx, async (t) => {
    const [row] = await t.tx
      .delete(customerSessions)
      .where(and(eq(customerSessions.orgId, org.id), eq(customerSessions.tokenHash, sha256(`${SESSION_HASH}${token}`))))
      .returning();
    if (row) await audit(t, { action: 'portal.sign_out', entityType: 'customer', entityId: row.customerId, after: { sessionId: row.id } });
  });
}

// ---------- rate limiting ----------

/**
 * Token buckets per key (an IP address, an e-mail address), in memory: each node limits on its own, which is
 * enough to stop a script flooding the anonymous form. Holds at most `maxKeys` keys (least recent dropped).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `capacity` calls at once, then one more every `refillMs`. */
  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token for `key`; false when there is none left (the call should be refused). */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    const tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) / this.refillMs);
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }
}
