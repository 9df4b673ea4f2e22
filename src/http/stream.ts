/**
 * Live updates for signed-in staff: one Server-Sent Events stream per browser tab at GET /api/v1/stream.
 * It forwards the domain events the person may see — request events of the branches they reach, and
 * events addressed to them (`data.recipientId`, e.g. notifications) — as they are published on this node
 * (events from other nodes arrive through LISTEN/NOTIFY and are published here too). Every event is an
 * unnamed SSE message whose JSON carries its `type`, so one `onmessage` handler reads them all.
 */
import type { FastifyInstance } from 'fastify';
import type { App } from '../core/context.js';
import type { DomainEvent } from '../core/events.js';
import { branchFilter, can, type Permission } from '../core/policy.js';
import { ctxOf } from './context.js';

/**
 * Event types forwarded live (by prefix), each with the permission that reading them needs. Events carry ids,
 * numbers and states only; the page that receives one refetches what it shows through the API.
 */
const LIVE: ReadonlyArray<readonly [string, Permission]> = [
  ['request.', 'request.read'],
  ['notification.', 'request.read'],
  ['chat.', 'request.read'],
  ['call.', 'request.read'],
  ['corrective_action.', 'corrective.read'],
  ['callback.', 'callback.manage'],
  ['appeal.', 'evaluation.read'],
  ['evaluation.', 'evaluation.read'],
  ['feedback.', 'feedback.handle'],
];

/** The permission needed to receive an event of this type live, or null if it is not forwarded. */
export function livePermission(type: string): Permission | null {
  return LIVE.find(([prefix]) => type.startsWith(prefix))?.[1] ?? null;
}

/**
 * May this actor see this event? Pure: decided from the event's type and data. `may` answers whether the
 * actor holds a permission (organization-wide question; branch scope is checked on the event's branchId).
 */
export function visibleTo(actor: { kind: string; id?: string; orgId: string }, branchOnly: string | null, may: boolean | ((p: Permission) => boolean), event: DomainEvent): boolean {
  const needed = livePermission(event.type);
  if (event.orgId !== actor.orgId || needed === null) return false;
  const data = event.data ?? {};
  if (typeof data.recipientId === 'string') return data.recipientId === actor.id;
  const holds = typeof may === 'function' ? may(needed) : may;
  if (!holds) return false;
  if (branchOnly && typeof data.branchId === 'string' && data.branchId !== branchOnly) return false;
  return true;
}

export async function streamRoutes(server: FastifyInstance, app: App) {
  server.get('/stream', { schema: { tags: ['live'], summary: 'Server-Sent Events: live events (requests, notifications, corrective actions, callbacks, ratings, feedback) the signed-in person may read' } }, async (request, reply) => {
    const ctx = ctxOf(app, request);
    const actor = ctx.actor;
    const branchOnly = branchFilter(actor);
    const may = (p: Permission) => can(actor, p);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n: connected\n\n`);
    const send = (event: DomainEvent) => {
      const id = actor.kind === 'staff' ? actor.id : undefined;
      if (!visibleTo({ kind: actor.kind, id, orgId: actor.orgId }, branchOnly, may, event)) return;
      res.write(`data: ${JSON.stringify({ type: event.type, entityType: event.entityType ?? null, entityId: event.entityId ?? null, data: event.data ?? {}, at: event.at })}\n\n`);
    };
    const unsubscribe = app.bus.subscribe('*', send);
    // A comment every 25 s keeps proxies from closing an idle stream.
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    request.raw.on('close', close);
    res.on('error', close);
  });
}
