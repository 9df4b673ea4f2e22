/**
 * Public feedback (意见反馈): the public form, look-up and published list (no sign-in), and the staff inbox
 * (answer, mark invalid, publish). Types come from the server's contracts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  FeedbackDetail as FeedbackDetailSchema,
  FeedbackInvalidate as FeedbackInvalidateSchema,
  FeedbackKind as FeedbackKindSchema,
  FeedbackLookup as FeedbackLookupSchema,
  FeedbackSettings as FeedbackSettingsSchema,
  FeedbackState as FeedbackStateSchema,
  FeedbackSubmit as FeedbackSubmitSchema,
  FeedbackSubmitted as FeedbackSubmittedSchema,
  FeedbackView as FeedbackViewSchema,
  PublishedFeedbackPage as PublishedFeedbackPageSchema,
} from '@contracts/evaluations/feedback-contracts';
import { api, request } from './client';
import { useKeysetList } from './keyset';

export type FeedbackKind = z.infer<typeof FeedbackKindSchema>;
export type FeedbackState = z.infer<typeof FeedbackStateSchema>;
export type FeedbackView = z.infer<typeof FeedbackViewSchema>;
export type FeedbackDetail = z.infer<typeof FeedbackDetailSchema>;
export type FeedbackLookup = z.infer<typeof FeedbackLookupSchema>;
export type FeedbackSubmit = z.input<typeof FeedbackSubmitSchema>;
export type FeedbackSubmitted = z.infer<typeof FeedbackSubmittedSchema>;
export type FeedbackSettings = z.infer<typeof FeedbackSettingsSchema>;
export type FeedbackInvalidate = z.input<typeof FeedbackInvalidateSchema>;
export type PublishedFeedbackPage = z.infer<typeof PublishedFeedbackPageSchema>;

export const feedbackKey = ['feedback'] as const;
const publicBase = (org: string) => `/public/${encodeURIComponent(org)}/feedback`;

// ---------- public ----------

export function useSubmitFeedback(org: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: FeedbackSubmit) => api.post<FeedbackSubmitted>(publicBase(org), input, { quietSignedOut: true }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['public-feedback', org] }),
  });
}

export function usePublishedFeedback(org: string, limit = 10) {
  return useQuery({
    queryKey: ['public-feedback', org, 'published', limit],
    queryFn: () => api.get<PublishedFeedbackPage>(publicBase(org), { limit }, { quietSignedOut: true }),
  });
}

/** Look-up by number and code (null until both are given). */
export function useFeedbackLookup(org: string, number: string | null, code: string | null) {
  return useQuery({
    queryKey: ['public-feedback', org, 'lookup', number, code],
    queryFn: () => api.get<FeedbackLookup>(`${publicBase(org)}/${encodeURIComponent(number!)}`, { k: code! }, { quietSignedOut: true }),
    enabled: Boolean(number && code),
    retry: false,
  });
}

// ---------- staff ----------

export interface FeedbackFilters {
  state?: FeedbackState | undefined;
  kind?: FeedbackKind | undefined;
  overdue?: boolean | undefined;
  q?: string | undefined;
}

export function useFeedbackList(filters: FeedbackFilters) {
  const params = { state: filters.state, kind: filters.kind, overdue: filters.overdue ? 'true' : undefined, q: filters.q };
  return useKeysetList<FeedbackView>([...feedbackKey, 'list', filters], '/feedback', params, 50);
}

export function useFeedback(id: string | null) {
  return useQuery({ queryKey: [...feedbackKey, 'one', id], queryFn: () => api.get<FeedbackDetail>(`/feedback/${id!}`), enabled: Boolean(id) });
}

function useFeedbackAction<I>(path: (id: string) => string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input?: I }) => api.post<FeedbackDetail>(path(id), input ?? {}),
    onSuccess: (detail) => {
      client.setQueryData([...feedbackKey, 'one', detail.id], detail);
      void client.invalidateQueries({ queryKey: [...feedbackKey, 'list'] });
    },
  });
}

export const useAnswerFeedback = () => useFeedbackAction<{ answer: string }>((id) => `/feedback/${id}/answer`);
export const useInvalidateFeedback = () => useFeedbackAction<FeedbackInvalidate>((id) => `/feedback/${id}/invalidate`);
export const usePublishFeedback = () => useFeedbackAction<{ summary: string }>((id) => `/feedback/${id}/publish`);
export const useUnpublishFeedback = () => useFeedbackAction<never>((id) => `/feedback/${id}/unpublish`);

export function useFeedbackSettings(enabled = true) {
  return useQuery({ queryKey: [...feedbackKey, 'settings'], queryFn: () => api.get<FeedbackSettings>('/feedback/settings'), enabled });
}

export function useSaveFeedbackSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { answerWithin: string; warnRatio: number | null }) => request<FeedbackSettings>('PUT', '/feedback/settings', { body: input }),
    onSuccess: (saved) => client.setQueryData([...feedbackKey, 'settings'], saved),
  });
}
