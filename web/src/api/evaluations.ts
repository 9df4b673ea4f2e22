/**
 * Surveys, ratings and satisfaction: the public survey page (token link), the ratings list (keyset pages), the
 * satisfaction figures, a request's surveys, QR links, resending, and the survey settings. Types come from the
 * server's contracts.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  EvaluationView as EvaluationViewSchema,
  PublicSurvey as PublicSurveySchema,
  SatisfactionQuery as SatisfactionQuerySchema,
  SatisfactionResult as SatisfactionResultSchema,
  SurveyAnswer as SurveyAnswerSchema,
  SurveyAnswered as SurveyAnsweredSchema,
  SurveyLinkView as SurveyLinkViewSchema,
  SurveyList as SurveyListSchema,
  SurveySettings as SurveySettingsSchema,
  SurveyView as SurveyViewSchema,
} from '@contracts/evaluations/contracts';
import { api, request } from './client';
import { useKeysetList } from './keyset';

export type EvaluationView = z.infer<typeof EvaluationViewSchema>;
export type PublicSurvey = z.infer<typeof PublicSurveySchema>;
export type SurveyAnswer = z.input<typeof SurveyAnswerSchema>;
export type SurveyAnswered = z.infer<typeof SurveyAnsweredSchema>;
export type SurveyView = z.infer<typeof SurveyViewSchema>;
export type SurveyLinkView = z.infer<typeof SurveyLinkViewSchema>;
export type SurveySettings = z.infer<typeof SurveySettingsSchema>;
export type SatisfactionQuery = z.input<typeof SatisfactionQuerySchema>;
export type SatisfactionResult = z.infer<typeof SatisfactionResultSchema>;
export type SatisfactionRow = SatisfactionResult['rows'][number];

export const evaluationsKey = ['evaluations'] as const;
export const surveysKey = ['surveys'] as const;

// ---------- public ----------

export function usePublicSurvey(token: string) {
  return useQuery({ queryKey: ['public-survey', token], queryFn: () => api.get<PublicSurvey>(`/public/surveys/${encodeURIComponent(token)}`, undefined, { quietSignedOut: true }), retry: false });
}

export function useAnswerSurvey(token: string) {
  return useMutation({ mutationFn: (answer: SurveyAnswer) => api.post<SurveyAnswered>(`/public/surveys/${encodeURIComponent(token)}`, answer, { quietSignedOut: true }) });
}

// ---------- staff ----------

export interface EvaluationFilters {
  agentId?: string | undefined;
  teamId?: string | undefined;
  branchId?: string | undefined;
  requestId?: string | undefined;
  source?: EvaluationView['source'] | undefined;
  level?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export function useEvaluations(filters: EvaluationFilters) {
  return useKeysetList<EvaluationView>([...evaluationsKey, 'list', filters], '/surveys/evaluations', { ...filters }, 50);
}

export function useSatisfaction(query: SatisfactionQuery) {
  return useQuery({ queryKey: [...evaluationsKey, 'satisfaction', query], queryFn: () => api.get<SatisfactionResult>('/surveys/satisfaction', { ...query }), placeholderData: keepPreviousData });
}

export function useRequestSurveys(requestId: string) {
  return useQuery({ queryKey: [...surveysKey, 'request', requestId], queryFn: () => api.get<z.infer<typeof SurveyListSchema>>('/surveys', { requestId }) });
}

export function useRequestEvaluations(requestId: string) {
  return useQuery({ queryKey: [...evaluationsKey, 'request', requestId], queryFn: () => api.get<{ items: EvaluationView[]; nextCursor: string | null }>('/surveys/evaluations', { requestId, limit: 50 }) });
}

export function useIssueQr() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (requestId: string) => api.post<SurveyLinkView>('/surveys/qr', { requestId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: surveysKey }),
  });
}

export function useResendSurvey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<SurveyView>(`/surveys/${id}/resend`),
    onSuccess: () => qc.invalidateQueries({ queryKey: surveysKey }),
  });
}

export function useSurveySettings(enabled = true) {
  return useQuery({ queryKey: [...surveysKey, 'settings'], queryFn: () => api.get<SurveySettings>('/surveys/settings'), enabled });
}

export function useSaveSurveySettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (settings: SurveySettings) => request<SurveySettings>('PUT', '/surveys/settings', { body: settings }),
    onSuccess: (saved) => qc.setQueryData([...surveysKey, 'settings'], saved),
  });
}
