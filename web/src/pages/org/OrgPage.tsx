/** Organization: branches, then departments and teams per branch, and the organization's own settings. */
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { BranchesTab } from './BranchesTab';
import { DepartmentsTab } from './DepartmentsTab';
import { SettingsTab } from './SettingsTab';
import { TeamsTab } from './TeamsTab';

const TABS = ['branches', 'departments', 'teams', 'settings'] as const;
type TabKey = (typeof TABS)[number];

export default function OrgPage() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const [params, setParams] = useSearchParams();
  const available = TABS.filter((k) => (k === 'settings' ? can('org.read') : can('branch.read')));
  const requested = params.get('tab');
  const active: TabKey = available.find((k) => k === requested) ?? available[0] ?? 'branches';

  return (
    <RequirePermission anyOf={['org.read', 'branch.read']}>
      <PageHeader title={t('nav.org')} />
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(key) => {
          const next = new URLSearchParams(params);
          next.set('tab', key);
          setParams(next, { replace: true });
        }}
        items={available.map((key) => ({
          key,
          label: <span data-testid={`org-tab-${key}`}>{t(`org.tabs.${key}`)}</span>,
          children:
            key === 'branches' ? <BranchesTab /> : key === 'departments' ? <DepartmentsTab /> : key === 'teams' ? <TeamsTab /> : <SettingsTab />,
        }))}
      />
    </RequirePermission>
  );
}
