/** HTTP routes for the audit-log viewer and the outbox deliveries. Read-only except retry. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { pageOf } from '../shared/contracts.js';
import * as C from './contracts.js';
import * as admin from './service.js';

export async function adminRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  api.get('/audit', { schema: { tags: ['audit'], summary: 'The audit log, newest first (admins and auditors)', querystring: C.AuditQuery, response: { 200: pageOf(C.AuditEntry) } } }, async (request) =>
    admin.listAudit(ctxOf(app, request), request.query),
  );
  api.get('/outbox', { schema: { tags: ['outbox'], summary: 'Outgoing messages and their delivery state', querystring: C.OutboxQuery, response: { 200: pageOf(C.OutboxMessage).extend({ summary: C.OutboxSummary }) } } }, async (request) =>
    admin.listOutbox(ctxOf(app, request), request.query),
  );
  api.post('/outbox/:id/retry', { schema: { tags: ['outbox'], params: z.strictObject({ id: z.coerce.number().int().positive() }), response: { 200: C.OutboxMessage } } }, async (request) =>
    admin.retryOutbox(ctxOf(app, request), request.params.id),
  );
}
