/**
 * Home: who I am, where I belong, my work (for people holding request.read) and real counts from the existing
 * endpoints (no made-up numbers). Each figure of "my work" comes with the console filters that list its rows
 * (GET /requests/summary), so clicking it opens the console on exactly those rows.
 */
import { ApartmentOutlined, IdcardOutlined, SendOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Row, Skeleton, Space, Statistic, theme, Tooltip, Typography } from 'antd';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { RequestSummary, SummaryFilters } from '@contracts/requests/summary';
import { useOutbox } from '../../api/admin';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { api } from '../../api/client';
import { useCustomers } from '../../api/customers';
import { useBranches, useDepartments } from '../../api/org';
import { requestsKey } from '../../api/requests';
import { useStaffList } from '../../api/staff';
import { RoleTag } from '../../components/tags';
import { useLiveEvents } from '../../lib/live';
import { formatTime, getTimeZone } from '../../lib/time';
import { cleanFilters, searchFromFilters } from '../console/filters';

/** Under the requests key, so every request write made in this tab refreshes it too. */
const summaryKey = [...requestsKey, 'summary'] as const;
/** Live events arrive in bursts: one refresh per burst (as the console does). */
const LIVE_REFRESH_MS = 500;
/** A clock passes its warning instant without any event: refresh now and then as well. */
const POLL_MS = 60_000;

/** The console address listing a figure's rows. */
function consoleLink(filters: SummaryFilters): string {
  const search = searchFromFilters(cleanFilters(filters)).toString();
  return search ? `/requests?${search}` : '/requests';
}

function useRequestSummary() {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  useLiveEvents(
    // Request events change the queues; a clock's warning or breach reaches me as a notification.
    (e) => e.type.startsWith('request.') || e.type.startsWith('notification.'),
    () => {
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        void queryClient.invalidateQueries({ queryKey: summaryKey });
      }, LIVE_REFRESH_MS);
    },
  );
  return useQuery({ queryKey: summaryKey, queryFn: () => api.get<RequestSummary>('/requests/summary'), refetchInterval: POLL_MS });
}

interface Counted {
  count: number;
  capped: boolean;
}

function WorkFigure({ title, hint, figure, to, color, testId, loading, extra }: {
  title: string; hint: string; figure: Counted | undefined; to: string | null; color?: string; testId: string; loading: boolean; extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const value = figure ? (figure.capped ? `${figure.count}+` : figure.count) : t('common.none');
  const statistic = (
    <Tooltip title={figure?.capped ? `${hint} (${t('home.work.capped', { count: figure.count })})` : hint}>
      <Statistic title={title} value={value} loading={loading} valueStyle={color && figure && figure.count > 0 ? { color } : undefined} />
    </Tooltip>
  );
  const data = { 'data-testid': testId, 'data-count': figure?.count, 'data-capped': figure?.capped };
  return (
    <Card size="small" hoverable={to !== null} style={{ height: '100%' }}>
      {to ? <Link to={to} {...data} style={{ display: 'block', color: 'inherit' }}>{statistic}</Link> : <div {...data}>{statistic}</div>}
      {extra}
    </Card>
  );
}

/** "My work": the figures a person acts on, each opening the console on its rows. */
function MyWork() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const summary = useRequestSummary();
  const s = summary.data;
  const loading = summary.isLoading;
  const teams = s?.teamUnassigned.teams ?? [];
  const col = { xs: 12, sm: 8, lg: 4 } as const;
  return (
    <div style={{ marginBottom: 24 }} data-testid="home-work">
      <Typography.Title level={5}>{t('home.work.title')}</Typography.Title>
      {summary.error && <Alert type="error" showIcon message={t('home.work.error', { message: summary.error.message })} style={{ marginBottom: 12 }} data-testid="home-work-error" />}
      <Row gutter={[16, 16]}>
        <Col {...col}>
          <WorkFigure title={t('home.work.mine')} hint={t('home.work.mineHint')} figure={s?.mine} to={s ? consoleLink(s.mine.filters) : null} testId="home-mine" loading={loading} />
        </Col>
        <Col {...col}>
          <WorkFigure title={t('home.work.dueSoon')} hint={t('home.work.dueSoonHint')} figure={s?.mineDueSoon} to={s ? consoleLink(s.mineDueSoon.filters) : null} color={token.colorWarning} testId="home-due-soon" loading={loading} />
        </Col>
        <Col {...col}>
          <WorkFigure title={t('home.work.breached')} hint={t('home.work.breachedHint')} figure={s?.mineBreached} to={s ? consoleLink(s.mineBreached.filters) : null} color={token.colorError} testId="home-breached" loading={loading} />
        </Col>
        <Col {...col}>
          <WorkFigure title={t('home.work.waiting')} hint={t('home.work.waitingHint')} figure={s?.waitingCustomer} to={s ? consoleLink(s.waitingCustomer.filters) : null} testId="home-waiting" loading={loading} />
        </Col>
        {(loading || teams.length > 0) && (
          <Col {...col}>
            <WorkFigure
              title={t('home.work.teamUnassigned')} hint={t('home.work.teamUnassignedHint')} figure={s?.teamUnassigned} testId="home-team-unassigned" loading={loading}
              // One team: the figure opens its unassigned requests. Several: each team's figure does (the console filters one team at a time).
              to={teams.length === 1 ? consoleLink(teams[0]!.filters) : null}
              extra={teams.length > 1 && (
                <Space size={[8, 0]} wrap>
                  {teams.map((team) => (
                    <Link key={team.teamId} to={consoleLink(team.filters)} data-testid={`home-team-unassigned-${team.teamId}`} data-count={team.count}>
                      {team.teamName} {team.capped ? `${team.count}+` : team.count}
                    </Link>
                  ))}
                </Space>
              )}
            />
          </Col>
        )}
        {s?.escalatedOpen && (
          <Col {...col}>
            <WorkFigure title={t('home.work.escalated')} hint={t('home.work.escalatedHint')} figure={s.escalatedOpen} to={consoleLink(s.escalatedOpen.filters)} color={token.colorError} testId="home-escalated" loading={loading} />
          </Col>
        )}
      </Row>
    </div>
  );
}

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
      {can('request.read') && <MyWork />}
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
