/** The phone service level of a period: the headline ratio, its parts, and the answer-delay distribution. */
import { InfoCircleOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Flex, Row, Select, Statistic, Tooltip, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useServiceLevel, type ServiceLevelParams } from '../../api/calls';
import { formatTime } from '../../lib/time';
import { formatSeconds } from './format';

// ECharts is some 400 kB: the figures and the table show first, the chart follows.
const DelayChart = lazy(() => import('./DelayChart'));

export const THRESHOLDS = [10, 15, 20, 30, 60] as const;

export function ServiceLevelCard({ params, onThreshold }: { params: ServiceLevelParams; onThreshold: (value: number) => void }) {
  const { t } = useTranslation();
  const sl = useServiceLevel(params);
  const data = sl.data;
  const threshold = params.threshold;
  const percent = data?.serviceLevel === null || data?.serviceLevel === undefined ? null : Math.round(data.serviceLevel * 1000) / 10;

  return (
    <Card
      data-testid="sl-card"
      loading={sl.isPending}
      title={
        <Flex align="center" gap={8}>
          <span>{t('calls.sl.title')}</span>
          <Tooltip title={t('calls.sl.definition', { seconds: data?.shortAbandonSeconds ?? 5 })}>
            <InfoCircleOutlined style={{ color: '#8c8c8c' }} />
          </Tooltip>
          {data && (
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {formatTime(data.from, 'YYYY-MM-DD HH:mm')} ~ {formatTime(data.to, 'YYYY-MM-DD HH:mm')}
            </Typography.Text>
          )}
        </Flex>
      }
      extra={
        <Flex align="center" gap={8}>
          <Typography.Text type="secondary">{t('calls.sl.threshold')}</Typography.Text>
          <Select
            value={threshold}
            onChange={onThreshold}
            style={{ width: 100 }}
            options={THRESHOLDS.map((v) => ({ value: v, label: t('calls.sl.thresholdOption', { value: v }) }))}
            data-testid="sl-threshold"
          />
        </Flex>
      }
      style={{ marginBottom: 16 }}
    >
      {data && data.offered === 0 && data.answered === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.sl.noCalls')} />
      ) : (
        data && (
          <Row gutter={24}>
            <Col xs={24} lg={10}>
              <Row gutter={[16, 16]}>
                <Col span={24}>
                  <Tooltip title={t('calls.sl.levelHint', { threshold })}>
                    <div data-testid="sl-level" data-value={percent ?? ''}>
                      <Statistic
                        title={t('calls.sl.level')}
                        value={percent ?? t('calls.sl.none')}
                        suffix={percent === null ? undefined : '%'}
                        styles={{ content: { color: percent !== null && percent >= 80 ? '#389e0d' : '#cf1322', fontSize: 32 } }}
                      />
                    </div>
                  </Tooltip>
                </Col>
                <Col span={8} data-testid="sl-offered">
                  <Statistic title={t('calls.sl.offered')} value={data.offered} />
                </Col>
                <Col span={8} data-testid="sl-within">
                  <Statistic title={t('calls.sl.answeredWithin', { threshold })} value={data.answeredWithin} />
                </Col>
                <Col span={8} data-testid="sl-abandoned">
                  <Statistic title={t('calls.sl.abandoned')} value={data.abandoned} />
                </Col>
                <Col span={8} data-testid="sl-answered">
                  <Statistic title={t('calls.sl.answered')} value={data.answered} />
                </Col>
                <Col span={8} data-testid="sl-average">
                  <Statistic title={t('calls.sl.average')} value={data.averageAnswerSeconds === null ? t('calls.sl.none') : formatSeconds(t, data.averageAnswerSeconds)} />
                </Col>
                <Col span={8} data-testid="sl-p90">
                  <Statistic title={t('calls.sl.p90')} value={data.p90AnswerSeconds === null ? t('calls.sl.none') : formatSeconds(t, data.p90AnswerSeconds)} />
                </Col>
                {data.shortAbandoned > 0 && (
                  <Col span={24}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('calls.sl.shortAbandoned', { count: data.shortAbandoned, seconds: data.shortAbandonSeconds })}
                    </Typography.Text>
                  </Col>
                )}
              </Row>
            </Col>
            <Col xs={24} lg={14}>
              <Typography.Text strong>{t('calls.sl.chart')}</Typography.Text>
              <Suspense fallback={<div style={{ height: 220 }} />}>
                <DelayChart distribution={data.distribution} />
              </Suspense>
            </Col>
          </Row>
        )
      )}
    </Card>
  );
}
