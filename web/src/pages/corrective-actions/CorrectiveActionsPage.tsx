/**
 * Corrective actions (/corrective-actions): mine or all, filtered by state, source and overdue, newest first
 * ("load more" keyset paging), each with its deadline counting down. The list refetches when the live stream
 * reconnects or forwards a `corrective_action.*` event (the stream does not forward those yet: see
 * docs/corrective-actions.md). Managers raise an action by hand or from an inspection.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Flex, Form, Input, Modal, Segmented, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { CA_SOURCES, CA_STATES, correctiveKey, useCorrectiveActions, useCreateCorrective, type CaFilters, type CaSource, type CaState, type CaView } from '../../api/corrective-actions';
import { useTeams } from '../../api/org';
import { RequirePermission } from '../../components/Forbidden';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { StaffSelect } from '../../components/StaffSelect';
import { useLiveEvents } from '../../lib/live';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { CaDeadline, CaSourceTag, CaStateTag } from './labels';
import { SettingsDialog } from './SettingsDialog';

export default function CorrectiveActionsPage() {
  return (
    <RequirePermission anyOf={['corrective.read']}>
      <ListView />
    </RequirePermission>
  );
}

const ACTIVE: CaState[] = ['open', 'in_progress', 'submitted'];

function ListView() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const qc = useQueryClient();
  const [scope, setScope] = useState<'mine' | 'all'>(can('corrective.handle') && !can('corrective.verify') ? 'mine' : 'all');
  const [states, setStates] = useState<CaState[]>(ACTIVE);
  const [source, setSource] = useState<CaSource | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [creating, setCreating] = useState(false);
  const [configuring, setConfiguring] = useState(false);
  const filters: CaFilters = { states, source, overdue: overdue || undefined, mine: scope === 'mine' };
  const list = useCorrectiveActions(filters);
  useLiveEvents((e) => e.type.startsWith('corrective_action.'), () => void qc.invalidateQueries({ queryKey: correctiveKey }));

  return (
    <div data-testid="corrective-list-page">
      <PageHeader
        title={t('corrective.title')}
        extra={
          <Flex gap={8}>
            <ExportButton table="corrective-actions" filters={filters} />
            {can('evaluation.configure') && <Button onClick={() => setConfiguring(true)} data-testid="ca-settings">{t('corrective.settings.open')}</Button>}
            {can('corrective.manage') && <Button type="primary" onClick={() => setCreating(true)} data-testid="ca-new">{t('corrective.newAction')}</Button>}
          </Flex>
        }
      />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented
          value={scope}
          onChange={(v) => setScope(v as 'mine' | 'all')}
          options={[{ value: 'mine', label: t('corrective.mine') }, { value: 'all', label: t('corrective.all') }]}
          data-testid="ca-scope"
        />
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 260 }}
          placeholder={t('corrective.filters.state')}
          value={states}
          onChange={setStates}
          options={CA_STATES.map((s) => ({ value: s, label: t(`corrective.state.${s}`) }))}
          data-testid="ca-filter-state"
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('corrective.filters.source')}
          value={source}
          onChange={setSource}
          options={CA_SOURCES.map((s) => ({ value: s, label: t(`corrective.source.${s}`) }))}
        />
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="ca-filter-overdue">
          {t('corrective.filters.overdue')}
        </Checkbox>
      </Flex>
      <Table<CaView>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('corrective.empty') }}
        onRow={(row) => ({ 'data-testid': `ca-row-${row.id}`, 'data-number': row.number } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t('corrective.col.number'), dataIndex: 'number', width: 170, render: (_, row) => <Link to={`/corrective-actions/${row.id}`} data-testid="ca-link">{row.number}</Link> },
          { title: t('corrective.col.finding'), dataIndex: 'finding', ellipsis: true },
          { title: t('corrective.col.source'), dataIndex: 'source', width: 120, render: (_, row) => <CaSourceTag source={row.source} /> },
          { title: t('corrective.col.owner'), width: 120, render: (_, row) => row.owner?.name ?? <Typography.Text type="secondary">{t('corrective.unassigned')}</Typography.Text> },
          { title: t('corrective.col.request'), width: 170, render: (_, row) => (row.request ? <Link to={`/requests/${row.request.id}`}>{row.request.number}</Link> : '—') },
          { title: t('corrective.col.state'), width: 110, render: (_, row) => <CaStateTag state={row.state} /> },
          { title: t('corrective.col.due'), width: 150, render: (_, row) => <CaDeadline action={row} /> },
        ]}
      />
      {list.hasNextPage && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>{t('corrective.loadMore')}</Button>
        </Flex>
      )}
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
      {configuring && <SettingsDialog onClose={() => setConfiguring(false)} />}
    </div>
  );
}

function CreateDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ source: 'manual' | 'inspection'; finding: string; reference?: string; teamId?: string; ownerId?: string }>();
  const create = useCreateCorrective();
  const teams = useTeams(undefined);
  const navigate = useNavigate();
  const showError = useShowError();
  const submit = async () => {
    const values = await form.validateFields();
    try {
      const created = await create.mutateAsync({ ...values, reference: values.reference || undefined });
      onClose();
      void navigate(`/corrective-actions/${created.id}`);
    } catch (error) {
      showError(error, form);
    }
  };
  return (
    <Modal open title={t('corrective.create.title')} onCancel={onClose} onOk={() => void submit()} okText={t('corrective.create.submit')} confirmLoading={create.isPending} okButtonProps={buttonTestId('ca-create-submit')}>
      <Form form={form} layout="vertical" initialValues={{ source: 'manual' }}>
        <Form.Item name="source" label={t('corrective.create.source')}>
          <Segmented options={(['manual', 'inspection'] as const).map((s) => ({ value: s, label: t(`corrective.source.${s}`) }))} />
        </Form.Item>
        <Form.Item name="finding" label={t('corrective.fields.finding')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="ca-create-finding" />
        </Form.Item>
        <Form.Item name="reference" label={t('corrective.fields.reference')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="teamId" label={t('corrective.fields.team')}>
          <Select allowClear options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} />
        </Form.Item>
        <Form.Item name="ownerId" label={t('corrective.fields.owner')}>
          <StaffSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}
