/**
 * The online chat channel: shapes of the public chat API (the embeddable widget) and of the console's
 * "live chats" list. Imports nothing but zod and the shared contracts (which import nothing but zod).
 */
import { z } from 'zod';
import { LoopState, RequestType } from '../requests/contracts.js';
import { Id, Timestamp } from '../shared/contracts.js';

/** What a visitor may open a conversation as (urgent faults go through the hotline, as on the portal). */
export const ChatRequestType = RequestType.extract(['consultation', 'service_request', 'complaint', 'suggestion']);
export type ChatRequestType = z.infer<typeof ChatRequestType>;

const PHONE = /^\+?[0-9][0-9\s()-]{4,19}$/;

/** One contact field: an e-mail address when it holds an @, a phone number otherwise. Empty: none. */
export const ChatContact = z
  .string()
  .trim()
  .max(200)
  .superRefine((value, issue) => {
    if (value === '') return;
    if (value.includes('@')) {
      if (!z.email().safeParse(value).success) issue.addIssue({ code: 'invalid_format', format: 'email', input: value });
    } else if (!PHONE.test(value)) {
      issue.addIssue({ code: 'invalid_format', format: 'regex', pattern: PHONE.source, input: value, message: 'pledge:phone_format' });
    }
  });

/** Starting a conversation: it becomes a request on the chat channel with the first message. */
export const ChatStart = z.strictObject({
  name: z.string().trim().max(100).optional(),
  contact: ChatContact.optional(),
  firstMessage: z.string().trim().min(1).max(4000),
  type: ChatRequestType.default('consultation'),
});
export type ChatStart = z.infer<typeof ChatStart>;

export const ChatStarted = z.object({
  sessionToken: z.string().describe('keep it: it authenticates this conversation (x-chat-token header); only its hash is stored'),
  requestNumber: z.string(),
});
export type ChatStarted = z.infer<typeof ChatStarted>;

export const ChatSend = z.strictObject({ body: z.string().trim().min(1).max(4000) });

/** A line of the conversation as the visitor sees it: their own messages and the agents' replies, never notes. */
export const ChatLine = z.object({
  id: Id,
  from: z.enum(['visitor', 'agent']),
  authorName: z.string(),
  body: z.string(),
  at: Timestamp,
});
export type ChatLine = z.infer<typeof ChatLine>;

/**
 * What the visitor's stream carries (each an SSE message whose JSON has `type`): `session` first (the
 * conversation's facts), then `message` lines (with the SSE id, for Last-Event-ID), `state` changes of the
 * request, and `closed` when the conversation ends.
 */
export const ChatStreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session'), requestNumber: z.string(), state: LoopState, visitorName: z.string().nullable(), closed: z.boolean() }),
  z.object({ type: z.literal('message'), message: ChatLine }),
  z.object({ type: z.literal('state'), state: LoopState }),
  z.object({ type: z.literal('closed'), by: z.enum(['visitor', 'request']) }),
]);
export type ChatStreamEvent = z.infer<typeof ChatStreamEvent>;

/** A conversation still open, for the console's "live chats" indicator. */
export const LiveChat = z.object({
  sessionId: Id,
  requestId: Id,
  number: z.string(),
  subject: z.string(),
  state: LoopState,
  visitorName: z.string().nullable(),
  assigneeId: Id.nullable(),
  startedAt: Timestamp,
  lastSeenAt: Timestamp,
  /** The visitor's stream was connected within the last two minutes. */
  online: z.boolean(),
  /** The last customer-visible line is the visitor's: an agent owes an answer. */
  awaitingReply: z.boolean(),
});
export type LiveChat = z.infer<typeof LiveChat>;

export const LiveChats = z.object({ items: z.array(LiveChat) });
export type LiveChats = z.infer<typeof LiveChats>;
