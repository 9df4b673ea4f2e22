/** People: search and filter, create and edit, deactivate / reactivate, unlock, reset password, reveal phone. */
import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { PasswordReset as PasswordResetSchema } from '@contracts/org/contracts';
import { Alert, App, Button, Dropdown, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { useBranches } from '../../api/org';
import { revealStaffPhone, useResetPassword, useStaffAction, useStaffList, type StaffFilter } from '../../api/staff';
import { ROLES, type Role, type Staff } from '../../api/types';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { PiiText } from '../../components/PiiText';
import { ActiveTag, RoleTag } from '../../components/tags';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { StaffDrawer, grantableRoles } from './StaffForm';

function ResetPasswordModal({ staff, onClose }: { staff: Staff; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const reset = useResetPassword();
  const showError = useShowError();
  return (
    <Modal
      open
      title={t('staff.resetPasswordTitle', { name: staff.displayName })}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={reset.isPending}
      okButtonProps={buttonTestId('reset-password-submit')}
      mask={{ closable: false }}
    >
      <Alert type="info" showIcon title={t('staff.resetPasswordHint')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          reset.mutate(
            { id: staff.id, newPassword: v.newPassword },
            {
              onSuccess: () => {
                void message.success(t('staff.passwordReset'));
                onClose();
              },
              onError: (e) => showError(e, form),
            },
          )
        }
      >
        <Form.Item
          name="newPassword"
          label={t('staff.newPassword')}
          extra={t('account.passwordHint')}
          rules={[{ required: true }, zodRule(PasswordResetSchema.shape.newPassword)]}
        >
          <Input.Password autoComplete="new-password" autoFocus maxLength={128} />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

/** Checks the permission before the view mounts, so no request is made that would only be refused. */
export default function StaffPage() {
  return (
    <RequirePermission anyOf={['staff.read']}>
      <StaffView />
    </RequirePermission>
  );
}

function StaffView() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const me = useCurrentMe();
  const { can } = usePermissions();
  const canManage = can('staff.manage');
  const canReveal = can('pii:read');
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<StaffFilter>({ page: 1, pageSize: 20 });
  const list = useStaffList(filter);
  const { data: branches } = useBranches(can('branch.read'));
  const action = useStaffAction();
  const showError = useShowError();
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  const [resetting, setResetting] = useState<Staff | null>(null);
  const [revealed, setRevealed] = useState<Record<string, string | null>>({});
  const [revealing, setRevealing] = useState<string | null>(null);
  const branchName = useMemo(() => new Map((branches ?? []).map((b) => [b.id, b.name])), [branches]);
  const grantable = grantableRoles(me.staff.role);

  const patchFilter = (patch: Partial<StaffFilter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));

  const reveal = (s: Staff) => {
    setRevealing(s.id);
    revealStaffPhone(s.id)
      .then((pii) => {
        setRevealed((r) => ({ ...r, [s.id]: pii.phone }));
        void message.info({ content: t('pii.revealed'), key: 'pii' });
      })
      .catch((e: unknown) => showError(e))
      .finally(() => setRevealing(null));
  };

  const runAction = (s: Staff, kind: 'deactivate' | 'reactivate' | 'unlock') => {
    const done = { deactivate: 'staff.deactivated', reactivate: 'staff.reactivated', unlock: 'staff.unlocked' } as const;
    action.mutate({ id: s.id, action: kind }, { onSuccess: () => void message.success(t(done[kind])), onError: (e) => showError(e) });
  };

  const moreMenu = (s: Staff): MenuProps => ({
    items: [
      s.locked ? { key: 'unlock', label: <span data-testid="staff-action-unlock">{t('staff.unlock')}</span> } : null,
      { key: 'reset', label: <span data-testid="staff-action-reset-password">{t('staff.resetPassword')}</span> },
      { type: 'divider' as const },
      s.active
        ? { key: 'deactivate', danger: true, disabled: s.id === me.staff.id, label: <span data-testid="staff-action-deactivate">{t('common.deactivate')}</span> }
        : { key: 'reactivate', label: <span data-testid="staff-action-reactivate">{t('common.reactivate')}</span> },
    ].filter((x) => x !== null),
    onClick: ({ key }) => {
      if (key === 'reset') setResetting(s);
      else if (key === 'unlock') runAction(s, 'unlock');
      else if (key === 'deactivate' || key === 'reactivate') {
        void modal.confirm({
          title: key === 'deactivate' ? t('common.deactivateConfirm', { name: s.displayName }) : t('common.reactivateConfirm', { name: s.displayName }),
          okButtonProps: { danger: key === 'deactivate', ...buttonTestId('staff-action-confirm') },
          onOk: () => runAction(s, key),
        });
      }
    },
  });

  return (
    <>
      <PageHeader
        title={t('nav.staff')}
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="staff-create">
              {t('staff.create')}
            </Button>
          )
        }
      />
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          style={{ width: 280 }}
          placeholder={t('staff.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => patchFilter({ q: v.trim() || undefined })}
          data-testid="staff-search"
        />
        {branches && branches.length > 1 && (
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('staff.filterBranch')}
            value={filter.branchId}
            onChange={(v: string | undefined) => patchFilter({ branchId: v })}
            options={branches.map((b) => ({ value: b.id, label: b.name }))}
            data-testid="staff-filter-branch"
          />
        )}
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('staff.filterRole')}
          value={filter.role}
          onChange={(v: Role | undefined) => patchFilter({ role: v })}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          data-testid="staff-filter-role"
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('staff.filterActive')}
          value={filter.active}
          onChange={(v: 'true' | 'false' | undefined) => patchFilter({ active: v })}
          options={[
            { value: 'true', label: t('common.active') },
            { value: 'false', label: t('common.inactive') },
          ]}
          data-testid="staff-filter-active"
        />
      </Flex>
      {canReveal && <Typography.Paragraph type="secondary">{t('pii.notice')}</Typography.Paragraph>}
      <Table<Staff>
        rowKey="id"
        data-testid="staff-table"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1200 }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          {
            title: t('staff.displayName'),
            dataIndex: 'displayName',
            fixed: 'left',
            render: (name: string, s) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{name}</Typography.Text>
                <Typography.Text type="secondary" className="pledge-mono">
                  {s.username}
                </Typography.Text>
                <Typography.Link href={`/evaluations?agent=${s.id}`} style={{ fontSize: 12 }} data-testid={`staff-ratings-${s.username}`}>
                  {t('evaluations.panel.ratings')}
                </Typography.Link>
              </Space>
            ),
          },
          { title: t('staff.employeeNo'), dataIndex: 'employeeNo', render: (v: string | null) => v ?? t('common.none') },
          { title: t('staff.role'), dataIndex: 'role', render: (r: Role) => <RoleTag role={r} /> },
          { title: t('staff.branch'), dataIndex: 'branchId', render: (id: string) => branchName.get(id) ?? t('common.none') },
          {
            title: t('staff.phone'),
            dataIndex: 'phone',
            width: 200,
            render: (phone: string | null, s) => (
              <PiiText
                masked={phone}
                revealed={s.id in revealed ? revealed[s.id] : undefined}
                canReveal={canReveal}
                loading={revealing === s.id}
                onReveal={() => reveal(s)}
                testId={`staff-phone-${s.username}`}
              />
            ),
          },
          {
            title: t('common.status'),
            key: 'status',
            render: (_: unknown, s) => (
              <Space size={4}>
                <ActiveTag active={s.active} />
                {s.locked && <Tag color="error">{t('staff.locked')}</Tag>}
              </Space>
            ),
          },
          { title: t('staff.lastSignIn'), dataIndex: 'lastSignInAt', width: 170, render: (v: string | null) => formatTime(v) },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  width: 150,
                  render: (_: unknown, s: Staff) =>
                    grantable.includes(s.role) ? (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => setEditing(s)} data-testid={`staff-edit-${s.username}`}>
                          {t('common.edit')}
                        </Button>
                        <Dropdown menu={moreMenu(s)} trigger={['click']}>
                          <Button type="link" size="small" data-testid={`staff-more-${s.username}`}>
                            {t('common.more')} <DownOutlined />
                          </Button>
                        </Dropdown>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {editing && <StaffDrawer staff={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {resetting && <ResetPasswordModal staff={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}
