/** Fastify assembly: plugins, authentication, errors, OpenAPI, static web app, and every module's routes. */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import type { App } from '../core/context.js';
import { AppError } from '../core/errors.js';
import { resolveApiToken, resolveSession } from '../modules/org/auth.js';
import { orgRoutes } from '../modules/org/routes.js';
import { adminRoutes } from '../modules/admin/routes.js';
import { calendarRoutes } from '../modules/calendars/routes.js';
import { requestRoutes } from '../modules/requests/routes.js';
import { notificationRoutes } from '../modules/notifications/routes.js';
import { macroRoutes } from '../modules/requests/macros-routes.js';
import { portalRoutes } from '../modules/channels/portal-routes.js';
import { surveyRoutes } from '../modules/evaluations/routes.js';
import { publicSurveyRoutes } from '../modules/evaluations/public-routes.js';
import { savedViewRoutes } from '../modules/requests/views-routes.js';
import { streamRoutes } from './stream.js';
import { callRoutes } from '../modules/channels/calls-routes.js';
import { emailRoutes } from '../modules/channels/email-routes.js';
import { commitmentRoutes } from '../modules/commitments/routes.js';
import { publicFiguresRoutes } from '../modules/commitments/public-figures-routes.js';
import { embedRoutes } from '../modules/commitments/embed.js';
import { chatRoutes } from '../modules/channels/chat-routes.js';
import { correctiveActionRoutes } from '../modules/corrective-actions/routes.js';
import { feedbackRoutes } from '../modules/evaluations/feedback-routes.js';
import { campaignRoutes } from '../modules/evaluations/campaign-routes.js';
import { callbackRoutes } from '../modules/evaluations/callbacks-routes.js';
import { appealRoutes } from '../modules/evaluations/appeals-routes.js';
import { exportRoutes } from '../modules/exports/routes.js';
import { kpiRoutes } from '../modules/figures/routes.js';
import { reportRoutes } from '../modules/reports/routes.js';
import { SESSION_COOKIE } from './context.js';
import { errorHandler, notFoundHandler } from './errors.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface ServerOptions {
  logger?: boolean | { level: string };
  /** Serve the built web app from web/dist (default: when it exists). */
  web?: boolean;
}

function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && /^[\w.:-]{8,100}$/.test(header) ? header : randomUUID();
}

export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? false,
    trustProxy: app.config.trustProxy,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    bodyLimit: 1024 * 1024,
    // Live streams (SSE) stay open: closing the server must not wait for them.
    forceCloseConnections: true,
  }).withTypeProvider<ZodTypeProvider>();

  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  server.setErrorHandler(errorHandler);
  const serveWeb = (options.web ?? true) && existsSync(WEB_DIST);
  // The single-page app owns every other GET path (client-side routes); the API keeps its JSON 404.
  server.setNotFoundHandler((request, reply) => {
    const apiOrAsset = request.url.startsWith('/api/') || request.url.startsWith('/assets/') || request.url.startsWith('/healthz');
    if (!serveWeb || request.method !== 'GET' || apiOrAsset) return notFoundHandler(request, reply);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  await server.register(cookie);
  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Pledge API',
        version: '1',
        description: 'Pledge turns a published service commitment (服务承诺书) into measured, enforced, audited service. Errors: `{ error: { code, message, details } }`; messages follow Accept-Language (zh-CN, en-US).',
      },
      servers: [],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer', description: 'API token (plg_…), scoped and revocable' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await server.register(swaggerUi, { routePrefix: '/api/docs' });

  server.decorateRequest('actor', null);
  server.decorateRequest('sessionExpired', false);
  server.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // The public chat API authenticates visitors by its own session token (which may come as a Bearer).
    if (!request.url.startsWith('/api/v1/') || request.url.startsWith('/api/v1/chat/')) return;
    const now = new Date();
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      request.actor = await resolveApiToken(app, authorization.slice(7).trim(), now);
      return;
    }
    const session = request.cookies[SESSION_COOKIE];
    if (session) {
      try {
        request.actor = await resolveSession(app, session, now);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // Public routes (sign-in, the public page) still work with a stale cookie; protected ones answer
        // auth.session_expired (see ctxOf).
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        request.sessionExpired = true;
      }
    }
  });
  server.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    // The public page is meant to be embedded in other sites (see /embed/<org>.js); everything else is not.
    if (!reply.hasHeader('x-frame-options') && !request.url.startsWith('/public/')) reply.header('x-frame-options', 'SAMEORIGIN');
  });

  server.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  server.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  server.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await app.database.db.execute(sql`SELECT 1 FROM organizations LIMIT 1`);
      return { status: 'ready', database: app.database.kind };
    } catch (error) {
      return reply.status(503).send({ status: 'unavailable', database: app.database.kind, error: (error as Error).message });
    }
  });

  await embedRoutes(server);
  await chatRoutes(server, app);
  await server.register(async (api) => {
    await orgRoutes(api, app);
    await adminRoutes(api, app);
    await calendarRoutes(api, app);
    await commitmentRoutes(api, app);
    await publicFiguresRoutes(api, app);
    await requestRoutes(api, app);
    await notificationRoutes(api, app);
    await macroRoutes(api, app);
    await portalRoutes(api, app);
    await surveyRoutes(api, app);
    await publicSurveyRoutes(api, app);
    await savedViewRoutes(api, app);
    await streamRoutes(api, app);
    await callRoutes(api, app);
    await emailRoutes(api, app);
    await correctiveActionRoutes(api, app);
    await feedbackRoutes(api, app);
    await campaignRoutes(api, app);
    await callbackRoutes(api, app);
    await appealRoutes(api, app);
    await exportRoutes(api, app);
    await kpiRoutes(api, app);
    await reportRoutes(api, app);
  }, { prefix: '/api/v1' });

  if (serveWeb) {
    // Files are looked up per request (a rebuilt web app needs no restart). Hashed assets are cached for a
    // year; index.html never, so a deploy reaches browsers at once.
    await server.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: true,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        res.setHeader('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  return server;
}
