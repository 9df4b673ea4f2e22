/** Organization, branches, departments and teams. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  Branch, BranchCreate, BranchUpdate, Department, DepartmentCreate, DepartmentUpdate, Organization, PublicProfile, Team,
  TeamCreate, TeamUpdate,
} from './types';

export interface OrganizationPatch {
  name?: string;
  timeZone?: string;
  defaultLocale?: 'zh-CN' | 'en-US';
  /** Complaint channels and service information shown on the public page (/public/<code>). */
  publicProfile?: PublicProfile;
}

export function useOrganization(enabled = true) {
  return useQuery({ queryKey: ['organization'], queryFn: () => api.get<Organization>('/organization'), enabled });
}

export function useUpdateOrganization() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: OrganizationPatch) => api.patch<Organization>('/organization', input),
    onSuccess: () => Promise.all([
      client.invalidateQueries({ queryKey: ['organization'] }),
      client.invalidateQueries({ queryKey: ['me'] }),
    ]),
  });
}

export function useBranches(enabled = true) {
  return useQuery({ queryKey: ['branches'], queryFn: () => api.get<Branch[]>('/branches'), enabled });
}

export function useCreateBranch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: BranchCreate) => api.post<Branch>('/branches', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['branches'] }),
  });
}

export function useUpdateBranch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: BranchUpdate }) => api.patch<Branch>(`/branches/${id}`, patch),
    onSuccess: () => client.invalidateQueries({ queryKey: ['branches'] }),
  });
}

export function useDepartments(branchId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['departments', branchId ?? 'all'],
    queryFn: () => api.get<Department[]>('/departments', { branchId }),
    enabled,
  });
}

export function useCreateDepartment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: DepartmentCreate) => api.post<Department>('/departments', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['departments'] }),
  });
}

export function useUpdateDepartment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: DepartmentUpdate }) => api.patch<Department>(`/departments/${id}`, patch),
    onSuccess: () => client.invalidateQueries({ queryKey: ['departments'] }),
  });
}

export function useTeams(branchId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['teams', branchId ?? 'all'],
    queryFn: () => api.get<Team[]>('/teams', { branchId }),
    enabled,
  });
}

export function useCreateTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TeamCreate) => api.post<Team>('/teams', input),
    onSuccess: () => Promise.all([
      client.invalidateQueries({ queryKey: ['teams'] }),
      client.invalidateQueries({ queryKey: ['staff'] }),
    ]),
  });
}

export function useUpdateTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TeamUpdate }) => api.patch<Team>(`/teams/${id}`, patch),
    onSuccess: () => Promise.all([
      client.invalidateQueries({ queryKey: ['teams'] }),
      client.invalidateQueries({ queryKey: ['staff'] }),
    ]),
  });
}
