/**
 * My notifications (the header bell): the latest page with the unread count, kept live by the stream
 * (`notification.created` when one reaches me, `notification.read` when another tab reads them).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { NotificationPage as NotificationPageSchema, NotificationView as NotificationViewSchema } from '@contracts/notifications/contracts';
import { useLiveEvents, type LiveEvent } from '../lib/live';
import { api } from './client';

export type NotificationView = z.infer<typeof NotificationViewSchema>;
export type NotificationPage = z.infer<typeof NotificationPageSchema>;

export const notificationsKey = ['notifications'] as const;

/** The newest notifications and the unread count; `onCreated` hears each new one as it arrives. */
export function useNotifications(onCreated?: (event: LiveEvent) => void) {
  const qc = useQueryClient();
  useLiveEvents(
    (event) => event.type === 'notification.created' || event.type === 'notification.read',
    (event) => {
      void qc.invalidateQueries({ queryKey: notificationsKey });
      if (event.type === 'notification.created') onCreated?.(event);
    },
  );
  // The stream carries every change; the slow poll only covers a dropped connection.
  return useQuery({ queryKey: notificationsKey, queryFn: () => api.get<NotificationPage>('/notifications', { limit: 20 }), refetchInterval: 120_000, staleTime: 30_000 });
}

export function useMarkNotificationRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<NotificationView>(`/notifications/${id}/read`),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationsKey }),
  });
}

export function useMarkAllNotificationsRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ updated: number }>('/notifications/read-all'),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationsKey }),
  });
}
