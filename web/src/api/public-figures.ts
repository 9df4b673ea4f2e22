/**
 * Public figures (公示数据): which promises of the commitments in force show their measured figure on the public
 * page, with the figures they show. Types come from the server's contracts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PublicFigureChoice as PublicFigureChoiceSchema, PublicFiguresView as PublicFiguresViewSchema } from '@contracts/commitments/public-figures-contracts';
import { api, request } from './client';

export type PublicFiguresView = PublicFiguresViewSchema;
export type PublicFigureChoice = PublicFigureChoiceSchema;

export const publicFiguresKey = ['commitments', 'public-figures'] as const;

export function usePublicFigures(enabled = true) {
  return useQuery({ queryKey: publicFiguresKey, queryFn: () => api.get<PublicFiguresView>('/commitments/public-figures'), enabled });
}

export function useUpdatePublicFigures() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (targetKeys: string[]) => request<PublicFiguresView>('PUT', '/commitments/public-figures', { body: { targetKeys } }),
    onSuccess: (view) => {
      client.setQueryData(publicFiguresKey, view);
      // The public page (same browser, another tab) reads its figures afresh.
      void client.invalidateQueries({ queryKey: ['public'] });
    },
  });
}
