/**
 * Service-desk administration: writes to the category tree, routing rules, request settings and webhooks.
 * The reads of categories, rules and settings live in requests.ts (the console uses them too).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  WebhookCreated as WebhookCreatedSchema,
  WebhookInput as WebhookInputSchema,
  WebhookView as WebhookViewSchema,
} from '@contracts/requests/contracts';
import { api, request } from './client';
import {
  categoriesKey, requestSettingsKey, routingRulesKey, type Category, type CategoryInput, type RequestSettings, type RequestSettingsInput,
  type RoutingRule, type RoutingRuleInput,
} from './requests';
import type { Staff } from './types';

export type Webhook = z.infer<typeof WebhookViewSchema>;
export type WebhookCreated = z.infer<typeof WebhookCreatedSchema>;
export type WebhookInput = z.input<typeof WebhookInputSchema>;

export const webhooksKey = ['webhooks'] as const;

const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });

/** The full input of a category (PUT replaces it) with some fields changed. */
export function categoryInput(c: Category, patch: Partial<CategoryInput> = {}): CategoryInput {
  return { name: c.name, nameEn: c.nameEn, parentId: c.parentId, position: c.position, active: c.active, ...patch };
}

/** The full input of a rule (PUT replaces it) with some fields changed. */
export function ruleInput(r: RoutingRule, patch: Partial<RoutingRuleInput> = {}): RoutingRuleInput {
  return { name: r.name, position: r.position, active: r.active, conditions: r.conditions, teamId: r.teamId, staffId: r.staffId, strategy: r.strategy, ...patch };
}

function useInvalidating<I, O>(key: readonly string[], fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => client.invalidateQueries({ queryKey: key }) });
}

export const useCreateCategory = () => useInvalidating(categoriesKey, (input: CategoryInput) => api.post<Category>('/request-categories', input));
export const useUpdateCategory = () =>
  useInvalidating(categoriesKey, ({ id, input }: { id: string; input: CategoryInput }) => put<Category>(`/request-categories/${id}`, input));
export const useDeleteCategory = () => useInvalidating(categoriesKey, (id: string) => api.delete<{ ok: true }>(`/request-categories/${id}`));

/**
 * Several categories at once (a move or a reorder changes the positions of siblings). One call each, in order;
 * the cache is refreshed afterwards whether or not all of them went through.
 */
export const useSaveCategories = () =>
  useInvalidating(categoriesKey, async (changes: { id: string; input: CategoryInput }[]) => {
    for (const c of changes) await put<Category>(`/request-categories/${c.id}`, c.input);
  });

export const useCreateRule = () => useInvalidating(routingRulesKey, (input: RoutingRuleInput) => api.post<RoutingRule>('/routing-rules', input));
export const useUpdateRule = () =>
  useInvalidating(routingRulesKey, ({ id, input }: { id: string; input: RoutingRuleInput }) => put<RoutingRule>(`/routing-rules/${id}`, input));
export const useDeleteRule = () => useInvalidating(routingRulesKey, (id: string) => api.delete<{ ok: true }>(`/routing-rules/${id}`));
/** New positions for several rules (moving one up or down renumbers the list). */
export const useSaveRules = () =>
  useInvalidating(routingRulesKey, async (changes: { id: string; input: RoutingRuleInput }[]) => {
    for (const c of changes) await put<RoutingRule>(`/routing-rules/${c.id}`, c.input);
  });

export function useUpdateRequestSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestSettingsInput) => put<RequestSettings>('/request-settings', input),
    onSuccess: (view) => client.setQueryData(requestSettingsKey, view),
  });
}

export function useWebhooks(enabled = true) {
  return useQuery({ queryKey: webhooksKey, queryFn: () => api.get<Webhook[]>('/webhooks'), enabled });
}
export const useCreateWebhook = () => useInvalidating(webhooksKey, (input: WebhookInput) => api.post<WebhookCreated>('/webhooks', input));
export const useUpdateWebhook = () =>
  useInvalidating(webhooksKey, ({ id, input }: { id: string; input: WebhookInput }) => put<Webhook>(`/webhooks/${id}`, input));
export const useRotateWebhookSecret = () => useInvalidating(webhooksKey, (id: string) => api.post<WebhookCreated>(`/webhooks/${id}/rotate-secret`));
export const useDeleteWebhook = () => useInvalidating(webhooksKey, (id: string) => api.delete<{ ok: true }>(`/webhooks/${id}`));

/** One person by id (to name a rule's target even when they are not in the first page of the picker). */
export function useStaffMember(id: string | null) {
  return useQuery({ queryKey: ['staff', 'one', id], queryFn: () => api.get<Staff>(`/staff/${id}`), enabled: !!id, staleTime: 60_000 });
}
