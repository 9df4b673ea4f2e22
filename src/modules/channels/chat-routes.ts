/**
 * HTTP of the chat channel: the widget script (/embed/<org>/chat.js), the public chat API under
 * /api/v1/chat/<org> (open to any origin, without credentials: the widget runs on the organization's own
 * site and authenticates with its session token), the visitor's live stream, and the console's list of
 * live chats. Rate limits are per node, in memory.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';
import { negotiateLocale } from '../../core/i18n.js';
import { ctxOf } from '../../http/context.js';
import { Ok } from '../shared/contracts.js';
import * as C from './chat-contracts.js';
import {
  chatOrganization, chatStreamEventsFor, closeChat, DEFAULT_CHAT_LIMITS, liveChats, openChatStream, RateLimiter, sendChatMessage, sessionKey, startChat,
  touchChatSession, type CallerInfo, type ChatLimits,
} from './chat.js';
import { chatWidgetScript } from './chat-widget.js';

const OrgParams = z.strictObject({ org: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** Headers that let the widget on any site call the chat API (no cookies are sent nor accepted). */
const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, accept, accept-language, authorization, x-chat-token, last-event-id',
  'access-control-max-age': '600',
};

/** The visitor's session token: the x-chat-token header, or Authorization: Bearer. */
function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers['x-chat-token'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  return null;
}

function callerOf(request: FastifyRequest): CallerInfo {
  return { ip: request.ip ?? null, requestId: request.id, locale: negotiateLocale(request.headers['accept-language']) };
}

/** Registers the chat channel's routes on the root server (their paths are absolute). */
export async function chatRoutes(server: FastifyInstance, app: App, limits: ChatLimits = DEFAULT_CHAT_LIMITS) {
  const startLimiter = new RateLimiter(limits.startPerIp.capacity, limits.startPerIp.perSecond);
  const messageLimiter = new RateLimiter(limits.messagePerSession.capacity, limits.messagePerSession.perSecond);
  const messageIpLimiter = new RateLimiter(limits.messagePerIp.capacity, limits.messagePerIp.perSecond);
  const streamLimiter = new RateLimiter(limits.streamPerSession.capacity, limits.streamPerSession.perSecond);
  const openStreams = new Map<string, number>();

  const limit = (reply: FastifyReply, limiter: RateLimiter, key: string) => {
    const now = Date.now();
    if (limiter.take(key, now)) return;
    reply.header('retry-after', String(Math.max(1, limiter.retryAfter(key, now))));
    throw new AppError('rate_limited');
  };

  server.get('/embed/:org/chat.js', { schema: { hide: true, params: OrgParams } }, async (request, reply) => {
    const { org: code } = request.params as z.infer<typeof OrgParams>;
    const org = await chatOrganization(app, code);
    reply.header('content-type', 'application/javascript; charset=utf-8').header('access-control-allow-origin', '*');
    if (!org) return reply.status(404).header('cache-control', 'no-cache').send('/* Pledge: unknown organization */\n');
    return reply.header('cache-control', 'public, max-age=300').send(chatWidgetScript(org));
  });

  // The public chat API, in its own plugin so that its CORS headers reach nothing else.
  await server.register(async (scope) => {
    const chat = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['chat'];
    chat.addHook('onSend', async (_request, reply) => {
      for (const [name, value] of Object.entries(CORS)) reply.header(name, value);
    });
    chat.options('/api/v1/chat/*', { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());

    chat.post('/api/v1/chat/:org/sessions', {
      schema: { tags, summary: 'Start a conversation (it becomes a request on the chat channel); returns the session token once', security: [], params: OrgParams, body: C.ChatStart, response: { 201: C.ChatStarted } },
    }, async (request, reply) => {
      limit(reply, startLimiter, `ip:${request.ip}`);
      return reply.status(201).send(await startChat(app, request.params.org, request.body, callerOf(request)));
    });

    chat.post('/api/v1/chat/:org/messages', {
      schema: { tags, summary: 'The visitor writes (x-chat-token: the session token)', security: [], params: OrgParams, body: C.ChatSend, response: { 201: C.ChatLine } },
    }, async (request, reply) => {
      const token = tokenOf(request);
      limit(reply, messageIpLimiter, `ip:${request.ip}`);
      limit(reply, messageLimiter, sessionKey(token));
      return reply.status(201).send(await sendChatMessage(app, request.params.org, token, request.body, callerOf(request)));
    });

    chat.post('/api/v1/chat/:org/close', {
      schema: { tags, summary: 'The visitor ends the conversation (the request stays open for the agent)', security: [], params: OrgParams, response: { 200: Ok } },
    }, async (request, reply) => {
      const token = tokenOf(request);
      limit(reply, messageLimiter, sessionKey(token));
      return closeChat(app, request.params.org, token, callerOf(request));
    });

    chat.get('/api/v1/chat/:org/stream', {
      schema: {
        tags, security: [], params: OrgParams,
        summary: 'Server-Sent Events for the visitor: the conversation so far (after Last-Event-ID), then replies, state changes and the end, live',
        querystring: z.strictObject({ token: z.string().max(200).optional().describe('for EventSource, which cannot send headers; prefer the x-chat-token header (URLs end up in logs)') }),
      },
    }, async (request, reply) => {
      const token = tokenOf(request) ?? request.query.token ?? null;
      limit(reply, messageIpLimiter, `ip:${request.ip}`);
      limit(reply, streamLimiter, sessionKey(token));
      const org = await chatOrganization(app, request.params.org);
      if (!org) throw new AppError('not_found', { entity: 'organization' });

      // Listen before reading the backlog, so that nothing said in between is lost; duplicates are dropped by id.
      const early: DomainEvent[] = [];
      let deliver: ((event: DomainEvent) => void) | null = null;
      const unsubscribe = app.bus.subscribe('*', (event) => {
        if (event.orgId !== org.id || !(event.type.startsWith('request.') || event.type.startsWith('chat.'))) return;
        if (deliver) deliver(event);
        else early.push(event);
      });
      let start;
      try {
        const lastEventId = request.headers['last-event-id'];
        start = await openChatStream(app, org.code, token, typeof lastEventId === 'string' ? lastEventId : null);
      } catch (error) {
        unsubscribe();
        throw error;
      }
      const { session } = start;
      const open = openStreams.get(session.id) ?? 0;
      if (open >= limits.streamsOpenPerSession) {
        unsubscribe();
        throw new AppError('rate_limited');
      }
      openStreams.set(session.id, open + 1);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...CORS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      const sent = new Set<string>();
      let finished = false;
      const write = (event: C.ChatStreamEvent) => {
        if (finished) return;
        if (event.type === 'message') {
          if (sent.has(event.message.id)) return;
          sent.add(event.message.id);
          res.write(`id: ${event.message.id}\ndata: ${JSON.stringify(event)}\n\n`);
        } else {
          res.write(`data: ${JSON.stringify(event)}\n\n`);
        }
      };
      const heartbeat = setInterval(() => {
        res.write(': ping\n\n');
        touchChatSession(app, session.id, new Date()).catch((error: unknown) => request.log.warn({ err: error }, 'chat presence not recorded'));
      }, 25_000);
      const finish = () => {
        if (finished) return;
        finished = true;
        clearInterval(heartbeat);
        unsubscribe();
        const left = (openStreams.get(session.id) ?? 1) - 1;
        if (left > 0) openStreams.set(session.id, left);
        else openStreams.delete(session.id);
        res.end();
      };
      // The visitor went away (tab closed, network lost) or the server is closing.
      request.raw.on('close', finish);
      res.on('close', finish);
      res.on('error', finish);

      res.write('retry: 3000\n\n');
      write(start.hello);
      for (const line of start.backlog) write({ type: 'message', message: line });
      if (start.hello.closed) {
        write({ type: 'closed', by: 'request' });
        finish();
        return;
      }
      touchChatSession(app, session.id, new Date()).catch((error: unknown) => request.log.warn({ err: error }, 'chat presence not recorded'));

      // Events are handled one after the other, so a reply and the state change it caused arrive in order.
      let chain = Promise.resolve();
      deliver = (event) => {
        chain = chain
          .then(async () => {
            if (finished) return;
            const { events, end } = await chatStreamEventsFor(app, session, event);
            for (const e of events) write(e);
            if (end) finish();
          })
          .catch((error: unknown) => request.log.warn({ err: error }, 'chat stream event not delivered'));
      };
      for (const event of early.splice(0)) deliver(event);
    });
  });

  server.withTypeProvider<ZodTypeProvider>().get('/api/v1/chats/live', {
    schema: { tags: ['chat'], summary: 'Open conversations whose visitor was here in the last half hour (the console’s live chats)', response: { 200: C.LiveChats } },
  }, async (request) => liveChats(ctxOf(app, request)));
}
