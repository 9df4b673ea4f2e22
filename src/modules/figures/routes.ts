/** HTTP routes of the figures under /api/v1/kpis (docs/figures.md). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import * as C from './contracts.js';
import * as figures from './service.js';

export async function kpiRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['kpis'];
  api.get('/kpis/definitions', { schema: { tags, summary: 'The indicators: formula, numerator and denominator, unit, better direction, source; which are computed now', response: { 200: C.KpiDefinitions } } }, async (request) =>
    figures.kpiDefinitions(ctxOf(app, request)),
  );
  api.get('/kpis/values', { schema: { tags, summary: 'Indicator values per period (day…year in the organization\'s zone) and dimension, from the daily rollups; percentiles with their error bound', querystring: C.KpiValuesQuery, response: { 200: C.KpiValuesView } } }, async (request) =>
    figures.kpiValues(ctxOf(app, request), request.query),
  );
}
