/** Canned responses (快捷回复): shared and personal ones, and one rendered for a request by the server. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  MacroCreate as MacroCreateSchema,
  MacroUpdate as MacroUpdateSchema,
  MacroView as MacroViewSchema,
  RenderedMacroView as RenderedMacroViewSchema,
} from '@contracts/requests/macro-contracts';
import { api, request } from './client';

export type Macro = z.infer<typeof MacroViewSchema>;
export type MacroCreate = z.input<typeof MacroCreateSchema>;
export type MacroUpdate = z.input<typeof MacroUpdateSchema>;
export type RenderedMacro = z.infer<typeof RenderedMacroViewSchema>;
export type MacroScope = 'all' | 'shared' | 'personal';

export const macrosKey = ['macros'] as const;

export function useMacros(scope: MacroScope = 'all', enabled = true) {
  return useQuery({ queryKey: [...macrosKey, scope], queryFn: () => api.get<Macro[]>('/macros', { scope }), enabled, staleTime: 60_000 });
}

function useInvalidateMacros() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: macrosKey });
}

export function useCreateMacro() {
  const invalidate = useInvalidateMacros();
  return useMutation({ mutationFn: (body: MacroCreate) => api.post<Macro>('/macros', body), onSuccess: invalidate });
}

export function useUpdateMacro() {
  const invalidate = useInvalidateMacros();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: MacroUpdate }) => request<Macro>('PUT', `/macros/${id}`, { body }), onSuccess: invalidate });
}

export function useDeleteMacro() {
  const invalidate = useInvalidateMacros();
  return useMutation({ mutationFn: (id: string) => api.delete<{ ok: true }>(`/macros/${id}`), onSuccess: invalidate });
}

/** The macro filled in for the request (placeholders that could not be filled are listed). */
export function renderMacro(requestId: string, macroId: string): Promise<RenderedMacro> {
  return api.post<RenderedMacro>(`/requests/${requestId}/macros/${macroId}/render`);
}
