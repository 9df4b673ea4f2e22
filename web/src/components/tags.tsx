/** Small shared renderers: role, status and customer-flag tags. */
import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CustomerFlag, Role } from '../api/types';

const ROLE_COLORS: Record<Role, string> = {
  admin: 'red',
  manager: 'volcano',
  supervisor: 'purple',
  team_lead: 'geekblue',
  agent: 'blue',
  auditor: 'default',
};

export function RoleTag({ role }: { role: Role }) {
  const { t } = useTranslation();
  return <Tag color={ROLE_COLORS[role]}>{t(`roles.${role}`)}</Tag>;
}

export function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>;
}

const FLAG_COLORS: Record<CustomerFlag, string> = { elderly: 'orange', disabled: 'cyan', vip: 'gold' };

export function FlagTags({ flags }: { flags: readonly CustomerFlag[] }) {
  const { t } = useTranslation();
  if (flags.length === 0) return <>{t('common.none')}</>;
  return (
    <Space size={[4, 4]} wrap>
      {flags.map((flag) => (
        <Tag key={flag} color={FLAG_COLORS[flag]} data-testid={`flag-${flag}`}>
          {t(`customers.flagValues.${flag}`)}
        </Tag>
      ))}
      <Tooltip title={t('customers.greenChannelHint')}>
        <Tag color="green" data-testid="green-channel">
          {t('customers.greenChannel')}
        </Tag>
      </Tooltip>
    </Space>
  );
}
