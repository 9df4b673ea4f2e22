/**
 * Registering a request (登记) from the console. "New request" opens it with the person's usual channel (the
 * last one they registered with, remembered in this browser); "Walk-in" opens it preset for a visitor at the
 * window — channel walk_in, type consultation, assigned to the window agent — with the cursor in the subject,
 * so a visit is registered in two clicks: Walk-in, type the subject, Register (or Ctrl+Enter).
 */
import { UploadOutlined } from '@ant-design/icons';
import { Button, Col, Drawer, Form, Input, Radio, Row, Segmented, Select, Space, TreeSelect, Typography, Upload, type InputRef, type UploadFile } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Channel, CustomerFlag, Priority, RequestCreate as RequestCreateSchema, RequestType } from '@contracts/requests/contracts';
import { useCurrentMe, usePermissions } from '../../api/auth';
import type { CustomerFlag as CustomerFlagValue } from '../../api/types';
import { useTeams } from '../../api/org';
import { uploadAttachment, useCategories, useRegisterRequest, type AttachmentView, type RequestCreate, type RequestView } from '../../api/requests';
import { StaffSelect } from '../../components/StaffSelect';
import { emptyToNull, zodRule } from '../../lib/forms';
import { useShowError } from '../../lib/use-show-error';
import { useCustomerSearch } from './api';
import { categoryTree } from './categories';

export type DrawerMode = 'new' | 'walk_in';

interface Values {
  type: RequestType;
  priority: Priority;
  channel: Channel;
  subject: string;
  description?: string;
  requester: 'existing' | 'anonymous';
  customerId?: string | null;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
  customerFlags?: CustomerFlagValue[];
  categoryId?: string | null;
  teamId?: string | null;
  assigneeId?: string | null;
  tags?: string[];
}

const shape = RequestCreateSchema.shape;
const CHANNEL_KEY = 'pledge.console.channel';

/** The channel this person registers with by default (per person, in this browser). */
export function preferredChannel(staffId: string): Channel {
  try {
    const stored = localStorage.getItem(`${CHANNEL_KEY}.${staffId}`);
    const parsed = Channel.safeParse(stored);
    return parsed.success ? parsed.data : 'phone';
  } catch {
    return 'phone';
  }
}

function rememberChannel(staffId: string, channel: Channel): void {
  try {
    localStorage.setItem(`${CHANNEL_KEY}.${staffId}`, channel);
  } catch {
    // private mode: the preference lasts for this page only
  }
}

function CustomerPicker({ value, onChange }: { value?: string | null; onChange?: (v: string | null) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const found = useCustomerSearch(text, true);
  const labels = useRef(new Map<string, string>());
  const options = (found.data?.items ?? []).map((c) => {
    const label = [c.name, c.phone, c.flags.length ? `· ${c.flags.map((f) => t(`vocab.flag.${f}`)).join('、')}` : ''].filter(Boolean).join(' ');
    labels.current.set(c.id, label);
    return { value: c.id, label };
  });
  if (value && !options.some((o) => o.value === value)) options.push({ value, label: labels.current.get(value) ?? value });
  return (
    <Select<string>
      allowClear
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={found.isFetching}
      placeholder={t('console.form.customerSearch')}
      notFoundContent={text.trim() ? undefined : null}
      data-testid="request-customer"
    />
  );
}

export function NewRequestDrawer({ mode, onClose, onRegistered }: { mode: DrawerMode | null; onClose: () => void; onRegistered: (view: RequestView) => void }) {
  const { t, i18n } = useTranslation();
  const me = useCurrentMe();
  const { can } = usePermissions();
  const showError = useShowError();
  const register = useRegisterRequest();
  const categories = useCategories();
  const teams = useTeams(undefined, mode !== null);
  const [form] = Form.useForm<Values>();
  const subjectRef = useRef<InputRef>(null);
  const [files, setFiles] = useState<UploadFile<AttachmentView>[]>([]);
  const requester = Form.useWatch('requester', form);
  const canPickCustomer = can('customer.read');
  const tree = useMemo(() => categoryTree(categories.data ?? [], i18n.language === 'en-US', true), [categories.data, i18n.language]);
  const uploading = files.some((f) => f.status === 'uploading');

  // Every opening starts from the preset of its kind.
  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    setFiles([]);
    form.setFieldsValue(
      mode === 'walk_in'
        ? { type: 'consultation', priority: 'general', channel: 'walk_in', requester: 'anonymous', assigneeId: me.staff.id, tags: [], customerFlags: [] }
        : { type: 'consultation', priority: 'general', channel: preferredChannel(me.staff.id), requester: canPickCustomer ? 'existing' : 'anonymous', tags: [], customerFlags: [] },
    );
    // After the drawer's opening animation has mounted the field.
    const timer = setTimeout(() => subjectRef.current?.focus(), 50);
    return () => clearTimeout(timer);
  }, [mode, form, me.staff.id, canPickCustomer]);

  const submit = (v: Values) => {
    if (uploading) return;
    const text = emptyToNull({ description: v.description ?? '', contactName: v.contactName ?? '', contactPhone: v.contactPhone ?? '', contactEmail: v.contactEmail ?? '' });
    const existing = v.requester === 'existing';
    const body: RequestCreate = {
      type: v.type,
      priority: v.priority,
      channel: v.channel,
      subject: v.subject.trim(),
      description: text.description ?? '',
      ...(existing && v.customerId ? { customerId: v.customerId } : {}),
      ...(!existing ? { contactName: text.contactName, contactPhone: text.contactPhone, contactEmail: text.contactEmail } : {}),
      customerFlags: v.customerFlags ?? [],
      categoryId: v.categoryId ?? null,
      teamId: v.teamId ?? null,
      assigneeId: v.assigneeId ?? null,
      tags: v.tags ?? [],
      attachmentIds: files.filter((f) => f.status === 'done' && f.response).map((f) => f.response!.id),
    };
    register.mutate(body, {
      onSuccess: (view) => {
        if (mode === 'new') rememberChannel(me.staff.id, v.channel);
        onRegistered(view);
      },
      onError: (e) => showError(e, form),
    });
  };

  return (
    <Drawer
      open={mode !== null}
      size={640}
      title={
        <Space orientation="vertical" size={0}>
          <span data-testid="request-form-title">{mode === 'walk_in' ? t('console.form.walkInTitle') : t('console.form.title')}</span>
          {mode === 'walk_in' && (
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {t('console.walkInHint')}
            </Typography.Text>
          )}
        </Space>
      }
      onClose={onClose}
      mask={{ closable: false }}
      forceRender
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('console.form.submitHint')}
          </Typography.Text>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={register.isPending} disabled={uploading} data-testid="request-submit">
            {t('console.form.submit')}
          </Button>
        </Space>
      }
    >
      <div
        data-testid="request-form"
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
            e.preventDefault();
            form.submit();
          }
        }}
      >
        <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark="optional">
          <Form.Item name="subject" label={t('console.form.subject')} rules={[{ required: true, whitespace: true }, zodRule(shape.subject)]}>
            <Input ref={subjectRef} maxLength={200} placeholder={t('console.form.subjectHint')} data-testid="request-subject" />
          </Form.Item>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="type" label={t('console.form.type')} rules={[{ required: true }]}>
                <Select options={RequestType.options.map((x) => ({ value: x, label: t(`vocab.type.${x}`) }))} data-testid="request-type" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="channel" label={t('console.form.channel')} rules={[{ required: true }]} tooltip={t('console.form.defaultChannel')}>
                <Select options={Channel.options.map((x) => ({ value: x, label: t(`vocab.channel.${x}`) }))} data-testid="request-channel" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="priority" label={t('console.form.priority')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" buttonStyle="solid" size="small" data-testid="request-priority"
                  options={Priority.options.map((x) => ({ value: x, label: t(`vocab.priority.${x}`) }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="description" label={t('console.form.description')} rules={[zodRule(shape.description)]}>
            <Input.TextArea rows={3} maxLength={20_000} data-testid="request-description" />
          </Form.Item>

          <Form.Item name="requester" label={t('console.form.requester')}>
            <Segmented
              options={[
                ...(canPickCustomer ? [{ value: 'existing', label: t('console.form.existing') }] : []),
                { value: 'anonymous', label: t('console.form.anonymous') },
              ]}
              data-testid="request-requester"
            />
          </Form.Item>
          {requester === 'existing' ? (
            <Form.Item name="customerId" label={t('console.form.customer')}>
              <CustomerPicker />
            </Form.Item>
          ) : (
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="contactName" label={t('console.form.contactName')} rules={[zodRule(shape.contactName)]}>
                  <Input maxLength={100} data-testid="request-contact-name" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="contactPhone" label={t('console.form.contactPhone')} rules={[zodRule(shape.contactPhone, t('validation.phone'))]}>
                  <Input maxLength={40} data-testid="request-contact-phone" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="contactEmail" label={t('console.form.contactEmail')} rules={[zodRule(shape.contactEmail)]}>
                  <Input maxLength={200} data-testid="request-contact-email" />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Form.Item name="customerFlags" label={t('console.form.flags')}>
            <Select mode="multiple" allowClear options={CustomerFlag.options.map((f) => ({ value: f, label: t(`vocab.flag.${f}`) }))} data-testid="request-flags" />
          </Form.Item>

          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="categoryId" label={t('console.form.category')}>
                <TreeSelect allowClear showSearch={{ treeNodeFilterProp: 'title' }} treeData={tree} treeDefaultExpandAll loading={categories.isPending} data-testid="request-category" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="tags" label={t('console.form.tags')} tooltip={t('console.form.tagsHint')}>
                <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} maxCount={20} data-testid="request-tags" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="teamId" label={t('console.form.team')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={teams.isPending}
                  options={(teams.data ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }))}
                  data-testid="request-team"
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="assigneeId" label={t('console.form.assignee')} tooltip={t('console.form.assigneeHint')}>
                <StaffSelect known={[me.staff]} data-testid="request-assignee" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t('console.form.files')}>
            <div data-testid="request-files">
              <Upload<AttachmentView>
                multiple
                fileList={files}
                onChange={({ fileList }) => setFiles(fileList)}
                customRequest={({ file, onSuccess, onError }) => {
                  uploadAttachment(file as File)
                    .then((view) => onSuccess?.(view))
                    .catch((e: unknown) => {
                      const error = e instanceof Error ? e : new Error(String(e));
                      showError(error);
                      onError?.(error);
                    });
                }}
              >
                <Button icon={<UploadOutlined />} loading={uploading}>
                  {uploading ? t('console.form.uploading') : t('console.form.upload')}
                </Button>
              </Upload>
            </div>
          </Form.Item>
        </Form>
      </div>
    </Drawer>
  );
}
