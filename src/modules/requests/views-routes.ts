/** HTTP routes of the console's saved views: the signed-in person's own named filter sets. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id, Ok } from '../shared/contracts.js';
import * as views from './views.js';
import { SavedView, SavedViewInput } from './views-contracts.js';

const IdParams = z.strictObject({ id: Id });

export async function savedViewRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['requests'];
  api.get('/saved-views', { schema: { tags, summary: 'My saved console views', response: { 200: z.array(SavedView) } } }, async (request) => views.listSavedViews(ctxOf(app, request)));
  api.post('/saved-views', { schema: { tags, summary: 'Save console filters under a name (unique per person)', body: SavedViewInput, response: { 201: SavedView } } }, async (request, reply) =>
    reply.status(201).send(await views.createSavedView(ctxOf(app, request), request.body)),
  );
  api.put('/saved-views/:id', { schema: { tags, summary: 'Rename a saved view or replace its filters', params: IdParams, body: SavedViewInput, response: { 200: SavedView } } }, async (request) =>
    views.updateSavedView(ctxOf(app, request), request.params.id, request.body),
  );
  api.delete('/saved-views/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (request) => views.deleteSavedView(ctxOf(app, request), request.params.id));
}
