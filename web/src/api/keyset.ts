/** Keyset-paged lists ("load more"): pages fetched with the previous page's nextCursor, rows deduplicated in case one moved between pages. */
import { keepPreviousData, useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { api } from './client';

export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

export function useKeysetList<T extends { id: string }>(queryKey: QueryKey, path: string, params: Record<string, string | number | undefined>, pageSize: number) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => api.get<KeysetPage<T>>(path, { ...params, limit: pageSize, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const seen = new Set<string>();
  const rows: T[] = [];
  for (const page of query.data?.pages ?? []) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      rows.push(item);
    }
  }
  return { ...query, rows };
}
