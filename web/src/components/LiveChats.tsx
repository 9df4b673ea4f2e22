/**
 * The header's live chats indicator: how many visitors of the chat widget are in a conversation now (a red
 * count for those awaiting a reply), the list in a popover with links to their request pages, and a notice
 * when a new one starts. Answering happens on the request page.
 */
import { CommentOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, Flex, Popover, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { usePermissions } from '../api/auth';
import { useLiveChats, type LiveChat } from '../api/chat';
import { formatTime } from '../lib/time';

function ChatRow({ chat, onOpen }: { chat: LiveChat; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <Link to={`/requests/${chat.requestId}`} onClick={onOpen} data-testid={`live-chat-${chat.number}`} style={{ display: 'block', padding: '8px 4px', borderBottom: '1px solid #f0f0f0', color: 'inherit' }}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong ellipsis>
          <Badge status={chat.online ? 'success' : 'default'} text={chat.visitorName ?? t('chat.visitor')} />
        </Typography.Text>
        <Flex gap={4}>
          {chat.awaitingReply && (
            <Tag color="red" data-testid="live-chat-awaiting">
              {t('chat.awaitingReply')}
            </Tag>
          )}
          <Tag>{t(`vocab.state.${chat.state}`)}</Tag>
        </Flex>
      </Flex>
      <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
        {chat.number} · {chat.subject}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('chat.started', { time: formatTime(chat.startedAt, 'HH:mm') })} · {chat.online ? t('chat.online') : t('chat.away')}
      </Typography.Text>
    </Link>
  );
}

export function LiveChats() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const enabled = can('request.read');
  const { data } = useLiveChats(enabled, (event) => {
    const number = typeof event.data.number === 'string' ? event.data.number : '';
    const requestId = typeof event.data.requestId === 'string' ? event.data.requestId : null;
    notification.info({
      key: `chat-started-${requestId ?? number}`,
      title: t('chat.newChat'),
      description: t('chat.newChatBody', { number }),
      placement: 'bottomRight',
      duration: 6,
      onClick: () => {
        if (requestId) void navigate(`/requests/${requestId}`);
      },
    });
  });
  if (!enabled) return null;
  const items = data?.items ?? [];
  const awaiting = items.filter((c) => c.awaitingReply).length;
  const content = (
    <div style={{ width: 340, maxHeight: 420, overflowY: 'auto' }} data-testid="live-chats-list">
      {items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('chat.empty')} /> : items.map((c) => <ChatRow key={c.sessionId} chat={c} onOpen={() => setOpen(false)} />)}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 4px 0' }}>
        {t('chat.hint')}
      </Typography.Paragraph>
    </div>
  );
  return (
    <Popover content={content} title={t('chat.title')} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen}>
      <Button type="text" data-testid="live-chats" data-count={items.length} data-awaiting={awaiting} aria-label={t('chat.button')}>
        <Badge count={awaiting} size="small" offset={[4, -2]}>
          <CommentOutlined />
        </Badge>
        <span>{items.length > 0 ? `${t('chat.button')} ${items.length}` : t('chat.button')}</span>
      </Button>
    </Popover>
  );
}
