/** The chat channel in the console: open conversations for the header's live chats indicator. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { LiveChat as LiveChatSchema, LiveChats as LiveChatsSchema } from '@contracts/channels/chat-contracts';
import { useLiveEvents, type LiveEvent } from '../lib/live';
import { api } from './client';

export type LiveChat = z.infer<typeof LiveChatSchema>;
export type LiveChats = z.infer<typeof LiveChatsSchema>;

export const liveChatsKey = ['chats', 'live'] as const;

/** Events that change the list: a chat started or ended, a line on a chat request, a step of a listed request. */
export function touchesLiveChats(event: LiveEvent, listed: LiveChats | undefined): boolean {
  if (event.type.startsWith('chat.')) return true;
  if (!event.type.startsWith('request.')) return false;
  return event.data.channel === 'chat' || (listed?.items.some((c) => c.requestId === event.data.requestId) ?? false);
}

/**
 * Open conversations, refreshed by live events (a visitor's presence goes stale without one, so the list
 * is also read again every minute).
 */
export function useLiveChats(enabled: boolean, onStarted?: (event: LiveEvent) => void) {
  const qc = useQueryClient();
  useLiveEvents(
    (event) => enabled && touchesLiveChats(event, qc.getQueryData<LiveChats>(liveChatsKey)),
    (event) => {
      void qc.invalidateQueries({ queryKey: liveChatsKey });
      if (event.type === 'chat.started') onStarted?.(event);
    },
  );
  return useQuery({ queryKey: liveChatsKey, queryFn: () => api.get<LiveChats>('/chats/live'), enabled, refetchInterval: 60_000, staleTime: 10_000 });
}
