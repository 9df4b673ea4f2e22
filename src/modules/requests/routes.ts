/** HTTP routes of requests: the loop, messages, attachments, search, categories, routing rules, settings. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id, Ok } from '../shared/contracts.js';
import { downloadAttachment, uploadAttachment } from './attachments.js';
import * as categories from './categories.js';
import * as C from './contracts.js';
import * as queries from './queries.js';
import * as routing from './routing.js';
import * as requests from './service.js';
import { RequestSummary, requestSummary } from './summary.js';
import * as hooks from './webhooks.js';

const IdParams = z.strictObject({ id: Id });

/** Sends a stored file so that a browser downloads it and never renders it in our origin. */
export function sendFile(reply: FastifyReply, file: { row: { filename: string; contentType: string }; content: Buffer }, inline = false) {
  const name = encodeURIComponent(file.row.filename);
  const safeInline = inline && /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/.test(file.row.contentType);
  return reply
    .header('content-type', file.row.contentType)
    .header('content-disposition', `${safeInline ? 'inline' : 'attachment'}; filename="download"; filename*=UTF-8''${name}`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, max-age=3600')
    .send(file.content);
}

export async function requestRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['requests'];

  api.get('/requests', { schema: { tags, summary: 'Console queues and search (keyset pagination: pass nextCursor as cursor)', querystring: C.RequestListQuery, response: { 200: C.RequestPage } } }, async (request) =>
    queries.listRequests(ctxOf(app, request), request.query),
  );
  api.get('/requests/search', { schema: { tags, summary: 'Full-text search (Chinese and English) with the same filters', querystring: C.RequestListQuery, response: { 200: C.RequestPage } } }, async (request) =>
    queries.listRequests(ctxOf(app, request), { ...request.query, queue: request.query.queue }),
  );
  api.get('/requests/summary', { schema: { tags, summary: 'My work (home page): capped counts, each with the console filters that list its rows', response: { 200: RequestSummary } } }, async (request) =>
    requestSummary(ctxOf(app, request)),
  );
  api.post('/requests', { schema: { tags, summary: 'Register a request (登记)', body: C.RequestCreate, response: { 201: C.RequestView } } }, async (request, reply) =>
    reply.status(201).send(await requests.registerRequest(ctxOf(app, request), request.body)),
  );
  api.post('/requests/bulk', { schema: { tags, summary: 'Bulk assign and/or transition (all or nothing)', body: C.BulkInput, response: { 200: z.object({ updated: z.number().int() }) } } }, async (request) =>
    requests.bulkUpdate(ctxOf(app, request), request.body),
  );
  api.get('/requests/by-number/:number', { schema: { tags, params: z.strictObject({ number: z.string().max(30) }), response: { 200: C.RequestView } } }, async (request) =>
    queries.getRequestByNumber(ctxOf(app, request), request.params.number),
  );
  api.get('/requests/:id', { schema: { tags, summary: 'The request page: request, clock explanations, timeline, files', params: IdParams, response: { 200: C.RequestDetail } } }, async (request) =>
    queries.requestDetail(ctxOf(app, request), request.params.id),
  );
  api.patch('/requests/:id', { schema: { tags, summary: 'Classify or correct (clocks are re-applied)', params: IdParams, body: C.RequestUpdate, response: { 200: C.RequestView } } }, async (request) =>
    requests.updateRequest(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/requests/:id/transitions', { schema: { tags, summary: 'A step of the loop; 409 lists the allowed actions', params: IdParams, body: C.TransitionInput, response: { 200: C.RequestView } } }, async (request) =>
    requests.transitionRequest(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/requests/:id/assign', { schema: { tags, summary: 'Assign or transfer (a transfer needs a reason)', params: IdParams, body: C.AssignInput, response: { 200: C.RequestView } } }, async (request) =>
    requests.assignRequest(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/requests/:id/escalate', { schema: { tags, summary: 'Escalate to the special team', params: IdParams, body: C.EscalateInput, response: { 200: C.RequestView } } }, async (request) =>
    requests.escalateRequest(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/requests/:id/escalation/acknowledge', { schema: { tags, summary: 'The special team takes it up (emergency response met)', params: IdParams, response: { 200: C.RequestView } } }, async (request) =>
    requests.acknowledgeEscalation(ctxOf(app, request), request.params.id),
  );
  api.post('/requests/:id/messages', { schema: { tags, summary: 'Reply to the customer or add an internal note', params: IdParams, body: C.MessageCreate, response: { 201: z.object({ id: Id }) } } }, async (request, reply) =>
    reply.status(201).send(await requests.addMessage(ctxOf(app, request), request.params.id, request.body)),
  );

  // Files: the body is the file itself (Content-Type: its type), the name in ?filename=.
  await server.register(async (files) => {
    files.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    const f = files.withTypeProvider<ZodTypeProvider>();
    f.post('/attachments', { bodyLimit: 50 * 1024 * 1024, schema: { tags, summary: 'Upload a file (raw body; ?filename=) to attach to a request or message', querystring: z.strictObject({ filename: z.string().trim().min(1).max(200) }), response: { 201: C.AttachmentView } } }, async (request, reply) => {
      const content = Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? ''));
      return reply.status(201).send(await uploadAttachment(ctxOf(app, request), { filename: request.query.filename, contentType: request.headers['content-type'] ?? 'application/octet-stream', content }));
    });
  });
  api.get('/attachments/:id', { schema: { tags, summary: 'Download a file', params: IdParams, querystring: z.strictObject({ inline: z.enum(['1']).optional() }) } }, async (request, reply) =>
    sendFile(reply, await downloadAttachment(ctxOf(app, request), request.params.id), request.query.inline === '1'),
  );

  api.get('/request-categories', { schema: { tags, response: { 200: z.array(C.CategoryView) } } }, async (request) => categories.listCategories(ctxOf(app, request)));
  api.post('/request-categories', { schema: { tags, body: C.CategoryInput, response: { 201: C.CategoryView } } }, async (request, reply) =>
    reply.status(201).send(await categories.createCategory(ctxOf(app, request), request.body)),
  );
  api.put('/request-categories/:id', { schema: { tags, params: IdParams, body: C.CategoryInput, response: { 200: C.CategoryView } } }, async (request) =>
    categories.updateCategory(ctxOf(app, request), request.params.id, request.body),
  );
  api.delete('/request-categories/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (request) => categories.deleteCategory(ctxOf(app, request), request.params.id));

  const rtags = ['routing'];
  api.get('/routing-rules', { schema: { tags: rtags, response: { 200: z.array(C.RoutingRuleView) } } }, async (request) => routing.listRoutingRules(ctxOf(app, request)));
  api.post('/routing-rules', { schema: { tags: rtags, body: C.RoutingRuleInput, response: { 201: C.RoutingRuleView } } }, async (request, reply) =>
    reply.status(201).send(await routing.createRoutingRule(ctxOf(app, request), request.body)),
  );
  api.put('/routing-rules/:id', { schema: { tags: rtags, params: IdParams, body: C.RoutingRuleInput, response: { 200: C.RoutingRuleView } } }, async (request) =>
    routing.updateRoutingRule(ctxOf(app, request), request.params.id, request.body),
  );
  api.delete('/routing-rules/:id', { schema: { tags: rtags, params: IdParams, response: { 200: Ok } } }, async (request) => routing.deleteRoutingRule(ctxOf(app, request), request.params.id));

  const wtags = ['webhooks'];
  api.get('/webhooks', { schema: { tags: wtags, response: { 200: z.array(C.WebhookView) } } }, async (request) => hooks.listWebhooks(ctxOf(app, request)));
  api.post('/webhooks', { schema: { tags: wtags, summary: 'Subscribe an endpoint to request events (the secret is shown once)', body: C.WebhookInput, response: { 201: C.WebhookCreated } } }, async (request, reply) =>
    reply.status(201).send(await hooks.createWebhook(ctxOf(app, request), request.body)),
  );
  api.put('/webhooks/:id', { schema: { tags: wtags, params: IdParams, body: C.WebhookInput, response: { 200: C.WebhookView } } }, async (request) => hooks.updateWebhook(ctxOf(app, request), request.params.id, request.body));
  api.post('/webhooks/:id/rotate-secret', { schema: { tags: wtags, params: IdParams, response: { 200: C.WebhookCreated } } }, async (request) => hooks.rotateWebhookSecret(ctxOf(app, request), request.params.id));
  api.delete('/webhooks/:id', { schema: { tags: wtags, params: IdParams, response: { 200: Ok } } }, async (request) => hooks.deleteWebhook(ctxOf(app, request), request.params.id));

  api.get('/request-settings', { schema: { tags: rtags, summary: 'Special team, automatic escalation, notification chain, file limits, inbound addresses', response: { 200: C.RequestSettingsView } } }, async (request) =>
    requests.getRequestSettings(ctxOf(app, request)),
  );
  api.put('/request-settings', { schema: { tags: rtags, body: C.RequestSettingsInput, response: { 200: C.RequestSettingsView } } }, async (request) =>
    requests.updateRequestSettings(ctxOf(app, request), request.body),
  );
}
