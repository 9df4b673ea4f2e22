/**
 * The drill-down drawer: the requests behind a figure (GET /kpis/drilldown) with the total and a choice of which
 * facts to list (the numerator, the missed ones, a part such as "breached"), a page at a time ("load more" with
 * nextCursor); or the registrations of a heat-map cell. Each row opens the request. Columns for durations and
 * "counted in the numerator" appear when the figure has them.
 */
import { Alert, Button, Drawer, Empty, Flex, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useDrilldown, useKpiDefinitions, useRegistrations, type DrillItem, type DrillPart, type DrillQuery, type RegistrationWindows } from '../../api/kpis';
import { formatTime } from '../../lib/time';
import { partsOf } from './drill';
import { humanizeSeconds } from './format';
import { durationUnits, vocabLabel } from './labels';
import { useLanguage } from './use-language';

/** What a click on a figure asks for: the drawer's title, and the figure's drill-down or a heat-map cell's registrations. */
export type DrillTarget = { title: string; subtitle?: string | undefined } & (
  | { figure: DrillQuery }
  | { registrations: RegistrationWindows; total: number }
);

function Rows({ rows, loading }: { rows: DrillItem[]; loading: boolean }) {
  const { t } = useTranslation();
  const units = durationUnits(t);
  const hasSeconds = rows.some((r) => r.seconds !== null);
  const hasNumerator = rows.some((r) => r.inNumerator !== null);
  const word = (group: Parameters<typeof vocabLabel>[1], value: string | null) => (value === null ? t('dashboards.none') : vocabLabel(t, group, value));
  const columns: ColumnsType<DrillItem> = [
    {
      key: 'number', title: t('dashboards.drill.number'), width: 150,
      render: (_, r) => (r.requestId ? <Link to={`/requests/${r.requestId}`} data-testid="drill-row-link">{r.number ?? r.requestId}</Link> : t('dashboards.none')),
    },
    { key: 'subject', title: t('dashboards.drill.subject'), ellipsis: true, render: (_, r) => r.subject ?? t('dashboards.none') },
    { key: 'type', title: t('dashboards.drill.type'), width: 120, render: (_, r) => word('type', r.type) },
    { key: 'channel', title: t('dashboards.drill.channel'), width: 100, render: (_, r) => word('channel', r.channel) },
    { key: 'state', title: t('dashboards.drill.state'), width: 90, render: (_, r) => (r.state ? <Tag>{word('state', r.state)}</Tag> : t('dashboards.none')) },
    { key: 'assignee', title: t('dashboards.drill.assignee'), width: 100, render: (_, r) => r.assigneeName ?? <Typography.Text type="secondary">{t('dashboards.drill.unassigned')}</Typography.Text> },
    { key: 'at', title: t('dashboards.drill.at'), width: 150, render: (_, r) => formatTime(r.at, 'YYYY-MM-DD HH:mm') },
    ...(hasSeconds ? [{ key: 'seconds', title: t('dashboards.drill.seconds'), width: 120, render: (_: unknown, r: DrillItem) => humanizeSeconds(r.seconds, units) }] : []),
    ...(hasNumerator
      ? [{
          key: 'inNumerator', title: t('dashboards.drill.inNumerator'), width: 90,
          render: (_: unknown, r: DrillItem) => (r.inNumerator === null ? t('dashboards.none') : r.inNumerator ? <Tag color="green">{t('dashboards.drill.yes')}</Tag> : <Tag color="red">{t('dashboards.drill.no')}</Tag>),
        }]
      : []),
  ];
  return (
    <Table<DrillItem>
      size="small"
      rowKey={(r, i) => `${r.requestId ?? ''}|${r.at}|${i}`}
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: 960 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboards.drill.empty')} /> }}
      onRow={() => ({ 'data-testid': 'drill-row' }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}

function Footer({ count, more, loadingMore, onMore }: { count: number; more: boolean; loadingMore: boolean; onMore: () => void }) {
  const { t } = useTranslation();
  return (
    <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
      <Typography.Text type="secondary" data-testid="drill-loaded" data-count={count}>{t('dashboards.drill.loaded', { count })}</Typography.Text>
      {more && (
        <Button onClick={onMore} loading={loadingMore} data-testid="drill-more">
          {t('dashboards.drill.loadMore')}
        </Button>
      )}
    </Flex>
  );
}

function Total({ total }: { total: number | undefined }) {
  const { t } = useTranslation();
  if (total === undefined) return null;
  return <Typography.Text strong data-testid="drill-total" data-total={total}>{t('dashboards.drill.total', { total })}</Typography.Text>;
}

/** A figure's facts, with the choice of part. */
function FigureList({ query }: { query: DrillQuery }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const defs = useKpiDefinitions();
  const [part, setPart] = useState<DrillPart | undefined>(query.part);
  const drill = useDrilldown({ ...query, part });
  const rows = (drill.data?.pages ?? []).flatMap((p) => p.items);
  const def = defs.data?.indicators.find((d) => d.id === query.indicator);
  const parts = partsOf(query.indicator).filter((p) => p !== 'denominator');
  const label = (p: DrillPart | 'all') => {
    if (p === 'all') return def?.denominator?.[lang] ?? t('dashboards.drill.part.all');
    if (p === 'numerator') return def?.numerator?.[lang] ?? t('dashboards.drill.part.numerator');
    return t(`dashboards.drill.part.${p}`);
  };
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        {parts.length > 0 ? (
          <Flex align="center" gap={8}>
            <Typography.Text type="secondary">{t('dashboards.drill.scope')}</Typography.Text>
            <Select<DrillPart | 'all'>
              value={part === undefined || part === 'denominator' ? 'all' : part}
              onChange={(v) => setPart(v === 'all' ? undefined : v)}
              style={{ minWidth: 260 }}
              options={(['all', ...parts] as const).map((p) => ({ value: p, label: label(p) }))}
              data-testid="drill-part"
            />
          </Flex>
        ) : <span />}
        <Total total={drill.data?.pages[0]?.total} />
      </Flex>
      {drill.error && <Alert type="error" showIcon message={t('dashboards.loadFailed', { message: drill.error.message })} style={{ marginBottom: 12 }} />}
      <Rows rows={rows} loading={drill.isPending} />
      <Footer count={rows.length} more={drill.hasNextPage} loadingMore={drill.isFetchingNextPage} onMore={() => void drill.fetchNextPage()} />
    </>
  );
}

/** The registrations of a heat-map cell. */
function RegistrationList({ source, total }: { source: RegistrationWindows; total: number }) {
  const { t } = useTranslation();
  const list = useRegistrations(source);
  const rows = (list.data?.pages ?? []).flatMap((p) => p.items);
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <Total total={total} />
      </Flex>
      {list.error && <Alert type="error" showIcon message={t('dashboards.loadFailed', { message: list.error.message })} style={{ marginBottom: 12 }} />}
      <Rows rows={rows} loading={list.isPending} />
      <Footer count={rows.length} more={list.hasNextPage} loadingMore={list.isFetchingNextPage} onMore={() => void list.fetchNextPage()} />
    </>
  );
}

export function DrillDrawer({ target, onClose }: { target: DrillTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      width={1080}
      destroyOnHidden
      title={
        <Flex vertical>
          <span data-testid="drill-title">{target?.title ?? t('dashboards.drill.title')}</span>
          {target?.subtitle && <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal' }}>{target.subtitle}</Typography.Text>}
        </Flex>
      }
    >
      <div data-testid="drill-drawer">
        {target && ('figure' in target
          ? <FigureList key={JSON.stringify(target.figure)} query={target.figure} />
          : <RegistrationList key={JSON.stringify(target.registrations)} source={target.registrations} total={target.total} />)}
      </div>
    </Drawer>
  );
}
