/**
 * My API tokens: create with scopes limited to my own permissions, see the token once (copy it), list, revoke.
 * The create form is named "token": ids token_name, token_scopes, token_expiresInDays.
 */
import { PlusOutlined } from '@ant-design/icons';
import { ApiTokenCreate as ApiTokenCreateSchema } from '@contracts/org/contracts';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateToken, useCurrentMe, usePermissions, useRevokeToken, useTokens } from '../../api/auth';
import { useStaffList } from '../../api/staff';
import { PERMISSIONS, type ApiToken, type ApiTokenCreated, type Permission } from '../../api/types';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

interface TokenValues {
  name: string;
  scopes: Permission[];
  expiresInDays?: number | null;
}

function CreateTokenModal({ onClose, onCreated }: { onClose: () => void; onCreated: (token: ApiTokenCreated) => void }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [form] = Form.useForm<TokenValues>();
  const create = useCreateToken();
  const showError = useShowError();
  const mine = PERMISSIONS.filter((p) => me.permissions.includes(p));
  const scopes = Form.useWatch('scopes', form) ?? [];

  return (
    <Modal
      open
      width={600}
      title={t('tokens.create')}
      okText={t('common.create')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={buttonTestId('token-submit')}
      mask={{ closable: false }}
    >
      <Form<TokenValues>
        form={form}
        name="token"
        layout="vertical"
        initialValues={{ name: '', scopes: [], expiresInDays: 90 }}
        onFinish={(v) =>
          create.mutate(
            { name: v.name.trim(), scopes: v.scopes, expiresInDays: v.expiresInDays ?? null },
            { onSuccess: (created) => onCreated(created), onError: (e) => showError(e, form) },
          )
        }
      >
        <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true }, zodRule(ApiTokenCreateSchema.shape.name)]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={
            <Space>
              {t('tokens.scopes')}
              <Checkbox
                indeterminate={scopes.length > 0 && scopes.length < mine.length}
                checked={scopes.length === mine.length}
                onChange={(e) => form.setFieldValue('scopes', e.target.checked ? [...mine] : [])}
              >
                {t('tokens.selectAll')}
              </Checkbox>
            </Space>
          }
          rules={[{ required: true, type: 'array', min: 1 }, zodRule(ApiTokenCreateSchema.shape.scopes)]}
        >
          <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
            {mine.map((p) => (
              <Checkbox key={p} value={p}>
                {t(`permissions.${p}`)} <Typography.Text type="secondary" className="pledge-mono">{p}</Typography.Text>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} extra={t('tokens.expiresInDaysHint')}>
          <InputNumber min={1} max={3650} precision={0} style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CreatedTokenModal({ token, onClose }: { token: ApiTokenCreated; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      width={640}
      title={t('tokens.createdTitle')}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} data-testid="token-created-close">
          {t('common.close')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('tokens.createdWarning')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph
        copyable={{ text: token.token, tooltips: [t('common.copy'), t('common.copied')] }}
        code
        style={{ wordBreak: 'break-all', fontSize: 14 }}
        data-testid="token-value"
      >
        {token.token}
      </Typography.Paragraph>
    </Modal>
  );
}

function tokenState(token: ApiToken): 'revoked' | 'expired' | 'valid' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'valid';
}

export function TokensTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const showError = useShowError();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const showOwner = can('token.admin') && can('staff.read');
  const staff = useStaffList({ pageSize: 200 }, showOwner);
  const ownerName = useMemo(() => new Map((staff.data?.items ?? []).map((s) => [s.id, s.displayName])), [staff.data]);

  return (
    <>
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 16 }} onClick={() => setCreating(true)} data-testid="token-create">
        {t('tokens.create')}
      </Button>
      <Table<ApiToken>
        rowKey="id"
        data-testid="token-table"
        loading={tokens.isLoading}
        dataSource={tokens.data ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          ...(showOwner
            ? [{ title: t('tokens.owner'), dataIndex: 'staffId', render: (id: string) => ownerName.get(id) ?? id.slice(0, 8) }]
            : []),
          { title: t('tokens.prefix'), dataIndex: 'prefix', render: (v: string) => <span className="pledge-mono">{v}…</span> },
          {
            title: t('tokens.scopes'),
            dataIndex: 'scopes',
            render: (scopes: Permission[]) => (
              <Space size={[0, 4]} wrap>
                {scopes.map((s) => (
                  <Tag key={s} title={t(`permissions.${s}`)} className="pledge-mono">
                    {s}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('common.status'),
            key: 'state',
            render: (_: unknown, tok) => {
              const state = tokenState(tok);
              return <Tag color={state === 'valid' ? 'success' : state === 'expired' ? 'warning' : 'default'}>{t(`tokens.${state}`)}</Tag>;
            },
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
          { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', render: (v: string | null) => (v ? formatTime(v) : t('tokens.never')) },
          { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? formatTime(v) : t('tokens.never')) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, tok) =>
              tokenState(tok) === 'revoked' ? null : (
                <Popconfirm
                  title={t('tokens.revokeConfirm', { name: tok.name })}
                  okButtonProps={{ danger: true, ...buttonTestId('token-revoke-confirm') }}
                  onConfirm={() =>
                    revoke.mutate(tok.id, { onSuccess: () => void message.success(t('tokens.revoked')), onError: (e) => showError(e) })
                  }
                >
                  <Button type="link" danger size="small" data-testid={`token-revoke-${tok.prefix}`}>
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
          }}
        />
      )}
      {created && <CreatedTokenModal token={created} onClose={() => setCreated(null)} />}
    </>
  );
}
