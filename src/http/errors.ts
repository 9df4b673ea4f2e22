/** The one place that turns any thrown error into `{ error: { code, message, details } }` and a status. */
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError, statusOf } from '../core/errors.js';
import type { z } from 'zod';
import { message, negotiateLocale, type Locale } from '../core/i18n.js';
import { ValidationError } from '../core/validate.js';

function fromFastify(error: FastifyError, locale: Locale): AppError | null {
  if (hasZodFastifySchemaValidationErrors(error)) {
    // The provider flattens each zod issue into { keyword: code, instancePath: /a/b, message, params: rest }.
    const validation: FastifySchemaValidationError[] = (error as { validation?: FastifySchemaValidationError[] }).validation ?? [];
    const issues = validation.map(
      (v) =>
        ({
          ...(v.params as object),
          code: v.keyword,
          path: v.instancePath.split('/').filter(Boolean),
          message: v.message ?? '',
        }) as unknown as z.core.$ZodIssue,
    );
    return new ValidationError(issues, error.validationContext ?? 'body').localized(locale);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('request.malformed_json', { reason: error.message });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('request.unsupported_media_type', { type: error.message.replace(/^.*: /, '') });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('request.too_large');
    default:
      break;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return new AppError('request.malformed_json', { reason: error.message });
  }
  if (error.statusCode === 429) return new AppError('rate_limited');
  return null;
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const locale = negotiateLocale(request.headers['accept-language']);
  const appError = error instanceof ValidationError ? error.localized(locale) : isAppError(error) ? error : fromFastify(error, locale);
  if (!appError) {
    request.log.error({ err: error }, 'unhandled error');
    const internal = new AppError('internal', { requestId: request.id });
    return reply.status(500).send({ error: { code: internal.code, message: message(locale, internal.code, internal.params) } });
  }
  const body: { code: string; message: string; details?: unknown } = { code: appError.code, message: message(locale, appError.code, appError.params) };
  if (appError.details !== undefined) body.details = appError.details;
  return reply.status(statusOf(appError.code)).send({ error: body });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const locale = negotiateLocale(request.headers['accept-language']);
  const params = { method: request.method, url: request.url.split('?')[0] };
  return reply.status(404).send({ error: { code: 'route.not_found', message: message(locale, 'route.not_found', params) } });
}
