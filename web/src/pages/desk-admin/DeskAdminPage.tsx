/**
 * Service-desk administration (/desk-admin/<tab>): the category tree, routing rules, escalation and notification
 * settings (request.configure) and webhooks (webhook.manage). Each tab is its own URL.
 */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { CategoriesTab } from './CategoriesTab';
import { EscalationTab } from './EscalationTab';
import { RoutingTab } from './RoutingTab';
import { WebhooksTab } from './WebhooksTab';

const TABS = ['categories', 'routing', 'escalation', 'webhooks'] as const;
type TabKey = (typeof TABS)[number];

export default function DeskAdminPage() {
  return (
    <RequirePermission anyOf={['request.configure', 'webhook.manage']}>
      <DeskAdminTabs />
    </RequirePermission>
  );
}

function DeskAdminTabs() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const navigate = useNavigate();
  const { tab } = useParams();
  const available = TABS.filter((k) => (k === 'webhooks' ? can('webhook.manage') : can('request.configure')));
  const active: TabKey | undefined = available.find((k) => k === tab);
  if (!active) return <Navigate to={`/desk-admin/${available[0] ?? 'categories'}`} replace />;

  return (
    <>
      <PageHeader title={t('deskAdmin.title')} />
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(key) => void navigate(`/desk-admin/${key}`)}
        items={available.map((key) => ({
          key,
          label: <span data-testid={`desk-tab-${key}`}>{t(`deskAdmin.tabs.${key}`)}</span>,
          children:
            key === 'categories' ? <CategoriesTab /> : key === 'routing' ? <RoutingTab /> : key === 'escalation' ? <EscalationTab /> : <WebhooksTab />,
        }))}
      />
    </>
  );
}
