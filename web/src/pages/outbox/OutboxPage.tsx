/** Outbox: what the system sends (email, webhooks, SMS) — counters by status, a table by status, retry on failures. */
import { ReloadOutlined, RedoOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Flex, Row, Segmented, Select, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutbox, useRetryOutbox, type OutboxFilter } from '../../api/admin';
import { usePermissions } from '../../api/auth';
import type { OutboxMessage, OutboxStatus } from '../../api/types';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

const STATUSES: OutboxStatus[] = ['pending', 'sending', 'delivered', 'failed'];
const STATUS_COLORS: Record<OutboxStatus, string> = { pending: 'gold', sending: 'processing', delivered: 'success', failed: 'error' };
const STAT_COLORS: Record<OutboxStatus, string> = { pending: '#d48806', sending: '#1677ff', delivered: '#389e0d', failed: '#cf1322' };

/** Checks the permission before the view mounts, so no request is made that would only be refused. */
export default function OutboxPage() {
  return (
    <RequirePermission anyOf={['outbox.read']}>
      <OutboxView />
    </RequirePermission>
  );
}

function OutboxView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const canRetry = can('outbox.retry');
  const [filter, setFilter] = useState<OutboxFilter>({ page: 1, pageSize: 20 });
  const outbox = useOutbox(filter, true, 15_000);
  const retry = useRetryOutbox();
  const showError = useShowError();
  const summary = outbox.data?.summary;

  const setStatus = (status: OutboxStatus | undefined) => setFilter((f) => ({ ...f, status, page: 1 }));

  return (
    <>
      <PageHeader
        title={t('nav.outbox')}
        extra={
          <Tooltip title={t('outbox.autoRefresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => void outbox.refetch()} loading={outbox.isFetching}>
              {t('common.refresh')}
            </Button>
          </Tooltip>
        }
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {STATUSES.map((s) => (
          <Col xs={12} lg={6} key={s}>
            <Card
              hoverable
              onClick={() => setStatus(filter.status === s ? undefined : s)}
              style={filter.status === s ? { borderColor: STAT_COLORS[s] } : undefined}
              data-testid={`outbox-summary-${s}`}
            >
              <Statistic title={t(`outbox.summary.${s}`)} value={summary?.[s] ?? 0} loading={!summary} styles={{ content: { color: STAT_COLORS[s] } }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Segmented<OutboxStatus | 'all'>
          value={filter.status ?? 'all'}
          onChange={(v) => setStatus(v === 'all' ? undefined : v)}
          options={[{ value: 'all', label: t('common.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`outbox.summary.${s}`) }))]}
          data-testid="outbox-status"
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('outbox.kind')}
          value={filter.kind}
          onChange={(v: 'email' | 'webhook' | 'sms' | undefined) => setFilter((f) => ({ ...f, kind: v, page: 1 }))}
          options={[
            { value: 'email', label: t('outbox.kinds.email') },
            { value: 'webhook', label: t('outbox.kinds.webhook') },
            { value: 'sms', label: t('outbox.kinds.sms') },
          ]}
        />
      </Flex>
      <Table<OutboxMessage>
        rowKey="id"
        data-testid="outbox-table"
        loading={outbox.isLoading}
        dataSource={outbox.data?.items ?? []}
        scroll={{ x: 1500 }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: outbox.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          {
            title: t('outbox.kind'),
            dataIndex: 'kind',
            width: 100,
            render: (k: string) => (k === 'email' || k === 'webhook' || k === 'sms' ? t(`outbox.kinds.${k}`) : k),
          },
          { title: t('outbox.recipient'), dataIndex: 'recipient', width: 200, ellipsis: true, render: (v: string | null) => v ?? t('common.none') },
          { title: t('outbox.subject'), dataIndex: 'subject', width: 240, ellipsis: true, render: (v: string | null) => v ?? t('common.none') },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 110,
            render: (s: OutboxStatus) => <Tag color={STATUS_COLORS[s]}>{t(`outbox.summary.${s}`)}</Tag>,
          },
          { title: t('outbox.attempts'), key: 'attempts', width: 100, render: (_: unknown, m) => `${m.attempts} / ${m.maxAttempts}` },
          {
            title: t('outbox.nextAttemptAt'),
            dataIndex: 'nextAttemptAt',
            width: 180,
            render: (v: string, m) => (m.status === 'pending' || m.status === 'sending' ? formatTime(v) : t('common.none')),
          },
          {
            title: t('outbox.lastError'),
            dataIndex: 'lastError',
            width: 240,
            ellipsis: { showTitle: false },
            render: (v: string | null) =>
              v ? (
                <Tooltip title={v} placement="topLeft">
                  <Typography.Text type="danger" className="pledge-mono">{v}</Typography.Text>
                </Tooltip>
              ) : (
                t('common.none')
              ),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => formatTime(v) },
          { title: t('outbox.deliveredAt'), dataIndex: 'deliveredAt', width: 180, render: (v: string | null) => formatTime(v) },
          ...(canRetry
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  width: 100,
                  render: (_: unknown, m: OutboxMessage) =>
                    m.status === 'failed' ? (
                      <Button
                        size="small"
                        icon={<RedoOutlined />}
                        loading={retry.isPending && retry.variables === m.id}
                        data-testid={`outbox-retry-${m.id}`}
                        onClick={() =>
                          retry.mutate(m.id, { onSuccess: () => void message.success(t('outbox.retried')), onError: (e) => showError(e) })
                        }
                      >
                        {t('outbox.retry')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
