/** Sign-in, the signed-in person ("me"), password and API tokens. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { ApiError, api } from './client';
import type { ApiToken, ApiTokenCreate, ApiTokenCreated, Me, Permission } from './types';

export const meKey = ['me'] as const;

/** Who is signed in, or null when nobody is (a 401 here is an answer, not an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/auth/me', undefined, { quietSignedOut: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000 });
}

/**
 * The signed-in person, provided by the signed-in shell. A context (not the query) so that the pages never see
 * "nobody" in the instant between a sign-out and the redirect to the sign-in page.
 */
export const MeContext = createContext<Me | null>(null);

export function useCurrentMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useCurrentMe outside the signed-in shell');
  return me;
}

export function usePermissions() {
  const me = useContext(MeContext);
  const held = new Set<Permission>(me?.permissions ?? []);
  return {
    held,
    can: (permission: Permission) => held.has(permission),
    canAny: (...permissions: Permission[]) => permissions.some((p) => held.has(p)),
  };
}

/**
 * True after the person signed out on purpose: the next sign-in then starts at home instead of returning to the
 * page they left (which is only wanted when a session ran out).
 */
let deliberateSignOut = false;
export const signedOutDeliberately = () => deliberateSignOut;

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      api.post<Me>('/auth/sign-in', input, { quietSignedOut: true }),
    onSuccess: (me) => {
      deliberateSignOut = false;
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      client.setQueryData(meKey, me);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/auth/sign-out', {}, { quietSignedOut: true }),
    onSettled: () => {
      deliberateSignOut = true;
      client.setQueryData(meKey, null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<unknown>('/auth/password', input),
  });
}

const tokensKey = ['tokens'] as const;

export function useTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: () => api.get<ApiToken[]>('/auth/tokens') });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiTokenCreate) => api.post<ApiTokenCreated>('/auth/tokens', input),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/auth/tokens/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
}
