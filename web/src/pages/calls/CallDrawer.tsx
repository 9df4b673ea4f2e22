/**
 * One call: its times, agent, recording and notes, the customers its number matches, and the two ways to deal
 * with it — turn it into a request (a form), or log it as resolved at first contact (the answer given).
 */
import { CheckCircleOutlined, FileAddOutlined, LinkOutlined, SoundOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Divider, Drawer, Empty, Flex, Form, Input, List, Select, Space, Spin, Tag, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CallResolve as CallResolveSchema, CallToRequest as CallToRequestSchema } from '@contracts/channels/calls-contracts';
import { Priority, RequestType } from '@contracts/requests/contracts';
import { usePermissions } from '../../api/auth';
import { useCall, useCallToRequest, useResolveCall, useUpdateCall, type CallDetail } from '../../api/calls';
import { useCategories } from '../../api/requests';
import { FlagTags } from '../../components/tags';
import { zodRule } from '../../lib/forms';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { categoryTree } from '../console/categories';
import { formatSeconds } from './format';
import { OutcomeTag } from './OutcomeTag';

const NO_CUSTOMER = 'none';

interface RequestValues {
  type: RequestType;
  priority: Priority;
  subject: string;
  description?: string;
  customer: string;
  categoryId?: string | null;
}

interface ResolveValues {
  notes: string;
  type: RequestType;
  subject?: string;
  customer: string;
  categoryId?: string | null;
}

type Mode = 'view' | 'request' | 'resolve';

function customerChoice(call: CallDetail): string {
  return call.customer?.id ?? (call.customerMatches.length === 1 ? call.customerMatches[0]!.id : NO_CUSTOMER);
}

export function CallDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { can } = usePermissions();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const showError = useShowError();
  const query = useCall(id);
  const call = query.data;
  const update = useUpdateCall();
  const toRequest = useCallToRequest();
  const resolve = useResolveCall();
  const categories = useCategories();
  const tree = useMemo(() => categoryTree(categories.data ?? [], i18n.language === 'en-US', true), [categories.data, i18n.language]);
  const [mode, setMode] = useState<Mode>('view');
  const [notes, setNotes] = useState('');
  const [requestForm] = Form.useForm<RequestValues>();
  const [resolveForm] = Form.useForm<ResolveValues>();
  const canManage = can('call.manage');
  const canRegister = canManage && can('request.create');
  const handled = call?.outcome === 'request' || call?.outcome === 'resolved_first_contact';

  useEffect(() => {
    setMode('view');
  }, [id]);
  useEffect(() => {
    setNotes(call?.notes ?? '');
  }, [call?.id, call?.notes]);

  const customerOptions = [
    ...(call?.customerMatches ?? []).map((c) => ({ value: c.id, label: [c.name, c.phone].filter(Boolean).join(' ') })),
    ...(call?.customer && !call.customerMatches.some((c) => c.id === call.customer!.id) ? [{ value: call.customer.id, label: call.customer.name }] : []),
    { value: NO_CUSTOMER, label: t('calls.form.noCustomer') },
  ];
  const customerOf = (v: string) => (v === NO_CUSTOMER ? null : v);

  const openRequestForm = () => {
    if (!call) return;
    requestForm.resetFields();
    requestForm.setFieldsValue({ type: 'consultation', priority: 'general', subject: '', customer: customerChoice(call), categoryId: null });
    setMode('request');
  };
  const openResolveForm = () => {
    if (!call) return;
    resolveForm.resetFields();
    resolveForm.setFieldsValue({ type: 'consultation', notes: call.notes ?? '', customer: customerChoice(call), categoryId: null });
    setMode('resolve');
  };

  const submitRequest = (v: RequestValues) => {
    if (!call) return;
    toRequest.mutate(
      { id: call.id, body: { type: v.type, priority: v.priority, subject: v.subject.trim(), description: v.description?.trim() ?? '', customerId: customerOf(v.customer), categoryId: v.categoryId ?? null } },
      {
        onSuccess: (r) => {
          void message.success(t('calls.form.created', { number: r.request.number }));
          setMode('view');
        },
        onError: (e) => showError(e, requestForm),
      },
    );
  };
  const submitResolve = (v: ResolveValues) => {
    if (!call) return;
    const subject = v.subject?.trim();
    resolve.mutate(
      { id: call.id, body: { notes: v.notes.trim(), type: v.type, ...(subject ? { subject } : {}), customerId: customerOf(v.customer), categoryId: v.categoryId ?? null } },
      {
        onSuccess: (r) => {
          void message.success(t('calls.form.resolved', { number: r.request.number }));
          setMode('view');
        },
        onError: (e) => showError(e, resolveForm),
      },
    );
  };
  const saveNotes = () => {
    if (!call) return;
    update.mutate({ id: call.id, patch: { notes: notes.trim() || null } }, { onSuccess: () => void message.success(t('calls.drawer.notesSaved')), onError: (e) => showError(e) });
  };

  const typeOptions = RequestType.options.map((x) => ({ value: x, label: t(`vocab.type.${x}`) }));

  return (
    <Drawer open={id !== null} onClose={onClose} size={640} title={t('calls.drawer.title')} destroyOnHidden>
      <div data-testid="call-drawer">
        {!call ? (
          <Spin />
        ) : (
          <>
            <Descriptions column={2} size="small" bordered>
              <Descriptions.Item label={t('calls.drawer.caller')} span={2}>
                <Space>
                  <span data-testid="call-caller">{call.caller ?? t('calls.drawer.anonymous')}</span>
                  <Tag>{t(`calls.direction.${call.direction}`)}</Tag>
                  <span data-testid="call-outcome" data-outcome={call.outcome}>
                    <OutcomeTag outcome={call.outcome} />
                  </span>
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.ringAt')}>{formatTime(call.ringAt)}</Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.answerDelay')}>
                <span data-testid="call-answer-delay">{formatSeconds(t, call.answerSeconds)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.answeredAt')}>{formatTime(call.answeredAt)}</Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.endedAt')}>{formatTime(call.endedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.agent')}>{call.agent?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.talk')}>{formatSeconds(t, call.talkSeconds)}</Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.externalId')}>{call.externalId ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.line')}>{call.line ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('calls.drawer.recording')} span={2}>
                {call.recordingUrl ? (
                  <a href={call.recordingUrl} target="_blank" rel="noopener noreferrer" data-testid="call-recording">
                    <SoundOutlined /> {t('calls.drawer.openRecording')}
                  </a>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              {call.request && (
                <Descriptions.Item label={t('calls.drawer.request')} span={2}>
                  <Link to={`/requests/${call.request.id}`} data-testid="call-request-link">
                    <LinkOutlined /> {t('calls.drawer.openRequest', { number: call.request.number })}
                  </Link>{' '}
                  <Tag>{t(`vocab.state.${call.request.state as RequestStateKey}`)}</Tag>
                </Descriptions.Item>
              )}
            </Descriptions>

            <Divider titlePlacement="start">{t('calls.drawer.notes')}</Divider>
            <Input.TextArea value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} maxLength={4000} disabled={!canManage} data-testid="call-notes" />
            {canManage && (
              <Flex justify="flex-end" style={{ marginTop: 8 }}>
                <Button onClick={saveNotes} loading={update.isPending} disabled={notes.trim() === (call.notes ?? '')} data-testid="call-notes-save">
                  {t('calls.drawer.saveNotes')}
                </Button>
              </Flex>
            )}

            <Divider titlePlacement="start">{t('calls.drawer.matches')}</Divider>
            {call.customerMatches.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.drawer.noMatch')} />
            ) : (
              <List
                size="small"
                dataSource={call.customerMatches}
                renderItem={(c) => (
                  <List.Item data-testid={`call-match-${c.id}`}>
                    <Space>
                      <Typography.Text strong>{c.name}</Typography.Text>
                      <span>{c.phone}</span>
                      {c.flags.length > 0 && <FlagTags flags={c.flags} />}
                      {call.customer?.id === c.id && <CheckCircleOutlined style={{ color: '#52c41a' }} />}
                    </Space>
                  </List.Item>
                )}
              />
            )}

            <Divider />
            {handled ? (
              <Alert type="info" showIcon title={t('calls.drawer.handled', { outcome: t(`calls.outcome.${call.outcome}`) })} />
            ) : (
              canRegister &&
              mode === 'view' && (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {call.outcome === 'missed' && <Typography.Text type="secondary">{t('calls.drawer.missedHint')}</Typography.Text>}
                  <Space>
                    <Button type="primary" icon={<FileAddOutlined />} onClick={openRequestForm} data-testid="call-to-request">
                      {t('calls.drawer.toRequest')}
                    </Button>
                    {call.answeredAt && can('request.handle') && (
                      <Button icon={<CheckCircleOutlined />} onClick={openResolveForm} data-testid="call-resolve">
                        {t('calls.drawer.resolve')}
                      </Button>
                    )}
                  </Space>
                  {call.answeredAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('calls.drawer.resolveHint')}</Typography.Text>}
                </Space>
              )
            )}

            {mode === 'request' && !handled && (
              <div data-testid="call-request-form">
                <Typography.Title level={5}>{t('calls.form.requestTitle')}</Typography.Title>
                <Form<RequestValues> form={requestForm} name="callRequest" layout="vertical" onFinish={submitRequest} requiredMark="optional">
                  <Form.Item name="subject" label={t('calls.form.subject')} rules={[{ required: true, whitespace: true }, zodRule(CallToRequestSchema.shape.subject)]}>
                    <Input maxLength={200} placeholder={t('calls.form.subjectHint')} autoFocus />
                  </Form.Item>
                  <Space style={{ display: 'flex' }} align="start">
                    <Form.Item name="type" label={t('calls.form.type')} rules={[{ required: true }]} style={{ minWidth: 200 }}>
                      <Select options={typeOptions} data-testid="call-request-type" />
                    </Form.Item>
                    <Form.Item name="priority" label={t('calls.form.priority')} rules={[{ required: true }]} style={{ minWidth: 140 }}>
                      <Select options={Priority.options.map((x) => ({ value: x, label: t(`vocab.priority.${x}`) }))} data-testid="call-request-priority" />
                    </Form.Item>
                  </Space>
                  <Form.Item name="customer" label={t('calls.form.customer')}>
                    <Select options={customerOptions} data-testid="call-request-customer" />
                  </Form.Item>
                  <Form.Item name="categoryId" label={t('calls.form.category')}>
                    <TreeSelect allowClear treeData={tree} treeDefaultExpandAll />
                  </Form.Item>
                  <Form.Item name="description" label={t('calls.form.description')} rules={[zodRule(CallToRequestSchema.shape.description)]}>
                    <Input.TextArea rows={4} placeholder={t('calls.form.descriptionHint')} />
                  </Form.Item>
                  <Flex justify="flex-end" gap={8}>
                    <Button onClick={() => setMode('view')}>{t('common.cancel')}</Button>
                    <Button type="primary" htmlType="submit" loading={toRequest.isPending} data-testid="call-request-submit">
                      {t('calls.form.submitRequest')}
                    </Button>
                  </Flex>
                </Form>
              </div>
            )}

            {mode === 'resolve' && !handled && (
              <div data-testid="call-resolve-form">
                <Typography.Title level={5}>{t('calls.form.resolveTitle')}</Typography.Title>
                <Form<ResolveValues> form={resolveForm} name="callResolve" layout="vertical" onFinish={submitResolve} requiredMark="optional">
                  <Form.Item name="notes" label={t('calls.form.result')} rules={[{ required: true, whitespace: true }, zodRule(CallResolveSchema.shape.notes)]} extra={t('calls.form.resultHint')}>
                    <Input.TextArea rows={4} autoFocus />
                  </Form.Item>
                  <Form.Item name="subject" label={t('calls.form.subject')} rules={[zodRule(CallResolveSchema.shape.subject)]}>
                    <Input maxLength={200} placeholder={t('calls.form.resolveSubjectHint')} />
                  </Form.Item>
                  <Form.Item name="type" label={t('calls.form.type')} rules={[{ required: true }]}>
                    <Select options={typeOptions} />
                  </Form.Item>
                  <Form.Item name="customer" label={t('calls.form.customer')}>
                    <Select options={customerOptions} />
                  </Form.Item>
                  <Form.Item name="categoryId" label={t('calls.form.category')}>
                    <TreeSelect allowClear treeData={tree} treeDefaultExpandAll />
                  </Form.Item>
                  <Flex justify="flex-end" gap={8}>
                    <Button onClick={() => setMode('view')}>{t('common.cancel')}</Button>
                    <Button type="primary" htmlType="submit" loading={resolve.isPending} data-testid="call-resolve-submit">
                      {t('calls.form.submitResolve')}
                    </Button>
                  </Flex>
                </Form>
              </div>
            )}
            {call.request && mode === 'view' && handled && (
              <Flex justify="flex-end" style={{ marginTop: 12 }}>
                <Button onClick={() => void navigate(`/requests/${call.request!.id}`)} data-testid="call-open-request">
                  {t('calls.drawer.openRequest', { number: call.request.number })}
                </Button>
              </Flex>
            )}
          </>
        )}
      </div>
    </Drawer>
  );
}

type RequestStateKey = 'registered' | 'analysing' | 'handling' | 'waiting_customer' | 'feedback' | 'archived' | 'merged';
