/**
 * HTTP routes of the monthly report (under /api/v1/reports) and of the two workbooks it adds to the exports:
 * /exports/monthly-report.xlsx (a stored report) and /exports/kpis.xlsx (KPI values). See docs/reports.md.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { sendXlsx } from '../exports/reply.js';
import * as C from './contracts.js';
import * as reports from './service.js';

export async function reportRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];

  api.get('/reports/monthly', { schema: { tags, summary: 'The stored monthly reports, newest month first (report.read, organization-wide readers)', response: { 200: C.MonthlyReportList } } }, async (request) =>
    reports.listMonthlyReports(ctxOf(app, request)),
  );
  api.post('/reports/monthly', {
    schema: { tags, summary: 'Generates the report of a month that is over now and stores it, replacing a stored one (report.manage); audited', body: C.MonthlyReportGenerate, response: { 201: C.MonthlyReportView } },
  }, async (request, reply) => reply.code(201).send(await reports.generateMonthlyReport(ctxOf(app, request), request.body)));
  api.get('/reports/settings', { schema: { tags, summary: 'The schedule of the monthly report: on/off, day and time, recipients; the next report', response: { 200: C.ReportSettingsView } } }, async (request) =>
    reports.getReportSettings(ctxOf(app, request)),
  );
  api.put('/reports/settings', { schema: { tags, summary: 'Changes the schedule of the monthly report (report.manage); audited', body: C.ReportSettingsInput, response: { 200: C.ReportSettingsView } } }, async (request) =>
    reports.updateReportSettings(ctxOf(app, request), request.body),
  );

  api.get('/exports/monthly-report.xlsx', {
    schema: { tags: ['exports', ...tags], summary: 'The stored monthly report of a month (404 when none is stored: POST /reports/monthly first); audited as an export', querystring: C.MonthlyReportDownload },
  }, async (request, reply) => {
    const file = await reports.downloadMonthlyReport(ctxOf(app, request), request.query);
    return sendXlsx(reply, { fileName: file.fileName, body: file.content });
  });
  api.get('/exports/kpis.xlsx', {
    schema: { tags: ['exports', 'kpis'], summary: 'KPI values as an Excel sheet: the query of GET /kpis/values (same permission and branch scope) plus lang; audited', querystring: C.KpiExportQuery },
  }, async (request, reply) => {
    const file = await reports.exportKpis(ctxOf(app, request), request.query);
    return sendXlsx(reply, file);
  });
}
