/**
 * The e-mail channel's settings (request.configure): the organization's inbound addresses (saved into the
 * request settings) and the IMAP mailboxes Pledge polls, with a connection test and each one's last poll.
 */
import { ApiOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { RequestSettingsInput as RequestSettingsInputSchema } from '@contracts/requests/contracts';
import { App, Button, Card, Flex, Form, Popconfirm, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUpdateRequestSettings } from '../../api/desk-admin';
import { useDeleteMailAccount, useMailAccounts, useTestMailAccount, type MailAccount, type MailAccountTestResult } from '../../api/email';
import { useRequestSettings, type RequestSettings } from '../../api/requests';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { ActiveTag } from '../../components/tags';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { MailAccountModal } from './MailAccountModal';

export default function EmailPage() {
  return (
    <RequirePermission anyOf={['request.configure']}>
      <EmailSettings />
    </RequirePermission>
  );
}

function EmailSettings() {
  const { t } = useTranslation();
  const settings = useRequestSettings();
  return (
    <div data-testid="email-page">
      <PageHeader title={t('email.title')}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, maxWidth: 860 }}>
          {t('email.intro')}
        </Typography.Paragraph>
      </PageHeader>
      <Flex vertical gap={16}>
        {settings.data ? <InboundCard settings={settings.data} /> : <Spin style={{ display: 'block', margin: '48px auto' }} />}
        <AccountsCard />
      </Flex>
    </div>
  );
}

interface InboundForm {
  inboundAddresses: string[];
}

function InboundCard({ settings }: { settings: RequestSettings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<InboundForm>();
  const save = useUpdateRequestSettings();
  const first = settings.inboundAddresses[0];

  const submit = (v: InboundForm) =>
    save.mutate(
      { inboundAddresses: [...new Set(v.inboundAddresses.map((a) => a.trim().toLowerCase()).filter(Boolean))] },
      {
        onSuccess: (view) => {
          form.setFieldsValue({ inboundAddresses: view.inboundAddresses });
          void message.success(t('common.saved'));
        },
        onError: (e) => showError(e, form),
      },
    );

  return (
    <Card title={t('email.inbound.title')}>
      <Typography.Paragraph type="secondary">{t('email.inbound.help')}</Typography.Paragraph>
      <Form<InboundForm> form={form} name="inbound" layout="vertical" initialValues={{ inboundAddresses: settings.inboundAddresses }} onFinish={submit}>
        <Form.Item name="inboundAddresses" rules={[zodRule(RequestSettingsInputSchema.shape.inboundAddresses)]} style={{ maxWidth: 720 }}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ';', ' ', '，', '；']} placeholder={t('email.inbound.placeholder')} data-testid="inbound-addresses" />
        </Form.Item>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Typography.Text type={first ? 'secondary' : 'warning'} data-testid="inbound-from">
            {first ? t('email.inbound.fromNote', { address: first }) : t('email.inbound.fromDefault')}
          </Typography.Text>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="inbound-save">
            {t('email.inbound.save')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}

function AccountsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const accounts = useMailAccounts();
  const remove = useDeleteMailAccount();
  const test = useTestMailAccount();
  const [editing, setEditing] = useState<MailAccount | 'new' | null>(null);
  const [results, setResults] = useState<Record<string, MailAccountTestResult>>({});

  const runTest = (a: MailAccount) =>
    test.mutate(a.id, {
      onSuccess: (r) => {
        setResults((prev) => ({ ...prev, [a.id]: r }));
        if (r.ok) void message.success(t('email.accounts.testOk', { count: r.messages ?? 0 }));
        else void message.error(t('email.accounts.testFailed', { error: r.error ?? '' }));
      },
      onError: (e) => showError(e),
    });

  return (
    <Card
      title={t('email.accounts.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} data-testid="mail-account-create" onClick={() => setEditing('new')}>
          {t('email.accounts.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('email.accounts.help')}</Typography.Paragraph>
      <Table<MailAccount>
        data-testid="mail-accounts-table"
        rowKey="id"
        size="middle"
        pagination={false}
        loading={accounts.isPending}
        dataSource={accounts.data ?? []}
        locale={{ emptyText: t('email.accounts.empty') }}
        scroll={{ x: 1330 }}
        onRow={(a) => ({ 'data-testid': `mail-account-row-${a.address}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'address', title: t('email.accounts.address'), dataIndex: 'address', width: 220, ellipsis: true },
          {
            key: 'server', title: t('email.accounts.server'), width: 240,
            render: (_v, a) => (
              <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                <Typography.Text code>{`${a.host}:${a.port}`}</Typography.Text>
                {a.secure ? <Tag color="green">TLS</Tag> : null}
              </Space>
            ),
          },
          { key: 'username', title: t('email.accounts.username'), dataIndex: 'username', width: 180, ellipsis: true },
          { key: 'mailbox', title: t('email.accounts.mailbox'), dataIndex: 'mailbox', width: 110 },
          { key: 'active', title: t('common.status'), width: 90, render: (_v, a) => <ActiveTag active={a.active} /> },
          {
            key: 'polled', title: t('email.accounts.lastPolled'), width: 250,
            render: (_v, a) => (
              <Flex vertical gap={2} data-testid={`mail-account-status-${a.address}`}>
                <span>{a.lastPolledAt ? formatTime(a.lastPolledAt, 'YYYY-MM-DD HH:mm') : t('email.accounts.never')}</span>
                {a.lastError ? (
                  <Tooltip title={a.lastError}>
                    <Typography.Text type="danger" ellipsis style={{ maxWidth: 230 }} data-testid={`mail-account-error-${a.address}`}>
                      {a.lastError}
                    </Typography.Text>
                  </Tooltip>
                ) : a.lastPolledAt ? (
                  <Typography.Text type="success">{t('email.accounts.ok')}</Typography.Text>
                ) : null}
                {results[a.id] ? (
                  <Tag color={results[a.id]!.ok ? 'success' : 'error'} data-testid={`mail-account-test-result-${a.address}`} data-ok={String(results[a.id]!.ok)} style={{ width: 'fit-content' }}>
                    {results[a.id]!.ok ? t('email.accounts.testOk', { count: results[a.id]!.messages ?? 0 }) : t('email.accounts.testFailed', { error: results[a.id]!.error ?? '' })}
                  </Tag>
                ) : null}
              </Flex>
            ),
          },
          { key: 'uid', title: t('email.accounts.lastUid'), dataIndex: 'lastUid', width: 120 },
          {
            key: 'actions', title: t('common.actions'), width: 130, fixed: 'right',
            render: (_v, a) => (
              <Space size={0}>
                <Tooltip title={t('email.accounts.test')}>
                  <Button type="text" size="small" icon={<ApiOutlined />} loading={test.isPending && test.variables === a.id} data-testid={`mail-account-test-${a.address}`} onClick={() => runTest(a)} />
                </Tooltip>
                <Tooltip title={t('common.edit')}>
                  <Button type="text" size="small" icon={<EditOutlined />} data-testid={`mail-account-edit-${a.address}`} onClick={() => setEditing(a)} />
                </Tooltip>
                <Popconfirm
                  title={t('email.accounts.deleteConfirm', { address: a.address })}
                  okButtonProps={{ danger: true, ...buttonTestId('mail-account-delete-confirm') }}
                  onConfirm={() => remove.mutate(a.id, { onSuccess: () => void message.success(t('email.accounts.deleted')), onError: (e) => showError(e) })}
                >
                  <Tooltip title={t('deskAdmin.delete')}>
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} data-testid={`mail-account-delete-${a.address}`} />
                  </Tooltip>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && <MailAccountModal account={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
