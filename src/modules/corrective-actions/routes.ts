/** HTTP routes of corrective actions under /api/v1/corrective-actions, and the complaint verdict of a request. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { AttachmentView } from '../requests/contracts.js';
import { sendFile } from '../requests/routes.js';
import { Id } from '../shared/contracts.js';
import * as C from './contracts.js';
import { complaintVerdict, requestActions } from './findings.js';
import * as actions from './service.js';

const IdParams = z.strictObject({ id: Id });

export async function correctiveActionRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['corrective-actions'];

  api.get('/corrective-actions', { schema: { tags, summary: 'Corrective actions (整改), newest first (keyset pagination: pass nextCursor as cursor)', querystring: C.CaListQuery, response: { 200: C.CaPage } } }, async (request) =>
    actions.listActions(ctxOf(app, request), request.query),
  );
  api.post('/corrective-actions', { schema: { tags, summary: 'Raise an action by hand or from an inspection (corrective.manage)', body: C.CaCreate, response: { 201: C.CaView } } }, async (request, reply) =>
    reply.status(201).send(await actions.createAction(ctxOf(app, request), request.body)),
  );
  api.get('/corrective-actions/settings', { schema: { tags, summary: 'Deadlines, which findings raise actions, the cluster rule', response: { 200: C.CorrectiveSettings } } }, async (request) =>
    actions.getCorrectiveSettings(ctxOf(app, request)),
  );
  api.put('/corrective-actions/settings', { schema: { tags, summary: 'Change the settings (evaluation.configure); omitted fields keep their value', body: C.CorrectiveSettingsInput, response: { 200: C.CorrectiveSettings } } }, async (request) =>
    actions.updateCorrectiveSettings(ctxOf(app, request), request.body),
  );
  api.get('/corrective-actions/:id', { schema: { tags, summary: 'An action with its timeline, requests and evidence', params: IdParams, response: { 200: C.CaDetail } } }, async (request) =>
    actions.getAction(ctxOf(app, request), request.params.id),
  );
  api.post('/corrective-actions/:id/steps', { schema: { tags, summary: 'A step: start, submit (needs root cause and actions), accept / return (corrective.verify; return needs a note), cancel (corrective.manage, with a note). 409 lists the allowed steps', params: IdParams, body: C.CaStepInput, response: { 200: C.CaView } } }, async (request) =>
    actions.stepAction(ctxOf(app, request), request.params.id, request.body),
  );
  api.put('/corrective-actions/:id/work', { schema: { tags, summary: 'Root-cause analysis and actions taken (the owner; the first piece of work starts an open action)', params: IdParams, body: C.CaWork, response: { 200: C.CaView } } }, async (request) =>
    actions.recordWork(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/corrective-actions/:id/recontact', { schema: { tags, summary: 'Record the re-contact with the customer', params: IdParams, body: C.CaRecontact, response: { 200: C.CaView } } }, async (request) =>
    actions.recordRecontact(ctxOf(app, request), request.params.id, request.body),
  );
  api.put('/corrective-actions/:id/owner', { schema: { tags, summary: 'Give the action to another owner (corrective.manage)', params: IdParams, body: C.CaOwnerInput, response: { 200: C.CaView } } }, async (request) =>
    actions.assignOwner(ctxOf(app, request), request.params.id, request.body),
  );
  api.get('/corrective-actions/:id/evidence/:attachmentId', { schema: { tags, summary: 'Download an evidence file', params: z.strictObject({ id: Id, attachmentId: Id }), querystring: z.strictObject({ inline: z.enum(['1']).optional() }) } }, async (request, reply) =>
    sendFile(reply, await actions.downloadEvidence(ctxOf(app, request), request.params.id, request.params.attachmentId), request.query.inline === '1'),
  );
  // Evidence: the body is the file itself (Content-Type: its type), the name in ?filename=.
  await server.register(async (files) => {
    files.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    const f = files.withTypeProvider<ZodTypeProvider>();
    f.post('/corrective-actions/:id/evidence', { bodyLimit: 50 * 1024 * 1024, schema: { tags, summary: 'Upload an evidence file (raw body; ?filename=); the organization\'s size and type limits apply', params: IdParams, querystring: z.strictObject({ filename: z.string().trim().min(1).max(200) }), response: { 201: AttachmentView } } }, async (request, reply) => {
      const content = Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''));
      return reply.status(201).send(await actions.uploadEvidence(ctxOf(app, request), request.params.id, { filename: request.query.filename, contentType: request.headers['content-type'] ?? 'application/octet-stream', content }));
    });
  });

  api.get('/requests/:id/corrective-actions', { schema: { tags, summary: 'The corrective actions of a request and its complaint verdict', params: IdParams, response: { 200: C.ComplaintVerdictView } } }, async (request) =>
    requestActions(ctxOf(app, request), request.params.id),
  );
  api.post('/requests/:id/complaint-verdict', { schema: { tags, summary: 'Judge a complaint upheld (属实) or not (request.handle); upheld raises a corrective action (or joins its category\'s cluster)', params: IdParams, body: C.ComplaintVerdict, response: { 200: C.ComplaintVerdictView } } }, async (request) =>
    complaintVerdict(ctxOf(app, request), request.params.id, request.body),
  );
}
