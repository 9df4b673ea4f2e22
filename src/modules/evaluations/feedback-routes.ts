/**
 * HTTP routes of public feedback: the staff inbox under /api/v1/feedback, and the public endpoints under
 * /api/v1/public/:org/feedback (submit, look-up by number and code, the published list), rate-limited per client
 * address like the portal.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { ctxOf, requestInfo } from '../../http/context.js';
import { RateLimiter, type Visitor } from '../channels/portal.js';
import { Id } from '../shared/contracts.js';
import * as C from './feedback-contracts.js';
import * as feedback from './feedback.js';

const IdParams = z.strictObject({ id: Id });
const OrgParams = z.strictObject({ org: z.string().min(1).max(60) });
const NumberParams = OrgParams.extend({ number: z.string().min(1).max(40) });

/** Limits of anonymous traffic per client address. */
export interface FeedbackLimits {
  submit: RateLimiter;
  lookup: RateLimiter;
}

export function defaultFeedbackLimits(): FeedbackLimits {
  return {
    submit: new RateLimiter(5, 2 * 60_000), // 5 at once, then one every 2 minutes
    lookup: new RateLimiter(20, 30_000), // guessing codes is slow
  };
}

function visitor(request: FastifyRequest): Visitor {
  const info = requestInfo(request);
  return { locale: info.locale, ip: info.ip, requestId: info.requestId };
}

function limit(limiter: RateLimiter, key: string | undefined) {
  if (!limiter.take(key ?? 'unknown')) throw new AppError('rate_limited');
}

export async function feedbackRoutes(server: FastifyInstance, app: App, limits: FeedbackLimits = defaultFeedbackLimits()) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['feedback'];

  api.get('/feedback', { schema: { tags, summary: 'The feedback inbox, newest first (keyset pagination: pass nextCursor as cursor)', querystring: C.FeedbackListQuery, response: { 200: C.FeedbackPage } } }, async (request) =>
    feedback.listFeedback(ctxOf(app, request), request.query),
  );
  api.get('/feedback/settings', { schema: { tags, summary: 'Feedback settings: the time to answer (business time of the default calendar)', response: { 200: C.FeedbackSettings } } }, async (request) =>
    feedback.getFeedbackSettings(ctxOf(app, request)),
  );
  api.put('/feedback/settings', { schema: { tags, summary: 'Save the feedback settings (evaluation.configure); they apply to new feedback', body: C.FeedbackSettingsInput, response: { 200: C.FeedbackSettings } } }, async (request) =>
    feedback.updateFeedbackSettings(ctxOf(app, request), request.body),
  );
  api.get('/feedback/:id', { schema: { tags, summary: 'One piece of feedback with its clock, request, and the scrubbed texts for publication', params: IdParams, response: { 200: C.FeedbackDetail } } }, async (request) =>
    feedback.getFeedback(ctxOf(app, request), request.params.id),
  );
  api.post('/feedback/:id/answer', { schema: { tags, summary: 'Answer (what the submitter sees); meets the answer clock', params: IdParams, body: C.FeedbackAnswer, response: { 200: C.FeedbackDetail } } }, async (request) =>
    feedback.answerFeedback(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/feedback/:id/invalidate', { schema: { tags, summary: 'Mark invalid (spam, abuse, duplicate): no answer owed, the clock is cancelled', params: IdParams, body: C.FeedbackInvalidate, response: { 200: C.FeedbackDetail } } }, async (request) =>
    feedback.invalidateFeedback(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/feedback/:id/publish', { schema: { tags, summary: 'Publish an answered item (submitter consented) under a summary; personal data is removed', params: IdParams, body: C.FeedbackPublish, response: { 200: C.FeedbackDetail } } }, async (request) =>
    feedback.publishFeedback(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/feedback/:id/unpublish', { schema: { tags, summary: 'Take an item off the published list', params: IdParams, response: { 200: C.FeedbackDetail } } }, async (request) =>
    feedback.unpublishFeedback(ctxOf(app, request), request.params.id),
  );

  // ---- public, no sign-in ----
  const open = { tags: ['public'], security: [] };
  api.post('/public/:org/feedback', { schema: { ...open, summary: 'Submit feedback (suggestion, complaint, praise): answers the number and the private look-up code', params: OrgParams, body: C.FeedbackSubmit, response: { 201: C.FeedbackSubmitted } } }, async (request, reply) => {
    limit(limits.submit, request.ip);
    return reply.status(201).send(await feedback.submitFeedback(app, request.params.org, request.body, visitor(request)));
  });
  api.get('/public/:org/feedback', { schema: { ...open, summary: 'The published answered feedback, personal data removed, newest first', params: OrgParams, querystring: C.PublishedFeedbackQuery, response: { 200: C.PublishedFeedbackPage } } }, async (request, reply) => {
    // Not cached by browsers: an item published or taken down shows at once.
    reply.header('cache-control', 'no-cache');
    return feedback.publishedFeedback(app, request.params.org, request.query);
  });
  api.get('/public/:org/feedback/:number', { schema: { ...open, summary: 'Look up feedback and its answer by number and code (?k=); a wrong code or number is 404 link.invalid', params: NumberParams, querystring: C.FeedbackLookupQuery, response: { 200: C.FeedbackLookup } } }, async (request, reply) => {
    limit(limits.lookup, request.ip);
    reply.header('cache-control', 'no-store');
    return feedback.lookupFeedback(app, request.params.org, request.params.number, request.query.k);
  });
}
