/** Change my password (ids #currentPassword, #newPassword, #confirmPassword). Other sessions end; this one stays. */
import { PasswordChange as PasswordChangeSchema } from '@contracts/org/contracts';
import { App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../../api/auth';
import { zodRule } from '../../lib/forms';
import { useShowError } from '../../lib/use-show-error';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function PasswordTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const change = useChangePassword();
  const showError = useShowError();

  return (
    <Form<PasswordValues>
      form={form}
      layout="vertical"
      style={{ maxWidth: 420 }}
      onFinish={(v) =>
        change.mutate(
          { currentPassword: v.currentPassword, newPassword: v.newPassword },
          {
            onSuccess: () => {
              void message.success(t('account.passwordChanged'));
              form.resetFields();
            },
            onError: (e) => showError(e, form),
          },
        )
      }
    >
      <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true }]}>
        <Input.Password autoComplete="current-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('account.newPassword')}
        extra={t('account.passwordHint')}
        rules={[{ required: true }, zodRule(PasswordChangeSchema.shape.newPassword)]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('account.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: async (_rule, value: unknown) => {
              if (value && value !== getFieldValue('newPassword')) throw new Error(t('account.passwordMismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-submit">
        {t('account.changePassword')}
      </Button>
    </Form>
  );
}
