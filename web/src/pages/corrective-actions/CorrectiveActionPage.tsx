/**
 * One corrective action (/corrective-actions/:id): the finding, owner and deadline; the owner's forms (root
 * cause and actions, re-contact with the customer, evidence); the steps the reader may take now (start,
 * submit, accept / return with a note, cancel with a reason); the requests behind it and the timeline.
 */
import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Flex, Form, Input, Result, Row, Space, Spin, Tag, Timeline, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import {
  correctiveKey, evidenceUrl, useCorrectiveAction, useCorrectiveOwner, useCorrectiveRecontact, useCorrectiveStep, useCorrectiveWork, useUploadEvidence, type CaDetail, type CaStep,
} from '../../api/corrective-actions';
import { usePermissions } from '../../api/auth';
import { StaffSelect } from '../../components/StaffSelect';
import { RequirePermission } from '../../components/Forbidden';
import { useLiveEvents } from '../../lib/live';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { CaDeadline, CaSourceTag, CaStateTag, useDurationText } from './labels';

export default function CorrectiveActionPage() {
  return (
    <RequirePermission anyOf={['corrective.read']}>
      <ActionView />
    </RequirePermission>
  );
}

function ActionView() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const detail = useCorrectiveAction(id);
  const durationText = useDurationText();
  useLiveEvents((e) => e.entityId === id, () => void qc.invalidateQueries({ queryKey: correctiveKey }));

  if (detail.isPending) return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  if (detail.error) {
    const notFound = detail.error instanceof ApiError && detail.error.status === 404;
    return <Result status={notFound ? '404' : 'error'} title={notFound ? '404' : detail.error.message} subTitle={notFound ? t('corrective.notFound') : undefined} />;
  }
  const a = detail.data;
  return (
    <Row gutter={[16, 16]} data-testid="ca-page" data-state={a.state} data-number={a.number}>
      <Col xs={24} xl={16}>
        <Flex vertical gap={16}>
          <Card
            title={
              <Space wrap>
                <Typography.Text strong data-testid="ca-number">{a.number}</Typography.Text>
                <CaSourceTag source={a.source} />
                <CaStateTag state={a.state} />
                {a.overdue && <Tag color="error">{t('corrective.overdue')}</Tag>}
              </Space>
            }
            extra={<CaDeadline action={a} />}
          >
            <Typography.Paragraph data-testid="ca-finding" style={{ whiteSpace: 'pre-wrap' }}>{a.finding}</Typography.Paragraph>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('corrective.fields.owner')}><span data-testid="ca-owner">{a.owner?.name ?? t('corrective.unassigned')}</span></Descriptions.Item>
              <Descriptions.Item label={t('corrective.col.due')}>
                <span data-testid="ca-due" data-due={a.dueAt}>{formatTime(a.dueAt, 'YYYY-MM-DD HH:mm')}</span>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }} data-testid="ca-deadline">{t('corrective.deadline', { duration: durationText(a.deadlineDuration) })}</Typography.Text>
              </Descriptions.Item>
              {a.agent && <Descriptions.Item label={t('corrective.fields.agent')}>{a.agent.name}</Descriptions.Item>}
              {a.team && <Descriptions.Item label={t('corrective.fields.team')}>{a.team.name}</Descriptions.Item>}
              {a.branch && <Descriptions.Item label={t('corrective.fields.branch')}>{a.branch.name}</Descriptions.Item>}
              {a.returnCount > 0 && <Descriptions.Item label={t('corrective.fields.returns')}>{a.returnCount}</Descriptions.Item>}
              {a.verificationNote && <Descriptions.Item label={t('corrective.fields.verification')}>{a.verificationNote}</Descriptions.Item>}
            </Descriptions>
            {a.requests.length > 0 && (
              <div style={{ marginTop: 8 }}>
                <Typography.Text type="secondary">{t('corrective.fields.requests')}：</Typography.Text>
                <Space wrap size={4}>
                  {a.requests.map((r) => (
                    <Link key={r.id} to={`/requests/${r.id}`} data-testid="ca-request-link">
                      <Tag style={{ maxWidth: 420, overflow: 'hidden', textOverflow: 'ellipsis', verticalAlign: 'middle' }}>{r.number} {r.subject}</Tag>
                    </Link>
                  ))}
                </Space>
              </div>
            )}
          </Card>
          <WorkCard action={a} />
          <EventsCard action={a} />
        </Flex>
      </Col>
      <Col xs={24} xl={8}>
        <Flex vertical gap={16}>
          <StepsCard action={a} />
          <OwnerCard action={a} />
        </Flex>
      </Col>
    </Row>
  );
}

function WorkCard({ action: a }: { action: CaDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const work = useCorrectiveWork(a.id);
  const recontact = useCorrectiveRecontact(a.id);
  const upload = useUploadEvidence(a.id);
  const [form] = Form.useForm<{ rootCause?: string; actionsTaken?: string }>();
  const [recontactForm] = Form.useForm<{ note: string }>();
  const saveWork = async () => {
    const v = await form.validateFields();
    const body = { ...(v.rootCause?.trim() ? { rootCause: v.rootCause } : {}), ...(v.actionsTaken?.trim() ? { actionsTaken: v.actionsTaken } : {}) };
    if (Object.keys(body).length === 0) return;
    try {
      await work.mutateAsync(body);
      void message.success(t('corrective.saved'));
    } catch (error) {
      showError(error, form);
    }
  };
  const saveRecontact = async () => {
    const v = await recontactForm.validateFields();
    try {
      await recontact.mutateAsync(v);
      recontactForm.resetFields();
      void message.success(t('corrective.saved'));
    } catch (error) {
      showError(error, recontactForm);
    }
  };
  return (
    <Card title={t('corrective.fields.rootCause') + ' · ' + t('corrective.fields.actionsTaken')} data-testid="ca-work">
      {a.canWork ? (
        <Form form={form} layout="vertical" initialValues={{ rootCause: a.rootCause ?? '', actionsTaken: a.actionsTaken ?? '' }} key={`${a.rootCause}|${a.actionsTaken}`}>
          <Form.Item name="rootCause" label={t('corrective.fields.rootCause')}>
            <Input.TextArea rows={3} maxLength={8000} data-testid="ca-root-cause" />
          </Form.Item>
          <Form.Item name="actionsTaken" label={t('corrective.fields.actionsTaken')}>
            <Input.TextArea rows={3} maxLength={8000} data-testid="ca-actions-taken" />
          </Form.Item>
          <Button onClick={() => void saveWork()} loading={work.isPending} data-testid="ca-save-work">{t('corrective.actions.saveWork')}</Button>
        </Form>
      ) : (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('corrective.fields.rootCause')}><span style={{ whiteSpace: 'pre-wrap' }} data-testid="ca-root-cause-text">{a.rootCause ?? '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('corrective.fields.actionsTaken')}><span style={{ whiteSpace: 'pre-wrap' }}>{a.actionsTaken ?? '—'}</span></Descriptions.Item>
        </Descriptions>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('corrective.fields.recontact')}</Typography.Title>
      {a.recontactedAt && (
        <Typography.Paragraph data-testid="ca-recontact-text">
          {formatTime(a.recontactedAt, 'YYYY-MM-DD HH:mm')} · {a.recontactNote}
        </Typography.Paragraph>
      )}
      {a.canWork && (
        <Form form={recontactForm} layout="inline" style={{ rowGap: 8 }}>
          <Form.Item name="note" rules={[{ required: true, whitespace: true }]} style={{ flex: 1, minWidth: 240 }}>
            <Input placeholder={t('corrective.fields.recontactNote')} maxLength={4000} data-testid="ca-recontact-note" />
          </Form.Item>
          <Button onClick={() => void saveRecontact()} loading={recontact.isPending} data-testid="ca-save-recontact">{t('corrective.actions.saveRecontact')}</Button>
        </Form>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('corrective.fields.evidence')}</Typography.Title>
      <Space wrap>
        {a.evidence.map((f) => (
          <a key={f.id} href={evidenceUrl(a.id, f.id)} data-testid="ca-evidence">{f.filename}</a>
        ))}
        {a.canWork && (
          <Upload
            showUploadList={false}
            beforeUpload={(file) => {
              upload.mutate(file, { onError: (e) => showError(e) });
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="ca-upload">{t('corrective.actions.upload')}</Button>
          </Upload>
        )}
      </Space>
    </Card>
  );
}

const NOTE_REQUIRED: ReadonlySet<CaStep> = new Set(['return', 'cancel']);

function StepsCard({ action: a }: { action: CaDetail }) {
  const { t } = useTranslation();
  const showError = useShowError();
  const step = useCorrectiveStep(a.id);
  const [note, setNote] = useState('');
  if (a.allowedSteps.length === 0) return null;
  const take = (s: CaStep) => {
    if (NOTE_REQUIRED.has(s) && !note.trim()) {
      showError(new Error(t(`corrective.notePlaceholder.${s as 'return' | 'cancel'}`)));
      return;
    }
    step.mutate({ step: s, ...(note.trim() ? { note: note.trim() } : {}) }, { onSuccess: () => setNote(''), onError: (e) => showError(e) });
  };
  const needsNote = a.allowedSteps.some((s) => s === 'accept' || s === 'return' || s === 'cancel');
  return (
    <Card title={t('common.actions')} data-testid="ca-steps">
      <Flex vertical gap={8}>
        {needsNote && (
          <Input.TextArea
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={a.allowedSteps.includes('accept') ? `${t('corrective.notePlaceholder.accept')} / ${t('corrective.notePlaceholder.return')}` : t('corrective.notePlaceholder.cancel')}
            maxLength={4000}
            data-testid="ca-step-note"
          />
        )}
        <Flex wrap gap={8}>
          {a.allowedSteps.map((s) => (
            <Button key={s} type={s === 'accept' || s === 'submit' || s === 'start' ? 'primary' : 'default'} danger={s === 'cancel'} loading={step.isPending && step.variables.step === s} onClick={() => take(s)} data-testid={`ca-step-${s}`}>
              {t(`corrective.actions.${s}`)}
            </Button>
          ))}
        </Flex>
      </Flex>
    </Card>
  );
}

/** Whoever manages actions gives an action (an unassigned one above all) to its owner. */
function OwnerCard({ action: a }: { action: CaDetail }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const showError = useShowError();
  const assign = useCorrectiveOwner(a.id);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  if (!can('corrective.manage') || a.state === 'closed' || a.state === 'cancelled') return null;
  return (
    <Card title={t('corrective.fields.owner')} data-testid="ca-owner-card">
      <Flex vertical gap={8}>
        <StaffSelect value={ownerId ?? a.owner?.id ?? null} onChange={(v) => setOwnerId(typeof v === 'string' ? v : null)} data-testid="ca-owner-select" />
        <Button
          disabled={!ownerId || ownerId === a.owner?.id}
          loading={assign.isPending}
          onClick={() => ownerId && assign.mutate(ownerId, { onSuccess: () => setOwnerId(null), onError: (e) => showError(e) })}
          data-testid="ca-owner-save"
        >
          {t('corrective.actions.assign')}
        </Button>
      </Flex>
    </Card>
  );
}

function EventsCard({ action: a }: { action: CaDetail }) {
  const { t } = useTranslation();
  const known = new Set(Object.keys(t('corrective.event', { returnObjects: true })));
  return (
    <Card title={t('corrective.fields.timeline')} data-testid="ca-timeline">
      <Timeline
        items={a.events.map((e) => ({
          key: e.id,
          children: (
            <div data-testid="ca-event" data-kind={e.kind}>
              <Typography.Text strong>{known.has(e.kind) ? t(`corrective.event.${e.kind as 'created'}`) : e.kind}</Typography.Text>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{e.actorName} · {formatTime(e.at, 'YYYY-MM-DD HH:mm')}</Typography.Text>
              {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
