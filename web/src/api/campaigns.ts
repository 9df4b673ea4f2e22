/** Satisfaction campaigns (满意度调查活动): list, create with a sample preview, send, close, response tracking. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CampaignChannel as CampaignChannelSchema,
  CampaignCreate as CampaignCreateSchema,
  CampaignDetail as CampaignDetailSchema,
  CampaignList as CampaignListSchema,
  CampaignPreview as CampaignPreviewSchema,
  CampaignPreviewInput as CampaignPreviewInputSchema,
  CampaignState as CampaignStateSchema,
  CampaignView as CampaignViewSchema,
} from '@contracts/evaluations/campaign-contracts';
import { api } from './client';

export type CampaignChannel = z.infer<typeof CampaignChannelSchema>;
export type CampaignState = z.infer<typeof CampaignStateSchema>;
export type CampaignView = z.infer<typeof CampaignViewSchema>;
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;
export type CampaignList = z.infer<typeof CampaignListSchema>;
export type CampaignPreview = z.infer<typeof CampaignPreviewSchema>;
export type CampaignPreviewInput = z.input<typeof CampaignPreviewInputSchema>;
export type CampaignCreate = z.input<typeof CampaignCreateSchema>;

export const campaignsKey = ['campaigns'] as const;

export function useCampaigns() {
  return useQuery({ queryKey: [...campaignsKey, 'list'], queryFn: () => api.get<CampaignList>('/campaigns') });
}

export function useCampaign(id: string | null) {
  return useQuery({ queryKey: [...campaignsKey, 'one', id], queryFn: () => api.get<CampaignDetail>(`/campaigns/${id!}`), enabled: Boolean(id) });
}

export function useCampaignSample(id: string | null, enabled: boolean) {
  return useQuery({ queryKey: [...campaignsKey, 'sample', id], queryFn: () => api.get<CampaignPreview>(`/campaigns/${id!}/sample`), enabled: Boolean(id) && enabled });
}

export function usePreviewCampaign() {
  return useMutation({ mutationFn: (input: CampaignPreviewInput) => api.post<CampaignPreview>('/campaigns/preview', input) });
}

export function useCreateCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CampaignCreate) => api.post<CampaignDetail>('/campaigns', input),
    onSuccess: () => void client.invalidateQueries({ queryKey: campaignsKey }),
  });
}

function useCampaignAction(action: 'send' | 'close') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<CampaignDetail>(`/campaigns/${id}/${action}`),
    onSuccess: (detail) => {
      client.setQueryData([...campaignsKey, 'one', detail.id], detail);
      void client.invalidateQueries({ queryKey: [...campaignsKey, 'list'] });
    },
  });
}

export const useSendCampaign = () => useCampaignAction('send');
export const useCloseCampaign = () => useCampaignAction('close');
