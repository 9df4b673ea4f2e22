/**
 * The queue as a dense table: one row per request with its clock's countdown, selection for bulk actions, a
 * keyboard-focused row (j/k) and the rows that arrived live since the person last looked (highlighted).
 */
import { Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { LoopState, RequestListItem } from '../../api/requests';
import { formatTime } from '../../lib/time';
import { Countdown } from './Countdown';

const PRIORITY_COLORS: Record<RequestListItem['priority'], string> = { general: 'default', urgent: 'orange', major: 'red' };
const STATE_COLORS: Record<LoopState, string> = {
  registered: 'blue', analysing: 'cyan', handling: 'geekblue', waiting_customer: 'gold', feedback: 'purple', archived: 'default', merged: 'default',
};

function Time({ iso }: { iso: string }) {
  return (
    <Tooltip title={formatTime(iso)}>
      <span style={{ whiteSpace: 'nowrap' }}>{formatTime(iso, 'MM-DD HH:mm')}</span>
    </Tooltip>
  );
}

export function RequestTable({
  rows, loading, selected, onSelect, focusedId, onFocus, onOpen, fresh,
}: {
  rows: RequestListItem[];
  loading: boolean;
  selected: string[];
  onSelect: (ids: string[]) => void;
  focusedId: string | null;
  onFocus: (id: string) => void;
  onOpen: (item: RequestListItem) => void;
  /** Ids that arrived live and are not yet acknowledged. */
  fresh: ReadonlySet<string>;
}) {
  const { t } = useTranslation();

  const columns: ColumnsType<RequestListItem> = [
    {
      title: t('console.columns.number'),
      dataIndex: 'number',
      width: 150,
      fixed: 'left',
      render: (number: string, r) => (
        <Link to={`/requests/${r.id}`} data-testid={`request-link-${number}`} style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}>
          {number}
        </Link>
      ),
    },
    {
      title: t('console.columns.subject'),
      dataIndex: 'subject',
      ellipsis: { showTitle: false },
      render: (subject: string, r) => (
        <Space size={4} style={{ maxWidth: '100%' }}>
          {r.escalated && (
            <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid={`escalated-${r.id}`}>
              {t('console.badge.escalated')}
            </Tag>
          )}
          {r.customerFlags.length > 0 && (
            <Tooltip title={r.customerFlags.map((f) => t(`vocab.flag.${f}`)).join('、')}>
              <Tag color="green" style={{ marginInlineEnd: 0 }} data-testid={`green-channel-${r.id}`}>
                {t('console.badge.greenChannel')}
              </Tag>
            </Tooltip>
          )}
          <Tooltip title={subject} placement="topLeft">
            <Typography.Text ellipsis style={{ maxWidth: 360 }} data-testid={`request-subject-${r.id}`}>
              {subject}
            </Typography.Text>
          </Tooltip>
          {r.tags.slice(0, 3).map((tag) => (
            <Tag key={tag} bordered={false} style={{ marginInlineEnd: 0 }}>
              {tag}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('console.columns.customer'), dataIndex: 'customerName', width: 110, ellipsis: true, render: (v: string | null) => v ?? t('common.none') },
    { title: t('console.columns.type'), dataIndex: 'type', width: 100, ellipsis: true, render: (v: RequestListItem['type']) => t(`vocab.type.${v}`) },
    {
      title: t('console.columns.priority'),
      dataIndex: 'priority',
      width: 80,
      render: (v: RequestListItem['priority']) => (
        <Tag color={PRIORITY_COLORS[v]} data-priority={v}>
          {t(`vocab.priority.${v}`)}
        </Tag>
      ),
    },
    {
      title: t('console.columns.state'),
      dataIndex: 'state',
      width: 96,
      render: (v: LoopState, r) => (
        <Tag color={STATE_COLORS[v]} data-testid={`state-${r.id}`} data-state={v}>
          {t(`vocab.state.${v}`)}
        </Tag>
      ),
    },
    { title: t('console.columns.channel'), dataIndex: 'channel', width: 90, render: (v: RequestListItem['channel']) => t(`vocab.channel.${v}`) },
    {
      title: t('console.columns.assignee'),
      key: 'assignee',
      width: 90,
      ellipsis: true,
      render: (_, r) => <span data-testid={`assignee-${r.id}`}>{r.assignee?.name ?? t('common.none')}</span>,
    },
    { title: t('console.columns.team'), key: 'team', width: 110, ellipsis: true, render: (_, r) => r.team?.name ?? t('common.none') },
    { title: t('console.columns.due'), key: 'due', width: 120, render: (_, r) => <Countdown item={r} /> },
    { title: t('console.columns.created'), dataIndex: 'createdAt', width: 100, render: (v: string) => <Time iso={v} /> },
    { title: t('console.columns.activity'), dataIndex: 'lastActivityAt', width: 100, render: (v: string) => <Time iso={v} /> },
  ];

  return (
    <Table<RequestListItem>
      rowKey="id"
      size="small"
      data-testid="console-table"
      loading={loading}
      dataSource={rows}
      columns={columns}
      pagination={false}
      sticky
      scroll={{ x: 1350 }}
      locale={{ emptyText: t('console.list.empty') }}
      rowSelection={{
        selectedRowKeys: selected,
        onChange: (keys) => onSelect(keys.map(String)),
        columnWidth: 36,
        fixed: 'left',
        getCheckboxProps: (r) => ({ 'data-testid': `select-${r.number}` }) as never,
      }}
      rowClassName={(r) => [r.id === focusedId ? 'console-row-focused' : '', fresh.has(r.id) ? 'console-row-fresh' : ''].filter(Boolean).join(' ')}
      onRow={(r) => ({
        onClick: () => onFocus(r.id),
        onDoubleClick: () => onOpen(r),
        'data-testid': `request-row-${r.number}`,
        'data-focused': r.id === focusedId ? 'true' : 'false',
      }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}
