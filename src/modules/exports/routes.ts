/** HTTP routes of the Excel exports under /api/v1/exports. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { EXPORT_TABLES, ExportParams, ExportQuery } from './contracts.js';
import { sendXlsx } from './reply.js';
import { exportTable } from './service.js';

export async function exportRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['exports'];

  api.get('/exports/:file', {
    schema: {
      tags,
      summary: `An Excel workbook (.xlsx) of a list with its filters: ${EXPORT_TABLES.map((t) => `${t}.xlsx`).join(', ')}. Same permission, branch scope and masking as the list; at most 100,000 rows; audited (see docs/exports.md)`,
      params: ExportParams,
      querystring: ExportQuery,
    },
  }, async (request, reply) => {
    const ctx = ctxOf(app, request);
    const file = await exportTable(ctx, request.params.file.replace(/\.xlsx$/, ''), request.query, { staffLocaleFirst: !request.headers['accept-language'] });
    return sendXlsx(reply, file);
  });
}
