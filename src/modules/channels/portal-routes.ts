/**
 * HTTP routes of the customer portal under /api/v1/portal/:org — public (no staff sign-in). Anonymous writes
 * are rate-limited per client address; the customer session is the `pledge_customer` cookie, scoped to the
 * organization's portal paths.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { requestInfo } from '../../http/context.js';
import { AttachmentView } from '../requests/contracts.js';
import { sendFile } from '../requests/routes.js';
import { Id, Ok } from '../shared/contracts.js';
import * as portal from './portal.js';
import * as C from './portal-contracts.js';

const OrgParams = z.strictObject({ org: z.string().min(1).max(60) });
const TrackParams = OrgParams.extend({ number: z.string().min(1).max(30) });
const FileQuery = z.strictObject({ filename: z.string().trim().min(1).max(200) });

/** Limits of anonymous traffic per client address (and per e-mail address for sign-in mail). */
export interface PortalLimits {
  submit: portal.RateLimiter;
  upload: portal.RateLimiter;
  write: portal.RateLimiter;
  signIn: portal.RateLimiter;
  signInMail: portal.RateLimiter;
}

export function defaultPortalLimits(): PortalLimits {
  return {
    submit: new portal.RateLimiter(5, 2 * 60_000), // 5 at once, then one every 2 minutes
    upload: new portal.RateLimiter(30, 20_000),
    write: new portal.RateLimiter(30, 20_000), // replies and confirmations
    signIn: new portal.RateLimiter(10, 60_000),
    signInMail: new portal.RateLimiter(3, 10 * 60_000), // mails to one address
  };
}

function visitor(request: FastifyRequest): portal.Visitor {
  const info = requestInfo(request);
  return { locale: info.locale, ip: info.ip, requestId: info.requestId };
}

function limit(limiter: portal.RateLimiter, key: string | undefined) {
  if (!limiter.take(key ?? 'unknown')) throw new AppError('rate_limited');
}

function cookiePath(org: string): string {
  return `/api/v1/portal/${encodeURIComponent(org)}`;
}

function customerToken(request: FastifyRequest): string | null {
  return request.cookies[portal.CUSTOMER_COOKIE] ?? null;
}

function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

export async function portalRoutes(server: FastifyInstance, app: App, limits: PortalLimits = defaultPortalLimits()) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['portal'];
  const open = { tags, security: [] };

  api.get('/portal/:org', { schema: { ...open, summary: 'What the web form needs: organization, file limits, categories', params: OrgParams, response: { 200: C.PortalInfo } } }, async (request) =>
    portal.portalInfo(app, request.params.org),
  );
  api.post('/portal/:org/requests', { schema: { ...open, summary: 'Submit a request without an account: answers the tracking number and the private link', params: OrgParams, body: C.PortalSubmit, response: { 201: C.PortalSubmitted } } }, async (request, reply) => {
    limit(limits.submit, request.ip);
    return reply.status(201).send(await portal.submitRequest(app, request.params.org, request.body, visitor(request), customerToken(request)));
  });

  const key = C.LinkKey;
  api.get('/portal/:org/t/:number', { schema: { ...open, summary: 'Follow a request through its private link (?k=); a wrong key or number is 404 link.invalid', params: TrackParams, querystring: key, response: { 200: C.PublicRequestView } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return portal.trackRequest(app, request.params.org, request.params.number, request.query.k);
  });
  api.post('/portal/:org/t/:number/replies', { schema: { ...open, summary: 'The customer writes (resumes a request waiting on them)', params: TrackParams, querystring: key, body: C.PublicReply, response: { 200: C.PublicRequestView } } }, async (request) => {
    limit(limits.write, request.ip);
    return portal.replyToTracked(app, request.params.org, request.params.number, request.query.k, request.body, visitor(request));
  });
  api.post('/portal/:org/t/:number/confirm', { schema: { ...open, summary: 'Confirm the result (solved → archived with the rating; not solved → reopened)', params: TrackParams, querystring: key, body: C.PublicConfirm, response: { 200: C.PublicRequestView } } }, async (request) => {
    limit(limits.write, request.ip);
    return portal.confirmTracked(app, request.params.org, request.params.number, request.query.k, request.body, visitor(request));
  });
  api.get('/portal/:org/t/:number/attachments/:id', { schema: { ...open, summary: 'Download a file of the conversation', params: TrackParams.extend({ id: Id }), querystring: key } }, async (request, reply) =>
    sendFile(reply, await portal.trackedFile(app, request.params.org, request.params.number, request.query.k, request.params.id)),
  );

  // Files: the body is the file itself (Content-Type: its type), the name in ?filename=.
  await server.register(async (files) => {
    files.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    const f = files.withTypeProvider<ZodTypeProvider>();
    f.post('/portal/:org/attachments', { bodyLimit: 50 * 1024 * 1024, schema: { ...open, summary: 'Upload a file for the form (raw body; ?filename=); the organization’s limits apply', params: OrgParams, querystring: FileQuery, response: { 201: AttachmentView } } }, async (request, reply) => {
      limit(limits.upload, request.ip);
      const upload = { filename: request.query.filename, contentType: request.headers['content-type'] ?? 'application/octet-stream', content: rawBody(request.body) };
      return reply.status(201).send(await portal.uploadFormFile(app, request.params.org, upload, visitor(request)));
    });
    f.post('/portal/:org/t/:number/attachments', { bodyLimit: 50 * 1024 * 1024, schema: { ...open, summary: 'Upload a file on a tracked request (raw body; ?k=&filename=), to send with a reply', params: TrackParams, querystring: FileQuery.extend({ k: z.string().max(100).default('') }), response: { 201: AttachmentView } } }, async (request, reply) => {
      limit(limits.upload, request.ip);
      const upload = { filename: request.query.filename, contentType: request.headers['content-type'] ?? 'application/octet-stream', content: rawBody(request.body) };
      return reply.status(201).send(await portal.uploadTrackedFile(app, request.params.org, request.params.number, request.query.k, upload, visitor(request)));
    });
  });

  // ---- signed-in customers ----
  api.post('/portal/:org/sign-in', { schema: { ...open, summary: 'E-mail a one-time sign-in link (always 202: the answer does not say whether the address is known)', params: OrgParams, body: C.PortalSignIn, response: { 202: C.PortalSignInAccepted } } }, async (request, reply) => {
    limit(limits.signIn, request.ip);
    // Too many mails to one address are dropped silently: refusing would tell that the address is known.
    if (limits.signInMail.take(`${request.params.org}:${request.body.email.trim().toLowerCase()}`)) {
      await portal.requestSignInLink(app, request.params.org, request.body, visitor(request));
    }
    return reply.status(202).send({ accepted: true as const });
  });
  api.get('/portal/:org/session/:token', { schema: { ...open, summary: 'The link in the sign-in e-mail: sets the customer cookie and opens “my requests”', params: OrgParams.extend({ token: z.string().min(1).max(100) }) } }, async (request, reply) => {
    const org = request.params.org;
    try {
      const session = await portal.exchangeSignInLink(app, org, request.params.token, visitor(request));
      reply.setCookie(portal.CUSTOMER_COOKIE, session.token, { path: cookiePath(org), httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', expires: session.expiresAt });
      return reply.header('cache-control', 'no-store').redirect(`/portal/${encodeURIComponent(org)}/me`, 303);
    } catch (error) {
      // A person following a used or expired link lands on the sign-in page, which says so.
      if (error instanceof AppError && error.code === 'link.invalid' && wantsHtml(request)) {
        return reply.header('cache-control', 'no-store').redirect(`/portal/${encodeURIComponent(org)}/sign-in?link=invalid`, 303);
      }
      throw error;
    }
  });
  api.get('/portal/:org/me', { schema: { ...open, summary: 'The signed-in customer (401 auth.required otherwise)', params: OrgParams, response: { 200: C.PortalMe } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return portal.portalMe(app, request.params.org, customerToken(request), visitor(request));
  });
  api.get('/portal/:org/me/requests', { schema: { ...open, summary: 'All requests of the signed-in customer, newest first, with their tracking links', params: OrgParams, response: { 200: C.PortalMyRequests } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return portal.myRequests(app, request.params.org, customerToken(request), visitor(request));
  });
  api.post('/portal/:org/sign-out', { schema: { ...open, summary: 'End the customer session', params: OrgParams, response: { 200: Ok } } }, async (request, reply) => {
    const token = customerToken(request);
    if (token) await portal.signOutCustomer(app, request.params.org, token, visitor(request));
    reply.clearCookie(portal.CUSTOMER_COOKIE, { path: cookiePath(request.params.org) });
    return { ok: true as const };
  });
}
