/** Customers: search by name or exact phone, filter by flag (green channel), create and edit, audited reveal. */
import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import { revealCustomerPii, useCustomers, type CustomerFilter } from '../../api/customers';
import { useBranches } from '../../api/org';
import { CUSTOMER_FLAGS, type Customer, type CustomerFlag, type CustomerPii } from '../../api/types';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { PiiText } from '../../components/PiiText';
import { FlagTags } from '../../components/tags';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { CustomerModal } from './CustomerForm';

/** Checks the permission before the view mounts, so no request is made that would only be refused. */
export default function CustomersPage() {
  return (
    <RequirePermission anyOf={['customer.read']}>
      <CustomersView />
    </RequirePermission>
  );
}

function CustomersView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const canManage = can('customer.manage');
  const canReveal = can('pii:read');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [filter, setFilter] = useState<CustomerFilter>({ page: 1, pageSize: 20 });
  const list = useCustomers(filter);
  const { data: branches } = useBranches(can('branch.read'));
  const branchName = useMemo(() => new Map((branches ?? []).map((b) => [b.id, b.name])), [branches]);
  const showError = useShowError();
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const [revealed, setRevealed] = useState<Record<string, CustomerPii>>({});
  const [revealing, setRevealing] = useState<string | null>(null);

  const patchFilter = (patch: Partial<CustomerFilter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));

  // One audited call reveals both phone and ID number of the row.
  const reveal = (c: Customer) => {
    setRevealing(c.id);
    revealCustomerPii(c.id)
      .then((pii) => {
        setRevealed((r) => ({ ...r, [c.id]: pii }));
        void message.info({ content: t('pii.revealed'), key: 'pii' });
      })
      .catch((e: unknown) => showError(e))
      .finally(() => setRevealing(null));
  };

  return (
    <>
      <PageHeader
        title={t('nav.customers')}
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="customer-create">
              {t('customers.create')}
            </Button>
          )
        }
      />
      <Flex wrap gap={12} style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder={t('customers.searchName')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onSearch={(v) => patchFilter({ q: v.trim() || undefined })}
          data-testid="customer-search"
        />
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder={t('customers.searchPhone')}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          onSearch={(v) => patchFilter({ phone: v.trim() || undefined })}
          data-testid="customer-phone-search"
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('customers.filterFlag')}
          value={filter.flag}
          onChange={(v: CustomerFlag | undefined) => patchFilter({ flag: v })}
          options={CUSTOMER_FLAGS.map((f) => ({ value: f, label: t(`customers.flagValues.${f}`) }))}
          data-testid="customer-filter-flag"
        />
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        <Tag color="green">{t('customers.greenChannel')}</Tag>
        {t('customers.greenChannelHint')}
      </Typography.Paragraph>
      {canReveal && <Typography.Paragraph type="secondary">{t('pii.notice')}</Typography.Paragraph>}
      <Table<Customer>
        rowKey="id"
        data-testid="customer-table"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1300 }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
        }}
        expandable={{
          rowExpandable: (c) => Boolean(c.notes),
          expandedRowRender: (c) => <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{c.notes}</Typography.Paragraph>,
        }}
        columns={[
          { title: t('customers.name'), dataIndex: 'name', fixed: 'left', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          {
            title: t('customers.phone'),
            dataIndex: 'phone',
            width: 200,
            render: (v: string | null, c) => (
              <PiiText
                masked={v}
                revealed={revealed[c.id]?.phone}
                canReveal={canReveal}
                loading={revealing === c.id}
                onReveal={() => reveal(c)}
                testId={`customer-phone-${c.id}`}
              />
            ),
          },
          {
            title: t('customers.idNumber'),
            dataIndex: 'idNumber',
            width: 250,
            render: (v: string | null, c) => (
              <PiiText
                masked={v}
                revealed={revealed[c.id]?.idNumber}
                canReveal={canReveal}
                loading={revealing === c.id}
                onReveal={() => reveal(c)}
                testId={`customer-id-${c.id}`}
              />
            ),
          },
          { title: t('customers.flags'), dataIndex: 'flags', render: (flags: CustomerFlag[]) => <FlagTags flags={flags} /> },
          { title: t('customers.email'), dataIndex: 'email', render: (v: string | null) => v ?? t('common.none') },
          { title: t('customers.branch'), dataIndex: 'branchId', render: (id: string | null) => (id ? (branchName.get(id) ?? t('common.none')) : t('common.none')) },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatTime(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 120,
            render: (_: unknown, c) => (
              <Space size={0}>
                {canManage && (
                  <Button type="link" size="small" onClick={() => setEditing(c)} data-testid={`customer-edit-${c.id}`}>
                    {t('common.edit')}
                  </Button>
                )}
                {can('audit.read') && (
                  <Tooltip title={t('customers.viewAudit')}>
                    <Button
                      type="link"
                      size="small"
                      icon={<HistoryOutlined />}
                      aria-label={t('customers.viewAudit')}
                      onClick={() => void navigate(`/audit?entityType=customer&entityId=${c.id}`)}
                    />
                  </Tooltip>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && <CustomerModal customer={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
