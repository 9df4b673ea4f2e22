/**
 * The phone channel (/calls): the service level of the period (threshold selectable, answer-delay chart), the
 * call records newest first with filters ("load more" keyset paging), CSV import, and a drawer per call to turn
 * it into a request or log it as resolved at first contact. `?call=<id>` opens a call's drawer. The list and
 * the service level refresh by themselves on live `call.*` events (calls pushed, imported or dealt with).
 */
import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Flex, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { CallOutcome } from '@contracts/channels/calls-contracts';
import { usePermissions } from '../../api/auth';
import { callsKey, useCalls, type CallFilters, type CallView } from '../../api/calls';
import { RequirePermission } from '../../components/Forbidden';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { StaffSelect } from '../../components/StaffSelect';
import { useLiveEvents } from '../../lib/live';
import { endOfDayInZone, formatTime, startOfDayInZone } from '../../lib/time';
import { CallDrawer } from './CallDrawer';
import { formatSeconds } from './format';
import { ImportDialog } from './ImportDialog';
import { OutcomeTag } from './OutcomeTag';
import { ServiceLevelCard } from './ServiceLevelCard';
import './calls.css';

const WEEK_MS = 7 * 86_400_000;
/** Live events arrive in bursts (an import, a busy hour): one refresh per burst. */
const LIVE_REFRESH_MS = 500;

export default function CallsPage() {
  return (
    <RequirePermission anyOf={['call.read']}>
      <CallsView />
    </RequirePermission>
  );
}

function CallsView() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [filters, setFilters] = useState<CallFilters>({});
  const [phone, setPhone] = useState('');
  const [threshold, setThreshold] = useState(20);
  const [importing, setImporting] = useState(false);
  const list = useCalls(filters);
  const openId = search.get('call');
  // Without a chosen period the service level is that of the last seven days (the list shows every call).
  const [now, setNow] = useState(() => Date.now());
  const slParams = useMemo(
    () => ({
      from: filters.from ?? new Date(now - WEEK_MS).toISOString(),
      to: filters.to ?? new Date(now).toISOString(),
      threshold,
      agentId: filters.agentId,
    }),
    [filters.from, filters.to, filters.agentId, threshold, now],
  );

  // ---- live updates: calls pushed by the telephony system, imported or dealt with by colleagues ----
  const queryClient = useQueryClient();
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const periodEnd = useRef(filters.to);
  periodEnd.current = filters.to;
  useEffect(() => () => {
    if (refreshTimer.current) clearTimeout(refreshTimer.current);
  }, []);
  useLiveEvents(
    (e) => e.type.startsWith('call.'),
    () => {
      if (refreshTimer.current) return;
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = null;
        void queryClient.invalidateQueries({ queryKey: [...callsKey, 'list'] });
        // The default period ends now: move it on, so calls that rang since the page opened count (a new
        // query); a chosen period is the same query, fetched again.
        if (periodEnd.current === undefined) setNow(Date.now());
        else void queryClient.invalidateQueries({ queryKey: [...callsKey, 'service-level'] });
      }, LIVE_REFRESH_MS);
    },
  );

  const patch = (p: Partial<CallFilters>) => setFilters((f) => ({ ...f, ...p }));
  const open = (id: string | null) =>
    setSearch(
      (s) => {
        const next = new URLSearchParams(s);
        if (id) next.set('call', id);
        else next.delete('call');
        return next;
      },
      { replace: true },
    );

  return (
    <div data-testid="calls-page">
      <PageHeader
        title={t('calls.title')}
        extra={
          can('call.manage') && (
            <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="calls-import">
              {t('calls.import.button')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('calls.intro')}
        </Typography.Paragraph>
      </PageHeader>

      <ServiceLevelCard params={slParams} onThreshold={setThreshold} />

      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <ExportButton table="calls" filters={filters} />
        <div data-testid="calls-filter-range">
          <DatePicker.RangePicker
            value={range}
            placeholder={[t('calls.filter.range'), t('calls.filter.range')]}
            onChange={(v) => {
              const picked = v && v[0] && v[1] ? ([v[0], v[1]] as [Dayjs, Dayjs]) : null;
              setRange(picked);
              patch({ from: picked ? startOfDayInZone(picked[0]) : undefined, to: picked ? endOfDayInZone(picked[1]) : undefined });
            }}
          />
        </div>
        <div style={{ width: 220 }} className="calls-agent-filter">
          <StaffSelect value={filters.agentId ?? null} onChange={(v) => patch({ agentId: typeof v === 'string' ? v : undefined })} placeholder={t('calls.filter.agent')} data-testid="calls-filter-agent" />
        </div>
        <Select<CallOutcome[]>
          mode="multiple"
          allowClear
          style={{ minWidth: 220 }}
          placeholder={t('calls.filter.outcome')}
          value={filters.outcome ?? []}
          onChange={(v) => patch({ outcome: v.length ? v : undefined })}
          options={CallOutcome.options.map((o) => ({ value: o, label: t(`calls.outcome.${o}`) }))}
          data-testid="calls-filter-outcome"
        />
        <Select<'yes' | 'no'>
          allowClear
          style={{ width: 140 }}
          placeholder={t('calls.filter.answered')}
          value={filters.answered === undefined ? undefined : filters.answered ? 'yes' : 'no'}
          onChange={(v) => patch({ answered: v === undefined ? undefined : v === 'yes' })}
          options={[
            { value: 'yes', label: t('calls.filter.answeredYes') },
            { value: 'no', label: t('calls.filter.answeredNo') },
          ]}
          data-testid="calls-filter-answered"
        />
        <Input.Search
          allowClear
          style={{ width: 220 }}
          placeholder={t('calls.filter.phone')}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          onSearch={(v) => patch({ phone: v.trim() || undefined })}
          data-testid="calls-filter-phone"
        />
      </Flex>

      <Table<CallView>
        rowKey="id"
        size="middle"
        data-testid="calls-table"
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t('calls.empty') }}
        onRow={(c) =>
          ({
            onClick: () => open(c.id),
            style: { cursor: 'pointer' },
            'data-testid': `call-row-${c.id}`,
            'data-external-id': c.externalId ?? '',
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('calls.column.ringAt'), dataIndex: 'ringAt', width: 170, fixed: 'left', render: (v: string) => formatTime(v) },
          { title: t('calls.column.caller'), dataIndex: 'caller', width: 140, render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('calls.drawer.anonymous')}</Typography.Text> },
          { title: t('calls.column.direction'), dataIndex: 'direction', width: 80, render: (v: CallView['direction']) => t(`calls.direction.${v}`) },
          { title: t('calls.column.agent'), dataIndex: 'agent', width: 120, render: (v: CallView['agent']) => v?.name ?? '—' },
          {
            title: t('calls.column.answerDelay'),
            dataIndex: 'answerSeconds',
            width: 110,
            render: (v: number | null, c) =>
              v === null ? (
                '—'
              ) : (
                <Tag color={c.direction === 'inbound' ? (v <= threshold ? 'green' : 'red') : undefined} data-testid={`call-delay-${c.id}`}>
                  {formatSeconds(t, v)}
                </Tag>
              ),
          },
          { title: t('calls.column.talk'), dataIndex: 'talkSeconds', width: 110, render: (v: number | null) => formatSeconds(t, v) },
          { title: t('calls.column.outcome'), dataIndex: 'outcome', width: 150, render: (v: CallView['outcome']) => <OutcomeTag outcome={v} /> },
          {
            title: t('calls.column.request'),
            dataIndex: 'requestNumber',
            width: 170,
            render: (v: string | null, c) =>
              v && c.requestId ? (
                <Link to={`/requests/${c.requestId}`} onClick={(e) => e.stopPropagation()}>
                  {v}
                </Link>
              ) : (
                '—'
              ),
          },
          {
            title: t('calls.column.notes'),
            dataIndex: 'notes',
            ellipsis: { showTitle: false },
            render: (v: string | null) => (v ? <Tooltip title={v}>{v}</Tooltip> : '—'),
          },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 12 }}>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="calls-load-more">
            {t('calls.loadMore')}
          </Button>
        ) : (
          list.rows.length > 0 && <Typography.Text type="secondary">{t('calls.allLoaded', { count: list.rows.length })}</Typography.Text>
        )}
      </Flex>

      <CallDrawer id={openId} onClose={() => open(null)} />
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
    </div>
  );
}
