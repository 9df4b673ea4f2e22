/** The signed-in frame: side menu by permission, header with the organization, language switch and user menu. */
import {
  ApartmentOutlined, AuditOutlined, InboxOutlined, CalendarOutlined, DownOutlined, HomeOutlined, KeyOutlined, LockOutlined, LogoutOutlined,
  SendOutlined, TeamOutlined, UserOutlined, IdcardOutlined, SafetyOutlined, FileProtectOutlined, ControlOutlined, ThunderboltOutlined, MailOutlined,
  PhoneOutlined,
  StarOutlined,
} from '@ant-design/icons';
import { AlertOutlined } from '@ant-design/icons';
import { FileExcelOutlined } from '@ant-design/icons';
import { CommentOutlined, NotificationOutlined } from '@ant-design/icons';
import { CustomerServiceOutlined } from '@ant-design/icons';
import { DashboardOutlined, DesktopOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Flex, Layout, Menu, Spin, Typography, theme, type MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useCurrentMe, usePermissions, useSignOut } from '../api/auth';
import type { Permission } from '../api/types';
import { LangSwitch } from './LangSwitch';
import { LiveChats } from './LiveChats';
import { NotificationBell } from './NotificationBell';
import { RoleTag } from './tags';

interface NavEntry {
  key: string;
  path: string;
  icon: ReactNode;
  /** Shown when the person holds any of these (none = everybody). */
  anyOf: Permission[];
  /** The label from a page's own i18n namespace (default: nav.<key>). */
  label?: (t: TFunction) => string;
}

const NAV: NavEntry[] = [
  { key: 'home', path: '/', icon: <HomeOutlined />, anyOf: [] },
  { key: 'requests', path: '/requests', icon: <InboxOutlined />, anyOf: ['request.read'], label: (t) => t('console.nav') },
  { key: 'dashboard', path: '/dashboard', icon: <DashboardOutlined />, anyOf: ['request.read'], label: (t) => t('dashboards.nav') },
  { key: 'wall', path: '/wall', icon: <DesktopOutlined />, anyOf: ['request.read'], label: (t) => t('dashboards.navWall') },
  { key: 'calls', path: '/calls', icon: <PhoneOutlined />, anyOf: ['call.read'], label: (t) => t('calls.nav') },
  { key: 'evaluations', path: '/evaluations', icon: <StarOutlined />, anyOf: ['evaluation.read'], label: (t) => t('evaluations.nav') },
  { key: 'corrective-actions', path: '/corrective-actions', icon: <AlertOutlined />, anyOf: ['corrective.read'], label: (t) => t('corrective.nav') },
  { key: 'callbacks', path: '/callbacks', icon: <CustomerServiceOutlined />, anyOf: ['callback.manage', 'appeal.file', 'appeal.decide'], label: (t) => t('callbacks.nav') },
  { key: 'feedback', path: '/feedback', icon: <CommentOutlined />, anyOf: ['feedback.handle'], label: (t) => t('feedback.nav') },
  { key: 'campaigns', path: '/campaigns', icon: <NotificationOutlined />, anyOf: ['campaign.manage', 'evaluation.read'], label: (t) => t('campaigns.nav') },
  { key: 'reports', path: '/reports', icon: <FileExcelOutlined />, anyOf: ['report.read'], label: (t) => t('reports.nav') },
  { key: 'org', path: '/org', icon: <ApartmentOutlined />, anyOf: ['org.read', 'branch.read'] },
  { key: 'staff', path: '/staff', icon: <TeamOutlined />, anyOf: ['staff.read'] },
  { key: 'customers', path: '/customers', icon: <IdcardOutlined />, anyOf: ['customer.read'] },
  { key: 'calendars', path: '/calendars', icon: <CalendarOutlined />, anyOf: ['calendar.read'] },
  { key: 'commitments', path: '/commitments', icon: <FileProtectOutlined />, anyOf: ['commitment.read'] },
  { key: 'desk-admin', path: '/desk-admin', icon: <ControlOutlined />, anyOf: ['request.configure', 'webhook.manage'], label: (t) => t('deskAdmin.nav') },
  { key: 'email', path: '/email', icon: <MailOutlined />, anyOf: ['request.configure'], label: (t) => t('email.nav') },
  { key: 'macros', path: '/macros', icon: <ThunderboltOutlined />, anyOf: ['macro.manage'], label: (t) => t('requestPage.macros.title') },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, anyOf: ['audit.read'] },
  { key: 'outbox', path: '/outbox', icon: <SendOutlined />, anyOf: ['outbox.read'] },
  { key: 'account', path: '/account', icon: <SafetyOutlined />, anyOf: [] },
];

type NavKey = 'home' | 'org' | 'staff' | 'customers' | 'calendars' | 'commitments' | 'audit' | 'outbox' | 'account';

function selectedKey(pathname: string): string {
  const first = pathname.split('/')[1] ?? '';
  return NAV.find((n) => n.path === `/${first}`)?.key ?? 'home';
}

export function AppShell() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const { canAny } = usePermissions();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const { message } = App.useApp();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();

  const items: MenuProps['items'] = NAV.filter((n) => n.anyOf.length === 0 || canAny(...n.anyOf)).map((n) => ({
    key: n.key,
    icon: n.icon,
    label: (
      <Link to={n.path} data-testid={`nav-${n.key}`}>
        {n.label ? n.label(t) : t(`nav.${n.key as NavKey}`)}
      </Link>
    ),
  }));

  const doSignOut = () => {
    signOut.mutate(undefined, {
      onSettled: () => {
        void message.success({ content: t('auth.signedOut'), key: 'session' });
        void navigate('/sign-in', { replace: true });
      },
    });
  };

  const userMenu: MenuProps = {
    items: [
      { key: 'password', icon: <LockOutlined />, label: <span data-testid="menu-change-password">{t('userMenu.changePassword')}</span> },
      { key: 'tokens', icon: <KeyOutlined />, label: <span data-testid="menu-api-tokens">{t('userMenu.apiTokens')}</span> },
      { type: 'divider' },
      { key: 'sign-out', icon: <LogoutOutlined />, danger: true, label: <span data-testid="sign-out">{t('userMenu.signOut')}</span> },
    ],
    onClick: ({ key }) => {
      if (key === 'password') void navigate('/account/password');
      else if (key === 'tokens') void navigate('/account/tokens');
      else if (key === 'sign-out') doSignOut();
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" width={208}>
        <div className="pledge-brand">
          <img src="/favicon.svg" alt="" />
          {!collapsed && <span>{t('app.name')}</span>}
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[selectedKey(location.pathname)]} items={items} data-testid="nav" />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="org-name">
              {me.organization.name}
            </Typography.Text>
            <Flex align="center" gap={8}>
              <LiveChats />
              <NotificationBell />
              <LangSwitch />
              <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
                <Button type="text" data-testid="user-menu" loading={signOut.isPending}>
                  <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: token.colorPrimary }} />
                  <span>{me.staff.displayName}</span>
                  <RoleTag role={me.staff.role} />
                  <DownOutlined style={{ fontSize: 10 }} />
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} size="large" />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: token.colorTextTertiary, padding: '12px 24px' }}>
          Pledge · {t('app.tagline')}
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
