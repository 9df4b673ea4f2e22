/**
 * Webhooks: endpoints that receive request events, signed with a secret that is shown once (on creation and on
 * rotation) together with how to verify it. Delivery status lives in the outbox.
 */
import { DeleteOutlined, EditOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { WEBHOOK_EVENTS, WebhookInput as WebhookInputSchema } from '@contracts/requests/contracts';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import {
  useCreateWebhook, useDeleteWebhook, useRotateWebhookSecret, useUpdateWebhook, useWebhooks, type Webhook, type WebhookCreated, type WebhookInput,
} from '../../api/desk-admin';
import { ActiveTag } from '../../components/tags';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

type EventName = (typeof WEBHOOK_EVENTS)[number];
type EventKey = EventName extends `request.${infer K}` ? K : never;
type Subscription = EventName | '*';

function eventKey(e: EventName): EventKey {
  return e.slice('request.'.length) as EventKey;
}

function useEventLabel() {
  const { t } = useTranslation();
  return (e: string) => {
    if (e === '*') return t('deskAdmin.webhooks.allEvents');
    const known = WEBHOOK_EVENTS.find((x) => x === e);
    return known ? t(`deskAdmin.webhooks.event.${eventKey(known)}`) : e;
  };
}

export function WebhooksTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const showError = useShowError();
  const hooks = useWebhooks();
  const rotate = useRotateWebhookSecret();
  const remove = useDeleteWebhook();
  const label = useEventLabel();
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [secret, setSecret] = useState<WebhookCreated | null>(null);

  return (
    <Card>
      <Flex justify="space-between" align="start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ maxWidth: 760 }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('deskAdmin.webhooks.intro')}</Typography.Paragraph>
          {can('outbox.read') ? (
            <Link to="/outbox" data-testid="webhook-outbox-link">{t('deskAdmin.webhooks.outboxLink')} →</Link>
          ) : null}
        </div>
        <Button type="primary" icon={<PlusOutlined />} data-testid="webhook-create" onClick={() => setEditing('new')}>
          {t('deskAdmin.webhooks.create')}
        </Button>
      </Flex>
      <Table<Webhook>
        data-testid="webhook-table"
        rowKey="id"
        size="middle"
        pagination={false}
        loading={hooks.isPending}
        dataSource={hooks.data ?? []}
        locale={{ emptyText: t('deskAdmin.webhooks.empty') }}
        onRow={(w) => ({ 'data-testid': `webhook-row-${w.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'name', title: t('deskAdmin.webhooks.name'), dataIndex: 'name' },
          { key: 'url', title: t('deskAdmin.webhooks.url'), dataIndex: 'url', render: (v: string) => <Typography.Text code style={{ wordBreak: 'break-all' }}>{v}</Typography.Text> },
          {
            key: 'events', title: t('deskAdmin.webhooks.events'),
            render: (_v, w) => <Flex wrap gap={4}>{w.events.map((e) => <Tag key={e} color={e === '*' ? 'blue' : undefined} style={{ marginInlineEnd: 0 }}>{label(e)}</Tag>)}</Flex>,
          },
          { key: 'active', title: t('common.status'), width: 90, render: (_v, w) => <ActiveTag active={w.active} /> },
          { key: 'updatedAt', title: t('common.updatedAt'), width: 170, render: (_v, w) => formatTime(w.updatedAt, 'YYYY-MM-DD HH:mm') },
          {
            key: 'actions', title: t('common.actions'), width: 130,
            render: (_v, w) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="text" size="small" icon={<EditOutlined />} data-testid={`webhook-edit-${w.name}`} onClick={() => setEditing(w)} />
                </Tooltip>
                <Popconfirm
                  title={t('deskAdmin.webhooks.rotateConfirm')}
                  okButtonProps={buttonTestId('webhook-rotate-confirm')}
                  onConfirm={() => rotate.mutate(w.id, { onSuccess: setSecret, onError: (e) => showError(e) })}
                >
                  <Tooltip title={t('deskAdmin.webhooks.rotate')}>
                    <Button type="text" size="small" icon={<KeyOutlined />} data-testid={`webhook-rotate-${w.name}`} />
                  </Tooltip>
                </Popconfirm>
                <Popconfirm
                  title={t('deskAdmin.webhooks.deleteConfirm', { name: w.name })}
                  okButtonProps={{ danger: true, ...buttonTestId('webhook-delete-confirm') }}
                  onConfirm={() => remove.mutate(w.id, { onSuccess: () => void message.success(t('deskAdmin.deleted')), onError: (e) => showError(e) })}
                >
                  <Tooltip title={t('deskAdmin.delete')}>
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} data-testid={`webhook-delete-${w.name}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <WebhookModal
          webhook={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onCreated={(created) => {
            setEditing(null);
            setSecret(created);
          }}
        />
      )}
      {secret && <SecretModal created={secret} onClose={() => setSecret(null)} />}
    </Card>
  );
}

interface WebhookForm {
  name: string;
  url: string;
  events: Subscription[];
  active: boolean;
}

function WebhookModal({ webhook, onClose, onCreated }: { webhook: Webhook | null; onClose: () => void; onCreated: (w: WebhookCreated) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const label = useEventLabel();
  const [form] = Form.useForm<WebhookForm>();
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const known = new Set<string>([...WEBHOOK_EVENTS, '*']);

  const submit = (v: WebhookForm) => {
    const input: WebhookInput = { name: v.name.trim(), url: v.url.trim(), events: v.events, active: v.active };
    if (webhook) {
      update.mutate({ id: webhook.id, input }, { onSuccess: () => { void message.success(t('common.saved')); onClose(); }, onError: (e) => showError(e, form) });
    } else {
      create.mutate(input, { onSuccess: onCreated, onError: (e) => showError(e, form) });
    }
  };

  return (
    <Modal
      open
      width={600}
      title={webhook ? t('deskAdmin.webhooks.editTitle') : t('deskAdmin.webhooks.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('webhook-submit')}
      destroyOnHidden
    >
      <Form<WebhookForm>
        form={form}
        name="webhook"
        layout="vertical"
        initialValues={webhook ? { name: webhook.name, url: webhook.url, events: webhook.events.filter((e): e is Subscription => known.has(e)), active: webhook.active } : { name: '', url: 'https://', events: ['*'], active: true }}
        onFinish={submit}
      >
        <Form.Item name="name" label={t('deskAdmin.webhooks.name')} rules={[{ required: true, whitespace: true }, zodRule(WebhookInputSchema.shape.name)]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="url" label={t('deskAdmin.webhooks.url')} extra={t('deskAdmin.webhooks.urlHelp')} rules={[{ required: true }, zodRule(WebhookInputSchema.shape.url)]}>
          <Input maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="events"
          label={t('deskAdmin.webhooks.events')}
          rules={[{ required: true, type: 'array', min: 1 }]}
          // "All events" and single events exclude each other: the newest choice wins.
          getValueFromEvent={(next: Subscription[]) => {
            const prev = (form.getFieldValue('events') as Subscription[] | undefined) ?? [];
            if (next.includes('*') && !prev.includes('*')) return ['*'];
            return next.length > 1 ? next.filter((e) => e !== '*') : next;
          }}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="webhook-events"
            options={(['*', ...WEBHOOK_EVENTS] as Subscription[]).map((e) => ({ value: e, label: e === '*' ? label(e) : `${label(e)} (${e})` }))}
          />
        </Form.Item>
        <Form.Item name="active" label={t('deskAdmin.webhooks.active')} valuePropName="checked">
          <Switch data-testid="webhook-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const NODE_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the request body exactly as received (a Buffer), before any JSON parsing.
export function verifyPledge(rawBody, signatureHeader, secret) {
  const expected = 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
  const a = Buffer.from(signatureHeader ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
// verifyPledge(raw, req.headers['x-pledge-signature'], process.env.PLEDGE_WEBHOOK_SECRET)
// Remember req.headers['x-pledge-delivery'] to ignore a retried delivery you already handled.`;

const PYTHON_SNIPPET = `import hashlib, hmac

def verify_pledge(raw_body: bytes, signature_header: str, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header or "")

# verify_pledge(request.get_data(), request.headers.get("X-Pledge-Signature"), SECRET)
# Keep request.headers["X-Pledge-Delivery"] to skip a delivery you already handled.`;

const SHELL_SNIPPET = `# body.json holds the raw body; compare with the X-Pledge-Signature header
printf 'sha256=%s\\n' "$(openssl dgst -sha256 -hmac "$SECRET" -hex < body.json | sed 's/^.*= //')"`;

/** The secret, once, with how to check a delivery's signature. Closing it is the only way out. */
function SecretModal({ created, onClose }: { created: WebhookCreated; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      width={720}
      title={t('deskAdmin.webhooks.secretTitle')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="webhook-secret-close">
          {t('deskAdmin.webhooks.secretClose')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('deskAdmin.webhooks.secretWarning')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph>
        <Typography.Text strong>{created.name}</Typography.Text> · <Typography.Text code>{created.url}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: created.secret }} data-testid="webhook-secret" style={{ fontFamily: 'monospace', fontSize: 15 }}>
        {created.secret}
      </Typography.Paragraph>
      <Typography.Title level={5}>{t('deskAdmin.webhooks.verifyTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('deskAdmin.webhooks.verifyIntro')}</Typography.Paragraph>
      <Tabs
        size="small"
        items={[
          { key: 'node', label: 'Node.js', snippet: NODE_SNIPPET },
          { key: 'python', label: 'Python', snippet: PYTHON_SNIPPET },
          { key: 'shell', label: 'Shell', snippet: SHELL_SNIPPET },
        ].map(({ key, label, snippet }) => ({
          key,
          label,
          children: (
            <Typography.Paragraph copyable={{ text: snippet }} data-testid={`webhook-snippet-${key}`}>
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 12 }}>{snippet}</pre>
            </Typography.Paragraph>
          ),
        }))}
      />
    </Modal>
  );
}
