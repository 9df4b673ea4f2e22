/**
 * Inbound e-mail: one received message becomes a new request, or a customer message on the request it
 * answers. The organization is the one whose inbound address the mail was sent to (or whose IMAP mailbox
 * it was taken from). Threading: a Message-ID the mail refers to (In-Reply-To, References) that one of the
 * organization's request messages carries; else the `[#<number>]` tag in the subject, honoured when the
 * sender is that request's contact; else a new consultation. The same Message-ID is stored once, automatic
 * mail (out-of-office replies, bounces, bulk mail) is only recorded in the audit log, and files that break
 * the organization's limits are left out and named in the message. One transaction per organization.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { z } from 'zod';
import { audit } from '../../core/audit.js';
import { systemCtx, transact, type App, type Ctx, type TxCtx } from '../../core/context.js';
import { rowsOf, type Executor } from '../../core/db/client.js';
import { AppError, isAppError } from '../../core/errors.js';
import { DEFAULT_LOCALE, isLocale, message as errorMessage, type Locale } from '../../core/i18n.js';
import { customers, organizations } from '../org/schema.js';
import { attachPending, storeFileTx } from '../requests/attachments.js';
import * as C from '../requests/contracts.js';
import { customerMessageTx, registerRequestTx, settingsOf, type RequestRow } from '../requests/service.js';
import { requestMessages, requests } from '../requests/schema.js';
import { mailAccounts } from './schema.js';
import { automaticReason, cleanSubject, guessLocale, mailTexts, normalizeMessageId, stripQuoted, subjectTag, threadIds, type AutomaticReason } from './email-parse.js';

/** Where a message came from, as the SMTP envelope or the IMAP account tells it. */
export interface InboundEnvelope {
  /** Recipient addresses (SMTP RCPT TO). Empty: the To and Cc headers are used. */
  to: string[];
  /** The envelope sender (SMTP MAIL FROM); the empty string is the null sender of a bounce. */
  from?: string | null;
  /** The organization, when it is known from where the mail was taken (an IMAP account of it). */
  orgId?: string;
}

export interface ReceiveOptions {
  now?: () => Date;
  /** Correlates the audit entries with the delivery (an SMTP session id, an IMAP poll). */
  requestId?: string | null;
  ip?: string | null;
}

export interface SkippedAttachment {
  filename: string;
  reason: string;
}

/** What became of a message in one organization. */
export interface ReceivedEmail {
  orgId: string;
  outcome: 'created' | 'appended' | 'duplicate' | 'ignored';
  requestId: string | null;
  number: string | null;
  /** The request message that holds the mail (null when ignored). */
  messageId: string | null;
  emailMessageId: string;
  ignoredBecause: AutomaticReason | null;
  skippedAttachments: SkippedAttachment[];
}

const MAX_BODY = 20_000;
const EmailAddress = z.email().max(200);

function addressesOf(value: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value).flatMap((v) => (v.address ? [{ address: v.address.toLowerCase(), name: v.name ?? '' }] : []));
}

/** Which organization takes mail sent to each address: the one that listed it first (an address cannot be taken over later). */
async function orgsOf(exec: Executor, addresses: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  const list = sql.join(wanted.map((a) => sql`${a}`), sql`, `);
  const rows = rowsOf<{ org_id: string; inbound_addresses: string[] }>(
    await exec.execute(sql`SELECT org_id, inbound_addresses FROM request_settings WHERE inbound_addresses && ARRAY[${list}]::text[] ORDER BY created_at, org_id`),
  );
  for (const address of wanted) {
    const row = rows.find((r) => r.inbound_addresses.includes(address));
    if (row) out.set(address, row.org_id);
  }
  return out;
}

/** The organization that receives mail at an address, or null (the SMTP endpoint refuses such recipients). */
export async function orgForAddress(app: App, address: string): Promise<string | null> {
  return (await orgsOf(app.database.db, [address])).get(address.trim().toLowerCase()) ?? null;
}

/**
 * Receives one message (raw RFC 5322 source). Throws `mail.unknown_recipient` when no recipient belongs to
 * an organization; otherwise returns what became of it in each organization it was addressed to.
 */
export async function receiveEmail(app: App, raw: Buffer, envelope: InboundEnvelope, options: ReceiveOptions = {}): Promise<ReceivedEmail[]> {
  const mail = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true });
  let orgIds: string[];
  if (envelope.orgId) {
    orgIds = [envelope.orgId];
  } else {
    const recipients = envelope.to.length > 0 ? envelope.to : [...addressesOf(mail.to), ...addressesOf(mail.cc)].map((a) => a.address);
    orgIds = [...new Set((await orgsOf(app.database.db, recipients)).values())];
    if (orgIds.length === 0) throw new AppError('mail.unknown_recipient', { address: recipients.join(', ') || '—' });
  }
  const results: ReceivedEmail[] = [];
  for (const orgId of orgIds) {
    const ctx: Ctx = systemCtx(app, orgId, { actor: { kind: 'system', orgId, name: 'email' }, requestId: options.requestId ?? null, ip: options.ip ?? null, ...(options.now ? { now: options.now } : {}) });
    results.push(await transact(ctx, (t) => receiveInOrg(t, mail, raw, envelope)));
  }
  return results;
}

async function orgLocale(exec: Executor, orgId: string): Promise<Locale> {
  const [org] = await exec.select({ locale: organizations.defaultLocale }).from(organizations).where(eq(organizations.id, orgId));
  return org && isLocale(org.locale) ? org.locale : DEFAULT_LOCALE;
}

/** The request a message answers by the Message-IDs it refers to (the newest match wins). */
async function requestByThread(t: TxCtx, ids: readonly string[]): Promise<string | null> {
  if (ids.length === 0) return null;
  const [row] = await t.tx
    .select({ requestId: requestMessages.requestId })
    .from(requestMessages)
    .where(and(eq(requestMessages.orgId, t.orgId), inArray(requestMessages.emailMessageId, [...ids])))
    .orderBy(desc(requestMessages.createdAt))
    .limit(1);
  return row?.requestId ?? null;
}

/** The request of a subject tag — only when the sender is its contact (tracking numbers can be guessed). */
async function requestByTag(t: TxCtx, subject: string, senders: readonly string[]): Promise<string | null> {
  const number = subjectTag(subject);
  if (!number || senders.length === 0) return null;
  const [row] = await t.tx
    .select({ id: requests.id, contactEmail: requests.contactEmail, customerEmail: customers.email })
    .from(requests)
    .leftJoin(customers, eq(customers.id, requests.customerId))
    .where(and(eq(requests.orgId, t.orgId), eq(requests.number, number)));
  if (!row) return null;
  const known = [row.contactEmail, row.customerEmail].filter((e): e is string => !!e).map((e) => e.toLowerCase());
  return senders.some((s) => known.includes(s)) ? row.id : null;
}

/** Loads a request for a new message, following merges to the surviving request. */
async function openTarget(t: TxCtx, id: string): Promise<RequestRow | null> {
  let current: string | null = id;
  for (let hops = 0; current && hops < 10; hops++) {
    const [row]: RequestRow[] = await t.tx.select().from(requests).where(and(eq(requests.id, current), eq(requests.orgId, t.orgId))).for('update');
    if (!row) return null;
    if (row.state !== 'merged') return row;
    current = row.mergedIntoId;
  }
  return null;
}

async function storeAttachments(t: TxCtx, mail: ParsedMail, authorName: string, locale: Locale): Promise<{ ids: string[]; skipped: SkippedAttachment[] }> {
  const ids: string[] = [];
  const skipped: SkippedAttachment[] = [];
  for (const [index, file] of mail.attachments.entries()) {
    const filename = (file.filename ?? '').trim() || `attachment-${index + 1}${file.contentType === 'message/rfc822' ? '.eml' : ''}`;
    try {
      // A savepoint: a refused file leaves nothing behind, and the rest of the mail is still stored.
      const view = await t.tx.transaction((sp) => storeFileTx({ ...t, tx: sp }, { filename, contentType: file.contentType, content: file.content }, authorName));
      ids.push(view.id);
    } catch (error) {
      if (!isAppError(error)) throw error;
      skipped.push({ filename, reason: errorMessage(locale, error.code, error.params) });
    }
  }
  return { ids, skipped };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

async function receiveInOrg(t: TxCtx, mail: ParsedMail, raw: Buffer, envelope: InboundEnvelope): Promise<ReceivedEmail> {
  const emailMessageId = normalizeMessageId(mail.messageId) ?? `<${createHash('sha256').update(raw).digest('hex')}@pledge.no-message-id>`;
  // Two deliveries of one message (an SMTP retry, the same mail by IMAP) wait for each other here.
  await t.tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`email:${t.orgId}:${emailMessageId}`}, 0))`);
  const base = { orgId: t.orgId, emailMessageId, skippedAttachments: [] as SkippedAttachment[], ignoredBecause: null };

  const [seen] = await t.tx
    .select({ id: requestMessages.id, requestId: requestMessages.requestId, number: requests.number })
    .from(requestMessages)
    .innerJoin(requests, eq(requests.id, requestMessages.requestId))
    .where(and(eq(requestMessages.orgId, t.orgId), eq(requestMessages.emailMessageId, emailMessageId)))
    .orderBy(asc(requestMessages.createdAt))
    .limit(1);
  if (seen) return { ...base, outcome: 'duplicate', requestId: seen.requestId, number: seen.number, messageId: seen.id };

  const sender = addressesOf(mail.from)[0] ?? null;
  const replyTo = addressesOf(mail.replyTo)[0] ?? null;
  const settings = await settingsOf(t.tx, t.orgId);
  const ownAccounts = await t.tx.select({ address: mailAccounts.address }).from(mailAccounts).where(eq(mailAccounts.orgId, t.orgId));
  const own = new Set([...settings.inboundAddresses, ...ownAccounts.map((a) => a.address.toLowerCase())]);
  const ignoredBecause = automaticReason(mail.headers, sender?.address ?? null, envelope.from) ?? (sender && own.has(sender.address) ? 'own_address' : null);
  const subjectRaw = (mail.subject ?? '').trim();
  if (ignoredBecause) {
    await audit(t, { action: 'email.ignored', entityType: 'email', entityId: null, after: { emailMessageId, from: sender?.address ?? null, subject: clip(subjectRaw, 200), reason: ignoredBecause } });
    return { ...base, outcome: 'ignored', requestId: null, number: null, messageId: null, ignoredBecause };
  }

  const text = stripQuoted(mail.text ?? '');
  const locale = guessLocale(`${subjectRaw}\n${text}`, await orgLocale(t.tx, t.orgId));
  const contactAddress = replyTo && !own.has(replyTo.address) ? replyTo.address : sender!.address;
  const contactEmail = EmailAddress.safeParse(contactAddress).success ? contactAddress : null;
  const contactName = clip(sender!.name.trim() || sender!.address.split('@')[0]!, 100);
  const refs = threadIds(mail.inReplyTo, mail.references);

  const threadId = (await requestByThread(t, refs)) ?? (await requestByTag(t, subjectRaw, [sender!.address, ...(replyTo ? [replyTo.address] : [])]));
  let target = threadId ? await openTarget(t, threadId) : null;
  // A reply to an archived request starts a new one: the closed record stays as it was measured.
  const followUpOf = target?.state === 'archived' ? target.number : null;
  if (followUpOf) target = null;

  const files = await storeAttachments(t, mail, contactName, locale);
  const texts = mailTexts(locale);
  const skippedNote = files.skipped.length > 0 ? `\n\n${texts.skipped}\n${files.skipped.map((s) => `- ${s.filename}: ${s.reason}`).join('\n')}` : '';
  const body = clip(text, MAX_BODY - skippedNote.length) + skippedNote;
  const inReplyTo = refs[0] ?? null;

  let outcome: ReceivedEmail['outcome'];
  let request: RequestRow;
  let messageId: string;
  if (target) {
    const message = await customerMessageTx(t, target, { body, authorName: contactName, channel: 'email', emailMessageId, emailInReplyTo: inReplyTo, attachmentIds: files.ids });
    outcome = 'appended';
    request = target;
    messageId = message.id;
  } else {
    const [customer] = await t.tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, t.orgId), sql`lower(${customers.email}) = ${contactEmail ?? sender!.address}`))
      .orderBy(asc(customers.createdAt))
      .limit(1);
    const input = C.RequestCreate.parse({
      type: 'consultation', channel: 'email', subject: clip(cleanSubject(subjectRaw) || texts.noSubject, 200), description: clip(text, MAX_BODY),
      customerId: customer?.id ?? null, contactName, contactEmail,
    });
    request = await registerRequestTx(t, input, { firstMessage: { body, emailMessageId, emailInReplyTo: inReplyTo, authorName: contactName } });
    const [first] = await t.tx
      .select({ id: requestMessages.id })
      .from(requestMessages)
      .where(and(eq(requestMessages.requestId, request.id), eq(requestMessages.emailMessageId, emailMessageId)));
    messageId = first!.id;
    if (files.ids.length > 0) await attachPending(t, request.id, messageId, files.ids);
    outcome = 'created';
  }
  await audit(t, {
    action: 'email.receive', entityType: 'request', entityId: request.id,
    after: { emailMessageId, from: sender!.address, outcome, number: request.number, followUpOf, attachments: files.ids.length, skipped: files.skipped.map((s) => s.filename) },
  });
  return { ...base, outcome, requestId: request.id, number: request.number, messageId, skippedAttachments: files.skipped };
}
