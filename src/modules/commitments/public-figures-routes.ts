/** HTTP routes of the public figures: which measured figures the public page shows (docs/commitments.md). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { getPublicFigures, updatePublicFigures } from './public-figures.js';
import { PublicFiguresInput, PublicFiguresView } from './public-figures-contracts.js';

export async function publicFiguresRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['commitments'];
  api.get('/commitments/public-figures', { schema: { tags, summary: 'The targets in force, which show their measured figure on the public page, and the figures (last full month and quarter)', response: { 200: PublicFiguresView } } }, async (request) =>
    getPublicFigures(ctxOf(app, request)),
  );
  api.put('/commitments/public-figures', { schema: { tags, summary: 'Choose the targets whose measured figures the public page shows (org.update)', body: PublicFiguresInput, response: { 200: PublicFiguresView } } }, async (request) =>
    updatePublicFigures(ctxOf(app, request), request.body),
  );
}
