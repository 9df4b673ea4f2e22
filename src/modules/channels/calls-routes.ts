/** HTTP routes of the phone channel under /api/v1/calls. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id } from '../shared/contracts.js';
import * as C from './calls-contracts.js';
import * as calls from './calls.js';

const IdParams = z.strictObject({ id: Id });

/** What browsers and scripts send a .csv file as (Windows reports Excel's CSV as application/vnd.ms-excel). */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream'];

export async function callRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['calls'];

  api.get('/calls', { schema: { tags, summary: 'Call records, newest first (keyset pagination: pass nextCursor as cursor)', querystring: C.CallListQuery, response: { 200: C.CallPage } } }, async (request) =>
    calls.listCalls(ctxOf(app, request), request.query),
  );
  api.post('/calls', { schema: { tags, summary: 'Record one call; the same externalId again updates it or is skipped (result says which)', body: C.CallCreate, response: { 200: C.CallWriteResult, 201: C.CallWriteResult } } }, async (request, reply) => {
    const written = await calls.createCall(ctxOf(app, request), request.body);
    return reply.status(written.result === 'created' ? 201 : 200).send(written);
  });
  api.get('/calls/service-level', { schema: { tags, summary: 'Service level: offered, answered within the threshold, abandoned, answer delays (see docs/phone.md)', querystring: C.ServiceLevelQuery, response: { 200: C.ServiceLevelView } } }, async (request) =>
    calls.callServiceLevel(ctxOf(app, request), request.query),
  );
  api.get('/calls/:id', { schema: { tags, summary: 'A call with the customers its number matches and its request', params: IdParams, response: { 200: C.CallDetail } } }, async (request) =>
    calls.getCall(ctxOf(app, request), request.params.id),
  );
  api.patch('/calls/:id', { schema: { tags, summary: 'Correct notes, agent or recording link', params: IdParams, body: C.CallUpdate, response: { 200: C.CallView } } }, async (request) =>
    calls.updateCall(ctxOf(app, request), request.params.id, request.body),
  );
  api.post('/calls/:id/request', { schema: { tags, summary: 'Turn the call into a request on the phone channel', params: IdParams, body: C.CallToRequest, response: { 201: C.CallHandled } } }, async (request, reply) =>
    reply.status(201).send(await calls.callToRequest(ctxOf(app, request), request.params.id, request.body)),
  );
  api.post('/calls/:id/resolve', { schema: { tags, summary: 'Log the call as resolved at first contact (a request registered and archived at once)', params: IdParams, body: C.CallResolve, response: { 201: C.CallHandled } } }, async (request, reply) =>
    reply.status(201).send(await calls.resolveCall(ctxOf(app, request), request.params.id, request.body)),
  );

  // The CSV file is the body itself (UTF-8, GBK or UTF-16; see docs/phone.md), not JSON.
  await server.register(async (files) => {
    files.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: calls.MAX_IMPORT_BYTES + 1024 }, (_request, body, done) => done(null, body));
    const f = files.withTypeProvider<ZodTypeProvider>();
    f.post('/calls/import', { bodyLimit: calls.MAX_IMPORT_BYTES + 1024, schema: { tags, summary: `Import call records from a CSV file (raw body, Content-Type text/csv; at most ${calls.MAX_IMPORT_ROWS} rows). Any bad row: 400 csv.invalid listing each row and column, nothing written`, response: { 200: C.CallImportResult } } }, async (request) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : '');
      return calls.importCalls(ctxOf(app, request), body);
    });
  });
}
