/**
 * The approval procedure of a version: where it stands (internal evaluation → joint meeting → decision body →
 * publication), the record of decisions, and the actions the signed-in person may take now — submit, decide the
 * waiting step, publish, start a new version. Refusals from the server are shown as they come.
 */
import { CheckOutlined, CloseOutlined, MinusCircleOutlined, PlusOutlined, SendOutlined, SoundOutlined, BranchesOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Space, Steps, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { ApiError } from '../../api/client';
import {
  APPROVAL_STEPS, NEW_VERSION_TRIGGERS, STEP_PERMISSION, useDecideStep, usePublishVersion, useStartNewVersion, useSubmitVersion, useWithdrawVersion,
  type ApprovalRecord, type Version,
} from '../../api/commitments';
import type { Permission } from '../../api/types';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { safeHref } from './Markdown';

/** Where the version stands in the procedure, as antd Steps (current round). */
export function ApprovalSteps({ version }: { version: Version }) {
  const { t } = useTranslation();
  const round = Math.max(0, ...version.approvals.map((a) => a.round));
  const decided = new Map(version.approvals.filter((a) => a.round === round).map((a) => [a.step, a]));
  const waiting = version.status === 'in_review' ? version.nextStep : null;
  const after = ['approved', 'published', 'superseded'].includes(version.status);
  type StepStatus = 'finish' | 'process' | 'wait' | 'error';
  const publishStatus: StepStatus = version.status === 'published' || version.status === 'superseded' ? 'finish' : version.status === 'approved' ? 'process' : 'wait';
  const items: { title: string; status: StepStatus; content: string | undefined }[] = [
    ...APPROVAL_STEPS.map((step) => {
      const a = decided.get(step);
      // A draft after a rejection shows the rejected step; a fresh draft shows nothing decided yet.
      const relevant = version.status !== 'draft' || a?.decision === 'rejected' ? a : undefined;
      const status: StepStatus =
        relevant?.decision === 'rejected' ? 'error' : relevant || after ? 'finish' : waiting === step ? 'process' : 'wait';
      return {
        title: t(`commitments.steps.${step}`),
        status,
        content: relevant ? `${relevant.actorName ?? '—'} · ${formatTime(relevant.decidedAt, 'MM-DD HH:mm')}` : waiting === step ? t('commitments.approval.waiting') : undefined,
      };
    }),
    {
      title: t('commitments.approval.publish'),
      status: publishStatus,
      content: version.publishedAt ? formatTime(version.publishedAt, 'MM-DD HH:mm') : version.status === 'approved' ? t('commitments.approval.waiting') : undefined,
    },
  ];
  // The step in process (or rejected) is the current one; none when nothing waits (a fresh draft) or all is done.
  const current = items.findIndex((i) => i.status === 'process' || i.status === 'error');
  return <Steps size="small" items={items} current={current >= 0 ? current : items.every((i) => i.status === 'finish') ? items.length : -1} data-testid="approval-steps" responsive />;
}

function Attachments({ items }: { items: ApprovalRecord['attachments'] }) {
  if (items.length === 0) return null;
  return (
    <Flex vertical gap={2}>
      {items.map((a, i) => {
        const href = safeHref(a.url);
        return href ? (
          <a key={i} href={href} target="_blank" rel="noopener noreferrer">
            📎 {a.name}
          </a>
        ) : (
          <span key={i} title={a.url}>
            📎 {a.name}
          </span>
        );
      })}
    </Flex>
  );
}

export function ApprovalRecordTable({ approvals }: { approvals: ApprovalRecord[] }) {
  const { t } = useTranslation();
  const rows = [...approvals].sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
  return (
    <Table<ApprovalRecord>
      rowKey="id"
      size="small"
      data-testid="approval-table"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 800 }}
      locale={{ emptyText: t('commitments.approval.noRecord') }}
      onRow={(row) => ({ 'data-testid': `approval-${row.step}-${row.round}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('commitments.approval.round'), dataIndex: 'round', width: 70, align: 'center' },
        { title: t('commitments.approval.step'), dataIndex: 'step', width: 140, render: (s: ApprovalRecord['step']) => t(`commitments.steps.${s}`) },
        {
          title: t('commitments.approval.decision'),
          dataIndex: 'decision',
          width: 100,
          render: (d: ApprovalRecord['decision']) => <Tag color={d === 'approved' ? 'success' : 'error'}>{t(`commitments.approval.decisions.${d}`)}</Tag>,
        },
        { title: t('commitments.approval.actor'), dataIndex: 'actorName', width: 120, render: (v: string | null) => v ?? '—' },
        { title: t('commitments.approval.decidedAt'), dataIndex: 'decidedAt', width: 160, render: (v: string) => formatTime(v, 'YYYY-MM-DD HH:mm') },
        {
          title: t('commitments.approval.comment'),
          key: 'comment',
          render: (_, row) => (
            <>
              {row.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{row.comment}</div>}
              <Attachments items={row.attachments} />
              {!row.comment && row.attachments.length === 0 && '—'}
            </>
          ),
        },
      ]}
    />
  );
}

interface DecisionValues {
  comment?: string;
  attachments?: { name?: string; url?: string }[];
}

/** The buttons the person may use on this version now, and the server's answer when it refuses. */
export function VersionActions({
  version,
  hasOpenVersion,
  dirty,
  onNewVersion,
}: {
  version: Version;
  /** Another version of the commitment is still a draft, in review or approved. */
  hasOpenVersion: boolean;
  /** The draft editor has unsaved changes. */
  dirty: boolean;
  onNewVersion: (v: Version) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const submit = useSubmitVersion();
  const withdraw = useWithdrawVersion();
  const [withdrawComment, setWithdrawComment] = useState('');
  const decide = useDecideStep();
  const publish = usePublishVersion();
  const startNew = useStartNewVersion();
  const [refusal, setRefusal] = useState<{ message: string; code: string; details: string[] } | null>(null);
  const [decisionForm] = Form.useForm<DecisionValues>();
  const [publishing, setPublishing] = useState(false);
  const [newVersion, setNewVersion] = useState(false);

  const refused = (e: unknown) => {
    if (e instanceof ApiError) {
      if (e.isSignedOut) return;
      const problems = e.details && typeof e.details === 'object' && 'problems' in e.details && Array.isArray(e.details.problems) ? e.details.problems.map(String) : [];
      // The server's message usually names the problems already; list only what it leaves out.
      const details = [...problems, ...e.issues.map((i) => `${i.path}: ${i.message}`)].filter((d) => !e.message.includes(d));
      setRefusal({ message: e.message, code: e.code, details });
      void message.error(e.message);
    } else {
      setRefusal({ message: e instanceof Error ? e.message : String(e), code: '', details: [] });
    }
  };
  const ok = (text: string) => () => {
    setRefusal(null);
    void message.success(text);
  };

  const step = version.status === 'in_review' ? version.nextStep : null;
  const stepPermission: Permission | null = step ? STEP_PERMISSION[step] : null;
  const canDecide = stepPermission !== null && can(stepPermission);

  const doDecide = (decision: 'approved' | 'rejected') => {
    if (!step) return;
    decisionForm
      .validateFields(decision === 'rejected' ? undefined : ['attachments'])
      .then((v) => {
        if (decision === 'rejected' && !v.comment?.trim()) {
          decisionForm.setFields([{ name: 'comment', errors: [t('commitments.approval.rejectNeedsComment')] }]);
          return;
        }
        const attachments = (v.attachments ?? []).filter((a) => a.name?.trim() && a.url?.trim()).map((a) => ({ name: a.name!.trim(), url: a.url!.trim() }));
        decide.mutate(
          { id: version.id, step, decision: { decision, comment: v.comment?.trim() ?? '', attachments } },
          {
            onSuccess: () => {
              decisionForm.resetFields();
              ok(decision === 'approved' ? t('commitments.approval.approvedDone') : t('commitments.approval.rejectedDone'))();
            },
            onError: refused,
          },
        );
      })
      .catch(() => undefined);
  };

  const buttons: React.ReactNode[] = [];
  if (version.status === 'draft' && can('commitment.edit')) {
    buttons.push(
      <Tooltip key="submit" title={dirty ? t('commitments.approval.saveFirst') : t('commitments.approval.submitHint')}>
        <Button
          type="primary"
          icon={<SendOutlined />}
          disabled={dirty}
          loading={submit.isPending}
          data-testid="version-submit"
          onClick={() => submit.mutate(version.id, { onSuccess: ok(t('commitments.approval.submitted')), onError: refused })}
        >
          {t('commitments.approval.submit')}
        </Button>
      </Tooltip>,
    );
  }
  if (version.status === 'approved' && can('commitment.publish')) {
    buttons.push(
      <Button key="publish" type="primary" icon={<SoundOutlined />} data-testid="version-publish" onClick={() => setPublishing(true)}>
        {t('commitments.approval.publishAction')}
      </Button>,
    );
  }
  if ((version.status === 'in_review' || version.status === 'approved') && can('commitment.edit')) {
    buttons.push(
      <Popconfirm
        key="withdraw"
        title={t('commitments.approval.withdrawTitle')}
        description={
          <Input.TextArea
            data-testid="withdraw-comment"
            rows={2}
            placeholder={t('commitments.approval.withdrawHint')}
            value={withdrawComment}
            onChange={(e) => setWithdrawComment(e.target.value)}
          />
        }
        okButtonProps={{ disabled: withdrawComment.trim() === '', ...buttonTestId('withdraw-confirm') }}
        onConfirm={() => withdraw.mutate({ id: version.id, comment: withdrawComment.trim() }, { onSuccess: ok(t('commitments.approval.withdrawn')), onError: refused })}
      >
        <Button icon={<RollbackOutlined />} loading={withdraw.isPending} data-testid="version-withdraw">
          {t('commitments.approval.withdraw')}
        </Button>
      </Popconfirm>,
    );
  }
  if ((version.status === 'published' || version.status === 'superseded') && can('commitment.edit') && !hasOpenVersion) {
    buttons.push(
      <Button key="new" icon={<BranchesOutlined />} data-testid="version-new" onClick={() => setNewVersion(true)}>
        {t('commitments.newVersion.action')}
      </Button>,
    );
  }

  let waitingNote: React.ReactNode = null;
  if (version.status === 'in_review' && step && !canDecide) {
    waitingNote = (
      <Typography.Text type="secondary" data-testid="step-waiting">
        {t('commitments.approval.waitingFor', { step: t(`commitments.steps.${step}`), permission: t(`permissions.${STEP_PERMISSION[step]}`) })}
      </Typography.Text>
    );
  } else if (version.status === 'approved' && !can('commitment.publish')) {
    waitingNote = <Typography.Text type="secondary">{t('commitments.approval.waitingPublish')}</Typography.Text>;
  }

  return (
    <>
      {(buttons.length > 0 || waitingNote) && (
        <Flex wrap gap={8} align="center" data-testid="version-actions">
          {buttons}
          {waitingNote}
        </Flex>
      )}
      {step && canDecide && (
        <Card size="small" title={t('commitments.approval.decideTitle', { step: t(`commitments.steps.${step}`) })} data-testid="decision-card" style={{ borderColor: '#91caff' }}>
          <Form form={decisionForm} layout="vertical" initialValues={{ comment: '', attachments: [] }}>
            <Form.Item name="comment" label={t('commitments.approval.comment')} extra={t('commitments.approval.commentHint')}>
              <Input.TextArea rows={3} maxLength={5000} showCount />
            </Form.Item>
            <Form.List name="attachments">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8} style={{ marginBottom: 12 }}>
                  {fields.map((field) => (
                    <Space.Compact key={field.key} style={{ width: '100%' }}>
                      <Form.Item name={[field.name, 'name']} noStyle rules={[{ required: true, message: t('commitments.approval.attachmentName') }]}>
                        <Input style={{ width: '35%' }} placeholder={t('commitments.approval.attachmentName')} maxLength={200} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'url']} noStyle rules={[{ required: true, message: t('commitments.approval.attachmentUrl') }]}>
                        <Input style={{ width: '60%' }} placeholder={t('commitments.approval.attachmentUrl')} maxLength={2000} />
                      </Form.Item>
                      <Button icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.cancel')} />
                    </Space.Compact>
                  ))}
                  <div>
                    <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', url: '' })} data-testid="attachment-add">
                      {t('commitments.approval.addAttachment')}
                    </Button>
                  </div>
                </Flex>
              )}
            </Form.List>
            <Space wrap>
              <Button type="primary" icon={<CheckOutlined />} loading={decide.isPending && decide.variables?.decision.decision === 'approved'} onClick={() => doDecide('approved')} data-testid="step-approve">
                {t('commitments.approval.approve')}
              </Button>
              <Button danger icon={<CloseOutlined />} loading={decide.isPending && decide.variables?.decision.decision === 'rejected'} onClick={() => doDecide('rejected')} data-testid="step-reject">
                {t('commitments.approval.reject')}
              </Button>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('commitments.approval.oneStepPerRound')}
              </Typography.Text>
            </Space>
          </Form>
        </Card>
      )}
      {refusal && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setRefusal(null) }}
          data-testid="action-error"
          data-code={refusal.code}
          title={refusal.message}
          description={refusal.details.length ? <ul style={{ margin: 0, paddingLeft: 18 }}>{refusal.details.map((d) => <li key={d}>{d}</li>)}</ul> : undefined}
        />
      )}
      {publishing && (
        <PublishModal
          version={version}
          onClose={() => setPublishing(false)}
          onPublish={(notice) =>
            publish.mutate(
              { id: version.id, input: notice ? { notice } : {} },
              {
                onSuccess: () => {
                  setPublishing(false);
                  ok(t('commitments.approval.published'))();
                },
                onError: (e) => {
                  setPublishing(false);
                  refused(e);
                },
              },
            )
          }
          loading={publish.isPending}
        />
      )}
      {newVersion && (
        <NewVersionModal
          loading={startNew.isPending}
          onClose={() => setNewVersion(false)}
          onSubmit={(input) =>
            startNew.mutate(
              { commitmentId: version.commitmentId, input },
              {
                onSuccess: (v) => {
                  setNewVersion(false);
                  ok(t('commitments.newVersion.created', { version: v.version }))();
                  onNewVersion(v);
                },
                onError: (e) => {
                  setNewVersion(false);
                  refused(e);
                },
              },
            )
          }
        />
      )}
    </>
  );
}

function PublishModal({
  version,
  loading,
  onClose,
  onPublish,
}: {
  version: Version;
  loading: boolean;
  onClose: () => void;
  onPublish: (notice: { title: string; body: string } | null) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ custom: boolean; noticeTitle?: string; noticeBody?: string }>();
  const custom = Form.useWatch('custom', form) ?? false;
  return (
    <Modal
      open
      width={640}
      title={t('commitments.publish.title', { number: version.number, version: version.version })}
      okText={t('commitments.approval.publishAction')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={loading}
      okButtonProps={buttonTestId('publish-submit')}
      mask={{ closable: false }}
    >
      <Typography.Paragraph>{t('commitments.publish.intro')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ custom: false, noticeTitle: '', noticeBody: version.changeSummary ?? '' }}
        onFinish={(v) => onPublish(v.custom && v.noticeTitle?.trim() && v.noticeBody?.trim() ? { title: v.noticeTitle.trim(), body: v.noticeBody.trim() } : null)}
      >
        <Form.Item name="custom" valuePropName="checked">
          <Checkbox data-testid="publish-custom-notice">{t('commitments.publish.customNotice')}</Checkbox>
        </Form.Item>
        {custom ? (
          <>
            <Form.Item name="noticeTitle" label={t('commitments.publish.noticeTitle')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="noticeBody" label={t('commitments.publish.noticeBody')} rules={[{ required: true, whitespace: true }, { max: 20000 }]}>
              <Input.TextArea rows={6} maxLength={20000} showCount />
            </Form.Item>
          </>
        ) : (
          <Alert type="info" showIcon title={t('commitments.publish.defaultNotice')} />
        )}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

function NewVersionModal({
  loading,
  onClose,
  onSubmit,
}: {
  loading: boolean;
  onClose: () => void;
  onSubmit: (input: { trigger: (typeof NEW_VERSION_TRIGGERS)[number]; summary: string }) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ trigger?: (typeof NEW_VERSION_TRIGGERS)[number]; summary: string }>();
  return (
    <Modal
      open
      width={600}
      title={t('commitments.newVersion.title')}
      okText={t('commitments.newVersion.submit')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={loading}
      okButtonProps={buttonTestId('new-version-submit')}
      mask={{ closable: false }}
    >
      <Typography.Paragraph type="secondary">{t('commitments.newVersion.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ summary: '' }} onFinish={(v) => v.trigger && onSubmit({ trigger: v.trigger, summary: v.summary.trim() })}>
        <Form.Item name="trigger" label={t('commitments.newVersion.trigger')} rules={[{ required: true, message: t('commitments.newVersion.triggerRequired') }]}>
          <Select data-testid="new-version-trigger" options={NEW_VERSION_TRIGGERS.map((x) => ({ value: x, label: t(`commitments.triggers.${x}`) }))} />
        </Form.Item>
        <Form.Item name="summary" label={t('commitments.newVersion.summary')} extra={t('commitments.newVersion.summaryHint')} rules={[{ required: true, whitespace: true, message: t('commitments.newVersion.summaryRequired') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
