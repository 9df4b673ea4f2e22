/**
 * The top of the request page: number, subject, where it stands in the loop 登记 → 分析 → 处理 → 反馈 → 归档
 * (waiting on the customer and merged shown as such), its facts as tags, the customer and contact (phone
 * masked), the team, assignee and the person responsible for the current step.
 */
import { ArrowLeftOutlined, FireOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Space, Steps, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { AttachmentView, RequestView } from '../../api/requests';
import { FlagTags } from '../../components/tags';
import { formatTime } from '../../lib/time';
import { AttachmentList } from './Timeline';
import { LOOP_STEPS, stepOf } from '../../lib/loop-steps';
import { maskPhone } from './request-fields';

const PRIORITY_COLORS = { general: 'default', urgent: 'orange', major: 'red' } as const;
const TYPE_COLORS = { consultation: 'blue', service_request: 'cyan', complaint: 'magenta', suggestion: 'green', urgent_fault: 'volcano' } as const;

export function RequestHeader({ request, files, acknowledged }: { request: RequestView; files: AttachmentView[]; acknowledged: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const merged = request.state === 'merged';
  const waiting = request.state === 'waiting_customer';
  const current = stepOf(request.state);
  const none = t('common.none');

  return (
    <Card size="small" data-testid="request-header">
      <Flex align="center" gap={12} wrap>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)} aria-label={t('requestPage.back')} data-testid="request-back" />
        <Typography.Text type="secondary">{t('requestPage.header.number')}</Typography.Text>
        <Typography.Text strong copyable data-testid="request-number">
          {request.number}
        </Typography.Text>
        <Tag color={merged ? 'default' : waiting ? 'orange' : 'processing'} data-testid="request-state" data-state={request.state}>
          {t(`vocab.state.${request.state}`)}
        </Tag>
      </Flex>
      <Typography.Title level={4} style={{ margin: '8px 0 12px' }} data-testid="request-subject">
        {request.subject}
      </Typography.Title>

      {merged ? (
        <Alert
          type="info"
          showIcon
          title={t('requestPage.header.mergedInto')}
          action={request.mergedIntoId && <Link to={`/requests/${request.mergedIntoId}`}>{t('requestPage.header.openMerged')}</Link>}
          style={{ marginBottom: 12 }}
          data-testid="request-merged"
        />
      ) : (
        <Steps
          size="small"
          current={current}
          status={request.state === 'archived' ? 'finish' : 'process'}
          data-testid="request-steps"
          data-step={current}
          items={LOOP_STEPS.map((s, i) => ({
            title: t(`vocab.state.${s}`),
            content: i === 2 && waiting ? <Typography.Text type="warning" style={{ fontSize: 12 }}>{t('requestPage.header.waiting')}</Typography.Text> : undefined,
          }))}
          style={{ marginBottom: 12 }}
        />
      )}

      <Space size={[4, 4]} wrap style={{ marginBottom: 12 }}>
        <Tag color={TYPE_COLORS[request.type]} data-testid="request-type">{t(`vocab.type.${request.type}`)}</Tag>
        <Tag color={PRIORITY_COLORS[request.priority]} data-testid="request-priority">{t(`vocab.priority.${request.priority}`)}</Tag>
        <Tag data-testid="request-channel">{t(`vocab.channel.${request.channel}`)}</Tag>
        {request.customerFlags.length > 0 && <FlagTags flags={request.customerFlags} />}
        {request.escalated && (
          <Tooltip title={request.escalatedAt ? formatTime(request.escalatedAt, 'YYYY-MM-DD HH:mm') : undefined}>
            <Tag color="red" icon={<FireOutlined />} data-testid="request-escalated">
              {t('requestPage.header.escalated')}
              {acknowledged ? ` · ${t('requestPage.header.escalationAcknowledged')}` : ''}
            </Tag>
          </Tooltip>
        )}
        {request.reopenCount > 0 && <Tag color="warning">{t('requestPage.header.reopened', { count: request.reopenCount })}</Tag>}
        {request.rating !== null && <Tag color="gold">{t('requestPage.header.rating', { rating: request.rating })}</Tag>}
        {request.category && <Tag color="purple">{request.category.path.join(' / ')}</Tag>}
        {request.tags.map((tag) => (
          <Tag key={tag}>#{tag}</Tag>
        ))}
      </Space>

      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t('requestPage.header.responsible')}>
          <Typography.Text strong data-testid="request-responsible">
            {request.responsible?.name ?? none}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('requestPage.header.assignee')}>
          <span data-testid="request-assignee">{request.assignee?.name ?? t('requestPage.header.unassigned')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('requestPage.header.team')}>{request.team?.name ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('requestPage.header.customer')}>
          <span data-testid="request-customer">{request.customerName ?? t('requestPage.header.anonymous')}</span>
        </Descriptions.Item>
        {request.contactName && request.contactName !== request.customerName && (
          <Descriptions.Item label={t('requestPage.header.contact')}>{request.contactName}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('requestPage.header.phone')}>
          <span data-testid="request-phone">{maskPhone(request.contactPhone) ?? none}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('requestPage.header.email')}>{request.contactEmail ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('requestPage.header.registeredAt')}>{formatTime(request.createdAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
      </Descriptions>

      <Typography.Paragraph
        type={request.description ? undefined : 'secondary'}
        ellipsis={{ rows: 3, expandable: 'collapsible' }}
        style={{ whiteSpace: 'pre-wrap', marginTop: 8, marginBottom: 0 }}
        data-testid="request-description"
      >
        {request.description || t('requestPage.header.noDescription')}
      </Typography.Paragraph>
      {files.length > 0 && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{t('requestPage.header.files')}</Typography.Text>
          <AttachmentList files={files} />
        </div>
      )}
    </Card>
  );
}
