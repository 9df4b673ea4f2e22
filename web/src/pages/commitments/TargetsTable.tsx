/** The targets of a version, read-only: time limits (clock, duration, where, warning, goal, remedy) and rates. */
import { Empty, Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RateTarget, Target, TimeLimitTarget } from '../../api/commitments';
import { useCommitmentText } from './labels';

/** A target's name with its key under it. */
function TargetName({ name, targetKey }: { name: string; targetKey: string }) {
  return (
    <>
      <Typography.Text strong>{name}</Typography.Text>
      <div>
        <Typography.Text type="secondary" className="pledge-mono">
          {targetKey}
        </Typography.Text>
      </div>
    </>
  );
}

export function TargetsTable({ targets, calendarName }: { targets: Target[]; calendarName: (id: string | null) => string }) {
  const { t } = useTranslation();
  const text = useCommitmentText();
  const limits = targets.filter((x): x is TimeLimitTarget => x.kind === 'time_limit');
  const rates = targets.filter((x): x is RateTarget => x.kind === 'rate');
  if (targets.length === 0) return <Empty description={t('commitments.target.none')} />;

  return (
    <Flex vertical gap={16}>
      {limits.length > 0 && (
        <div>
          <Typography.Title level={5}>{t('commitments.target.timeLimits')}</Typography.Title>
          <Table<TimeLimitTarget>
            rowKey="key"
            size="small"
            data-testid="targets-time-limit"
            pagination={false}
            scroll={{ x: 1100 }}
            dataSource={limits}
            onRow={(row) => ({ 'data-testid': `target-${row.key}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('commitments.target.name'),
                key: 'name',
                width: 210,
                render: (_, row) => <TargetName name={text.targetName(row)} targetKey={row.key} />,
              },
              { title: t('commitments.target.clock'), key: 'clock', width: 220, render: (_, row) => text.clock(row) },
              {
                title: t('commitments.target.duration'),
                dataIndex: 'duration',
                width: 130,
                render: (d: string) => (
                  <Typography.Text strong data-testid="target-duration" title={d}>
                    {text.duration(d)}
                  </Typography.Text>
                ),
              },
              { title: t('commitments.target.appliesTo'), key: 'appliesTo', width: 220, render: (_, row) => text.appliesTo(row.appliesTo) },
              { title: t('commitments.target.calendar'), key: 'calendar', width: 150, render: (_, row) => calendarName(row.calendarId) },
              {
                title: t('commitments.target.warnRatio'),
                dataIndex: 'warnRatio',
                width: 110,
                render: (w: number | null) => (w === null ? t('commitments.target.noWarning') : t('commitments.target.warnAt', { pct: Math.round(w * 100) })),
              },
              {
                title: t('commitments.target.complianceGoal'),
                dataIndex: 'complianceGoal',
                width: 100,
                render: (g: number | null) => (g === null ? t('common.none') : `≥ ${g}%`),
              },
              {
                title: t('commitments.target.remedy'),
                dataIndex: 'remedy',
                width: 240,
                render: (r: TimeLimitTarget['remedy']) =>
                  r ? (
                    <>
                      <Tag>{t(`commitments.remedyKinds.${r.kind}`)}</Tag>
                      {r.description}
                      <Typography.Text type="secondary"> · {t('commitments.target.remedyWithin', { duration: text.duration(r.duration) })}</Typography.Text>
                    </>
                  ) : (
                    t('common.none')
                  ),
              },
            ]}
          />
        </div>
      )}
      {rates.length > 0 && (
        <div>
          <Typography.Title level={5}>{t('commitments.target.rates')}</Typography.Title>
          <Table<RateTarget>
            rowKey="key"
            size="small"
            data-testid="targets-rate"
            pagination={false}
            scroll={{ x: 900 }}
            dataSource={rates}
            onRow={(row) => ({ 'data-testid': `target-${row.key}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('commitments.target.name'),
                key: 'name',
                width: 200,
                render: (_, row) => <TargetName name={text.targetName(row)} targetKey={row.key} />,
              },
              { title: t('commitments.target.metric'), dataIndex: 'metric', width: 200, render: (m: RateTarget['metric']) => t(`commitments.metrics.${m}`) },
              { title: t('commitments.target.period'), dataIndex: 'period', width: 100, render: (p: RateTarget['period']) => t(`commitments.periods.${p}`) },
              { title: t('commitments.target.threshold'), key: 'threshold', width: 170, render: (_, row) => <Typography.Text strong>{text.threshold(row)}</Typography.Text> },
              { title: t('commitments.target.appliesTo'), key: 'appliesTo', render: (_, row) => text.appliesTo(row.appliesTo) },
            ]}
          />
        </div>
      )}
    </Flex>
  );
}
