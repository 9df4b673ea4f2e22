/**
 * Appeals (申诉): ratings the reader may appeal (verified mistaken or malicious) with a button to file one, and
 * the appeals in reach — pending first — with the decision (uphold or reject, with a reason) for deciders.
 */
import { App, Button, Card, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { useAppealCandidates, useAppeals, useDecideAppeal, useFileAppeal, type AppealedRating, type AppealView } from '../../api/callbacks';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

export function AppealsTab() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const [page, setPage] = useState(1);
  const appeals = useAppeals({ page });
  const candidates = useAppealCandidates(can('appeal.file'));
  const [filing, setFiling] = useState<AppealedRating | null>(null);
  const [deciding, setDeciding] = useState<{ appeal: AppealView; decision: 'upheld' | 'rejected' } | null>(null);
  const level = (n: number) => t(`callbacks.level.l${n as 1 | 2 | 3 | 4 | 5}`);
  const ratingCell = (r: AppealedRating) => (
    <>
      {r.request ? <Link to={`/requests/${r.request.id}`}>{r.request.number}</Link> : null} {level(r.level)}
      {r.verification && r.verification !== 'pending' && <Tag style={{ marginLeft: 6 }}>{t(`callbacks.verdict.${r.verification as 'confirmed'}`)}</Tag>}
      {r.excluded && <Tag color="purple">{t('callbacks.appeals.excluded')}</Tag>}
      {r.comment && <Typography.Paragraph type="secondary" style={{ margin: 0 }} ellipsis>{r.comment}</Typography.Paragraph>}
    </>
  );

  return (
    <>
      {can('appeal.file') && (
        <Card size="small" title={t('callbacks.appeals.candidates')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('callbacks.appeals.candidatesHint')}</Typography.Paragraph>
          <Table<AppealedRating>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={candidates.data?.items ?? []}
            locale={{ emptyText: t('callbacks.appeals.noCandidates') }}
            columns={[
              { key: 'rating', title: t('callbacks.appeals.column.rating'), render: (_, r) => ratingCell(r) },
              { key: 'agent', title: t('callbacks.appeals.column.agent'), render: (_, r) => r.agent?.name ?? '—' },
              { key: 'remarks', title: t('callbacks.drawer.remarks'), render: (_, r) => r.verificationRemarks ?? '—' },
              { key: 'file', title: '', render: (_, r) => <Button size="small" onClick={() => setFiling(r)} data-testid="appeal-file">{t('callbacks.appeals.file')}</Button> },
            ]}
          />
        </Card>
      )}
      <Table<AppealView>
        rowKey="id"
        size="middle"
        loading={appeals.isFetching}
        dataSource={appeals.data?.items ?? []}
        locale={{ emptyText: t('callbacks.appeals.empty') }}
        onRow={(a) => ({ 'data-testid': `appeal-row-${a.rating.request?.number ?? a.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: 20, total: appeals.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        scroll={{ x: 800 }}
        columns={[
          { key: 'rating', title: t('callbacks.appeals.column.rating'), render: (_, a) => ratingCell(a.rating) },
          { key: 'agent', title: t('callbacks.appeals.column.agent'), render: (_, a) => a.rating.agent?.name ?? '—' },
          { key: 'appellant', title: t('callbacks.appeals.column.appellant'), render: (_, a) => `${a.appellant.name} · ${formatTime(a.createdAt, 'YYYY-MM-DD HH:mm')}` },
          { key: 'reason', title: t('callbacks.appeals.column.reason'), dataIndex: 'reason' },
          { key: 'state', title: t('callbacks.appeals.column.state'), render: (_, a) => <Tag color={a.state === 'upheld' ? 'purple' : a.state === 'rejected' ? 'default' : 'blue'} data-testid="appeal-state">{t(`callbacks.appeals.state.${a.state}`)}</Tag> },
          {
            key: 'decision', title: t('callbacks.appeals.column.decision'),
            render: (_, a) =>
              a.state === 'pending' ? (
                can('appeal.decide') ? (
                  <>
                    <Button size="small" type="primary" onClick={() => setDeciding({ appeal: a, decision: 'upheld' })} data-testid="appeal-uphold">{t('callbacks.appeals.uphold')}</Button>{' '}
                    <Button size="small" danger onClick={() => setDeciding({ appeal: a, decision: 'rejected' })} data-testid="appeal-reject">{t('callbacks.appeals.reject')}</Button>
                  </>
                ) : '—'
              ) : (
                <>{a.decision}{a.decidedBy && <Typography.Text type="secondary"> — {a.decidedBy.name}</Typography.Text>}</>
              ),
          },
        ]}
      />
      {filing && <FileDialog rating={filing} onClose={() => setFiling(null)} />}
      {deciding && <DecideDialog appeal={deciding.appeal} decision={deciding.decision} onClose={() => setDeciding(null)} />}
    </>
  );
}

function FileDialog({ rating, onClose }: { rating: AppealedRating; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const file = useFileAppeal();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal open title={t('callbacks.appeals.fileTitle')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={file.isPending} okButtonProps={{ 'data-testid': 'appeal-file-confirm' }}>
      <Form form={form} layout="vertical" onFinish={(v) => file.mutate({ evaluationId: rating.id, reason: v.reason }, { onSuccess: () => { void message.success(t('callbacks.appeals.filed')); onClose(); }, onError: (e) => showError(e, form) })}>
        <Form.Item name="reason" label={t('callbacks.appeals.reason')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={2000} data-testid="appeal-reason" /></Form.Item>
      </Form>
    </Modal>
  );
}

function DecideDialog({ appeal, decision, onClose }: { appeal: AppealView; decision: 'upheld' | 'rejected'; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const decide = useDecideAppeal();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open
      title={`${t('callbacks.appeals.decideTitle')} · ${decision === 'upheld' ? t('callbacks.appeals.uphold') : t('callbacks.appeals.reject')}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={decide.isPending}
      okButtonProps={{ 'data-testid': 'appeal-decide-confirm' }}
    >
      <Typography.Paragraph>{appeal.reason}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => decide.mutate({ id: appeal.id, decision, reason: v.reason }, { onSuccess: () => { void message.success(t('callbacks.appeals.decided')); onClose(); }, onError: (e) => showError(e, form) })}>
        <Form.Item name="reason" label={t('callbacks.appeals.decisionReason')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={2000} data-testid="appeal-decision-reason" /></Form.Item>
      </Form>
    </Modal>
  );
}
