/**
 * Bulk actions on the selected requests: assign (team and/or person) and move through the loop. The server
 * applies them all or none; its refusal is shown as is, and for a step of the loop the requests whose state
 * does not allow it are named before anything is sent.
 */
import { CloseOutlined, SwapOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, List, Modal, Select, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoopAction } from '@contracts/requests/contracts';
import { transition } from '@contracts/requests/loop';
import { usePermissions } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useTeams } from '../../api/org';
import { useBulkUpdate, type RequestListItem } from '../../api/requests';
import { StaffSelect } from '../../components/StaffSelect';
import { buttonTestId } from '../../lib/test-id';

type Mode = 'assign' | 'transition' | null;
/** Merging needs a target request per request, which a bulk action cannot give. */
const BULK_ACTIONS = LoopAction.options.filter((a) => a !== 'merge');

interface AssignValues {
  teamId?: string | null;
  assigneeId?: string | null;
  reason?: string;
}
interface TransitionValues {
  action: LoopAction;
  reason?: string;
  result?: string;
}

export function BulkBar({ selected, onClear }: { selected: RequestListItem[]; onClear: () => void }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const { message } = App.useApp();
  const [mode, setMode] = useState<Mode>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const bulk = useBulkUpdate();
  const teams = useTeams(undefined, mode === 'assign');
  const [assignForm] = Form.useForm<AssignValues>();
  const [transitionForm] = Form.useForm<TransitionValues>();
  const action = Form.useWatch('action', transitionForm);

  // Requests whose state does not allow the chosen step (the loop is shared with the server).
  const blocked = useMemo(
    () => (mode === 'transition' && action ? selected.filter((r) => !transition(r.state, action).ok) : []),
    [mode, action, selected],
  );

  if (selected.length === 0) return null;
  const ids = selected.map((r) => r.id);

  const close = () => {
    setMode(null);
    setError(null);
  };
  const done = (updated: number) => {
    void message.success(t('console.bulk.done', { count: updated }));
    close();
    onClear();
  };
  const fail = (e: Error) => setError(e);

  const submitAssign = (v: AssignValues) => {
    if (!v.teamId && !v.assigneeId) {
      assignForm.setFields([{ name: 'assigneeId', errors: [t('console.bulk.needTarget')] }]);
      return;
    }
    setError(null);
    bulk.mutate(
      { ids, assign: { ...(v.teamId ? { teamId: v.teamId } : {}), ...(v.assigneeId ? { assigneeId: v.assigneeId } : {}), reason: v.reason?.trim() || null } },
      { onSuccess: (r) => done(r.updated), onError: fail },
    );
  };
  const submitTransition = (v: TransitionValues) => {
    setError(null);
    bulk.mutate(
      { ids, transition: { action: v.action, reason: v.reason?.trim() || null, ...(v.action === 'deliver_result' && v.result?.trim() ? { result: v.result.trim() } : {}) } },
      { onSuccess: (r) => done(r.updated), onError: fail },
    );
  };

  // The server names the state it refused; the selected requests in that state are the ones to look at.
  const refusedState = error instanceof ApiError && error.details && typeof error.details === 'object' && 'from' in error.details ? String(error.details.from) : null;
  const errorBox = error && (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="bulk-error"
      data-code={error instanceof ApiError ? error.code : 'error'}
      title={t('console.bulk.failed')}
      description={
        <>
          <div>{error.message}</div>
          {refusedState && (
            <div style={{ marginTop: 4 }}>
              {selected.filter((r) => r.state === refusedState).map((r) => (
                <Tag key={r.id} color="red">
                  {r.number}
                </Tag>
              ))}
            </div>
          )}
        </>
      }
    />
  );

  const selectionList = (
    <List
      size="small"
      bordered
      style={{ maxHeight: 180, overflow: 'auto', marginBottom: 12 }}
      dataSource={selected}
      renderItem={(r) => {
        const bad = blocked.includes(r);
        return (
          <List.Item data-testid={`bulk-item-${r.number}`} data-blocked={bad ? 'true' : 'false'} style={bad ? { background: '#fff1f0' } : undefined}>
            <Typography.Text style={{ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12 }}>{r.number}</Typography.Text>
            <Typography.Text ellipsis style={{ flex: 1, margin: '0 8px' }}>
              {r.subject}
            </Typography.Text>
            <Tag color={bad ? 'red' : undefined}>{t(`vocab.state.${r.state}`)}</Tag>
          </List.Item>
        );
      }}
    />
  );

  return (
    <>
      <Flex align="center" gap={8} wrap data-testid="bulk-bar" style={{ padding: '8px 12px', marginBottom: 8, background: '#e6f4ff', borderRadius: 6 }}>
        <Typography.Text strong data-testid="bulk-count">
          {t('console.bulk.selected', { count: selected.length })}
        </Typography.Text>
        {can('request.assign') && (
          <Button
            size="small"
            icon={<UserSwitchOutlined />}
            onClick={() => {
              assignForm.resetFields();
              setMode('assign');
            }}
            data-testid="bulk-assign"
          >
            {t('console.bulk.assign')}
          </Button>
        )}
        {can('request.handle') && (
          <Button
            size="small"
            icon={<SwapOutlined />}
            onClick={() => {
              transitionForm.resetFields();
              setMode('transition');
            }}
            data-testid="bulk-transition"
          >
            {t('console.bulk.transition')}
          </Button>
        )}
        <Button size="small" type="text" icon={<CloseOutlined />} onClick={onClear} data-testid="bulk-clear">
          {t('console.bulk.clear')}
        </Button>
      </Flex>

      <Modal
        open={mode === 'assign'}
        title={t('console.bulk.assignTitle', { count: selected.length })}
        onCancel={close}
        onOk={() => assignForm.submit()}
        okText={t('console.bulk.submit')}
        okButtonProps={buttonTestId('bulk-assign-submit')}
        confirmLoading={bulk.isPending}
        forceRender
      >
        {mode === 'assign' && errorBox}
        {mode === 'assign' && selectionList}
        <Form form={assignForm} layout="vertical" onFinish={submitAssign}>
          <Form.Item name="teamId" label={t('console.bulk.team')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={teams.isPending}
              options={(teams.data ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }))}
              data-testid="bulk-team"
            />
          </Form.Item>
          <Form.Item name="assigneeId" label={t('console.bulk.assignee')}>
            <StaffSelect data-testid="bulk-assignee" />
          </Form.Item>
          <Form.Item name="reason" label={t('console.bulk.reason')} extra={t('console.bulk.reasonHint')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="bulk-reason" />
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">{t('console.bulk.allOrNothing')}</Typography.Text>
      </Modal>

      <Modal
        open={mode === 'transition'}
        title={t('console.bulk.transitionTitle', { count: selected.length })}
        onCancel={close}
        onOk={() => transitionForm.submit()}
        okText={t('console.bulk.submit')}
        okButtonProps={{ ...buttonTestId('bulk-transition-submit'), disabled: blocked.length > 0 }}
        confirmLoading={bulk.isPending}
        forceRender
      >
        {mode === 'transition' && errorBox}
        {blocked.length > 0 && action && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="bulk-blocked"
            title={t('console.bulk.blocked', { count: blocked.length, action: t(`vocab.action.${action}`) })}
          />
        )}
        {mode === 'transition' && selectionList}
        <Form form={transitionForm} layout="vertical" onFinish={submitTransition}>
          <Form.Item name="action" label={t('console.bulk.action')} rules={[{ required: true }]}>
            <Select options={BULK_ACTIONS.map((a) => ({ value: a, label: t(`vocab.action.${a}`) }))} data-testid="bulk-action" />
          </Form.Item>
          <Form.Item name="reason" label={t('console.bulk.reason')} extra={t('console.bulk.reasonHint')}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="bulk-transition-reason" />
          </Form.Item>
          {action === 'deliver_result' && (
            <Form.Item name="result" label={t('console.bulk.result')}>
              <Input.TextArea rows={3} maxLength={20_000} data-testid="bulk-result" />
            </Form.Item>
          )}
        </Form>
        <Typography.Text type="secondary">{t('console.bulk.allOrNothing')}</Typography.Text>
      </Modal>
    </>
  );
}
