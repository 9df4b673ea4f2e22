/** Branches: the head office and its branches; create and edit in a modal; deactivate (never the head office). */
import { PlusOutlined } from '@ant-design/icons';
import { BranchCreate as BranchCreateSchema } from '@contracts/org/contracts';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useBranches, useCreateBranch, useUpdateBranch } from '../../api/org';
import type { Branch } from '../../api/types';
import { ActiveTag } from '../../components/tags';
import { emptyToNull, zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

interface BranchValues {
  code: string;
  name: string;
  address?: string;
  phone?: string;
}

const shape = BranchCreateSchema.shape;

function BranchModal({ branch, onClose }: { branch: Branch | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<BranchValues>();
  const create = useCreateBranch();
  const update = useUpdateBranch();
  const showError = useShowError();

  const onFinish = (raw: BranchValues) => {
    const values = emptyToNull({ ...raw, address: raw.address ?? '', phone: raw.phone ?? '' });
    const done = () => {
      void message.success(branch ? t('common.saved') : t('common.created'));
      onClose();
    };
    const body = { code: values.code ?? '', name: values.name ?? '', address: values.address, phone: values.phone };
    if (branch) update.mutate({ id: branch.id, patch: body }, { onSuccess: done, onError: (e) => showError(e, form) });
    else create.mutate(body, { onSuccess: done, onError: (e) => showError(e, form) });
  };

  return (
    <Modal
      open
      title={branch ? t('org.branch.edit') : t('org.branch.create')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('branch-submit')}
      mask={{ closable: false }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ code: branch?.code ?? '', name: branch?.name ?? '', address: branch?.address ?? '', phone: branch?.phone ?? '' }}
      >
        <Form.Item name="code" label={t('org.branch.code')} extra={t('org.branch.codeHint')} rules={[{ required: true }, zodRule(shape.code, t('org.branch.codeHint'))]}>
          <Input maxLength={32} autoFocus />
        </Form.Item>
        <Form.Item name="name" label={t('org.branch.name')} rules={[{ required: true }, zodRule(shape.name)]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="address" label={t('org.branch.address')} rules={[zodRule(shape.address)]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="phone" label={t('org.branch.phone')} rules={[zodRule(shape.phone)]}>
          <Input maxLength={40} />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

export function BranchesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const canManage = can('branch.manage');
  const branches = useBranches();
  const update = useUpdateBranch();
  const showError = useShowError();
  const [editing, setEditing] = useState<Branch | 'new' | null>(null);

  const setActive = (branch: Branch, active: boolean) =>
    update.mutate(
      { id: branch.id, patch: { active } },
      { onSuccess: () => void message.success(t('common.saved')), onError: (e) => showError(e) },
    );

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        {canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="branch-create">
            {t('org.branch.create')}
          </Button>
        )}
      </Space>
      <Table<Branch>
        rowKey="id"
        data-testid="branch-table"
        loading={branches.isLoading}
        dataSource={[...(branches.data ?? [])].sort(
          (a, b) => Number(b.kind === 'head_office') - Number(a.kind === 'head_office') || a.code.localeCompare(b.code),
        )}
        pagination={false}
        columns={[
          { title: t('org.branch.code'), dataIndex: 'code', width: 140 },
          {
            title: t('org.branch.name'),
            dataIndex: 'name',
            render: (name: string, b) => (
              <Space>
                {name}
                {b.kind === 'head_office' && <Tag color="blue" data-testid="head-office-tag">{t('org.branch.headOffice')}</Tag>}
              </Space>
            ),
          },
          { title: t('org.branch.address'), dataIndex: 'address', render: (v: string | null) => v ?? t('common.none') },
          { title: t('org.branch.phone'), dataIndex: 'phone', width: 160, render: (v: string | null) => v ?? t('common.none') },
          { title: t('common.status'), dataIndex: 'active', width: 100, render: (v: boolean) => <ActiveTag active={v} /> },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 180, render: (v: string) => formatTime(v) },
          ...(canManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, b: Branch) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(b)} data-testid={`branch-edit-${b.code}`}>
                        {t('common.edit')}
                      </Button>
                      {b.kind === 'head_office' ? (
                        <Tooltip title={t('org.branch.headOfficeCannotDeactivate')}>
                          <Button type="link" size="small" disabled>
                            {t('common.deactivate')}
                          </Button>
                        </Tooltip>
                      ) : (
                        <Popconfirm
                          title={b.active ? t('common.deactivateConfirm', { name: b.name }) : t('common.reactivateConfirm', { name: b.name })}
                          onConfirm={() => setActive(b, !b.active)}
                        >
                          <Button type="link" size="small" danger={b.active} data-testid={`branch-toggle-${b.code}`}>
                            {b.active ? t('common.deactivate') : t('common.reactivate')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <BranchModal branch={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
