/**
 * The console's filters live in the address (?queue=mine&states=handling,feedback&q=退款), so a queue can be
 * bookmarked, shared and gone back to. They are read with the server's own contract, dropping what does
 * not validate (an old link), and written as the list endpoint's query string (arrays as comma lists).
 */
import { RequestFilters as RequestFiltersSchema, type RequestFilters } from '@contracts/requests/contracts';

export type Queue = RequestFilters['queue'];
export const QUEUES: readonly Queue[] = ['mine', 'team', 'all', 'unassigned'];
/** The console opens on the person's own work. */
export const DEFAULT_QUEUE: Queue = 'mine';
const DEFAULT_SORT: RequestFilters['sort'] = 'created_desc';

const ARRAY_KEYS = new Set(['states', 'types', 'priorities', 'channels']);

/** Validates with the contract, dropping the keys that do not validate rather than the whole set. */
export function cleanFilters(raw: Record<string, unknown>): RequestFilters {
  let candidate = { ...raw };
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = RequestFiltersSchema.safeParse(candidate);
    if (result.success) return result.data;
    const bad = new Set<string>();
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) bad.add(key);
      else if (issue.path.length > 0) bad.add(String(issue.path[0]));
    }
    if (bad.size === 0) break;
    candidate = Object.fromEntries(Object.entries(candidate).filter(([key]) => !bad.has(key)));
  }
  return { queue: DEFAULT_QUEUE, sort: DEFAULT_SORT };
}

export function filtersFromSearch(search: URLSearchParams): RequestFilters {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of search.entries()) {
    if (value === '') continue;
    if (ARRAY_KEYS.has(key)) raw[key] = value.split(',').filter(Boolean);
    else if (key === 'open') raw[key] = value === 'true' ? true : value === 'false' ? false : value;
    else raw[key] = value;
  }
  raw.queue ??= DEFAULT_QUEUE;
  return cleanFilters(raw);
}

/** The list endpoint's query string for these filters. */
export function filterParams(f: RequestFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(f) as [string, unknown][]) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) out[key] = value.join(',');
    } else if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
      out[key] = String(value);
    }
  }
  return out;
}

/** The address form: the list's query string without the default sort. */
export function searchFromFilters(f: RequestFilters): URLSearchParams {
  const params = filterParams(f);
  if (params.sort === DEFAULT_SORT) delete params.sort;
  return new URLSearchParams(params);
}

/** Same filters, whatever the order of keys and list items. */
export function sameFilters(a: RequestFilters, b: RequestFilters): boolean {
  const norm = (f: RequestFilters) => {
    const p = filterParams(f);
    for (const key of ARRAY_KEYS) if (p[key]) p[key] = p[key].split(',').sort().join(',');
    return JSON.stringify(Object.fromEntries(Object.entries(p).sort(([x], [y]) => x.localeCompare(y))));
  };
  return norm(a) === norm(b);
}

/** Filters beyond queue, sort and search (what "clear filters" removes). */
export function activeFilterCount(f: RequestFilters): number {
  const { queue: _q, sort: _s, q: _search, ...rest } = f;
  return Object.values(rest).filter((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)).length;
}

/** The fields of a live request event that decide which queue it belongs to. */
export interface LiveRequestData {
  assigneeId?: unknown;
  teamId?: unknown;
}

/**
 * Does a request (as a live event describes it) belong to a queue? The server has already filtered the
 * stream by branch, so only the queue's own rule is left. "team": the person's teams as of sign-in.
 */
export function inQueue(queue: Queue, data: LiveRequestData, me: { id: string; teamIds: readonly string[] }): boolean {
  switch (queue) {
    case 'mine':
      return data.assigneeId === me.id;
    case 'team':
      return typeof data.teamId === 'string' && me.teamIds.includes(data.teamId);
    case 'unassigned':
      return data.assigneeId === null || data.assigneeId === undefined;
    default:
      return true;
  }
}
