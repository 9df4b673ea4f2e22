/**
 * The customer portal (no staff sign-in): the web form, the private tracking link, replies and files from the
 * customer, the confirmation with a rating, and the signed-in customer's requests. Shapes come from the server's
 * portal contracts. Every call is "quiet": a 401 here is about the customer cookie, never the staff session.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  PortalInfo as PortalInfoSchema,
  PortalMe as PortalMeSchema,
  PortalRequestItem as PortalRequestItemSchema,
  PortalSubmit as PortalSubmitSchema,
  PortalSubmitted as PortalSubmittedSchema,
  PublicRequestView as PublicRequestViewSchema,
} from '@contracts/channels/portal-contracts';
import type { AttachmentView as AttachmentViewSchema } from '@contracts/requests/contracts';
import { currentLanguage } from '../i18n';
import i18n from '../i18n';
import { api, ApiError, buildUrl, isRecord } from './client';

export type PortalInfo = z.infer<typeof PortalInfoSchema>;
export type PortalMe = z.infer<typeof PortalMeSchema>;
export type PortalRequestItem = z.infer<typeof PortalRequestItemSchema>;
export type PortalSubmit = z.input<typeof PortalSubmitSchema>;
export type PortalSubmitted = z.infer<typeof PortalSubmittedSchema>;
export type TrackedRequest = z.infer<typeof PublicRequestViewSchema>;
export type PortalFile = z.infer<typeof AttachmentViewSchema>;

const quiet = { quietSignedOut: true } as const;
const base = (org: string) => `/portal/${encodeURIComponent(org)}`;
const tracked = (org: string, number: string) => `${base(org)}/t/${encodeURIComponent(number)}`;

export const portalKeys = {
  info: (org: string) => ['portal', org, 'info'] as const,
  me: (org: string) => ['portal', org, 'me'] as const,
  mine: (org: string) => ['portal', org, 'me', 'requests'] as const,
  tracked: (org: string, number: string, key: string) => ['portal', org, 't', number, key] as const,
};

export function usePortalInfo(org: string) {
  return useQuery({ queryKey: portalKeys.info(org), queryFn: () => api.get<PortalInfo>(base(org), undefined, quiet), staleTime: 5 * 60_000 });
}

/** The signed-in customer, or null when there is none (a 401 is an answer here, not an error). */
export function usePortalMe(org: string) {
  return useQuery({
    queryKey: portalKeys.me(org),
    queryFn: async () => {
      try {
        return await api.get<PortalMe>(`${base(org)}/me`, undefined, quiet);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
  });
}

export function useMyRequests(org: string, enabled: boolean) {
  return useQuery({
    queryKey: portalKeys.mine(org),
    queryFn: () => api.get<{ items: PortalRequestItem[] }>(`${base(org)}/me/requests`, undefined, quiet),
    enabled,
  });
}

export function useSubmitRequest(org: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PortalSubmit) => api.post<PortalSubmitted>(`${base(org)}/requests`, input, quiet),
    onSuccess: () => void client.invalidateQueries({ queryKey: portalKeys.mine(org) }),
  });
}

export function useTrackedRequest(org: string, number: string, key: string) {
  return useQuery({
    queryKey: portalKeys.tracked(org, number, key),
    queryFn: () => api.get<TrackedRequest>(tracked(org, number), { k: key }, quiet),
    // The organization may answer while the page is open.
    refetchInterval: 30_000,
  });
}

function useTrackedWrite<I>(org: string, number: string, key: string, path: 'replies' | 'confirm') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: I) => api.post<TrackedRequest>(`${tracked(org, number)}/${path}`, input, { ...quiet, query: { k: key } }),
    onSuccess: (view) => client.setQueryData(portalKeys.tracked(org, number, key), view),
  });
}

export function useReply(org: string, number: string, key: string) {
  return useTrackedWrite<{ body: string; attachmentIds: string[] }>(org, number, key, 'replies');
}

export function useConfirm(org: string, number: string, key: string) {
  return useTrackedWrite<{ solved: boolean; rating?: number; comment?: string | null }>(org, number, key, 'confirm');
}

export function useRequestSignIn(org: string) {
  return useMutation({ mutationFn: (email: string) => api.post<{ accepted: true }>(`${base(org)}/sign-in`, { email }, quiet) });
}

export function useSignOut(org: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>(`${base(org)}/sign-out`, {}, quiet),
    onSuccess: () => {
      client.setQueryData(portalKeys.me(org), null);
      client.removeQueries({ queryKey: portalKeys.mine(org) });
    },
  });
}

/** Where a file of a tracked request downloads from. */
export function trackedFileUrl(org: string, number: string, key: string, id: string): string {
  return buildUrl(`${tracked(org, number)}/attachments/${id}`, { k: key });
}

/**
 * Uploads one file as the raw request body (the server reads its type from Content-Type and its name from
 * ?filename=): for the form (`number` absent) or for a tracked request (bound to it).
 */
export async function uploadPortalFile(org: string, file: File, target?: { number: string; key: string }): Promise<PortalFile> {
  const path = target ? `${tracked(org, target.number)}/attachments` : `${base(org)}/attachments`;
  const url = buildUrl(path, { filename: file.name, ...(target ? { k: target.key } : {}) });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': currentLanguage(), 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return payload as PortalFile;
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
  throw new ApiError(
    response.status,
    error && typeof error.code === 'string' ? error.code : `http_${response.status}`,
    error && typeof error.message === 'string' ? error.message : i18n.t('errors.unknown', { status: response.status }),
    error?.details,
  );
}
