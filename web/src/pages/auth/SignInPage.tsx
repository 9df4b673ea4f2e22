/** Sign-in: username and password; the server's message (wrong password, locked until …) is shown as is. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useMe, useSignIn } from '../../api/auth';
import { ApiError } from '../../api/client';
import { LangSwitch } from '../../components/LangSwitch';

interface SignInValues {
  username: string;
  password: string;
}

function targetOf(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = state.from;
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('/sign-in')) return from;
  }
  return '/';
}

export default function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SignInValues>();
  const signIn = useSignIn();
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const target = targetOf(location.state);

  if (me && !signIn.isPending) return <Navigate to={target} replace />;

  const onFinish = (values: SignInValues) => {
    setError(null);
    signIn.mutate(
      { username: values.username.trim(), password: values.password },
      {
        onSuccess: () => void navigate(target, { replace: true }),
        onError: (e) => {
          setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
          form.setFieldValue('password', '');
        },
      },
    );
  };

  return (
    <div className="pledge-sign-in">
      <Card style={{ width: 400, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <Flex align="center" gap={10}>
            <img src="/favicon.svg" alt="" width={32} height={32} />
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
          </Flex>
          <LangSwitch type="default" />
        </Flex>
        <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('auth.title')}
        </Typography.Title>
        {error && (
          <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="sign-in-error" role="alert" />
        )}
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} autoComplete="on">
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={signIn.isPending} data-testid="sign-in-submit">
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
