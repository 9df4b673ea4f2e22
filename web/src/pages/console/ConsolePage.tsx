/**
 * The agent console (/requests): my queue, my teams' queue, all requests (within the person's branch scope)
 * and the unassigned ones; filters and saved views; a dense table whose countdowns tick by themselves; "load
 * more" keyset paging (one call per page, no page count); bulk assign and bulk steps; live updates from the
 * event stream; keyboard shortcuts; and registration, with a two-click walk-in flow for the service window.
 */
import { ArrowUpOutlined, PlusOutlined, QuestionCircleOutlined, ShopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Segmented, Space, Tooltip, Typography, type InputRef } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useCurrentMe, usePermissions } from '../../api/auth';
import type { RequestListItem, RequestView } from '../../api/requests';
import { RequirePermission } from '../../components/Forbidden';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { useLiveEvents } from '../../lib/live';
import { consoleListKey, useConsoleList, type RequestFilters } from './api';
import { BulkBar } from './BulkBar';
import { FilterBar } from './FilterBar';
import { filtersFromSearch, inQueue, QUEUES, searchFromFilters, type Queue } from './filters';
import { NewRequestDrawer, type DrawerMode } from './NewRequestDrawer';
import { RequestTable } from './RequestTable';
import { SavedViews } from './SavedViews';
import { ShortcutHelp, useShortcuts } from './shortcuts';
import './console.css';

/** Live events arrive in bursts (a bulk action is one event per request): one refresh per burst. */
const LIVE_REFRESH_MS = 500;

export default function ConsolePage() {
  return (
    <RequirePermission anyOf={['request.read']}>
      <ConsoleView />
    </RequirePermission>
  );
}

function ConsoleView() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const { can } = usePermissions();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const list = useConsoleList(filters);
  const rows = list.rows;

  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<DrawerMode | null>(null);
  const [help, setHelp] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const searchRef = useRef<InputRef>(null);
  /** Requests this tab registered: not "new" to the person who just registered them. */
  const own = useRef(new Set<string>());

  const setFilters = useCallback(
    (next: RequestFilters, push = false) => setSearch(searchFromFilters(next), { replace: !push }),
    [setSearch],
  );
  const patchFilters = useCallback(
    (patch: Partial<RequestFilters>) => setSearch((current) => searchFromFilters({ ...filtersFromSearch(current), ...patch }), { replace: true }),
    [setSearch],
  );
  const switchQueue = useCallback(
    (queue: Queue) => setSearch((current) => searchFromFilters({ ...filtersFromSearch(current), queue }), { replace: false }),
    [setSearch],
  );

  // Another queue or other filters: a new list, nothing selected, nothing "new".
  const filterKey = search.toString();
  useEffect(() => {
    setSelectedIds([]);
    setFresh(new Set());
    setFocusedId(null);
  }, [filterKey]);

  // ---- live updates ----
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (refreshTimer.current) clearTimeout(refreshTimer.current);
  }, []);
  useLiveEvents(
    (e) => e.type.startsWith('request.'),
    (e) => {
      if (!refreshTimer.current) {
        refreshTimer.current = setTimeout(() => {
          refreshTimer.current = null;
          void queryClient.invalidateQueries({ queryKey: consoleListKey });
        }, LIVE_REFRESH_MS);
      }
      const id = typeof e.data.requestId === 'string' ? e.data.requestId : null;
      if (!id || own.current.has(id)) return;
      // Arrivals: a new request, or (in my and my team's queues) one assigned here.
      const arrival = e.type === 'request.registered' || (e.type === 'request.assigned' && (filters.queue === 'mine' || filters.queue === 'team'));
      if (arrival && inQueue(filters.queue, e.data, { id: me.staff.id, teamIds: me.staff.teamIds })) {
        setFresh((s) => new Set(s).add(id));
      }
    },
  );
  // Counted once the refreshed list shows them, so the number never promises a row the filters hide.
  const freshShown = rows.filter((r) => fresh.has(r.id));
  const acknowledge = () => {
    setFresh(new Set());
    window.scrollTo({ top: 0, behavior: 'smooth' });
    if (freshShown[0]) setFocusedId(freshShown[0].id);
  };

  // ---- focus, selection, opening ----
  const focusedIndex = rows.findIndex((r) => r.id === focusedId);
  const moveFocus = (delta: number) => {
    if (rows.length === 0) return;
    const index = focusedIndex < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, focusedIndex + delta));
    const id = rows[index]!.id;
    setFocusedId(id);
    document.querySelector(`[data-row-key="${id}"]`)?.scrollIntoView({ block: 'nearest' });
    // Reaching the last row loads the next page, as "load more" would.
    if (index === rows.length - 1 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  };
  const open = (item: Pick<RequestListItem, 'id'>) => void navigate(`/requests/${item.id}`);
  const toggle = (id: string) => setSelectedIds((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const selected = rows.filter((r) => selectedIds.includes(r.id));
  const canCreate = can('request.create');

  const onRegistered = (view: RequestView) => {
    own.current.add(view.id);
    setDrawer(null);
    notification.success({
      key: `registered-${view.id}`,
      title: t('console.form.registered'),
      description: (
        <Typography.Text copyable={{ text: view.number }} strong style={{ fontSize: 18, fontFamily: 'ui-monospace, Menlo, monospace' }} data-testid="registered-number">
          {view.number}
        </Typography.Text>
      ),
      duration: 10,
    });
    open(view);
  };

  useShortcuts(drawer === null && !help, {
    next: () => moveFocus(1),
    prev: () => moveFocus(-1),
    open: () => {
      const row = rows[focusedIndex];
      if (row) open(row);
    },
    toggle: () => {
      if (focusedId) toggle(focusedId);
    },
    search: () => searchRef.current?.focus(),
    create: () => canCreate && setDrawer('new'),
    walkIn: () => canCreate && setDrawer('walk_in'),
    queue: switchQueue,
    help: () => setHelp(true),
  });

  return (
    <div data-testid="console-page">
      <PageHeader
        title={t('console.title')}
        extra={
          <Space wrap>
            <ExportButton table="requests" filters={filters} />
            <Tooltip title={t('console.shortcuts.title')}>
              <Button icon={<QuestionCircleOutlined />} onClick={() => setHelp(true)} data-testid="shortcuts-help" aria-label={t('console.shortcuts.button')} />
            </Tooltip>
            {canCreate && (
              <>
                <Button icon={<PlusOutlined />} onClick={() => setDrawer('new')} data-testid="request-create">
                  {t('console.newRequest')}
                </Button>
                <Button type="primary" size="large" icon={<ShopOutlined />} onClick={() => setDrawer('walk_in')} data-testid="walk-in">
                  {t('console.walkIn')}
                </Button>
              </>
            )}
          </Space>
        }
      />
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 12 }}>
        <Space size={12} wrap>
          <Segmented<Queue>
            value={filters.queue}
            onChange={switchQueue}
            options={QUEUES.map((q) => ({ value: q, label: <span data-testid={`queue-${q}`}>{t(`console.queue.${q}`)}</span> }))}
            data-testid="console-queue"
            data-queue={filters.queue}
          />
          {freshShown.length > 0 && (
            <Tooltip title={t('console.list.newArrivalsHint')}>
              <Button type="primary" ghost shape="round" size="small" icon={<ArrowUpOutlined />} onClick={acknowledge} data-testid="new-arrivals">
                {t('console.list.newArrivals', { count: freshShown.length })}
              </Button>
            </Tooltip>
          )}
        </Space>
        <SavedViews filters={filters} onApply={(f) => setFilters(f, true)} />
      </Flex>
      <div style={{ marginBottom: 12 }}>
        <FilterBar filters={filters} onChange={patchFilters} onReset={() => setFilters({ queue: filters.queue, sort: filters.sort })} searchRef={searchRef} />
      </div>

      {list.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('common.loadFailed')}
          description={list.error.message}
          action={<Button size="small" onClick={() => void list.refetch()}>{t('common.retry')}</Button>}
          data-testid="console-error"
        />
      )}
      <BulkBar selected={selected} onClear={() => setSelectedIds([])} />
      <div className="console-table-wrap">
        <RequestTable
          rows={rows}
          loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
          selected={selectedIds}
          onSelect={setSelectedIds}
          focusedId={focusedId}
          onFocus={setFocusedId}
          onOpen={open}
          fresh={fresh}
        />
      </div>
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 12 }}>
        <Typography.Text type="secondary" data-testid="console-shown">
          {t('console.list.shown', { count: rows.length })}
        </Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">
            {t('console.list.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary" data-testid="list-end">{t('console.list.end')}</Typography.Text>
        )}
        {list.isFetching && !list.isFetchingNextPage && !list.isPending && <Typography.Text type="secondary">{t('console.list.refreshing')}</Typography.Text>}
      </Flex>

      <NewRequestDrawer mode={drawer} onClose={() => setDrawer(null)} onRegistered={onRegistered} />
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
