/** Builds the service context of an HTTP request: who is calling, from where, in which language. */
import type { FastifyRequest } from 'fastify';
import type { Actor, App, Ctx } from '../core/context.js';
import { AppError } from '../core/errors.js';
import { negotiateLocale } from '../core/i18n.js';
import type { RequestInfo } from '../modules/org/auth.js';

export const SESSION_COOKIE = 'pledge_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The request carried a session cookie that is no longer valid. */
    sessionExpired: boolean;
  }
}

export function requestInfo(request: FastifyRequest): RequestInfo {
  return {
    now: () => new Date(),
    requestId: request.id,
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
    locale: negotiateLocale(request.headers['accept-language']),
  };
}

/** The context of a signed-in caller; refuses anonymous calls with 401. */
export function ctxOf(app: App, request: FastifyRequest): Ctx {
  const actor = request.actor;
  if (!actor) throw new AppError(request.sessionExpired ? 'auth.session_expired' : 'auth.required');
  const info = requestInfo(request);
  return { app, actor, orgId: actor.orgId, now: info.now, requestId: info.requestId, ip: info.ip, locale: info.locale };
}
