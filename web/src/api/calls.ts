/**
 * The phone channel: call records (keyset pages), the service level, CSV import, and dealing with a call
 * (turn it into a request, or log it as resolved at first contact). Types come from the server's contracts.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CallDetail as CallDetailSchema,
  CallHandled as CallHandledSchema,
  CallImportResult as CallImportResultSchema,
  CallOutcome as CallOutcomeSchema,
  CallPage as CallPageSchema,
  CallResolve as CallResolveSchema,
  CallToRequest as CallToRequestSchema,
  CallUpdate as CallUpdateSchema,
  CallView as CallViewSchema,
  CsvInvalidDetails as CsvInvalidDetailsSchema,
  ServiceLevelView as ServiceLevelViewSchema,
} from '@contracts/channels/calls-contracts';
import { api, API_BASE, ApiError, isRecord } from './client';
import { useKeysetList } from './keyset';
import { requestsKey } from './requests';
import { currentLanguage } from '../i18n';
import i18n from '../i18n';

export type CallView = z.infer<typeof CallViewSchema>;
export type CallDetail = z.infer<typeof CallDetailSchema>;
export type CallPage = z.infer<typeof CallPageSchema>;
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;
export type CallHandled = z.infer<typeof CallHandledSchema>;
export type CallImportResult = z.infer<typeof CallImportResultSchema>;
export type CsvInvalidDetails = z.infer<typeof CsvInvalidDetailsSchema>;
export type ServiceLevelView = z.infer<typeof ServiceLevelViewSchema>;
export type CallToRequest = z.input<typeof CallToRequestSchema>;
export type CallResolve = z.input<typeof CallResolveSchema>;
export type CallUpdate = z.input<typeof CallUpdateSchema>;

export const callsKey = ['calls'] as const;
const PAGE_SIZE = 50;

export interface CallFilters {
  from?: string | undefined;
  to?: string | undefined;
  agentId?: string | undefined;
  outcome?: CallOutcome[] | undefined;
  answered?: boolean | undefined;
  phone?: string | undefined;
}

function filterParams(f: CallFilters): Record<string, string | undefined> {
  return {
    from: f.from, to: f.to, agentId: f.agentId, phone: f.phone,
    outcome: f.outcome?.length ? f.outcome.join(',') : undefined,
    answered: f.answered === undefined ? undefined : String(f.answered),
  };
}

/** Calls newest first, a page at a time ("load more"); rows deduplicated in case one moved between pages. */
export function useCalls(filters: CallFilters) {
  return useKeysetList<CallView>([...callsKey, 'list', filters], '/calls', filterParams(filters), PAGE_SIZE);
}

export function useCall(id: string | null) {
  return useQuery({ queryKey: [...callsKey, 'one', id], queryFn: () => api.get<CallDetail>(`/calls/${id}`), enabled: !!id });
}

export interface ServiceLevelParams {
  from: string;
  to: string;
  threshold: number;
  agentId?: string | undefined;
  branchId?: string | undefined;
}

export function useServiceLevel(p: ServiceLevelParams) {
  return useQuery({
    queryKey: [...callsKey, 'service-level', p],
    queryFn: () => api.get<ServiceLevelView>('/calls/service-level', { ...p }),
    placeholderData: keepPreviousData,
  });
}

export function useUpdateCall() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: CallUpdate }) => api.patch<CallView>(`/calls/${id}`, patch),
    onSuccess: () => client.invalidateQueries({ queryKey: callsKey }),
  });
}

export function useCallToRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CallToRequest }) => api.post<CallHandled>(`/calls/${id}/request`, body),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: callsKey }), client.invalidateQueries({ queryKey: requestsKey })]),
  });
}

export function useResolveCall() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CallResolve }) => api.post<CallHandled>(`/calls/${id}/resolve`, body),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: callsKey }), client.invalidateQueries({ queryKey: requestsKey })]),
  });
}

/** The row problems of a refused CSV file (`csv.invalid`), or none. */
export function csvErrorsOf(error: unknown): CsvInvalidDetails | null {
  if (!(error instanceof ApiError) || error.code !== 'csv.invalid' || !isRecord(error.details) || !Array.isArray(error.details.errors)) return null;
  return error.details as CsvInvalidDetails;
}

/**
 * Uploads a CSV file as the raw body (the server detects UTF-8, GBK or UTF-16 itself, so the bytes go
 * unchanged). Not through `api`: that client sends JSON.
 */
export async function importCallsCsv(file: Blob): Promise<CallImportResult> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/calls/import`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'text/csv', Accept: 'application/json', 'Accept-Language': currentLanguage() },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return payload as CallImportResult;
  const body = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
  throw new ApiError(
    response.status,
    body && typeof body.code === 'string' ? body.code : `http_${response.status}`,
    body && typeof body.message === 'string' ? body.message : i18n.t('errors.unknown', { status: response.status }),
    body?.details,
  );
}

export function useImportCalls() {
  const client = useQueryClient();
  return useMutation({ mutationFn: importCallsCsv, onSuccess: () => client.invalidateQueries({ queryKey: callsKey }) });
}
