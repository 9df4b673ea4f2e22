/**
 * The online chat channel (在线客服). A conversation is a request on the `chat` channel from its first
 * message: the visitor of the widget starts it without an account and holds a random session token (only
 * its SHA-256 is stored, in chat_sessions); their lines are customer messages of the request; agents answer
 * with ordinary replies on the request page, which reach the visitor's stream live. Internal notes never
 * leave the console.
 */
import { and, asc, desc, eq, gt, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type App, type Ctx } from '../../core/context.js';
import { randomToken, sha256 } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';
import type { Locale } from '../../core/i18n.js';
import { authorize, branchFilter } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { organizations } from '../org/schema.js';
import type { LoopState } from '../requests/contracts.js';
import { requestMessages, requests } from '../requests/schema.js';
import { customerMessageTx, loadRequest, registerRequestTx, type MessageRow } from '../requests/service.js';
import * as C from './chat-contracts.js';
import { chatSessions } from './schema.js';

export type ChatSessionRow = typeof chatSessions.$inferSelect;

/** Where a public call comes from (the HTTP edge fills it in). */
export interface CallerInfo {
  ip: string | null;
  requestId: string | null;
  locale: Locale;
  now?: () => Date;
}

/** A subject for the console list: the first message on one line, cut at 60 characters. */
export function subjectOf(firstMessage: string): string {
  const line = firstMessage.replace(/\s+/g, ' ').trim();
  // Count code points, not UTF-16 units, so an emoji is never cut in half.
  const chars = Array.from(line);
  return chars.length <= 60 ? line : `${chars.slice(0, 59).join('')}…`;
}

/** The name a visitor who gave none is shown by. */
export function visitorLabel(locale: Locale): string {
  return locale === 'en-US' ? 'Visitor' : '访客';
}

/** The organization of a public chat URL, or null for an unknown code. */
export async function chatOrganization(app: App, code: string): Promise<{ id: string; code: string; name: string } | null> {
  const [org] = await app.database.db.select({ id: organizations.id, code: organizations.code, name: organizations.name }).from(organizations).where(eq(organizations.code, code));
  return org ?? null;
}

async function requireOrganization(app: App, code: string) {
  const org = await chatOrganization(app, code);
  if (!org) throw new AppError('not_found', { entity: 'organization' });
  return org;
}

/** The visitor as the actor: the request's history says who wrote, by the name they gave. */
function publicCtx(app: App, orgId: string, info: CallerInfo, visitorName: string | null): Ctx {
  return { app, actor: { kind: 'public', orgId, name: visitorName ?? visitorLabel(info.locale) }, orgId, now: info.now ?? (() => new Date()), requestId: info.requestId, ip: info.ip, locale: info.locale };
}

/** Session tokens are 43 base64url characters; anything else is not worth hashing. */
function tokenHashOf(token: string | null | undefined): string {
  if (!token) throw new AppError('auth.required');
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new AppError('not_found', { entity: 'chat' });
  return sha256(token);
}

async function sessionByToken(exec: Executor, orgId: string, token: string | null | undefined, lock = false): Promise<ChatSessionRow> {
  const q = exec.select().from(chatSessions).where(and(eq(chatSessions.tokenHash, tokenHashOf(token)), eq(chatSessions.orgId, orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'chat' });
  return row;
}

function lineOf(m: Pick<MessageRow, 'id' | 'kind' | 'authorName' | 'body' | 'createdAt'>): C.ChatLine {
  return { id: m.id, from: m.kind === 'customer' ? 'visitor' : 'agent', authorName: m.authorName, body: m.body, at: m.createdAt.toISOString() };
}

/** The request is over for the chat: nothing more can be said in this conversation. */
function requestEnded(state: string): boolean {
  return state === 'archived' || state === 'merged';
}

function chatEventData(session: ChatSessionRow, row: { id: string; number: string; state: string; branchId: string; teamId: string | null; assigneeId: string | null }) {
  // The same keys as request events, so the staff stream filters them by branch alike.
  return { sessionId: session.id, requestId: row.id, number: row.number, state: row.state, branchId: row.branchId, teamId: row.teamId, assigneeId: row.assigneeId, channel: 'chat' };
}

// ---------- the visitor's commands ----------

/**
 * Starts a conversation: registers the request (channel chat, consultation unless the visitor chose
 * otherwise) with the first message, and the chat session. Returns the session token, once.
 */
export async function startChat(app: App, orgCode: string, input: unknown, info: CallerInfo): Promise<C.ChatStarted> {
  const org = await requireOrganization(app, orgCode);
  const data = parse(C.ChatStart, input);
  const name = data.name ? data.name : null;
  const ctx = publicCtx(app, org.id, info, name);
  const token = randomToken(32);
  const contact = data.contact ?? '';
  const email = contact.includes('@') ? contact.toLowerCase() : null;
  const phone = contact !== '' && !email ? contact : null;
  return transact(ctx, async (t) => {
    const request = await registerRequestTx(
      t,
      {
        type: data.type, priority: 'general', channel: 'chat', subject: subjectOf(data.firstMessage), description: '', customerId: null,
        contactName: name, contactPhone: phone, contactEmail: email, customerFlags: [], tags: [], attachmentIds: [],
      },
      { firstMessage: { body: data.firstMessage, authorName: name ?? visitorLabel(info.locale) } },
    );
    const now = t.now();
    const [session] = await t.tx
      .insert(chatSessions)
      .values({ orgId: t.orgId, requestId: request.id, tokenHash: sha256(token), visitorName: name, createdAt: now, lastSeenAt: now })
      .returning();
    await audit(t, { action: 'chat.start', entityType: 'request', entityId: request.id, after: { sessionId: session!.id, visitorName: name } });
    await t.emit('chat.started', { entityType: 'chat_session', entityId: session!.id, data: chatEventData(session!, request) });
    return { sessionToken: token, requestNumber: request.number };
  });
}

/** A line from the visitor: a customer message of the request (it resumes a request waiting on the customer). */
export async function sendChatMessage(app: App, orgCode: string, token: string | null | undefined, input: unknown, info: CallerInfo): Promise<C.ChatLine> {
  const org = await requireOrganization(app, orgCode);
  const data = parse(C.ChatSend, input);
  const known = await sessionByToken(app.database.db, org.id, token);
  const ctx = publicCtx(app, org.id, info, known.visitorName);
  return transact(ctx, async (t) => {
    const session = await sessionByToken(t.tx, t.orgId, token, true);
    if (session.closedAt) throw new AppError('chat.closed');
    const request = await loadRequest(t.tx, t, session.requestId, true);
    if (requestEnded(request.state)) throw new AppError('chat.closed');
    const message = await customerMessageTx(t, request, { body: data.body, authorName: session.visitorName ?? visitorLabel(info.locale), channel: 'chat' });
    await t.tx.update(chatSessions).set({ lastSeenAt: t.now() }).where(eq(chatSessions.id, session.id));
    return lineOf(message);
  });
}

/** The visitor ends the conversation. The request stays open for the agent to finish the loop. */
export async function closeChat(app: App, orgCode: string, token: string | null | undefined, info: CallerInfo): Promise<{ ok: true }> {
  const org = await requireOrganization(app, orgCode);
  const known = await sessionByToken(app.database.db, org.id, token);
  const ctx = publicCtx(app, org.id, info, known.visitorName);
  return transact(ctx, async (t) => {
    const session = await sessionByToken(t.tx, t.orgId, token, true);
    // Ending twice is not an error: the widget may retry after a lost answer.
    if (session.closedAt) return { ok: true as const };
    const now = t.now();
    await t.tx.update(chatSessions).set({ closedAt: now, lastSeenAt: now }).where(eq(chatSessions.id, session.id));
    const request = await loadRequest(t.tx, t, session.requestId);
    await audit(t, { action: 'chat.close', entityType: 'request', entityId: request.id, before: { closedAt: null }, after: { sessionId: session.id, closedAt: now } });
    await t.emit('chat.closed', { entityType: 'chat_session', entityId: session.id, data: { ...chatEventData(session, request), by: 'visitor' } });
    return { ok: true as const };
  });
}

// ---------- the visitor's stream ----------

export interface ChatStreamStart {
  session: ChatSessionRow;
  /** The first event: the conversation's facts. */
  hello: Extract<C.ChatStreamEvent, { type: 'session' }>;
  /** The lines after `lastEventId` (all of them without it). */
  backlog: C.ChatLine[];
}

/**
 * Opens the visitor's stream: checks the token, and reads the conversation so far — or, with the id of
 * the last line the visitor received (SSE Last-Event-ID), only what came after it.
 */
export async function openChatStream(app: App, orgCode: string, token: string | null | undefined, lastEventId: string | null): Promise<ChatStreamStart> {
  const org = await requireOrganization(app, orgCode);
  const db = app.database.db;
  const session = await sessionByToken(db, org.id, token);
  const [request] = await db.select({ number: requests.number, state: requests.state }).from(requests).where(eq(requests.id, session.requestId));
  if (!request) throw new AppError('not_found', { entity: 'chat' });
  const visible = and(eq(requestMessages.requestId, session.requestId), inArray(requestMessages.kind, ['customer', 'reply']));
  let after = undefined;
  if (lastEventId && /^[0-9a-f-]{36}$/i.test(lastEventId)) {
    const [last] = await db.select({ id: requestMessages.id, createdAt: requestMessages.createdAt }).from(requestMessages).where(and(visible, eq(requestMessages.id, lastEventId)));
    if (last) after = or(gt(requestMessages.createdAt, last.createdAt), and(eq(requestMessages.createdAt, last.createdAt), gt(requestMessages.id, last.id)));
  }
  const rows = await db
    .select({ id: requestMessages.id, kind: requestMessages.kind, authorName: requestMessages.authorName, body: requestMessages.body, createdAt: requestMessages.createdAt })
    .from(requestMessages)
    .where(after ? and(visible, after) : visible)
    .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id));
  return {
    session,
    hello: { type: 'session', requestNumber: request.number, state: request.state as LoopState, visitorName: session.visitorName, closed: session.closedAt !== null || requestEnded(request.state) },
    backlog: rows.map(lineOf),
  };
}

/**
 * What a domain event means for one visitor's stream: their own lines and the agents' replies on their
 * request, its state changes, and the end of the conversation. Everything else (notes above all) is
 * nothing. `end` tells the stream to finish after sending.
 */
export async function chatStreamEventsFor(app: App, session: Pick<ChatSessionRow, 'id' | 'orgId' | 'requestId'>, event: DomainEvent): Promise<{ events: C.ChatStreamEvent[]; end: boolean }> {
  const none = { events: [], end: false };
  if (event.orgId !== session.orgId) return none;
  const data = event.data ?? {};
  if (event.type === 'chat.closed') return data.sessionId === session.id ? { events: [{ type: 'closed', by: 'visitor' }], end: true } : none;
  if (data.requestId !== session.requestId) return none;
  if (event.type === 'request.replied' || event.type === 'request.customer_message') {
    if (typeof data.messageId !== 'string') return none;
    // Read back with the kind filter: whatever the event says, only replies and the visitor's own lines leave.
    const [message] = await app.database.db
      .select()
      .from(requestMessages)
      .where(and(eq(requestMessages.id, data.messageId), eq(requestMessages.requestId, session.requestId), inArray(requestMessages.kind, ['customer', 'reply'])));
    return message ? { events: [{ type: 'message', message: lineOf(message) }], end: false } : none;
  }
  if (event.type === 'request.transitioned' && typeof data.to === 'string') {
    const state = data.to as LoopState;
    if (requestEnded(state)) return { events: [{ type: 'state', state }, { type: 'closed', by: 'request' }], end: true };
    return { events: [{ type: 'state', state }], end: false };
  }
  return none;
}

/** Presence: the visitor's stream is connected. Written at most once a minute per session (not audited: no change of facts). */
export async function touchChatSession(app: App, sessionId: string, now: Date): Promise<void> {
  await app.database.db
    .update(chatSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(chatSessions.id, sessionId), sql`${chatSessions.lastSeenAt} < ${new Date(now.getTime() - 60_000)}`));
}

// ---------- the console ----------

/** A visitor seen within this window still counts as a live chat. */
const LIVE_WINDOW_MS = 30 * 60_000;
/** A connected stream touches the session once a minute; two minutes without one is offline. */
const ONLINE_WINDOW_MS = 2 * 60_000;

/** Open conversations whose visitor was here in the last half hour, in the branches the reader reaches. */
export async function liveChats(ctx: Ctx): Promise<C.LiveChats> {
  authorize(ctx, 'request.read');
  const now = ctx.now();
  const branch = branchFilter(ctx.actor);
  const lastKind = sql<string | null>`(
    SELECT m.kind FROM ${requestMessages} m
    WHERE m.request_id = ${requests.id} AND m.kind IN ('customer', 'reply')
    ORDER BY m.created_at DESC, m.id DESC LIMIT 1)`;
  const rows = await ctx.app.database.db
    .select({ session: chatSessions, number: requests.number, subject: requests.subject, state: requests.state, assigneeId: requests.assigneeId, lastKind })
    .from(chatSessions)
    .innerJoin(requests, eq(requests.id, chatSessions.requestId))
    .where(
      and(
        eq(chatSessions.orgId, ctx.orgId),
        isNull(chatSessions.closedAt),
        gt(chatSessions.lastSeenAt, new Date(now.getTime() - LIVE_WINDOW_MS)),
        notInArray(requests.state, ['archived', 'merged']),
        branch ? eq(requests.branchId, branch) : undefined,
      ),
    )
    .orderBy(desc(chatSessions.lastSeenAt))
    .limit(50);
  return {
    items: rows.map((r) => ({
      sessionId: r.session.id, requestId: r.session.requestId, number: r.number, subject: r.subject, state: r.state as LoopState,
      visitorName: r.session.visitorName, assigneeId: r.assigneeId, startedAt: r.session.createdAt.toISOString(), lastSeenAt: r.session.lastSeenAt.toISOString(),
      online: now.getTime() - r.session.lastSeenAt.getTime() <= ONLINE_WINDOW_MS, awaitingReply: r.lastKind === 'customer',
    })),
  };
}

// ---------- rate limits ----------

/**
 * Token buckets kept in this process's memory, one per key (an IP address, a session). Each holds up to
 * `capacity` tokens and regains `perSecond`; a call takes one. On several app nodes each node counts for
 * itself, which is enough against a runaway script; a proxy in front limits a flood.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes a token for `key` at `nowMs`; false when the bucket is empty. */
  take(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(this.capacity, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond) : this.capacity;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: nowMs });
      return false;
    }
    if (!bucket && this.buckets.size >= this.maxKeys) this.prune(nowMs);
    this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfter(key: string, nowMs: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const tokens = bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond;
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.perSecond);
  }

  /** Forgets buckets that are full again (they behave exactly like absent ones); then the oldest if still too many. */
  private prune(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.perSecond >= this.capacity) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** The chat API's limits (per node). */
export interface ChatLimits {
  /** Conversations started per IP address. */
  startPerIp: { capacity: number; perSecond: number };
  /** Lines sent per conversation, and per IP address. */
  messagePerSession: { capacity: number; perSecond: number };
  messagePerIp: { capacity: number; perSecond: number };
  /** Stream (re)connections per conversation. */
  streamPerSession: { capacity: number; perSecond: number };
  /** Streams open at once per conversation (tabs of one visitor). */
  streamsOpenPerSession: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  startPerIp: { capacity: 10, perSecond: 1 / 30 },
  messagePerSession: { capacity: 10, perSecond: 0.5 },
  messagePerIp: { capacity: 60, perSecond: 1 },
  streamPerSession: { capacity: 10, perSecond: 0.2 },
  streamsOpenPerSession: 5,
};

/** Key of a session for the limiters (the token's hash, never the token). */
export function sessionKey(token: string | null | undefined): string {
  return token ? `s:${sha256(token)}` : 's:-';
}
