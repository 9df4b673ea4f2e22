/**
 * Create or edit a member of staff in a drawer. Field names are the API's (ids #username, #displayName,
 * #employeeNo, #email, #phone, #role, #scope, #branchId, #departmentId, #teamIds, #locale, #dutyCalendarId, #password).
 * An edit sends only the fields that changed: nobody may send their own role, scope or branch.
 */
import { StaffCreate as StaffCreateSchema } from '@contracts/org/contracts';
import { App, Button, Checkbox, Col, Drawer, Form, Input, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth';
import { useCalendars } from '../../api/calendars';
import { useBranches, useDepartments, useTeams } from '../../api/org';
import { useCreateStaff, useUpdateStaff } from '../../api/staff';
import { ROLES, type Locale, type Role, type Scope, type Staff, type StaffUpdate } from '../../api/types';
import { zodRule } from '../../lib/forms';
import { useShowError } from '../../lib/use-show-error';

/** Which roles a person may give (mirrors the server's rule; the server has the last word). */
export function grantableRoles(role: Role): readonly Role[] {
  if (role === 'admin') return ROLES;
  if (role === 'manager') return ['supervisor', 'team_lead', 'agent'];
  return [];
}

interface StaffValues {
  username: string;
  displayName: string;
  employeeNo?: string;
  email?: string;
  phone?: string;
  /** Remove the stored (masked) number instead of keeping it. */
  clearPhone?: boolean;
  role: Role;
  scope: Scope;
  branchId: string;
  departmentId?: string | null;
  teamIds: string[];
  locale?: Locale | null;
  /** Duty hours (值班时间): null follows the organization's default calendar. */
  dutyCalendarId?: string | null;
  password?: string;
}

const shape = StaffCreateSchema.shape;

function text(value: string | undefined): string | null {
  const v = value?.trim() ?? '';
  return v === '' ? null : v;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function StaffDrawer({ staff, onClose }: { staff: Staff | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const [form] = Form.useForm<StaffValues>();
  const create = useCreateStaff();
  const update = useUpdateStaff();
  const showError = useShowError();
  const { data: branches } = useBranches();
  const branchId = Form.useWatch('branchId', form) ?? staff?.branchId ?? me.staff.branchId;
  const { data: departments } = useDepartments(branchId);
  const { data: teams } = useTeams(branchId);
  const { data: calendars } = useCalendars();
  const isSelf = staff?.id === me.staff.id;
  const roles = grantableRoles(me.staff.role);
  const roleOptions = [...new Set([...roles, ...(staff ? [staff.role] : [])])].map((r) => ({
    value: r,
    label: t(`roles.${r}`),
    disabled: !roles.includes(r),
  }));

  const onFinish = (v: StaffValues) => {
    const done = () => {
      void message.success(staff ? t('common.saved') : t('common.created'));
      onClose();
    };
    const onError = (e: unknown) => showError(e, form);
    const common = {
      displayName: v.displayName.trim(),
      employeeNo: text(v.employeeNo),
      email: text(v.email),
      role: v.role,
      scope: v.scope,
      branchId: v.branchId,
      departmentId: v.departmentId ?? null,
      teamIds: v.teamIds,
      locale: v.locale ?? null,
      dutyCalendarId: v.dutyCalendarId ?? null,
    };
    if (!staff) {
      create.mutate(
        { ...common, username: v.username.trim(), phone: text(v.phone), password: v.password ?? '' },
        { onSuccess: done, onError },
      );
      return;
    }
    const patch: StaffUpdate = {};
    if (common.displayName !== staff.displayName) patch.displayName = common.displayName;
    if (common.employeeNo !== staff.employeeNo) patch.employeeNo = common.employeeNo;
    if (common.email !== staff.email) patch.email = common.email;
    if (common.role !== staff.role) patch.role = common.role;
    if (common.scope !== staff.scope) patch.scope = common.scope;
    if (common.branchId !== staff.branchId) patch.branchId = common.branchId;
    if (common.departmentId !== staff.departmentId) patch.departmentId = common.departmentId;
    if (!sameSet(common.teamIds, staff.teamIds)) patch.teamIds = common.teamIds;
    if (common.locale !== staff.locale) patch.locale = common.locale;
    if (common.dutyCalendarId !== staff.dutyCalendarId) patch.dutyCalendarId = common.dutyCalendarId;
    const phone = text(v.phone);
    if (phone) patch.phone = phone; // blank keeps the stored (masked) number
    else if (v.clearPhone && staff.phone) patch.phone = null;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: staff.id, patch }, { onSuccess: done, onError });
  };

  return (
    <Drawer
      open
      size={640}
      title={staff ? `${t('staff.edit')} · ${staff.displayName}` : t('staff.create')}
      onClose={onClose}
      mask={{ closable: false }}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={create.isPending || update.isPending} data-testid="staff-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<StaffValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={(changed: Partial<StaffValues>) => {
          if (changed.branchId !== undefined) form.setFieldsValue({ departmentId: null, teamIds: [] });
          if (changed.role !== undefined && !staff) {
            form.setFieldValue('scope', changed.role === 'admin' || changed.role === 'auditor' ? 'organization' : 'branch');
          }
        }}
        initialValues={{
          username: staff?.username ?? '',
          displayName: staff?.displayName ?? '',
          employeeNo: staff?.employeeNo ?? '',
          email: staff?.email ?? '',
          phone: '',
          role: staff?.role ?? (roles.includes('agent') ? 'agent' : roles[0]),
          scope: staff?.scope ?? 'branch',
          branchId: staff?.branchId ?? me.staff.branchId,
          departmentId: staff?.departmentId ?? null,
          teamIds: staff?.teamIds ?? [],
          locale: staff?.locale ?? null,
          dutyCalendarId: staff?.dutyCalendarId ?? null,
          password: '',
        }}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="username"
              label={t('staff.username')}
              extra={staff ? undefined : t('staff.usernameHint')}
              rules={staff ? [] : [{ required: true }, zodRule(shape.username, t('staff.usernameHint'))]}
            >
              <Input disabled={staff !== null} maxLength={32} autoComplete="off" autoFocus={!staff} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="displayName" label={t('staff.displayName')} rules={[{ required: true }, zodRule(shape.displayName)]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="employeeNo" label={t('staff.employeeNo')} rules={[zodRule(shape.employeeNo)]}>
              <Input maxLength={32} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="role" label={t('staff.role')} rules={[{ required: true }]}>
              <Select options={roleOptions} disabled={isSelf} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="branchId" label={t('staff.branch')} rules={[{ required: true }]}>
              <Select
                disabled={isSelf}
                showSearch={{ optionFilterProp: 'label' }}
                options={(branches ?? []).filter((b) => b.active || b.id === staff?.branchId).map((b) => ({ value: b.id, label: b.name }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="scope" label={t('staff.scope')} tooltip={t('staff.scopeHint')} rules={[{ required: true }]}>
              <Select
                disabled={isSelf}
                options={[
                  { value: 'branch', label: t('scopes.branch') },
                  { value: 'organization', label: t('scopes.organization'), disabled: me.staff.scope !== 'organization' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="departmentId" label={t('staff.department')}>
              <Select allowClear options={(departments ?? []).filter((d) => d.active || d.id === staff?.departmentId).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="teamIds" label={t('staff.teams')}>
              <Select
                mode="multiple"
                allowClear
                options={(teams ?? []).filter((x) => x.active || staff?.teamIds.includes(x.id)).map((x) => ({
                  value: x.id,
                  label: x.kind === 'special' ? `${x.name} · ${t('org.team.kinds.special')}` : x.name,
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="email" label={t('staff.email')} rules={[zodRule(shape.email)]}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="phone"
              label={t('staff.phone')}
              extra={staff?.phone ? `${t('pii.current', { masked: staff.phone })} · ${t('common.unchangedIfBlank')}` : undefined}
              rules={[zodRule(shape.phone, t('validation.phone'))]}
            >
              <Input maxLength={20} autoComplete="off" placeholder={staff?.phone ?? undefined} />
            </Form.Item>
            {staff?.phone && (
              <Form.Item name="clearPhone" valuePropName="checked" style={{ marginTop: -16 }}>
                <Checkbox data-testid="staff-clear-phone">{t('pii.clearStored')}</Checkbox>
              </Form.Item>
            )}
          </Col>
          <Col span={12}>
            <Form.Item name="locale" label={t('staff.locale')}>
              <Select
                allowClear
                placeholder={t('staff.localeDefault')}
                options={[
                  { value: 'zh-CN', label: t('locales.zh-CN') },
                  { value: 'en-US', label: t('locales.en-US') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="dutyCalendarId" label={t('notifications.dutyCalendar')} tooltip={t('notifications.dutyCalendarHint')}>
              <Select
                allowClear
                placeholder={t('notifications.dutyCalendarDefault')}
                options={(calendars ?? []).map((c) => ({ value: c.id, label: c.name }))}
                data-testid="staff-duty-calendar"
              />
            </Form.Item>
          </Col>
          {!staff && (
            <Col span={12}>
              <Form.Item name="password" label={t('staff.password')} extra={t('staff.passwordHint')} rules={[{ required: true }, zodRule(shape.password)]}>
                <Input.Password maxLength={128} autoComplete="new-password" />
              </Form.Item>
            </Col>
          )}
        </Row>
        <button type="submit" hidden />
      </Form>
    </Drawer>
  );
}
