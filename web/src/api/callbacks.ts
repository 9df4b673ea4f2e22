/**
 * Callbacks (回访) and appeals (申诉): the queue, one callback, assigning and recording a call, sampling a
 * period, the settings; appeals to file and decide. Types come from the server's contracts.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CallbackDetail as CallbackDetailSchema,
  CallbackPage as CallbackPageSchema,
  CallbackPerform as CallbackPerformSchema,
  CallbackPurpose as CallbackPurposeSchema,
  CallbackSettings as CallbackSettingsSchema,
  CallbackState as CallbackStateSchema,
  CallbackView as CallbackViewSchema,
  SamplePreview as SamplePreviewSchema,
  SampleResult as SampleResultSchema,
  SampleRun as SampleRunSchema,
  Verdict as VerdictSchema,
} from '@contracts/evaluations/callbacks-contracts';
import type { AppealCandidates as AppealCandidatesSchema, AppealPage as AppealPageSchema, AppealState as AppealStateSchema, AppealView as AppealViewSchema, AppealedRating as AppealedRatingSchema } from '@contracts/evaluations/appeals-contracts';
import { api, request } from './client';

export type CallbackView = z.infer<typeof CallbackViewSchema>;
export type CallbackDetail = z.infer<typeof CallbackDetailSchema>;
export type CallbackPage = z.infer<typeof CallbackPageSchema>;
export type CallbackPurpose = z.infer<typeof CallbackPurposeSchema>;
export type CallbackState = z.infer<typeof CallbackStateSchema>;
export type CallbackSettings = z.infer<typeof CallbackSettingsSchema>;
export type CallbackPerform = z.input<typeof CallbackPerformSchema>;
export type Verdict = z.infer<typeof VerdictSchema>;
export type SampleRun = z.input<typeof SampleRunSchema>;
export type SamplePreview = z.infer<typeof SamplePreviewSchema>;
export type SampleResult = z.infer<typeof SampleResultSchema>;
export type AppealView = z.infer<typeof AppealViewSchema>;
export type AppealPage = z.infer<typeof AppealPageSchema>;
export type AppealState = z.infer<typeof AppealStateSchema>;
export type AppealedRating = z.infer<typeof AppealedRatingSchema>;
export type AppealCandidates = z.infer<typeof AppealCandidatesSchema>;

export const callbacksKey = ['callbacks'] as const;
export const appealsKey = ['appeals'] as const;

export interface CallbackFilters {
  state?: CallbackState[] | undefined;
  purpose?: CallbackPurpose | undefined;
  branchId?: string | undefined;
  assigneeId?: string | undefined;
  requestType?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export function useCallbacks(f: CallbackFilters) {
  return useQuery({
    queryKey: [...callbacksKey, 'list', f],
    queryFn: () => api.get<CallbackPage>('/callbacks', { ...f, state: f.state?.length ? f.state.join(',') : undefined }),
    placeholderData: keepPreviousData,
  });
}

export function useCallbackDetail(id: string | null) {
  return useQuery({ queryKey: [...callbacksKey, 'one', id], queryFn: () => api.get<CallbackDetail>(`/callbacks/${id}`), enabled: !!id });
}

function invalidateAll(client: ReturnType<typeof useQueryClient>) {
  return Promise.all([client.invalidateQueries({ queryKey: callbacksKey }), client.invalidateQueries({ queryKey: appealsKey })]);
}

export function useAssignCallback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, assigneeId }: { id: string; assigneeId: string | null }) => api.post<CallbackDetail>(`/callbacks/${id}/assign`, { assigneeId }),
    onSuccess: () => invalidateAll(client),
  });
}

export function usePerformCallback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CallbackPerform }) => api.post<CallbackDetail>(`/callbacks/${id}/perform`, body),
    onSuccess: () => invalidateAll(client),
  });
}

export function useCallbackSettings(enabled = true) {
  return useQuery({ queryKey: [...callbacksKey, 'settings'], queryFn: () => api.get<CallbackSettings>('/callbacks/settings'), enabled });
}

export function useSaveCallbackSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CallbackSettings) => request<CallbackSettings>('PUT', '/callbacks/settings', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: callbacksKey }),
  });
}

export function usePreviewSample() {
  return useMutation({ mutationFn: (body: SampleRun) => api.post<SamplePreview>('/callbacks/sample/preview', body) });
}

export function useRunSample() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (body: SampleRun) => api.post<SampleResult>('/callbacks/sample', body), onSuccess: () => invalidateAll(client) });
}

export function useAddCallback() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (body: { requestId: string }) => api.post<CallbackDetail>('/callbacks', body), onSuccess: () => invalidateAll(client) });
}

export function useAppeals(f: { state?: AppealState | undefined; page?: number }) {
  return useQuery({ queryKey: [...appealsKey, 'list', f], queryFn: () => api.get<AppealPage>('/appeals', { ...f }), placeholderData: keepPreviousData });
}

export function useAppealCandidates(enabled: boolean) {
  return useQuery({ queryKey: [...appealsKey, 'candidates'], queryFn: () => api.get<AppealCandidates>('/appeals/candidates'), enabled });
}

export function useFileAppeal() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ evaluationId, reason }: { evaluationId: string; reason: string }) => api.post<AppealView>(`/evaluations/${evaluationId}/appeals`, { reason }),
    onSuccess: () => invalidateAll(client),
  });
}

export function useDecideAppeal() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, reason }: { id: string; decision: 'upheld' | 'rejected'; reason: string }) => api.post<AppealView>(`/appeals/${id}/decision`, { decision, reason }),
    onSuccess: () => invalidateAll(client),
  });
}
