/** HTTP routes of canned responses (快捷回复): the list, shared and personal upkeep, rendering for a request. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id, Ok } from '../shared/contracts.js';
import * as M from './macro-contracts.js';
import * as macros from './macros.js';

const IdParams = z.strictObject({ id: Id });

export async function macroRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['macros'];

  api.get('/macros', { schema: { tags, summary: 'Shared canned responses and my own', querystring: M.MacroListQuery, response: { 200: z.array(M.MacroView) } } }, async (request) =>
    macros.listMacros(ctxOf(app, request), request.query),
  );
  api.post('/macros', { schema: { tags, summary: 'Create a canned response (shared: needs macro.manage)', body: M.MacroCreate, response: { 201: M.MacroView } } }, async (request, reply) =>
    reply.status(201).send(await macros.createMacro(ctxOf(app, request), request.body)),
  );
  api.put('/macros/:id', { schema: { tags, params: IdParams, body: M.MacroUpdate, response: { 200: M.MacroView } } }, async (request) =>
    macros.updateMacro(ctxOf(app, request), request.params.id, request.body),
  );
  api.delete('/macros/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (request) => macros.deleteMacro(ctxOf(app, request), request.params.id));
  api.post(
    '/requests/:id/macros/:macroId/render',
    {
      schema: {
        tags, summary: 'A canned response filled in for this request (unknown or empty placeholders stay visible and are listed)',
        params: z.strictObject({ id: Id, macroId: Id }), response: { 200: M.RenderedMacroView },
      },
    },
    async (request) => macros.renderMacroFor(ctxOf(app, request), request.params.id, request.params.macroId),
  );
}
