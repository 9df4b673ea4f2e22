/**
 * The request page's ratings panel: the request's satisfaction surveys (channel, masked address, state,
 * expiry; send again; for a walk-in, a printable QR code with a fresh link each time) and its ratings with
 * their marks (appealed, excluded, pending verification, stated default).
 */
import { PrinterOutlined, QrcodeOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, List, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useIssueQr, useRequestEvaluations, useRequestSurveys, useResendSurvey, type SurveyLinkView } from '../../api/evaluations';
import type { RequestView } from '../../api/requests';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { EvaluationMarks, LevelTag } from '../evaluations/marks';

const STATE_COLOR: Record<string, string> = { pending: 'blue', answered: 'green', expired: 'default', defaulted: 'gold', cancelled: 'default' };

export function RequestEvaluations({ request }: { request: Pick<RequestView, 'id' | 'state' | 'channel' | 'rating'> }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const { message } = App.useApp();
  const showError = useShowError();
  const surveys = useRequestSurveys(request.id);
  const ratings = useRequestEvaluations(request.id);
  const resend = useResendSurvey();
  const qr = useIssueQr();
  const [printed, setPrinted] = useState<SurveyLinkView | null>(null);
  const { refetch: refetchSurveys } = surveys;
  const { refetch: refetchRatings } = ratings;
  // The loop moving on (feedback, archive, reopen) changes the surveys and may bring a rating.
  useEffect(() => {
    void refetchSurveys();
    void refetchRatings();
  }, [request.state, request.rating, refetchSurveys, refetchRatings]);
  if (!can('evaluation.read')) return null;
  const canPrint = can('request.handle') && (request.state === 'feedback' || request.state === 'archived');

  return (
    <Card
      size="small"
      title={t('evaluations.panel.title')}
      data-testid="request-evaluations"
      extra={
        canPrint && (
          <Button size="small" icon={<QrcodeOutlined />} loading={qr.isPending} data-testid="survey-print-qr" onClick={() => qr.mutate(request.id, { onSuccess: setPrinted, onError: (e) => showError(e) })}>
            {t('evaluations.panel.printQr')}
          </Button>
        )
      }
    >
      <Typography.Text strong>{t('evaluations.panel.surveys')}</Typography.Text>
      {(surveys.data?.items ?? []).length === 0 ? (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('evaluations.panel.noSurvey')}
        </Typography.Paragraph>
      ) : (
        <List
          size="small"
          dataSource={surveys.data?.items ?? []}
          renderItem={(s) => (
            <List.Item
              data-testid="request-survey"
              data-state={s.state}
              data-channel={s.channel}
              actions={
                s.state === 'pending' && s.channel !== 'qr' && can('request.handle')
                  ? [
                      <Button key="resend" size="small" type="link" loading={resend.isPending} onClick={() => resend.mutate(s.id, { onSuccess: () => void message.success(t('evaluations.panel.resent')), onError: (e) => showError(e) })}>
                        {t('evaluations.panel.resend')}
                      </Button>,
                    ]
                  : []
              }
            >
              <Space direction="vertical" size={0}>
                <Space size={4} wrap>
                  <Tag>{t(`evaluations.channel.${s.channel}`)}</Tag>
                  <Tag color={STATE_COLOR[s.state]}>{t(`evaluations.state.${s.state}`)}</Tag>
                  {s.remindedAt && <Tag>{t('evaluations.panel.reminded')}</Tag>}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(s.sentAt, 'YYYY-MM-DD HH:mm')}
                  {s.sentTo ? ` · ${t('evaluations.panel.sentTo', { to: s.sentTo })}` : ''}
                  {s.state === 'pending' ? ` · ${t('evaluations.panel.expires', { at: formatTime(s.expiresAt, 'YYYY-MM-DD HH:mm') })}` : ''}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      <div style={{ marginTop: 8 }}>
        <Typography.Text strong>{t('evaluations.panel.ratings')}</Typography.Text>
        {(ratings.data?.items ?? []).length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('evaluations.panel.noRatings')} />
        ) : (
          <List
            size="small"
            dataSource={ratings.data?.items ?? []}
            renderItem={(e) => (
              <List.Item data-testid="request-rating" data-level={e.level} data-source={e.source}>
                <Flex vertical gap={4} style={{ width: '100%' }}>
                  <Space size={4} wrap>
                    <LevelTag level={e.level} />
                    <Tag>{t(`evaluations.source.${e.source}`)}</Tag>
                    <EvaluationMarks e={e} />
                  </Space>
                  {e.comment && <Typography.Text>{e.comment}</Typography.Text>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(e.at, 'YYYY-MM-DD HH:mm')}
                    {e.agent ? ` · ${e.agent.name}` : ''}
                  </Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </div>
      <Modal
        open={printed !== null}
        onCancel={() => setPrinted(null)}
        title={t('evaluations.panel.qrTitle')}
        footer={
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('evaluations.panel.print')}
          </Button>
        }
      >
        {printed && (
          <div className="pledge-survey-qr" data-testid="survey-qr" data-link={printed.link} style={{ textAlign: 'center' }}>
            {printed.qrSvg && <img alt={t('evaluations.panel.qrTitle')} style={{ width: 260, maxWidth: '100%' }} src={`data:image/svg+xml;utf8,${encodeURIComponent(printed.qrSvg)}`} />}
            <Typography.Paragraph copyable={{ text: printed.link }} style={{ wordBreak: 'break-all', fontSize: 12 }}>
              {printed.link}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t('evaluations.panel.qrHint')}</Typography.Paragraph>
          </div>
        )}
      </Modal>
    </Card>
  );
}
