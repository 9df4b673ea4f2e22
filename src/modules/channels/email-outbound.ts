/**
 * Outbound e-mail: a reply to the customer on a request that came by e-mail leaves as a mail through the
 * outbox, in the same transaction as the reply. It is threaded into the customer's conversation
 * (In-Reply-To the customer's last mail, References the whole chain), carries the tracking tag in its
 * subject and its own Message-ID — stored on the reply, so the customer's answer finds the request again.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { TxCtx } from '../../core/context.js';
import { DEFAULT_LOCALE, isLocale } from '../../core/i18n.js';
import { enqueue } from '../../core/outbox.js';
import { customers, organizations } from '../org/schema.js';
import type { RequestRow } from '../requests/records.js';
import { requestMessages, requestSettings } from '../requests/schema.js';
import { mailAccounts } from './schema.js';
import { domainOf, guessLocale, replySubject, replyText } from './email-parse.js';

type MessageRow = typeof requestMessages.$inferSelect;

/** How many Message-IDs the References header carries at most (the oldest and the newest are what clients use). */
const MAX_REFERENCES = 20;

function displayName(name: string): string {
  return `"${name.replace(/["\\\r\n]/g, '').slice(0, 100)}"`;
}

/**
 * Queues the mail of a staff reply when the request is an e-mail conversation (it came by e-mail, or the
 * customer has written by e-mail) and has an address to answer. Returns the outbox id, or null when the
 * reply does not leave by e-mail. Sets the reply's `email_message_id`.
 */
export async function queueEmailReply(t: TxCtx, request: RequestRow, message: MessageRow): Promise<number | null> {
  if (message.kind !== 'reply') return null;
  const thread = await t.tx
    .select({ kind: requestMessages.kind, channel: requestMessages.channel, body: requestMessages.body, emailMessageId: requestMessages.emailMessageId })
    .from(requestMessages)
    .where(and(eq(requestMessages.requestId, request.id), ne(requestMessages.id, message.id)))
    .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id));
  const byEmail = request.channel === 'email' || thread.some((m) => m.kind === 'customer' && m.channel === 'email');
  if (!byEmail) return null;
  let to = request.contactEmail;
  if (!to && request.customerId) {
    const [customer] = await t.tx.select({ email: customers.email }).from(customers).where(eq(customers.id, request.customerId));
    to = customer?.email ?? null;
  }
  if (!to) return null;

  const [org] = await t.tx.select({ name: organizations.name, locale: organizations.defaultLocale }).from(organizations).where(eq(organizations.id, t.orgId));
  const [settings] = await t.tx.select({ inbound: requestSettings.inboundAddresses }).from(requestSettings).where(eq(requestSettings.orgId, t.orgId));
  let fromAddress = settings?.inbound[0] ?? null;
  if (!fromAddress) {
    const [account] = await t.tx
      .select({ address: mailAccounts.address })
      .from(mailAccounts)
      .where(and(eq(mailAccounts.orgId, t.orgId), eq(mailAccounts.active, true)))
      .orderBy(asc(mailAccounts.createdAt))
      .limit(1);
    fromAddress = account?.address ?? null;
  }
  const from = fromAddress ? `${displayName(org?.name ?? 'Pledge')} <${fromAddress}>` : t.app.config.mailFrom;
  const emailMessageId = `<${randomUUID()}@${domainOf(fromAddress ?? t.app.config.mailFrom) ?? 'pledge.local'}>`;

  const customerMails = thread.filter((m) => m.kind === 'customer');
  const lastCustomer = customerMails.at(-1);
  const inReplyTo = customerMails.filter((m) => m.emailMessageId).at(-1)?.emailMessageId ?? null;
  const chain = thread.map((m) => m.emailMessageId).filter((id): id is string => !!id);
  const references = chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  const fallback = org && isLocale(org.locale) ? org.locale : DEFAULT_LOCALE;
  const locale = guessLocale(lastCustomer?.body ?? `${request.subject}\n${request.description}`, fallback);

  await t.tx.update(requestMessages).set({ emailMessageId, emailInReplyTo: inReplyTo }).where(eq(requestMessages.id, message.id));
  message.emailMessageId = emailMessageId;
  message.emailInReplyTo = inReplyTo;
  return enqueue(t, {
    kind: 'email',
    payload: {
      from, to, subject: replySubject(request.number, request.subject), text: replyText(message.body, request.number, locale),
      messageId: emailMessageId, ...(inReplyTo ? { inReplyTo } : {}), ...(references.length > 0 ? { references } : {}),
      headers: { 'X-Pledge-Request': request.number },
    },
    dedupeKey: `email-reply:${message.id}`,
  });
}
