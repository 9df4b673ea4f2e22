/**
 * Saved views of the console (保存的视图): a named set of console filters that belongs to one person. Shapes
 * shared by the API and the web app; imports nothing but zod and the requests contracts.
 */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';
import { RequestFilters } from './contracts.js';

/** How many views one person may keep: a picker, not an archive. */
export const MAX_SAVED_VIEWS = 50;

/** Date bounds are free text in the list contract; a view must not store one the list query would refuse. */
const StoredFilters = RequestFilters.superRefine((f, ctx) => {
  for (const field of ['createdFrom', 'createdTo'] as const) {
    const value = f[field];
    if (value !== undefined && Number.isNaN(new Date(value).getTime())) ctx.addIssue({ code: 'invalid_format', format: 'datetime', input: value, path: [field] });
  }
});

export const SavedViewInput = z.strictObject({
  name: z.string().trim().min(1).max(60),
  filters: StoredFilters,
});
export type SavedViewInput = z.infer<typeof SavedViewInput>;

export const SavedView = z.object({
  id: Id,
  name: z.string(),
  filters: RequestFilters,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SavedView = z.infer<typeof SavedView>;
