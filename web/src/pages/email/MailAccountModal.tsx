/** Adding or changing an IMAP mailbox. The stored password is never shown: left empty on edit, it stays. */
import { MailAccountCreate as MailAccountCreateSchema } from '@contracts/channels/email-contracts';
import { App, Col, Form, Input, InputNumber, Modal, Row, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateMailAccount, useUpdateMailAccount, type MailAccount } from '../../api/email';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';

interface AccountForm {
  address: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password?: string;
  mailbox: string;
  active: boolean;
}

const shape = MailAccountCreateSchema.shape;

export function MailAccountModal({ account, onClose }: { account: MailAccount | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<AccountForm>();
  const create = useCreateMailAccount();
  const update = useUpdateMailAccount();

  const submit = (v: AccountForm) => {
    const base = { address: v.address.trim(), host: v.host.trim(), port: v.port, secure: v.secure, username: v.username.trim(), mailbox: v.mailbox.trim() || 'INBOX', active: v.active };
    const done = { onSuccess: () => { void message.success(t('common.saved')); onClose(); }, onError: (e: unknown) => showError(e, form) };
    if (account) update.mutate({ id: account.id, input: { ...base, ...(v.password ? { password: v.password } : {}) } }, done);
    else create.mutate({ ...base, password: v.password ?? '' }, done);
  };

  const initial: AccountForm = account
    ? { address: account.address, host: account.host, port: account.port, secure: account.secure, username: account.username, mailbox: account.mailbox, active: account.active }
    : { address: '', host: '', port: 993, secure: true, username: '', mailbox: 'INBOX', active: true };

  return (
    <Modal
      open
      width={620}
      title={account ? t('email.accounts.editTitle') : t('email.accounts.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('mail-account-submit')}
      destroyOnHidden
    >
      <Form<AccountForm>
        form={form}
        name="mailAccount"
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        onValuesChange={(changed: Partial<AccountForm>) => {
          // The usual port follows the encryption switch unless someone chose another one.
          if (changed.secure !== undefined) {
            const port = form.getFieldValue('port') as number | undefined;
            if (port === 993 || port === 143 || port === undefined) form.setFieldValue('port', changed.secure ? 993 : 143);
          }
        }}
      >
        <Form.Item name="address" label={t('email.accounts.address')} rules={[{ required: true, whitespace: true }, zodRule(shape.address)]}>
          <Input maxLength={200} autoFocus placeholder="support@example.cn" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={16}>
            <Form.Item name="host" label={t('email.accounts.host')} rules={[{ required: true, whitespace: true }, zodRule(shape.host)]}>
              <Input maxLength={255} placeholder="imap.example.cn" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="port" label={t('email.accounts.port')} rules={[{ required: true }, zodRule(shape.port)]}>
              <InputNumber min={1} max={65535} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="secure" label={t('email.accounts.secure')} extra={t('email.accounts.secureHelp')} valuePropName="checked">
          <Switch data-testid="mail-account-secure" />
        </Form.Item>
        <Form.Item name="username" label={t('email.accounts.username')} rules={[{ required: true, whitespace: true }, zodRule(shape.username)]}>
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('email.accounts.password')}
          extra={account ? t('common.unchangedIfBlank') : t('email.accounts.passwordHelp')}
          rules={account ? [] : [{ required: true }, zodRule(shape.password)]}
        >
          <Input.Password maxLength={500} autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="mailbox" label={t('email.accounts.mailbox')} rules={[zodRule(shape.mailbox)]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="active" label={t('email.accounts.active')} valuePropName="checked">
          <Switch data-testid="mail-account-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
