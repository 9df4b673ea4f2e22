/** HTTP routes of the signed-in person's notifications. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id } from '../shared/contracts.js';
import * as C from './contracts.js';
import * as notifications from './service.js';

export async function notificationRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  api.get('/notifications', { schema: { tags, summary: 'My notifications, newest first, with the unread count (keyset pages)', querystring: C.NotificationQuery, response: { 200: C.NotificationPage } } }, async (request) =>
    notifications.listNotifications(ctxOf(app, request), request.query),
  );
  api.post('/notifications/read-all', { schema: { tags, summary: 'Mark all my notifications read', response: { 200: C.ReadAllResult } } }, async (request) =>
    notifications.markAllNotificationsRead(ctxOf(app, request)),
  );
  api.post('/notifications/:id/read', { schema: { tags, summary: 'Mark one of my notifications read', params: z.strictObject({ id: Id }), response: { 200: C.NotificationView } } }, async (request) =>
    notifications.markNotificationRead(ctxOf(app, request), request.params.id),
  );
}
