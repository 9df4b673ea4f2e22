/** HTTP routes of appeals (申诉) against verified bad ratings. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id } from '../shared/contracts.js';
import * as C from './appeals-contracts.js';
import * as appeals from './appeals.js';

const IdParams = z.strictObject({ id: Id });

export async function appealRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['appeals'];

  api.post('/evaluations/:id/appeals', { schema: { tags, summary: 'Appeal a bad rating verified as mistaken or malicious (one appeal per rating)', params: IdParams, body: C.AppealCreate, response: { 201: C.AppealView } } }, async (request, reply) =>
    reply.status(201).send(await appeals.fileAppeal(ctxOf(app, request), request.params.id, request.body)),
  );
  api.get('/evaluations/:id/appeals', { schema: { tags, summary: 'The appeals of one rating', params: IdParams, response: { 200: z.array(C.AppealView) } } }, async (request) =>
    appeals.appealsOfEvaluation(ctxOf(app, request), request.params.id),
  );
  api.get('/appeals', { schema: { tags, summary: 'Appeals: deciders see all in their reach, others their own; pending first', querystring: C.AppealListQuery, response: { 200: C.AppealPage } } }, async (request) =>
    appeals.listAppeals(ctxOf(app, request), request.query),
  );
  api.get('/appeals/candidates', { schema: { tags, summary: 'Ratings the reader may appeal now', response: { 200: C.AppealCandidates } } }, async (request) =>
    appeals.appealCandidates(ctxOf(app, request)),
  );
  api.post('/appeals/:id/decision', { schema: { tags, summary: 'Uphold (the rating leaves the agent’s figures, still listed) or reject, with a reason', params: IdParams, body: C.AppealDecision, response: { 200: C.AppealView } } }, async (request) =>
    appeals.decideAppeal(ctxOf(app, request), request.params.id, request.body),
  );
}
