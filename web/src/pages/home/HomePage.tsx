/** Home: who I am, where I belong, and real counts from the existing endpoints (no made-up numbers). */
import { ApartmentOutlined, IdcardOutlined, SendOutlined, TeamOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Skeleton, Statistic, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useOutbox } from '../../api/admin';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { useCustomers } from '../../api/customers';
import { useBranches, useDepartments } from '../../api/org';
import { useStaffList } from '../../api/staff';
import { RoleTag } from '../../components/tags';
import { formatTime, getTimeZone } from '../../lib/time';

function CountCard({ title, value, loading, error, icon, to, testId }: {
  title: string; value: number | undefined; loading: boolean; error: Error | null; icon: ReactNode; to: string; testId: string;
}) {
  const { t } = useTranslation();
  // A count that could not be loaded shows as "—" with the reason, never as a made-up 0.
  return (
    <Card actions={[<Link key="view" to={to}>{t('home.view')}</Link>]}>
      <Tooltip title={error?.message}>
        <Statistic title={title} value={value ?? t('common.none')} loading={loading} prefix={icon} data-testid={testId} />
      </Tooltip>
    </Card>
  );
}

export default function HomePage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const { can } = usePermissions();
  const branches = useBranches(can('branch.read'));
  const departments = useDepartments(me.staff.branchId, can('branch.read') && me.staff.departmentId !== null);
  const staff = useStaffList({ active: 'true', pageSize: 1 }, can('staff.read'));
  const customers = useCustomers({ pageSize: 1 }, can('customer.read'));
  const failed = useOutbox({ status: 'failed', pageSize: 1 }, can('outbox.read'));

  const branch = branches.data?.find((b) => b.id === me.staff.branchId);
  const department = departments.data?.find((d) => d.id === me.staff.departmentId);

  return (
    <div>
      <Card style={{ marginBottom: 24 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="welcome">
          {t('home.welcome', { name: me.staff.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.intro', { org: me.organization.name })}</Typography.Paragraph>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('home.role')}>
            <RoleTag role={me.staff.role} />
          </Descriptions.Item>
          <Descriptions.Item label={t('home.scope')}>{t(`scopes.${me.staff.scope}`)}</Descriptions.Item>
          <Descriptions.Item label={t('home.branch')}>
            {branches.isLoading ? <Skeleton.Input size="small" active /> : (branch?.name ?? t('common.none'))}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.department')}>{department?.name ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('home.timeZone')}>{getTimeZone()}</Descriptions.Item>
          <Descriptions.Item label={t('home.lastSignIn')}>{formatTime(me.staff.lastSignInAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        {can('branch.read') && (
          <Col xs={24} sm={12} lg={6}>
            <CountCard title={t('home.branches')} value={branches.data?.filter((b) => b.active).length} loading={branches.isLoading} error={branches.error} icon={<ApartmentOutlined />} to="/org" testId="count-branches" />
          </Col>
        )}
        {can('staff.read') && (
          <Col xs={24} sm={12} lg={6}>
            <CountCard title={t('home.staff')} value={staff.data?.total} loading={staff.isLoading} error={staff.error} icon={<TeamOutlined />} to="/staff" testId="count-staff" />
          </Col>
        )}
        {can('customer.read') && (
          <Col xs={24} sm={12} lg={6}>
            <CountCard title={t('home.customers')} value={customers.data?.total} loading={customers.isLoading} error={customers.error} icon={<IdcardOutlined />} to="/customers" testId="count-customers" />
          </Col>
        )}
        {can('outbox.read') && (
          <Col xs={24} sm={12} lg={6}>
            <CountCard title={t('home.outboxFailed')} value={failed.data?.summary.failed} loading={failed.isLoading} error={failed.error} icon={<SendOutlined />} to="/outbox" testId="count-outbox-failed" />
          </Col>
        )}
      </Row>
    </div>
  );
}
