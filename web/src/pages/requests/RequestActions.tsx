/**
 * What can be done to the request now: exactly the loop actions the server allows (`allowedActions`), each
 * asking for what it needs — a reason where the server requires one, the result text to deliver, the number
 * of the request to merge into — plus taking, assigning or transferring, escalating and the special team's
 * response.
 */
import { AlertOutlined, CheckOutlined, SwapOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { api, ApiError, isRecord } from '../../api/client';
import { useTeams } from '../../api/org';
import {
  requestKey, useAcknowledgeEscalation, useAssign, useEscalate, useTransition, type LoopAction, type RequestView,
} from '../../api/requests';
import { useStaffList } from '../../api/staff';
import { StaffSelect } from '../../components/StaffSelect';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { isLoopAction } from './labels';
import { isTransfer, REASON_REQUIRED } from './request-fields';

/** Shows a refused step: a 409 names what is possible now, and the page reloads the request. */
function useActionError(requestId: string) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const qc = useQueryClient();
  return (error: unknown, form?: Parameters<ReturnType<typeof useShowError>>[1]) => {
    if (error instanceof ApiError && error.code === 'request.illegal_transition') {
      const allowed = isRecord(error.details) && Array.isArray(error.details.allowed) ? error.details.allowed.filter((a): a is LoopAction => typeof a === 'string' && isLoopAction(a)) : [];
      void message.warning(t('requestPage.actions.illegal', { allowed: allowed.map((a) => t(`vocab.action.${a}`)).join(t('commitments.listSeparator')) || '—' }));
      void qc.invalidateQueries({ queryKey: requestKey(requestId) });
      return;
    }
    showError(error, form);
  };
}

interface TransitionValues {
  reason?: string;
  responsibleId?: string | null;
  result?: string;
  mergeNumber?: string;
  assignToMe?: boolean;
}

const WITH_RESPONSIBLE: readonly LoopAction[] = ['analyse', 'start_handling', 'wait_customer', 'customer_replied', 'deliver_result', 'reopen'];

function TransitionModal({ request, action, onClose }: { request: RequestView; action: LoopAction; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const [form] = Form.useForm<TransitionValues>();
  const transition = useTransition(request.id);
  const assign = useAssign(request.id);
  const onError = useActionError(request.id);
  const [target, setTarget] = useState<RequestView | null>(null);
  const [finding, setFinding] = useState(false);
  const [notFound, setNotFound] = useState(false);
  const needsReason = REASON_REQUIRED.includes(action);
  const needsAssignee = action === 'start_handling' && request.assignee === null;
  const resultRequired = action === 'deliver_result' && request.firstResponseAt === null;
  const label = t(`vocab.action.${action}`);

  const find = async () => {
    const number = (form.getFieldValue('mergeNumber') as string | undefined)?.trim();
    setTarget(null);
    setNotFound(false);
    if (!number) return;
    setFinding(true);
    try {
      const found = await api.get<RequestView>(`/requests/by-number/${encodeURIComponent(number)}`);
      if (found.id === request.id) setNotFound(true);
      else setTarget(found);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setNotFound(true);
      else onError(e);
    } finally {
      setFinding(false);
    }
  };

  const submit = async (values: TransitionValues) => {
    try {
      if (needsAssignee && values.assignToMe) await assign.mutateAsync({ assigneeId: me.staff.id });
      await transition.mutateAsync({
        action,
        reason: values.reason?.trim() || null,
        ...(values.responsibleId ? { responsibleId: values.responsibleId } : {}),
        ...(action === 'deliver_result' && values.result?.trim() ? { result: values.result.trim() } : {}),
        ...(action === 'merge' && target ? { mergeIntoId: target.id } : {}),
      });
      void message.success(t('requestPage.actions.done', { action: label }));
      onClose();
    } catch (e) {
      onError(e, form);
    }
  };

  return (
    <Modal
      open
      title={label}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={label}
      confirmLoading={transition.isPending || assign.isPending}
      okButtonProps={{ ...buttonTestId('action-submit'), disabled: action === 'merge' && !target }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ assignToMe: true }}>
        {needsAssignee && (
          <>
            <Alert type="warning" showIcon title={t('requestPage.actions.unassignedWarning')} style={{ marginBottom: 12 }} />
            <Form.Item name="assignToMe" valuePropName="checked">
              <Checkbox data-testid="action-assign-to-me">{t('requestPage.actions.assignToMe')}</Checkbox>
            </Form.Item>
          </>
        )}
        {action === 'merge' && (
          <Form.Item label={t('requestPage.actions.mergeNumber')} required extra={!target ? t('requestPage.actions.mergeFirst') : undefined}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="mergeNumber" noStyle>
                <Input data-testid="action-merge-number" onPressEnter={(e) => { e.preventDefault(); void find(); }} onChange={() => setTarget(null)} />
              </Form.Item>
              <Button onClick={() => void find()} loading={finding} data-testid="action-merge-find">
                {t('requestPage.actions.mergeFind')}
              </Button>
            </Space.Compact>
            {target && (
              <Typography.Text type="success" data-testid="action-merge-found" style={{ display: 'block', marginTop: 6 }}>
                {t('requestPage.actions.mergeFound', { number: target.number, subject: target.subject })}
              </Typography.Text>
            )}
            {notFound && (
              <Typography.Text type="danger" style={{ display: 'block', marginTop: 6 }}>
                {t('requestPage.actions.mergeNotFound')}
              </Typography.Text>
            )}
          </Form.Item>
        )}
        {action === 'deliver_result' && (
          <Form.Item
            name="result"
            label={t('requestPage.actions.result')}
            extra={resultRequired ? t('requestPage.actions.resultHint') : `${t('requestPage.actions.resultHint')} ${t('requestPage.actions.resultOptional')}`}
            rules={resultRequired ? [{ required: true, whitespace: true, message: t('requestPage.actions.resultRequired') }] : []}
          >
            <Input.TextArea rows={5} maxLength={20_000} data-testid="action-result" />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={needsReason ? t('requestPage.actions.reason') : t('requestPage.actions.reasonOptional')}
          rules={needsReason ? [{ required: true, whitespace: true, message: t('requestPage.actions.reasonRequired') }] : []}
        >
          <Input.TextArea rows={2} maxLength={1000} data-testid="action-reason" />
        </Form.Item>
        {WITH_RESPONSIBLE.includes(action) && (
          <Form.Item name="responsibleId" label={t('requestPage.actions.responsible')} extra={t('requestPage.actions.responsibleHint')}>
            <StaffSelect data-testid="action-responsible" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

interface AssignValues {
  teamId?: string | null;
  assigneeId?: string | null;
  reason?: string;
}

function AssignModal({ request, onClose }: { request: RequestView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignValues>();
  const assign = useAssign(request.id);
  const onError = useActionError(request.id);
  const teams = useTeams(undefined);
  const teamId = Form.useWatch('teamId', form);
  const members = useStaffList({ teamId: teamId ?? undefined, pageSize: 200, active: 'true' }, !!teamId);
  const transfer = isTransfer(request);

  const submit = async (values: AssignValues) => {
    try {
      await assign.mutateAsync({ teamId: values.teamId ?? null, assigneeId: values.assigneeId ?? null, reason: values.reason?.trim() || null });
      void message.success(t('requestPage.actions.assigned'));
      onClose();
    } catch (e) {
      onError(e, form);
    }
  };

  return (
    <Modal
      open
      title={transfer ? t('requestPage.actions.transfer') : t('requestPage.actions.assign')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={assign.isPending}
      okButtonProps={buttonTestId('assign-submit')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ teamId: request.teamId, assigneeId: request.assignee?.id ?? null }}>
        {transfer && <Alert type="info" showIcon title={t('requestPage.actions.transferHint')} style={{ marginBottom: 12 }} />}
        <Form.Item name="teamId" label={t('requestPage.header.team')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('requestPage.actions.teamPlaceholder')}
            loading={teams.isFetching}
            options={(teams.data ?? []).filter((team) => team.active || team.id === request.teamId).map((team) => ({ value: team.id, label: team.name }))}
            onChange={() => form.setFieldValue('assigneeId', null)}
            data-testid="assign-team"
          />
        </Form.Item>
        <Form.Item name="assigneeId" label={t('requestPage.header.assignee')}>
          {teamId ? (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('requestPage.actions.assigneePlaceholder')}
              loading={members.isFetching}
              options={(members.data?.items ?? []).map((s) => ({ value: s.id, label: s.displayName }))}
              data-testid="assign-assignee"
            />
          ) : (
            <StaffSelect placeholder={t('requestPage.actions.assigneePlaceholder')} data-testid="assign-assignee" />
          )}
        </Form.Item>
        <Form.Item
          name="reason"
          label={transfer ? t('requestPage.actions.reason') : t('requestPage.actions.reasonOptional')}
          rules={transfer ? [{ required: true, whitespace: true, message: t('requestPage.actions.reasonRequired') }] : []}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="assign-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EscalateModal({ request, onClose }: { request: RequestView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const escalate = useEscalate(request.id);
  const onError = useActionError(request.id);
  return (
    <Modal
      open
      title={t('requestPage.actions.escalate')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={escalate.isPending}
      okButtonProps={{ ...buttonTestId('escalate-submit'), danger: true }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          escalate.mutate(v.reason.trim(), {
            onSuccess: () => {
              void message.success(t('requestPage.actions.done', { action: t('requestPage.actions.escalate') }));
              onClose();
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        <Form.Item name="reason" label={t('requestPage.actions.reason')} rules={[{ required: true, whitespace: true, message: t('requestPage.actions.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="escalate-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Loop actions in the order of the loop; the main next step is the primary button. */
const PRIMARY: readonly LoopAction[] = ['analyse', 'start_handling', 'deliver_result', 'archive', 'customer_replied'];

export function RequestActions({ request, acknowledged }: { request: RequestView; acknowledged: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const { can } = usePermissions();
  const [action, setAction] = useState<LoopAction | null>(null);
  const [dialog, setDialog] = useState<'assign' | 'escalate' | null>(null);
  const assign = useAssign(request.id);
  const acknowledge = useAcknowledgeEscalation(request.id);
  const onError = useActionError(request.id);
  const mayHandle = can('request.handle');
  const mayAssign = can('request.assign');
  const open = request.state !== 'archived' && request.state !== 'merged';
  const loopActions = mayHandle ? request.allowedActions : [];

  const take = () =>
    assign.mutate({ assigneeId: me.staff.id }, {
      onSuccess: () => void message.success(t('requestPage.actions.taken')),
      onError: (e) => onError(e),
    });

  const buttons = [
    ...loopActions.map((a) => (
      <Button key={a} type={PRIMARY.includes(a) ? 'primary' : 'default'} danger={a === 'merge'} onClick={() => setAction(a)} data-testid={`action-${a}`}>
        {t(`vocab.action.${a}`)}
      </Button>
    )),
  ];
  if (open && mayHandle && request.assignee === null) {
    buttons.push(
      <Button key="take" icon={<UserAddOutlined />} onClick={take} loading={assign.isPending} data-testid="request-take">
        {t('requestPage.actions.take')}
      </Button>,
    );
  }
  if (open && mayAssign) {
    buttons.push(
      <Button key="assign" icon={<SwapOutlined />} onClick={() => setDialog('assign')} data-testid="request-assign">
        {isTransfer(request) ? t('requestPage.actions.transfer') : t('requestPage.actions.assign')}
      </Button>,
    );
  }
  if (open && mayHandle && !request.escalated) {
    buttons.push(
      <Button key="escalate" icon={<AlertOutlined />} onClick={() => setDialog('escalate')} data-testid="request-escalate">
        {t('requestPage.actions.escalate')}
      </Button>,
    );
  }
  if (open && mayHandle && request.escalated && !acknowledged) {
    buttons.push(
      <Button
        key="ack"
        icon={<CheckOutlined />}
        loading={acknowledge.isPending}
        onClick={() => acknowledge.mutate(undefined, { onSuccess: () => void message.success(t('requestPage.actions.acknowledged')), onError: (e) => onError(e) })}
        data-testid="request-acknowledge"
      >
        {t('requestPage.actions.acknowledge')}
      </Button>,
    );
  }

  return (
    <Card size="small" title={t('requestPage.actions.title')} data-testid="request-actions">
      {buttons.length === 0 ? (
        <Typography.Text type="secondary">{t('requestPage.actions.none')}</Typography.Text>
      ) : (
        <Flex wrap gap={8}>
          {buttons}
        </Flex>
      )}
      {action && <TransitionModal request={request} action={action} onClose={() => setAction(null)} />}
      {dialog === 'assign' && <AssignModal request={request} onClose={() => setDialog(null)} />}
      {dialog === 'escalate' && <EscalateModal request={request} onClose={() => setDialog(null)} />}
    </Card>
  );
}
