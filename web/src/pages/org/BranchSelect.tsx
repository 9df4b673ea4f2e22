import { Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useCurrentMe } from '../../api/auth';
import { useBranches } from '../../api/org';

/** The branch whose departments or teams are shown; kept in the URL (?branch=) so a reload keeps it. */
export function useSelectedBranch(): [string | undefined, (id: string) => void] {
  const me = useCurrentMe();
  const { data: branches } = useBranches();
  const [params, setParams] = useSearchParams();
  const requested = params.get('branch');
  const selected =
    branches?.find((b) => b.id === requested)?.id ?? branches?.find((b) => b.id === me.staff.branchId)?.id ?? branches?.[0]?.id;
  const set = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('branch', id);
    setParams(next, { replace: true });
  };
  return [selected, set];
}

export function BranchPicker({ value, onChange }: { value: string | undefined; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const { data: branches, isLoading } = useBranches();
  return (
    <Space>
      <Typography.Text>{t('org.selectBranch')}</Typography.Text>
      <Select
        style={{ minWidth: 240 }}
        data-testid="org-branch-select"
        loading={isLoading}
        value={value}
        onChange={onChange}
        showSearch={{ optionFilterProp: 'label' }}
        options={(branches ?? []).map((b) => ({
          value: b.id,
          label: `${b.name} (${b.code})${b.kind === 'head_office' ? ` · ${t('org.branch.headOffice')}` : ''}${b.active ? '' : ` · ${t('common.inactive')}`}`,
        }))}
      />
    </Space>
  );
}
