/**
 * The public survey endpoints under /api/v1/public/surveys/:token — no account: the one-time token is the
 * key. Answers are rate-limited per client address like the portal's writes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { requestInfo } from '../../http/context.js';
import { RateLimiter } from '../channels/portal.js';
import * as C from './contracts.js';
import { answerSurvey, publicSurvey, type SurveyVisitor } from './surveys.js';

const TokenParams = z.strictObject({ token: z.string().min(1).max(200) });

export interface SurveyLimits {
  read: RateLimiter;
  answer: RateLimiter;
}

export function defaultSurveyLimits(): SurveyLimits {
  return { read: new RateLimiter(60, 5_000), answer: new RateLimiter(10, 30_000) };
}

function visitor(request: FastifyRequest): SurveyVisitor {
  const info = requestInfo(request);
  return { locale: info.locale, ip: info.ip, requestId: info.requestId };
}

function limit(limiter: RateLimiter, key: string | undefined) {
  if (!limiter.take(key ?? 'unknown')) throw new AppError('rate_limited');
}

export async function publicSurveyRoutes(server: FastifyInstance, app: App, limits: SurveyLimits = defaultSurveyLimits()) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const open = { tags: ['surveys'], security: [] };
  api.get('/public/surveys/:token', { schema: { ...open, summary: 'What the survey page shows. Unknown token 404; used 410 survey.used; expired or withdrawn 410 survey.expired', params: TokenParams, response: { 200: C.PublicSurvey } } }, async (request) => {
    limit(limits.read, request.ip);
    return publicSurvey(app, request.params.token, visitor(request));
  });
  api.post('/public/surveys/:token', { schema: { ...open, summary: 'Answer the survey, once: the rating, scores, comment, NPS and "resolved?" (not resolved reopens the request)', params: TokenParams, body: C.SurveyAnswer, response: { 200: C.SurveyAnswered } } }, async (request) => {
    limit(limits.answer, request.ip);
    return answerSurvey(app, request.params.token, request.body, visitor(request));
  });
}
