/**
 * The header's notification bell: the unread count, my latest notifications in a popover (a click opens the
 * request and marks it read), live through the stream, and a toast for urgent ones as they arrive.
 */
import { BellOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, Flex, Popover, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications, type NotificationView } from '../api/notifications';
import type { LiveEvent } from '../lib/live';
import { formatTime } from '../lib/time';

type Params = NotificationView['params'];

const TEXT_KEY = {
  'clock.warning': 'clockWarning',
  'clock.breached': 'clockBreached',
  escalated: 'escalated',
  assigned: 'assigned',
  mention: 'mention',
  'corrective.raised': 'correctiveRaised',
  'corrective.warning': 'correctiveWarning',
  'corrective.overdue': 'correctiveOverdue',
  'feedback.warning': 'feedbackWarning',
  'feedback.overdue': 'feedbackOverdue',
} as const;

/** The notification's line in the reader's language, from its kind and parameters. */
export function notificationText(t: TFunction, n: { kind: NotificationView['kind']; params: Params }): string {
  const s = (key: string) => {
    const value = n.params[key];
    return value === null || value === undefined ? '' : String(value);
  };
  // Clock kinds contain dots ("result.delivered"), so they are looked up in the vocabulary object.
  const clocks = t('vocab.clockKind', { returnObjects: true }) as Record<string, string>;
  const values = {
    number: s('number'),
    clock: clocks[s('clockKind')] ?? s('clockKind'),
    due: s('dueAt') ? formatTime(s('dueAt'), 'MM-DD HH:mm') : '',
    actor: s('actorName') || t('notifications.system'),
    reason: s('reason'),
    excerpt: s('excerpt'),
  };
  const key = n.kind === 'assigned' && n.params.transfer === 1 ? 'transferred' : TEXT_KEY[n.kind];
  return t(`notifications.text.${key}`, values);
}

const KINDS = new Set<string>(Object.keys(TEXT_KEY));

/** The notification a live event carries (the dispatcher sends the whole view). */
function fromEvent(event: LiveEvent): NotificationView | null {
  const d = event.data;
  if (typeof d.id !== 'string' || typeof d.kind !== 'string' || !KINDS.has(d.kind) || typeof d.params !== 'object' || d.params === null) return null;
  return {
    id: d.id, kind: d.kind as NotificationView['kind'], requestId: typeof d.requestId === 'string' ? d.requestId : null, params: d.params as Params,
    urgent: d.urgent === true, createdAt: typeof d.createdAt === 'string' ? d.createdAt : event.at,
    deliveredAt: typeof d.deliveredAt === 'string' ? d.deliveredAt : event.at, readAt: null,
  };
}

function Item({ n, onOpen }: { n: NotificationView; onOpen: (n: NotificationView) => void }) {
  const { t } = useTranslation();
  const unread = n.readAt === null;
  return (
    <div
      role="button"
      tabIndex={0}
      onClick={() => onOpen(n)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(n);
      }}
      data-testid={`notification-item-${n.id}`}
      data-kind={n.kind}
      data-read={unread ? 'false' : 'true'}
      style={{ padding: '8px 4px', borderBottom: '1px solid #f0f0f0', cursor: 'pointer', background: unread ? '#f0f7ff' : undefined }}
    >
      <Flex justify="space-between" align="start" gap={8}>
        <Typography.Text strong={unread} style={{ fontSize: 13 }}>
          {notificationText(t, n)}
        </Typography.Text>
        {n.urgent && <Tag color="red">{t('notifications.urgent')}</Tag>}
      </Flex>
      <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
        {String(n.params.subject ?? '')} · {formatTime(n.deliveredAt, 'MM-DD HH:mm')}
      </Typography.Text>
    </div>
  );
}

export function NotificationBell() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();

  const openNotification = (n: NotificationView) => {
    setOpen(false);
    if (n.readAt === null) markRead.mutate(n.id);
    if (n.requestId) void navigate(`/requests/${n.requestId}`);
    else if (typeof n.params.actionId === 'string') void navigate(`/corrective-actions/${n.params.actionId}`);
    else if (typeof n.params.feedbackId === 'string') void navigate(`/feedback?item=${n.params.feedbackId}`);
  };

  const { data } = useNotifications((event) => {
    const n = fromEvent(event);
    if (!n?.urgent) return;
    notification.warning({
      key: `notification-${n.id}`,
      title: t('notifications.toastTitle'),
      description: (
        <span data-testid="notification-toast" data-kind={n.kind}>
          {notificationText(t, n)}
          <br />
          <Typography.Text type="secondary">{String(n.params.subject ?? '')}</Typography.Text>
        </span>
      ),
      placement: 'topRight',
      duration: 0,
      onClick: () => {
        notification.destroy(`notification-${n.id}`);
        openNotification(n);
      },
    });
  });

  const items = data?.items ?? [];
  const unread = data?.unreadCount ?? 0;
  const content = (
    <div style={{ width: 380, maxHeight: 460, overflowY: 'auto' }} data-testid="notification-list">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        items.map((n) => <Item key={n.id} n={n} onOpen={openNotification} />)
      )}
      {data?.nextCursor && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 4px 0' }}>
          {t('notifications.more')}
        </Typography.Paragraph>
      )}
    </div>
  );
  const title = (
    <Flex justify="space-between" align="center">
      <span>{t('notifications.title')}</span>
      <Button size="small" type="link" disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()} data-testid="notification-mark-all">
        {t('notifications.markAllRead')}
      </Button>
    </Flex>
  );
  return (
    <Popover content={content} title={title} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen}>
      <Button type="text" data-testid="notification-bell" data-unread={unread} aria-label={t('notifications.button')}>
        <Badge count={unread} size="small" offset={[4, -2]}>
          <BellOutlined />
        </Badge>
      </Button>
    </Popover>
  );
}
