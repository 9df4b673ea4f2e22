/** Shapes shared by every module's contracts: ids, paging, errors. Imports nothing but zod. */
import { z } from 'zod';

export const Id = z.uuid();
export const Timestamp = z.string().describe('ISO 8601 instant (UTC)');
/**
 * A yes/no query-string parameter: "true" or "false" in the address, a boolean once parsed. Accepting both lets
 * a service parse again what a route already parsed.
 */
export const QueryBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const PageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const Ok = z.object({ ok: z.literal(true) });

/** An optional text field: trims, and treats the empty string as "not given". */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
}
