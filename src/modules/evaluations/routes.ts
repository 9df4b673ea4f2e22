/** HTTP routes of surveys, ratings and satisfaction under /api/v1/surveys (staff). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id } from '../shared/contracts.js';
import * as C from './contracts.js';
import { listEvaluations, satisfaction } from './satisfaction-queries.js';
import * as surveys from './surveys.js';

const IdParams = z.strictObject({ id: Id });

export async function surveyRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['surveys'];

  api.get('/surveys', { schema: { tags, summary: 'Survey invitations, newest first (filter by request, campaign, state, channel)', querystring: C.SurveyListQuery, response: { 200: C.SurveyList } } }, async (request) =>
    surveys.listSurveys(ctxOf(app, request), request.query),
  );
  api.get('/surveys/settings', { schema: { tags, summary: 'Survey settings: expiry, reminder, stated default, NPS, channels, satisfied level, default weights', response: { 200: C.SurveySettings } } }, async (request) =>
    surveys.getSurveySettings(ctxOf(app, request)),
  );
  api.put('/surveys/settings', { schema: { tags, summary: 'Save the survey settings (evaluation.configure)', body: C.SurveySettings, response: { 200: C.SurveySettings } } }, async (request) =>
    surveys.updateSurveySettings(ctxOf(app, request), request.body),
  );
  api.get('/surveys/evaluations', { schema: { tags, summary: 'Ratings, newest first (filters: agent, team, branch, request, source, level, local dates; keyset: pass nextCursor as cursor)', querystring: C.EvaluationListQuery, response: { 200: C.EvaluationPage } } }, async (request) =>
    listEvaluations(ctxOf(app, request), request.query),
  );
  api.get('/surveys/satisfaction', { schema: { tags, summary: 'Satisfaction as defined (weighted survey/callback average, share satisfied, defaults apart) grouped by request, agent, team, branch, channel, request type or period', querystring: C.SatisfactionQuery, response: { 200: C.SatisfactionResult } } }, async (request) =>
    satisfaction(ctxOf(app, request), request.query),
  );
  api.post('/surveys/qr', { schema: { tags, summary: 'A printable QR survey for a walk-in customer: a fresh one-time link each time (the previous one is withdrawn)', body: C.QrIssue, response: { 201: C.SurveyLinkView } } }, async (request, reply) =>
    reply.status(201).send(await surveys.issueQrSurvey(ctxOf(app, request), request.body)),
  );
  api.post('/surveys/:id/resend', { schema: { tags, summary: 'Send a pending survey again with a fresh link (the old link stops working)', params: IdParams, response: { 200: C.SurveyView } } }, async (request) =>
    surveys.resendSurvey(ctxOf(app, request), request.params.id),
  );
}
