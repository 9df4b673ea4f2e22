import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../api/auth';
import type { Permission } from '../api/types';

/** Renders the page only for people holding one of the permissions; others get a 403 result. */
export function RequirePermission({ anyOf, children }: { anyOf: Permission[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { canAny } = usePermissions();
  if (!canAny(...anyOf)) return <Result status="403" title="403" subTitle={t('common.noPermission')} />;
  return <>{children}</>;
}
