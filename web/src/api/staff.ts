/** People (staff): list, create, edit, state changes and the audited phone reveal. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Page, Role, Staff, StaffCreate, StaffPii, StaffUpdate } from './types';

export interface StaffFilter {
  q?: string | undefined;
  branchId?: string | undefined;
  teamId?: string | undefined;
  role?: Role | undefined;
  active?: 'true' | 'false' | undefined;
  page?: number;
  pageSize?: number;
}

export function useStaffList(filter: StaffFilter, enabled = true) {
  return useQuery({
    queryKey: ['staff', 'list', filter],
    queryFn: () => api.get<Page<Staff>>('/staff', { ...filter }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Up to 200 active people of a branch, for pickers (team members, lead). */
export function useBranchStaff(branchId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['staff', 'picker', branchId ?? 'all'],
    queryFn: () => api.get<Page<Staff>>('/staff', { branchId, pageSize: 200 }),
    enabled,
    staleTime: 30_000,
  });
}

function useStaffMutation<I>(fn: (input: I) => Promise<Staff>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all([
      client.invalidateQueries({ queryKey: ['staff'] }),
      client.invalidateQueries({ queryKey: ['teams'] }),
    ]),
  });
}

export const useCreateStaff = () => useStaffMutation((input: StaffCreate) => api.post<Staff>('/staff', input));
export const useUpdateStaff = () =>
  useStaffMutation(({ id, patch }: { id: string; patch: StaffUpdate }) => api.patch<Staff>(`/staff/${id}`, patch));
export const useStaffAction = () =>
  useStaffMutation(({ id, action }: { id: string; action: 'deactivate' | 'reactivate' | 'unlock' }) =>
    api.post<Staff>(`/staff/${id}/${action}`, {}));
export const useResetPassword = () =>
  useStaffMutation(({ id, newPassword }: { id: string; newPassword: string }) =>
    api.post<Staff>(`/staff/${id}/reset-password`, { newPassword }));

/** Reveals the unmasked phone number; the server records every call in the audit log. */
export function revealStaffPhone(id: string): Promise<StaffPii> {
  return api.get<StaffPii>(`/staff/${id}/pii`);
}
