/**
 * Requests (工单): types from the server's contracts and the hooks the console and the request page use.
 * Live events (web/src/lib/live.ts) invalidate these caches.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AssignInput as AssignInputSchema,
  AttachmentView as AttachmentViewSchema,
  CategoryInput as CategoryInputSchema,
  CategoryView as CategoryViewSchema,
  ClockExplanation as ClockExplanationSchema,
  ClockSummary as ClockSummarySchema,
  LoopAction as LoopActionSchema,
  LoopState as LoopStateSchema,
  MessageCreate as MessageCreateSchema,
  MessageView as MessageViewSchema,
  RequestCreate as RequestCreateSchema,
  RequestDetail as RequestDetailSchema,
  RequestListItem as RequestListItemSchema,
  RequestListQuery as RequestListQuerySchema,
  RequestPage as RequestPageSchema,
  RequestSettingsInput as RequestSettingsInputSchema,
  RequestSettingsView as RequestSettingsViewSchema,
  RequestUpdate as RequestUpdateSchema,
  RequestView as RequestViewSchema,
  RoutingRuleInput as RoutingRuleInputSchema,
  RoutingRuleView as RoutingRuleViewSchema,
  TimelineEntry as TimelineEntrySchema,
  TransitionInput as TransitionInputSchema,
} from '@contracts/requests/contracts';
import { api, API_BASE, ApiError } from './client';
import { currentLanguage } from '../i18n';

export type LoopState = z.infer<typeof LoopStateSchema>;
export type LoopAction = z.infer<typeof LoopActionSchema>;
export type RequestListItem = z.infer<typeof RequestListItemSchema>;
export type RequestPage = z.infer<typeof RequestPageSchema>;
export type RequestView = z.infer<typeof RequestViewSchema>;
export type RequestDetail = z.infer<typeof RequestDetailSchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type ClockSummary = z.infer<typeof ClockSummarySchema>;
export type ClockExplanation = z.infer<typeof ClockExplanationSchema>;
export type MessageView = z.infer<typeof MessageViewSchema>;
export type AttachmentView = z.infer<typeof AttachmentViewSchema>;
export type RequestCreate = z.input<typeof RequestCreateSchema>;
export type RequestUpdate = z.input<typeof RequestUpdateSchema>;
export type TransitionInput = z.input<typeof TransitionInputSchema>;
export type AssignInput = z.input<typeof AssignInputSchema>;
export type MessageCreate = z.input<typeof MessageCreateSchema>;
export type RequestListQuery = z.input<typeof RequestListQuerySchema>;
export type Category = z.infer<typeof CategoryViewSchema>;
export type CategoryInput = z.input<typeof CategoryInputSchema>;
export type RoutingRule = z.infer<typeof RoutingRuleViewSchema>;
export type RoutingRuleInput = z.input<typeof RoutingRuleInputSchema>;
export type RequestSettings = z.infer<typeof RequestSettingsViewSchema>;
export type RequestSettingsInput = z.input<typeof RequestSettingsInputSchema>;

export const requestsKey = ['requests'] as const;
export const requestKey = (id: string) => ['request', id] as const;
export const categoriesKey = ['request-categories'] as const;
export const routingRulesKey = ['routing-rules'] as const;
export const requestSettingsKey = ['request-settings'] as const;

/** Query-string form of list filters (arrays as comma lists). */
export function listParams(q: RequestListQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries<unknown>(q)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) out[key] = value.join(',');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return out;
}

export function useRequestList(q: RequestListQuery) {
  return useQuery({ queryKey: [...requestsKey, q], queryFn: () => api.get<RequestPage>('/requests', listParams(q)) });
}

export function useRequestDetail(id: string | undefined) {
  return useQuery({ queryKey: requestKey(id ?? ''), queryFn: () => api.get<RequestDetail>(`/requests/${id}`), enabled: !!id });
}

/** After any write to a request: its page and every list. */
function useInvalidate() {
  const qc = useQueryClient();
  return (id?: string) => {
    void qc.invalidateQueries({ queryKey: requestsKey });
    if (id) void qc.invalidateQueries({ queryKey: requestKey(id) });
  };
}

export function useRegisterRequest() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: RequestCreate) => api.post<RequestView>('/requests', body), onSuccess: (v) => invalidate(v.id) });
}

export function useUpdateRequest(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: RequestUpdate) => api.patch<RequestView>(`/requests/${id}`, body), onSuccess: () => invalidate(id) });
}

export function useTransition(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: TransitionInput) => api.post<RequestView>(`/requests/${id}/transitions`, body), onSuccess: () => invalidate(id) });
}

export function useAssign(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: AssignInput) => api.post<RequestView>(`/requests/${id}/assign`, body), onSuccess: () => invalidate(id) });
}

export function useEscalate(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (reason: string) => api.post<RequestView>(`/requests/${id}/escalate`, { reason }), onSuccess: () => invalidate(id) });
}

export function useAcknowledgeEscalation(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: () => api.post<RequestView>(`/requests/${id}/escalation/acknowledge`), onSuccess: () => invalidate(id) });
}

export function useAddMessage(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: MessageCreate) => api.post<{ id: string }>(`/requests/${id}/messages`, body), onSuccess: () => invalidate(id) });
}

export function useBulkUpdate() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { ids: string[]; assign?: AssignInput; transition?: TransitionInput }) => api.post<{ updated: number }>('/requests/bulk', body),
    onSuccess: () => invalidate(),
  });
}

/** Uploads a file (raw body) and returns its id for attachmentIds. */
export async function uploadAttachment(file: File): Promise<AttachmentView> {
  const response = await fetch(`${API_BASE}/attachments?filename=${encodeURIComponent(file.name)}`, {
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

export function attachmentUrl(id: string, inline = false): string {
  return `${API_BASE}/attachments/${id}${inline ? '?inline=1' : ''}`;
}

export function useCategories() {
  return useQuery({ queryKey: categoriesKey, queryFn: () => api.get<Category[]>('/request-categories'), staleTime: 60_000 });
}

export function useRoutingRules() {
  return useQuery({ queryKey: routingRulesKey, queryFn: () => api.get<RoutingRule[]>('/routing-rules') });
}

export function useRequestSettings() {
  return useQuery({ queryKey: requestSettingsKey, queryFn: () => api.get<RequestSettings>('/request-settings') });
}
