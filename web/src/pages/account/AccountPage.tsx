/** My account: change password (/account/password) and API tokens (/account/tokens). */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { PageHeader } from '../../components/PageHeader';
import { PasswordTab } from './PasswordTab';
import { TokensTab } from './TokensTab';

export default function AccountPage() {
  const { t } = useTranslation();
  const { tab } = useParams();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const tabs = can('token.manage') ? (['password', 'tokens'] as const) : (['password'] as const);
  const active = tabs.find((k) => k === tab) ?? 'password';

  return (
    <>
      <PageHeader title={t('account.title')} />
      <Tabs
        activeKey={active}
        onChange={(key) => void navigate(`/account/${key}`, { replace: true })}
        items={tabs.map((key) => ({
          key,
          label: <span data-testid={`account-tab-${key}`}>{t(`account.tabs.${key}`)}</span>,
          children: key === 'password' ? <PasswordTab /> : <TokensTab />,
        }))}
      />
    </>
  );
}
