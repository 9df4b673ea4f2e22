/**
 * Callbacks (/callbacks): the queue in tabs — sample callbacks to make, bad ratings to verify, finished ones —
 * a drawer per callback to record the call (`?callback=<id>` opens it), sampling a period on demand, the
 * sampling rules, and the appeals tab (file an appeal from a verified rating; decide). Holders of
 * `callback.manage` see the queue; holders of `appeal.file` / `appeal.decide` see the appeals.
 */
import { Button, Checkbox, Flex, Select, Table, Tabs, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { RequestType } from '@contracts/requests/contracts';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { callbacksKey, appealsKey, useCallbacks, type CallbackFilters, type CallbackView } from '../../api/callbacks';
import { RequirePermission } from '../../components/Forbidden';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { useLiveEvents } from '../../lib/live';
import { formatTime } from '../../lib/time';
import { AppealsTab } from './AppealsTab';
import { CallbackDrawer } from './CallbackDrawer';
import { SampleDialog, SettingsDialog } from './SampleDialog';

type QueueTab = 'sample' | 'verify' | 'done';

export default function CallbacksPage() {
  return (
    <RequirePermission anyOf={['callback.manage', 'appeal.file', 'appeal.decide']}>
      <CallbacksView />
    </RequirePermission>
  );
}

function CallbacksView() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const manage = can('callback.manage');
  const tab = search.get('tab') ?? (manage ? 'sample' : 'appeals');
  const openId = search.get('callback');
  const [sampling, setSampling] = useState(false);
  const [settings, setSettings] = useState(false);
  const client = useQueryClient();
  useLiveEvents(
    (e) => e.type.startsWith('callback.') || e.type.startsWith('appeal.') || e.type === 'evaluation.verified',
    () => void Promise.all([client.invalidateQueries({ queryKey: callbacksKey }), client.invalidateQueries({ queryKey: appealsKey })]),
  );
  const set = (key: string, value: string | null) =>
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      if (value === null) next.delete(key);
      else next.set(key, value);
      return next;
    });

  const items = [
    ...(manage
      ? (['sample', 'verify', 'done'] as const).map((key) => ({
          key,
          label: <span data-testid={`callbacks-tab-${key}`}>{t(`callbacks.tab.${key}`)}</span>,
          children: <Queue tab={key} onOpen={(id) => set('callback', id)} />,
        }))
      : []),
    ...(can('appeal.file') || can('appeal.decide') || can('evaluation.read')
      ? [{ key: 'appeals', label: <span data-testid="callbacks-tab-appeals">{t('callbacks.tab.appeals')}</span>, children: <AppealsTab /> }]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('callbacks.title')}
        extra={
          manage ? (
            <Flex gap={8}>
              <Button onClick={() => setSampling(true)} data-testid="callbacks-sample">{t('callbacks.sample.button')}</Button>
              {can('evaluation.configure') && <Button onClick={() => setSettings(true)} data-testid="callbacks-settings">{t('callbacks.settings.button')}</Button>}
            </Flex>
          ) : null
        }
      >
        <Typography.Paragraph type="secondary">{t('callbacks.intro')}</Typography.Paragraph>
      </PageHeader>
      <div data-testid="callbacks-page"><Tabs activeKey={tab} onChange={(key) => set('tab', key)} items={items} destroyOnHidden /></div>
      {manage && <CallbackDrawer id={openId} onClose={() => set('callback', null)} />}
      {sampling && <SampleDialog onClose={() => setSampling(false)} />}
      {settings && <SettingsDialog onClose={() => setSettings(false)} />}
    </>
  );
}

const FILTERS: Record<QueueTab, Pick<CallbackFilters, 'state' | 'purpose'>> = {
  sample: { state: ['pending'], purpose: 'sample' },
  verify: { state: ['pending'], purpose: 'verify' },
  done: { state: ['done', 'unreachable'] },
};

function Queue({ tab, onOpen }: { tab: QueueTab; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [page, setPage] = useState(1);
  const [mine, setMine] = useState(false);
  const [requestType, setRequestType] = useState<string | undefined>();
  const list = useCallbacks({ ...FILTERS[tab], page, pageSize: 20, requestType, assigneeId: mine ? me.staff.id : undefined });
  const stateTag = (r: CallbackView) => (
    <Tag color={r.state === 'done' ? 'green' : r.state === 'unreachable' ? 'orange' : 'blue'}>{t(`callbacks.state.${r.state}`)}</Tag>
  );
  return (
    <>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('callbacks.filter.type')}
          value={requestType}
          onChange={(v: string | undefined) => { setRequestType(v); setPage(1); }}
          options={RequestType.options.map((v) => ({ value: v, label: t(`vocab.type.${v}`) }))}
        />
        <Checkbox checked={mine} onChange={(e) => { setMine(e.target.checked); setPage(1); }}>{t('callbacks.filter.mine')}</Checkbox>
        <ExportButton table="callbacks" filters={{ ...FILTERS[tab], requestType, assigneeId: mine ? me.staff.id : undefined }} />
      </Flex>
      <Table<CallbackView>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('callbacks.empty') }}
        onRow={(r) => ({ 'data-testid': `callback-row-${r.request.number}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        scroll={{ x: 900 }}
        columns={[
          { key: 'request', title: t('callbacks.column.request'), render: (_, r) => <Link to={`/requests/${r.request.id}`}>{r.request.number}</Link> },
          { key: 'subject', title: t('callbacks.drawer.subject'), render: (_, r) => r.request.subject, ellipsis: true },
          { key: 'type', title: t('callbacks.column.type'), render: (_, r) => t(`vocab.type.${r.request.type}`) },
          { key: 'agent', title: t('callbacks.column.agent'), render: (_, r) => r.request.agent?.name ?? '—' },
          ...(tab === 'verify'
            ? [{ key: 'rating', title: t('callbacks.column.rating'), render: (_: unknown, r: CallbackView) => (r.evaluation ? t(`callbacks.level.l${r.evaluation.level as 1 | 2 | 3 | 4 | 5}`) : '—') }]
            : tab === 'sample'
              ? [{ key: 'rule', title: t('callbacks.column.result'), render: (_: unknown, r: CallbackView) => (r.rule ? t(`callbacks.rule.${r.rule}`) : '—') }]
              : [
                  { key: 'purpose', title: t('callbacks.column.purpose'), render: (_: unknown, r: CallbackView) => t(`callbacks.purpose.${r.purpose}`) },
                  {
                    key: 'result', title: t('callbacks.column.result'),
                    render: (_: unknown, r: CallbackView) =>
                      r.unverified ? t('callbacks.unverified') : r.verdict ? t(`callbacks.verdict.${r.verdict}`) : r.level ? t(`callbacks.level.l${r.level as 1 | 2 | 3 | 4 | 5}`) : '—',
                  },
                ]),
          { key: 'branch', title: t('callbacks.column.branch'), render: (_, r) => r.branch?.name ?? '—' },
          { key: 'assignee', title: t('callbacks.column.assignee'), render: (_, r) => r.assignee?.name ?? '—' },
          { key: 'attempts', title: t('callbacks.column.attempts'), render: (_, r) => t('callbacks.attempts', { count: r.attempts, max: r.maxAttempts }) },
          { key: 'state', title: t('callbacks.column.state'), render: (_, r) => stateTag(r) },
          { key: 'at', title: tab === 'done' ? t('callbacks.column.calledAt') : t('callbacks.column.createdAt'), render: (_, r) => formatTime(tab === 'done' ? r.calledAt : r.createdAt, 'YYYY-MM-DD HH:mm') },
          {
            key: 'open', title: '', fixed: 'right',
            render: (_, r) => (
              <Button size="small" type={tab === 'done' ? 'default' : 'primary'} onClick={() => onOpen(r.id)} data-testid="callback-open">
                {tab === 'done' ? t('callbacks.view') : t('callbacks.record')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
