/**
 * Ratings and satisfaction (/evaluations): the satisfaction summary (weighted survey/callback score on 5 and on
 * 100, share satisfied, stated defaults apart, pending verifications and upheld appeals counted), the ratings list
 * with filters (an agent's record when filtered by agent: `?agent=<id>`, linked from the staff list), and the
 * survey settings tab for `evaluation.configure`.
 */
import { Button, Card, Col, DatePicker, Flex, Row, Select, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { useEvaluations, useSatisfaction, type EvaluationFilters, type EvaluationView, type SatisfactionRow } from '../../api/evaluations';
import { useStaffMember } from '../../api/commitments';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { StaffSelect } from '../../components/StaffSelect';
import { formatTime } from '../../lib/time';
import { EvaluationMarks, LevelTag } from './marks';
import { SurveySettingsForm } from './SurveySettingsForm';
import './evaluations.css';

const SOURCES = ['survey', 'portal', 'callback', 'campaign', 'default'] as const;

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
}

function num(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? '—' : v.toFixed(digits);
}

export function SatisfactionCards({ row, satisfiedFromLevel, weights, weightsFrom }: { row: SatisfactionRow | undefined; satisfiedFromLevel: number; weights: { survey: number; callback: number }; weightsFrom: 'commitment' | 'settings' }) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="satisfaction-summary">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('evaluations.summary.score')} value={num(row?.score)} data-testid="satisfaction-score" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('evaluations.summary.score100')} value={num(row?.score100, 1)} />
        </Col>
        <Col xs={12} md={6}>
          <Tooltip title={t('evaluations.summary.satisfiedHint', { level: t(`evaluations.level.l${satisfiedFromLevel as 1 | 2 | 3 | 4 | 5}`) })}>
            <Statistic title={t('evaluations.summary.satisfied')} value={pct(row?.satisfiedShare)} data-testid="satisfaction-share" />
          </Tooltip>
        </Col>
        <Col xs={12} md={6}>
          <Typography.Text type="secondary">{t('evaluations.summary.counts', { survey: row?.surveyCount ?? 0, callback: row?.callbackCount ?? 0 })}</Typography.Text>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('evaluations.summary.weights', { survey: weights.survey, callback: weights.callback, from: t(`evaluations.summary.weightsFrom.${weightsFrom}`) })}
          </Typography.Text>
        </Col>
      </Row>
      <Space wrap style={{ marginTop: 8 }}>
        {(row?.defaults.count ?? 0) > 0 && <Tag color="default" data-testid="satisfaction-defaults">{t('evaluations.summary.defaults', { count: row!.defaults.count, score: num(row!.defaults.scoreWithDefaults) })}</Tag>}
        {(row?.pendingVerification ?? 0) > 0 && <Tag color="orange">{t('evaluations.summary.pending', { count: row!.pendingVerification })}</Tag>}
        {(row?.excluded ?? 0) > 0 && <Tag color="purple">{t('evaluations.summary.excluded', { count: row!.excluded })}</Tag>}
      </Space>
    </Card>
  );
}

function RatingsTab() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const agentId = search.get('agent') ?? undefined;
  const agent = useStaffMember(agentId ?? null);
  const [filters, setFilters] = useState<Omit<EvaluationFilters, 'agentId'>>({});
  const all: EvaluationFilters = useMemo(() => ({ ...filters, agentId }), [filters, agentId]);
  const list = useEvaluations(all);
  const fig = useSatisfaction({ groupBy: 'none', agentId, from: filters.from, to: filters.to });
  const setAgent = (id: string | undefined) => {
    const next = new URLSearchParams(search);
    if (id) next.set('agent', id);
    else next.delete('agent');
    setSearch(next, { replace: true });
  };

  return (
    <>
      {agentId && agent.data && (
        <Typography.Title level={5} data-testid="agent-record-title">
          {t('evaluations.summary.agentRecord', { name: agent.data.displayName })}
        </Typography.Title>
      )}
      {fig.data && <SatisfactionCards row={fig.data.rows[0]} satisfiedFromLevel={fig.data.satisfiedFromLevel} weights={fig.data.weights} weightsFrom={fig.data.weightsFrom} />}
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <ExportButton table="evaluations" filters={all} />
        <div style={{ width: 220 }} className="evaluations-agent-filter">
          <StaffSelect value={agentId ?? null} onChange={(v) => setAgent(typeof v === 'string' ? v : undefined)} placeholder={t('evaluations.filter.agent')} data-testid="evaluations-filter-agent" />
        </div>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('evaluations.filter.source')}
          value={filters.source}
          onChange={(v) => setFilters((f) => ({ ...f, source: v }))}
          options={SOURCES.map((s) => ({ value: s, label: t(`evaluations.source.${s}`) }))}
          data-testid="evaluations-filter-source"
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('evaluations.filter.level')}
          value={filters.level}
          onChange={(v) => setFilters((f) => ({ ...f, level: v }))}
          options={[5, 4, 3, 2, 1].map((n) => ({ value: n, label: t(`evaluations.level.l${n as 1 | 2 | 3 | 4 | 5}`) }))}
          data-testid="evaluations-filter-level"
        />
        <DatePicker.RangePicker
          value={range}
          placeholder={[t('evaluations.filter.range'), t('evaluations.filter.range')]}
          onChange={(v) => {
            const picked = v && v[0] && v[1] ? ([v[0], v[1]] as [Dayjs, Dayjs]) : null;
            setRange(picked);
            setFilters((f) => ({ ...f, from: picked ? picked[0].format('YYYY-MM-DD') : undefined, to: picked ? picked[1].format('YYYY-MM-DD') : undefined }));
          }}
        />
        <Button
          onClick={() => {
            setFilters({});
            setRange(null);
            setAgent(undefined);
          }}
        >
          {t('evaluations.filter.clear')}
        </Button>
      </Flex>
      <Table<EvaluationView>
        rowKey="id"
        size="middle"
        data-testid="evaluations-table"
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('evaluations.empty') }}
        columns={[
          { key: 'at', title: t('evaluations.column.at'), render: (_, e) => formatTime(e.at, 'YYYY-MM-DD HH:mm'), width: 150 },
          { key: 'request', title: t('evaluations.column.request'), render: (_, e) => (e.requestId ? <Link to={`/requests/${e.requestId}`}>{e.requestNumber}</Link> : '—'), width: 170 },
          { key: 'source', title: t('evaluations.column.source'), render: (_, e) => t(`evaluations.source.${e.source}`), width: 110 },
          { key: 'level', title: t('evaluations.column.level'), render: (_, e) => <LevelTag level={e.level} />, width: 120 },
          { key: 'scores', title: t('evaluations.column.scores'), render: (_, e) => [e.attitude, e.speed, e.result].map((v) => v ?? '—').join(' / '), width: 140 },
          { key: 'agent', title: t('evaluations.column.agent'), render: (_, e) => e.agent?.name ?? '—', width: 120 },
          { key: 'comment', title: t('evaluations.column.comment'), dataIndex: 'comment', ellipsis: true },
          { key: 'marks', title: t('evaluations.column.marks'), render: (_, e) => <EvaluationMarks e={e} />, width: 200 },
        ]}
      />
      {list.hasNextPage && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('evaluations.loadMore')}
          </Button>
        </Flex>
      )}
    </>
  );
}

export default function EvaluationsPage() {
  const { t } = useTranslation();
  const { tab = 'ratings' } = useParams();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const { can } = usePermissions();
  const items = [{ key: 'ratings', label: t('evaluations.tabs.ratings'), children: <RatingsTab /> }];
  if (can('evaluation.configure')) items.push({ key: 'settings', label: t('evaluations.tabs.settings'), children: <SurveySettingsForm /> });
  return (
    <div data-testid="evaluations-page">
      <PageHeader title={t('evaluations.title')}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('evaluations.intro')}
        </Typography.Paragraph>
      </PageHeader>
      <Tabs activeKey={tab} items={items} onChange={(k) => navigate(`/evaluations${k === 'ratings' ? '' : `/${k}`}${k === 'ratings' && search.toString() ? `?${search.toString()}` : ''}`)} />
    </div>
  );
}
