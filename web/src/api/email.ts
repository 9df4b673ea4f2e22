/**
 * The e-mail channel's settings: IMAP mail accounts (inbound addresses are part of the request settings; see
 * useUpdateRequestSettings in desk-admin.ts).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  MailAccountCreate as MailAccountCreateSchema,
  MailAccountTestResult as MailAccountTestResultSchema,
  MailAccountUpdate as MailAccountUpdateSchema,
  MailAccountView as MailAccountViewSchema,
} from '@contracts/channels/email-contracts';
import { api, request } from './client';

export type MailAccount = z.infer<typeof MailAccountViewSchema>;
export type MailAccountCreate = z.input<typeof MailAccountCreateSchema>;
export type MailAccountUpdate = z.input<typeof MailAccountUpdateSchema>;
export type MailAccountTestResult = z.infer<typeof MailAccountTestResultSchema>;

export const mailAccountsKey = ['mail-accounts'] as const;

export function useMailAccounts() {
  // The poller writes last-polled and errors in the background: refresh while the page is open.
  return useQuery({ queryKey: mailAccountsKey, queryFn: () => api.get<MailAccount[]>('/mail-accounts'), refetchInterval: 30_000 });
}

function useInvalidating<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => client.invalidateQueries({ queryKey: mailAccountsKey }) });
}

export const useCreateMailAccount = () => useInvalidating((input: MailAccountCreate) => api.post<MailAccount>('/mail-accounts', input));
export const useUpdateMailAccount = () =>
  useInvalidating(({ id, input }: { id: string; input: MailAccountUpdate }) => request<MailAccount>('PUT', `/mail-accounts/${id}`, { body: input }));
export const useDeleteMailAccount = () => useInvalidating((id: string) => api.delete<{ ok: true }>(`/mail-accounts/${id}`));
export const useTestMailAccount = () => useMutation({ mutationFn: (id: string) => api.post<MailAccountTestResult>(`/mail-accounts/${id}/test`) });
