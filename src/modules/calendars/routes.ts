/** HTTP routes of calendars, holiday data and clock look-ups. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../core/context.js';
import { ctxOf } from '../../http/context.js';
import { Id, Ok } from '../shared/contracts.js';
import { clocksOfRecord } from '../clocks/service.js';
import * as C from './contracts.js';
import * as calendars from './service.js';

const IdParams = z.strictObject({ id: Id });
const FileBody = z
  .looseObject({})
  .describe('The calendar file: { "name", "timeZone", "week": { "mon": [["09:00","12:00"],["13:30","18:00"]], …, "sun": [] }, "overrides": { "YYYY-MM-DD": [...] } }');
const WriteOptions = z.strictObject({
  holidayRegion: z.enum(['CN', 'none']).optional().describe('CN (default): follows mainland-China holidays; none: works through them (7×24)'),
  isDefault: z.enum(['true', 'false']).optional(),
});

function options(q: z.infer<typeof WriteOptions>) {
  return {
    ...(q.holidayRegion ? { holidayRegion: q.holidayRegion === 'none' ? null : q.holidayRegion } : {}),
    ...(q.isDefault ? { isDefault: q.isDefault === 'true' } : {}),
  };
}

export async function calendarRoutes(server: FastifyInstance, app: App) {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['calendars'];

  api.get('/calendars', { schema: { tags, response: { 200: z.array(C.Calendar) } } }, async (request) => calendars.listCalendars(ctxOf(app, request)));
  api.post('/calendars', { schema: { tags, summary: 'Create (import) a calendar from the calendar file format', querystring: WriteOptions, body: FileBody, response: { 201: C.Calendar } } }, async (request, reply) =>
    reply.status(201).send(await calendars.createCalendar(ctxOf(app, request), request.body, options(request.query))),
  );
  api.get('/calendars/:id', { schema: { tags, params: IdParams, response: { 200: C.Calendar } } }, async (request) => calendars.getCalendar(ctxOf(app, request), request.params.id));
  api.put('/calendars/:id', { schema: { tags, summary: 'Replace a calendar from the calendar file format', params: IdParams, querystring: WriteOptions, body: FileBody, response: { 200: C.Calendar } } }, async (request) =>
    calendars.replaceCalendar(ctxOf(app, request), request.params.id, request.body, options(request.query)),
  );
  api.delete('/calendars/:id', { schema: { tags, summary: 'Delete a calendar no clock uses', params: IdParams, response: { 200: Ok } } }, async (request) =>
    calendars.deleteCalendar(ctxOf(app, request), request.params.id),
  );
  api.get('/calendars/:id/export', { schema: { tags, summary: 'The calendar file (JSON download)', params: IdParams } }, async (request, reply) => {
    const file = await calendars.exportCalendar(ctxOf(app, request), request.params.id);
    const name = encodeURIComponent(`${file.name}.calendar.json`);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="calendar.json"; filename*=UTF-8''${name}`)
      .send(JSON.stringify(file, null, 2));
  });
  api.post('/calendars/:id/holidays', { schema: { tags, summary: 'Apply the statutory holidays and make-up workdays of some years', params: IdParams, body: C.HolidayApply, response: { 200: C.Calendar } } }, async (request) =>
    calendars.applyHolidayYears(ctxOf(app, request), request.params.id, request.body),
  );
  api.get('/calendars/:id/due', { schema: { tags, summary: 'When would it be due? (with the working shown)', params: IdParams, querystring: C.DuePreviewQuery, response: { 200: C.DuePreview } } }, async (request) =>
    calendars.previewDue(ctxOf(app, request), request.params.id, request.query),
  );
  api.get('/calendars/:id/elapsed', { schema: { tags, summary: 'Business time between two instants', params: IdParams, querystring: C.ElapsedQuery, response: { 200: C.ElapsedResult } } }, async (request) =>
    calendars.previewElapsed(ctxOf(app, request), request.params.id, request.query),
  );
  api.get('/calendars/:id/years/:year', { schema: { tags, summary: 'Every date of a year: hours, holidays, working or not', params: z.strictObject({ id: Id, year: z.coerce.number().int() }), response: { 200: C.YearView } } }, async (request) =>
    calendars.yearView(ctxOf(app, request), request.params.id, request.params.year),
  );

  api.get('/holiday-years', { schema: { tags, summary: 'Statutory holiday data by year (mainland China)', response: { 200: z.array(C.HolidayYear) } } }, async (request) => calendars.listHolidayYears(ctxOf(app, request)));
  api.put('/holiday-years/:year', { schema: { tags, summary: 'Add or replace a year of holiday data (e.g. when the State Council publishes 2027)', params: z.strictObject({ year: z.coerce.number().int().min(1900).max(2999) }), body: C.HolidayYearPut, response: { 200: C.HolidayYear } } }, async (request) =>
    calendars.putHolidayYear(ctxOf(app, request), request.params.year, request.body),
  );

  api.get('/clocks', { schema: { tags: ['clocks'], summary: 'The clocks of a record', querystring: z.strictObject({ subjectType: z.string().max(50), subjectId: z.string().max(100) }) } }, async (request) =>
    clocksOfRecord(ctxOf(app, request), request.query.subjectType, request.query.subjectId),
  );
}
