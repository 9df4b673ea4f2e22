/**
 * Corrective actions (整改): the list (keyset pages), one action with its timeline, each step, the owner's
 * work, evidence upload, the settings, and a request's actions with its complaint verdict. Types come from
 * the server's contracts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CaCreate as CaCreateSchema,
  CaDetail as CaDetailSchema,
  CaSource as CaSourceSchema,
  CaState as CaStateSchema,
  CaStep as CaStepSchema,
  CaView as CaViewSchema,
  ComplaintVerdictView as ComplaintVerdictViewSchema,
  CorrectiveSettings as CorrectiveSettingsSchema,
} from '@contracts/corrective-actions/contracts';
import type { AttachmentView } from './requests';
import { api, API_BASE, ApiError, request } from './client';
import { useKeysetList } from './keyset';
import { currentLanguage } from '../i18n';

export type CaView = z.infer<typeof CaViewSchema>;
export type CaDetail = z.infer<typeof CaDetailSchema>;
export type CaSource = z.infer<typeof CaSourceSchema>;
export type CaState = z.infer<typeof CaStateSchema>;
export type CaStep = z.infer<typeof CaStepSchema>;
export type CaCreate = z.input<typeof CaCreateSchema>;
export type ComplaintVerdictView = z.infer<typeof ComplaintVerdictViewSchema>;
export type CorrectiveSettings = z.infer<typeof CorrectiveSettingsSchema>;

export const CA_STATES: CaState[] = ['open', 'in_progress', 'submitted', 'closed', 'cancelled'];
export const CA_SOURCES: CaSource[] = ['bad_rating', 'breach', 'complaint', 'cluster', 'inspection', 'manual'];

export const correctiveKey = ['corrective-actions'] as const;
const PAGE_SIZE = 50;

export interface CaFilters {
  states?: CaState[] | undefined;
  source?: CaSource | undefined;
  overdue?: boolean | undefined;
  mine?: boolean | undefined;
  teamId?: string | undefined;
  branchId?: string | undefined;
}

export function useCorrectiveActions(f: CaFilters) {
  const params = {
    states: f.states?.length ? f.states.join(',') : undefined, source: f.source, teamId: f.teamId, branchId: f.branchId,
    overdue: f.overdue === undefined ? undefined : String(f.overdue), mine: f.mine ? 'true' : undefined,
  };
  return useKeysetList<CaView>([...correctiveKey, 'list', f], '/corrective-actions', params, PAGE_SIZE);
}

export function useCorrectiveAction(id: string) {
  return useQuery({ queryKey: [...correctiveKey, 'one', id], queryFn: () => api.get<CaDetail>(`/corrective-actions/${id}`), enabled: !!id });
}

export function useRequestCorrective(requestId: string, enabled = true) {
  return useQuery({ queryKey: [...correctiveKey, 'request', requestId], queryFn: () => api.get<ComplaintVerdictView>(`/requests/${requestId}/corrective-actions`), enabled: enabled && !!requestId });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: correctiveKey });
}

export function useCreateCorrective() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: CaCreate) => api.post<CaView>('/corrective-actions', body), onSuccess: () => invalidate() });
}

export function useCorrectiveStep(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { step: CaStep; note?: string }) => api.post<CaView>(`/corrective-actions/${id}/steps`, body), onSuccess: () => invalidate() });
}

export function useCorrectiveWork(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { rootCause?: string; actionsTaken?: string }) => request<CaView>('PUT', `/corrective-actions/${id}/work`, { body }), onSuccess: () => invalidate() });
}

export function useCorrectiveRecontact(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { note: string }) => api.post<CaView>(`/corrective-actions/${id}/recontact`, body), onSuccess: () => invalidate() });
}

export function useCorrectiveOwner(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (ownerId: string) => request<CaView>('PUT', `/corrective-actions/${id}/owner`, { body: { ownerId } }), onSuccess: () => invalidate() });
}

export function useComplaintVerdict(requestId: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { upheld: boolean; note: string }) => api.post<ComplaintVerdictView>(`/requests/${requestId}/complaint-verdict`, body), onSuccess: () => invalidate() });
}

export function useCorrectiveSettings() {
  return useQuery({ queryKey: [...correctiveKey, 'settings'], queryFn: () => api.get<CorrectiveSettings>('/corrective-actions/settings') });
}

/** Uploads an evidence file (raw body) to an action. */
export async function uploadEvidence(actionId: string, file: File): Promise<AttachmentView> {
  const response = await fetch(`${API_BASE}/corrective-actions/${actionId}/evidence?filename=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'Content-Type': file.type || 'application/octet-stream', 'Accept-Language': currentLanguage() },
    credentials: 'same-origin',
    body: file,
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? response.statusText, error?.details);
  }
  return body as AttachmentView;
}

export function useUploadEvidence(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (file: File) => uploadEvidence(id, file), onSuccess: () => invalidate() });
}

export function evidenceUrl(actionId: string, attachmentId: string, inline = false): string {
  return `${API_BASE}/corrective-actions/${actionId}/evidence/${attachmentId}${inline ? '?inline=1' : ''}`;
}

export function useUpdateCorrectiveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<CorrectiveSettings>) => request<CorrectiveSettings>('PUT', '/corrective-actions/settings', { body }),
    onSuccess: (saved) => client.setQueryData([...correctiveKey, 'settings'], saved),
  });
}
