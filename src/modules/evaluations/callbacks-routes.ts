/** HTTP routes of callbacks (回访) under /api/v1/callbacks. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id } from '../shared/contracts.js';
import { getCallbackSettings, updateCallbackSettings } from './callback-settings.js';
import * as C from './callbacks-contracts.js';
import * as callbacks from './callbacks.js';

const IdParams = z.strictObject({ id: Id });

export async function callbackRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['callbacks'];

  api.get('/callbacks', { schema: { tags, summary: 'The callback queue: pending oldest first, otherwise most recently changed first', querystring: C.CallbackListQuery, response: { 200: C.CallbackPage } } }, async (request) =>
    callbacks.listCallbacks(ctxOf(app, request), request.query),
  );
  api.post('/callbacks', { schema: { tags, summary: 'Add a sample callback by hand for a resolved request (one per request: 409 callback.duplicate)', body: C.CallbackCreate, response: { 201: C.CallbackDetail } } }, async (request, reply) =>
    reply.status(201).send(await callbacks.createCallback(ctxOf(app, request), request.body)),
  );
  api.get('/callbacks/settings', { schema: { tags, summary: 'Sampling rules and attempts', response: { 200: C.CallbackSettings } } }, async (request) =>
    getCallbackSettings(ctxOf(app, request)),
  );
  api.put('/callbacks/settings', { schema: { tags, summary: 'Save the sampling rules and attempts (evaluation.configure)', body: C.CallbackSettingsInput, response: { 200: C.CallbackSettings } } }, async (request) =>
    updateCallbackSettings(ctxOf(app, request), request.body),
  );
  api.post('/callbacks/sample/preview', { schema: { tags, summary: 'What sampling the requests archived in a period would draw (nothing written)', body: C.SampleRun, response: { 200: C.SamplePreview } } }, async (request) =>
    callbacks.previewSample(ctxOf(app, request), request.body),
  );
  api.post('/callbacks/sample', { schema: { tags, summary: 'Sample a period: a callback for each request drawn that has none (reproducible with the same seed)', body: C.SampleRun, response: { 200: C.SampleResult } } }, async (request) =>
    callbacks.runSample(ctxOf(app, request), request.body),
  );
  api.get('/callbacks/:id', { schema: { tags, summary: 'A callback with the customer contact (masked unless pii:read) and the request summary', params: IdParams, response: { 200: C.CallbackDetail } } }, async (request) =>
    callbacks.getCallback(ctxOf(app, request), request.params.id),
  );
  api.post('/callbacks/:id/assign', { schema: { tags, summary: 'Assign to a supervisor (null: nobody)', params: IdParams, body: C.CallbackAssign, response: { 200: C.CallbackDetail } } }, async (request) =>
    callbacks.assignCallback(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/callbacks/:id/perform', { schema: { tags, summary: 'Record the call: reached (rating, or verdict for a verification) or not reached (one attempt)', params: IdParams, body: C.CallbackPerform, response: { 200: C.CallbackDetail } } }, async (request) =>
    callbacks.performCallback(ctxOf(app, request), request.params.id, request.body),
  );
}
