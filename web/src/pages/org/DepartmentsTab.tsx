/** Departments of one branch: create, rename, deactivate. */
import { PlusOutlined } from '@ant-design/icons';
import { DepartmentCreate as DepartmentCreateSchema } from '@contracts/org/contracts';
import { App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useBranches, useCreateDepartment, useDepartments, useUpdateDepartment } from '../../api/org';
import type { Department } from '../../api/types';
import { ActiveTag } from '../../components/tags';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { BranchPicker, useSelectedBranch } from './BranchSelect';

interface DepartmentValues {
  branchId: string;
  name: string;
}

function DepartmentModal({ department, branchId, onClose }: { department: Department | null; branchId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DepartmentValues>();
  const { data: branches } = useBranches();
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const showError = useShowError();

  const onFinish = (values: DepartmentValues) => {
    const done = () => {
      void message.success(department ? t('common.saved') : t('common.created'));
      onClose();
    };
    const onError = (e: unknown) => showError(e, form);
    if (department) update.mutate({ id: department.id, patch: { name: values.name.trim() } }, { onSuccess: done, onError });
    else create.mutate({ branchId: values.branchId, name: values.name.trim() }, { onSuccess: done, onError });
  };

  return (
    <Modal
      open
      title={department ? t('org.department.edit') : t('org.department.create')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('department-submit')}
      mask={{ closable: false }}
    >
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ branchId: department?.branchId ?? branchId, name: department?.name ?? '' }}>
        <Form.Item name="branchId" label={t('org.department.branch')} rules={[{ required: true }]}>
          <Select disabled={department !== null} options={(branches ?? []).map((b) => ({ value: b.id, label: b.name }))} />
        </Form.Item>
        <Form.Item name="name" label={t('org.department.name')} rules={[{ required: true }, zodRule(DepartmentCreateSchema.shape.name)]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

export function DepartmentsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const canManage = can('branch.manage');
  const [branchId, setBranchId] = useSelectedBranch();
  const departments = useDepartments(branchId, branchId !== undefined);
  const update = useUpdateDepartment();
  const showError = useShowError();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);

  return (
    <>
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <BranchPicker value={branchId} onChange={setBranchId} />
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!branchId} data-testid="department-create">
            {t('org.department.create')}
          </Button>
        )}
      </Flex>
      <Table<Department>
        rowKey="id"
        data-testid="department-table"
        loading={departments.isLoading}
        dataSource={departments.data ?? []}
        pagination={false}
        locale={{ emptyText: t('org.department.empty') }}
        columns={[
          { title: t('org.department.name'), dataIndex: 'name' },
          { title: t('common.status'), dataIndex: 'active', width: 100, render: (v: boolean) => <ActiveTag active={v} /> },
          { title: t('common.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => formatTime(v) },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, d: Department) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(d)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={d.active ? t('common.deactivateConfirm', { name: d.name }) : t('common.reactivateConfirm', { name: d.name })}
                        onConfirm={() =>
                          update.mutate(
                            { id: d.id, patch: { active: !d.active } },
                            { onSuccess: () => void message.success(t('common.saved')), onError: (e) => showError(e) },
                          )
                        }
                      >
                        <Button type="link" size="small" danger={d.active}>
                          {d.active ? t('common.deactivate') : t('common.reactivate')}
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
        <DepartmentModal department={editing === 'new' ? null : editing} branchId={branchId} onClose={() => setEditing(null)} />
      )}
    </>
  );
}
