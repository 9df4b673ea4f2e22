/**
 * Sign-in for customers (`/portal/:org/sign-in`): the person gives their e-mail address and receives a one-time
 * link (30 minutes). The page says the same whether the address is known or not. `?link=invalid` is where a used
 * or expired link lands.
 */
import { MailOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { usePortalMe, useRequestSignIn } from '../../api/portal';
import { useShowError } from '../../lib/use-show-error';
import { PortalLayout } from './PortalLayout';

export default function PortalSignInPage() {
  const { org = '' } = useParams();
  return (
    <PortalLayout org={org} testId="portal-sign-in-page">
      {() => <SignInForm org={org} />}
    </PortalLayout>
  );
}

function SignInForm({ org }: { org: string }) {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const [form] = Form.useForm<{ email: string }>();
  const signIn = useRequestSignIn(org);
  const me = usePortalMe(org);
  const showError = useShowError();
  const [sent, setSent] = useState<string | null>(null);
  const home = `/portal/${encodeURIComponent(org)}`;
  return (
    <section className="pledge-portal-card" data-testid="portal-sign-in">
      <h2>{t('portal.signIn.heading')}</h2>
      {search.get('link') === 'invalid' && !sent && <Alert type="warning" showIcon title={t('portal.signIn.expired')} style={{ marginBottom: 12 }} data-testid="portal-link-expired" />}
      {me.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <Link to={`${home}/me`} data-testid="portal-go-mine">
              {t('portal.form.signedInAs', { name: me.data.name })}
            </Link>
          }
        />
      )}
      <p className="pledge-muted">{t('portal.signIn.intro')}</p>
      {sent ? (
        <Alert type="success" showIcon title={t('portal.signIn.sent', { email: sent })} data-testid="portal-sign-in-sent" />
      ) : (
        <Form
          form={form}
          name="portalSignIn"
          layout="vertical"
          onFinish={(v) => signIn.mutate(v.email.trim(), { onSuccess: () => setSent(v.email.trim()), onError: (e) => showError(e, form) })}
        >
          <Form.Item name="email" label={t('portal.signIn.email')} rules={[{ required: true, message: t('validation.email') }, { type: 'email', message: t('validation.email') }]}>
            <Input prefix={<MailOutlined />} maxLength={200} autoComplete="email" inputMode="email" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={signIn.isPending} data-testid="portal-sign-in-submit">
            {t('portal.signIn.submit')}
          </Button>
        </Form>
      )}
      <p className="pledge-muted" style={{ marginTop: 16, marginBottom: 0 }}>
        <Link to={home}>{t('portal.signIn.noAccount')}</Link>
      </p>
    </section>
  );
}
