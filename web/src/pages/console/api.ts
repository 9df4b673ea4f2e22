/**
 * The console's server state: the queue as keyset pages ("load more", one call per page), the person's saved
 * views, and the customer search of the registration form. List keys live under `requestsKey`, so every
 * request write (web/src/api/requests.ts) refreshes the queue too.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RequestFilters } from '@contracts/requests/contracts';
import type { SavedView, SavedViewInput } from '@contracts/requests/views-contracts';
import { api, request } from '../../api/client';
import { useKeysetList } from '../../api/keyset';
import { requestsKey, type RequestListItem } from '../../api/requests';
import type { Customer, Page } from '../../api/types';
import { filterParams } from './filters';

export type { RequestFilters, SavedView };

/** Rows per page: enough for a screen of a dense table, small enough to answer fast. */
export const PAGE_SIZE = 50;

export const consoleListKey = [...requestsKey, 'console'] as const;

/** The queue: pages fetched with the previous page's nextCursor; rows deduplicated in case one moved between pages. */
export function useConsoleList(filters: RequestFilters) {
  return useKeysetList<RequestListItem>([...consoleListKey, filters], '/requests', filterParams(filters), PAGE_SIZE);
}

const savedViewsKey = ['saved-views'] as const;

export function useSavedViews() {
  return useQuery({ queryKey: savedViewsKey, queryFn: () => api.get<SavedView[]>('/saved-views'), staleTime: 60_000 });
}

export function useSaveView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: SavedViewInput }) =>
      id ? request<SavedView>('PUT', `/saved-views/${id}`, { body }) : api.post<SavedView>('/saved-views', body),
    onSuccess: () => client.invalidateQueries({ queryKey: savedViewsKey }),
  });
}

export function useDeleteView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/saved-views/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: savedViewsKey }),
  });
}

/** Digits (and phone punctuation) only: the text is a phone number, which the server matches exactly. */
export function looksLikePhone(text: string): boolean {
  return /^[0-9+\-() ]{5,}$/.test(text.trim());
}

/** Customers by name, or by exact phone number when the text is one. */
export function useCustomerSearch(text: string, enabled: boolean) {
  const q = text.trim();
  const byPhone = looksLikePhone(q);
  return useQuery({
    queryKey: ['customers', 'console-search', q],
    queryFn: ({ signal }) => api.get<Page<Customer>>('/customers', { ...(byPhone ? { phone: q } : { q }), pageSize: 20 }, { signal }),
    enabled: enabled && q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
