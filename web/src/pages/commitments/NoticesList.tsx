/** User notices (公告): published with each commitment version, newest first; also e-mailed to subscribers. */
import { Card, Empty, Flex, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useNotices } from '../../api/commitments';
import { formatTime } from '../../lib/time';

export function NoticesList() {
  const { t } = useTranslation();
  const notices = useNotices();
  if (notices.isLoading) return <Skeleton active />;
  if (notices.error) return <Typography.Text type="danger">{notices.error.message}</Typography.Text>;
  const items = notices.data ?? [];
  if (items.length === 0) return <Empty description={t('commitments.notices.empty')} data-testid="notice-list" />;
  return (
    <Flex vertical gap={12} data-testid="notice-list">
      {items.map((n) => (
        <Card
          key={n.id}
          size="small"
          data-testid={`notice-${n.id}`}
          title={
            <Space wrap>
              <span>{n.title}</span>
              {n.trigger && <Tag>{t(`commitments.triggers.${n.trigger}`)}</Tag>}
            </Space>
          }
          extra={
            <Space size={12} wrap>
              <Typography.Text type="secondary">{t('commitments.notices.publishedAt', { time: formatTime(n.publishedAt, 'YYYY-MM-DD HH:mm') })}</Typography.Text>
              {n.commitmentId && <Link to={`/commitments/${n.commitmentId}${n.versionId ? `?version=${n.versionId}` : ''}`}>{t('commitments.notices.openCommitment')}</Link>}
            </Space>
          }
        >
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{n.body}</Typography.Paragraph>
        </Card>
      ))}
    </Flex>
  );
}
