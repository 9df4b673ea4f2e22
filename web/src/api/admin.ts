/** Administration views: the audit log and the outbox. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { AuditEntry, OutboxMessage, OutboxStatus, OutboxSummary, Page } from './types';

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  requestId?: string | undefined;
  page?: number;
  pageSize?: number;
}

export function useAudit(filter: AuditFilter, enabled = true) {
  return useQuery({
    queryKey: ['audit', filter],
    queryFn: () => api.get<Page<AuditEntry>>('/audit', { ...filter }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export interface OutboxFilter {
  status?: OutboxStatus | undefined;
  kind?: 'email' | 'webhook' | 'sms' | undefined;
  page?: number;
  pageSize?: number;
}

export type OutboxPage = Page<OutboxMessage> & { summary: OutboxSummary };

export function useOutbox(filter: OutboxFilter, enabled = true, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: ['outbox', filter],
    queryFn: () => api.get<OutboxPage>('/outbox', { ...filter }),
    placeholderData: keepPreviousData,
    enabled,
    refetchInterval,
  });
}

export function useRetryOutbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<unknown>(`/outbox/${id}/retry`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['outbox'] }),
  });
}
