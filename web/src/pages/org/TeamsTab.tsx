/** Teams of one branch: regular teams and the special team (专项小组), their lead and members. */
import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { TeamCreate as TeamCreateSchema } from '@contracts/org/contracts';
import { App, Button, Flex, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Tooltip } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useBranches, useCreateTeam, useDepartments, useTeams, useUpdateTeam } from '../../api/org';
import { useStaffList } from '../../api/staff';
import type { Staff, Team, TeamKind } from '../../api/types';
import { StaffSelect, staffLabel } from '../../components/StaffSelect';
import { ActiveTag } from '../../components/tags';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { BranchPicker, useSelectedBranch } from './BranchSelect';

interface TeamValues {
  branchId: string;
  departmentId?: string | null;
  name: string;
  kind: TeamKind;
  leadId?: string | null;
  memberIds: string[];
}

export function TeamKindTag({ kind }: { kind: TeamKind }) {
  const { t } = useTranslation();
  if (kind === 'special') {
    return (
      <Tooltip title={t('org.team.specialHint')}>
        <Tag color="magenta" icon={<ThunderboltOutlined />} data-testid="team-kind-special">
          {t('org.team.kinds.special')}
        </Tag>
      </Tooltip>
    );
  }
  return <Tag>{t('org.team.kinds.regular')}</Tag>;
}

function TeamModal({ team, branchId, onClose, people }: { team: Team | null; branchId: string; onClose: () => void; people: Staff[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TeamValues>();
  const { data: branches } = useBranches();
  const chosenBranch = Form.useWatch('branchId', form) ?? team?.branchId ?? branchId;
  const { data: departments } = useDepartments(chosenBranch);
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const showError = useShowError();
  const known = useMemo(() => people.filter((p) => team && (team.memberIds.includes(p.id) || team.leadId === p.id)), [people, team]);

  const onFinish = (values: TeamValues) => {
    const done = () => {
      void message.success(team ? t('common.saved') : t('common.created'));
      onClose();
    };
    const onError = (e: unknown) => showError(e, form);
    const common = {
      departmentId: values.departmentId ?? null,
      name: values.name.trim(),
      kind: values.kind,
      leadId: values.leadId ?? null,
      memberIds: values.memberIds,
    };
    if (team) update.mutate({ id: team.id, patch: common }, { onSuccess: done, onError });
    else create.mutate({ branchId: values.branchId, ...common }, { onSuccess: done, onError });
  };

  return (
    <Modal
      open
      width={640}
      title={team ? t('org.team.edit') : t('org.team.create')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('team-submit')}
      mask={{ closable: false }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={(changed: Partial<TeamValues>) => {
          // The lead is always a member (the server adds them anyway); show it in the form too.
          const lead = changed.leadId;
          const members = (form.getFieldValue('memberIds') as string[] | undefined) ?? [];
          if (lead && !members.includes(lead)) form.setFieldValue('memberIds', [...members, lead]);
        }}
        initialValues={{
          branchId: team?.branchId ?? branchId,
          departmentId: team?.departmentId ?? null,
          name: team?.name ?? '',
          kind: team?.kind ?? 'regular',
          leadId: team?.leadId ?? null,
          memberIds: team?.memberIds ?? [],
        }}
      >
        <Form.Item name="branchId" label={t('org.department.branch')} rules={[{ required: true }]}>
          <Select
            disabled={team !== null}
            options={(branches ?? []).map((b) => ({ value: b.id, label: b.name }))}
            onChange={() => form.setFieldValue('departmentId', null)}
          />
        </Form.Item>
        <Form.Item name="name" label={t('org.team.name')} rules={[{ required: true }, zodRule(TeamCreateSchema.shape.name)]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="kind" label={t('org.team.kind')} extra={t('org.team.specialHint')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'regular', label: t('org.team.kinds.regular') },
              { value: 'special', label: t('org.team.kinds.special') },
            ]}
          />
        </Form.Item>
        <Form.Item name="departmentId" label={t('org.team.department')}>
          <Select allowClear options={(departments ?? []).filter((d) => d.active || d.id === team?.departmentId).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="leadId" label={t('org.team.lead')}>
          <StaffSelect known={known} placeholder={t('org.team.pickStaff')} />
        </Form.Item>
        <Form.Item name="memberIds" label={t('org.team.members')}>
          <StaffSelect multiple known={known} placeholder={t('org.team.pickStaff')} />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

export function TeamsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const canManage = can('branch.manage');
  const [branchId, setBranchId] = useSelectedBranch();
  const teams = useTeams(branchId, branchId !== undefined);
  const { data: departments } = useDepartments(branchId, branchId !== undefined);
  const people = useStaffList({ pageSize: 200 }, can('staff.read'));
  const update = useUpdateTeam();
  const showError = useShowError();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const byId = useMemo(() => new Map((people.data?.items ?? []).map((s) => [s.id, s])), [people.data]);
  const nameOf = (id: string) => {
    const s = byId.get(id);
    return s ? staffLabel(s) : id.slice(0, 8);
  };

  return (
    <>
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <BranchPicker value={branchId} onChange={setBranchId} />
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!branchId} data-testid="team-create">
            {t('org.team.create')}
          </Button>
        )}
      </Flex>
      <Table<Team>
        rowKey="id"
        data-testid="team-table"
        loading={teams.isLoading}
        dataSource={teams.data ?? []}
        pagination={false}
        columns={[
          { title: t('org.team.name'), dataIndex: 'name' },
          { title: t('org.team.kind'), dataIndex: 'kind', width: 140, render: (k: TeamKind) => <TeamKindTag kind={k} /> },
          {
            title: t('org.team.department'),
            dataIndex: 'departmentId',
            render: (id: string | null) => (id ? (departments?.find((d) => d.id === id)?.name ?? t('common.none')) : t('common.none')),
          },
          { title: t('org.team.lead'), dataIndex: 'leadId', render: (id: string | null) => (id ? nameOf(id) : t('common.none')) },
          {
            title: t('org.team.members'),
            dataIndex: 'memberIds',
            render: (ids: string[]) => (
              <Tooltip title={ids.map(nameOf).join('、')}>
                <span>{t('org.team.memberCount', { count: ids.length })}</span>
              </Tooltip>
            ),
          },
          { title: t('common.status'), dataIndex: 'active', width: 100, render: (v: boolean) => <ActiveTag active={v} /> },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, team: Team) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(team)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={team.active ? t('common.deactivateConfirm', { name: team.name }) : t('common.reactivateConfirm', { name: team.name })}
                        onConfirm={() =>
                          update.mutate(
                            { id: team.id, patch: { active: !team.active } },
                            { onSuccess: () => void message.success(t('common.saved')), onError: (e) => showError(e) },
                          )
                        }
                      >
                        <Button type="link" size="small" danger={team.active}>
                          {team.active ? t('common.deactivate') : t('common.reactivate')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && branchId && (
        <TeamModal team={editing === 'new' ? null : editing} branchId={branchId} people={people.data?.items ?? []} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
