/** HTTP routes of the figures under /api/v1/kpis (docs/figures.md). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import * as D from './drill-contracts.js';
import { kpiDrilldown } from './drilldown.js';
import { kpiLive } from './live.js';
import * as C from './contracts.js';
import * as figures from './service.js';
import { kpiTargets } from './targets.js';

export async function kpiRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['kpis'];
  api.get('/kpis/drilldown', { schema: { tags, summary: 'The requests behind a figure: the facts the figure counts for a period and dimension value (a rate\'s denominator, flagged inNumerator), a page at a time', querystring: D.KpiDrilldownQuery, response: { 200: D.KpiDrilldownView } } }, async (request) =>
    kpiDrilldown(ctxOf(app, request), request.query),
  );
  api.get('/kpis/live', { schema: { tags, summary: 'The team lead\'s live wall now: open, about to breach, breached, unassigned, agents on duty with their load, the clocks due soonest', querystring: D.KpiLiveQuery, response: { 200: D.KpiLiveView } } }, async (request) =>
    kpiLive(ctxOf(app, request), request.query),
  );
  api.get('/kpis/definitions', { schema: { tags, summary: 'The indicators: formula, numerator and denominator, unit, better direction, source; which are computed now', response: { 200: C.KpiDefinitions } } }, async (request) =>
    figures.kpiDefinitions(ctxOf(app, request)),
  );
  api.get('/kpis/values', { schema: { tags, summary: 'Indicator values per period (day…year in the organization\'s zone) and dimension, from the daily rollups; percentiles with their error bound', querystring: C.KpiValuesQuery, response: { 200: C.KpiValuesView } } }, async (request) =>
    figures.kpiValues(ctxOf(app, request), request.query),
  );
  api.get('/kpis/targets', { schema: { tags, summary: 'Every target of the commitments in force against its threshold (or compliance goal), per month, quarter or year: figure and met', querystring: C.KpiTargetsQuery, response: { 200: C.KpiTargetsView } } }, async (request) =>
    kpiTargets(ctxOf(app, request), request.query),
  );
  api.get('/kpis/heatmap', { schema: { tags, summary: 'Registrations by local hour and weekday (168 cells, Monday first) over a range of days, from the daily rollups', querystring: C.KpiHeatmapQuery, response: { 200: C.KpiHeatmapView } } }, async (request) =>
    figures.kpiHeatmap(ctxOf(app, request), request.query),
  );
}
