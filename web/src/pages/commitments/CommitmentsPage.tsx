/**
 * Commitments (服务承诺): the list (`/commitments`) with the version in force and the open draft of each, creation
 * from a template or blank, the notices (公告, `/commitments/notices`) as a second tab, and which measured figures
 * the public page shows (公示数据, `/commitments/public-figures`) as a third.
 */
import { FileAddOutlined, GlobalOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Empty, Space, Table, Tabs, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { useCommitments, type CommitmentSummary, type Version } from '../../api/commitments';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { StatusTag } from './labels';
import { BlankCommitmentModal, TemplateCommitmentModal } from './NewCommitment';
import { NoticesList } from './NoticesList';
import { PublicFiguresCard } from './PublicFiguresCard';

export default function CommitmentsPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const active = location.pathname.startsWith('/commitments/notices') ? 'notices' : location.pathname.startsWith('/commitments/public-figures') ? 'public-figures' : 'list';
  const [creating, setCreating] = useState<'template' | 'blank' | null>(null);
  const canEdit = can('commitment.edit');

  const created = (v: Version) => {
    setCreating(null);
    void navigate(`/commitments/${v.commitmentId}?version=${v.id}`);
  };

  return (
    <RequirePermission anyOf={['commitment.read']}>
      <PageHeader
        title={t('nav.commitments')}
        extra={
          canEdit && (
            <Space wrap>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating('template')} data-testid="commitment-from-template">
                {t('commitments.create.fromTemplate')}
              </Button>
              <Button icon={<FileAddOutlined />} onClick={() => setCreating('blank')} data-testid="commitment-create-blank">
                {t('commitments.create.blank')}
              </Button>
            </Space>
          )
        }
      >
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('commitments.intro')}
        </Typography.Paragraph>
      </PageHeader>
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(key) => void navigate(key === 'notices' ? '/commitments/notices' : key === 'public-figures' ? '/commitments/public-figures' : '/commitments')}
        items={[
          { key: 'list', label: <span data-testid="commitments-tab-list">{t('commitments.tabs.list')}</span>, children: <CommitmentList onCreate={canEdit ? () => setCreating('template') : undefined} /> },
          { key: 'notices', label: <span data-testid="commitments-tab-notices">{t('commitments.tabs.notices')}</span>, children: <NoticesList /> },
          { key: 'public-figures', label: <span data-testid="commitments-tab-public-figures">{t('publicFigures.tab')}</span>, children: <PublicFiguresCard /> },
        ]}
      />
      {creating === 'template' && <TemplateCommitmentModal onClose={() => setCreating(null)} onCreated={created} />}
      {creating === 'blank' && <BlankCommitmentModal onClose={() => setCreating(null)} onCreated={created} />}
    </RequirePermission>
  );
}

function CommitmentList({ onCreate }: { onCreate: (() => void) | undefined }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const list = useCommitments();
  const orgCode = me.organization.code;

  return (
    <Table<CommitmentSummary>
      rowKey="id"
      data-testid="commitment-table"
      loading={list.isLoading}
      dataSource={list.data ?? []}
      pagination={false}
      scroll={{ x: 960 }}
      onRow={(row) => ({ 'data-testid': `commitment-row-${row.number}` }) as React.HTMLAttributes<HTMLElement>}
      locale={{
        emptyText: list.error ? (
          <Typography.Text type="danger">{list.error.message}</Typography.Text>
        ) : (
          <Empty description={t('commitments.empty')}>
            {onCreate && (
              <Button type="primary" onClick={onCreate}>
                {t('commitments.create.fromTemplate')}
              </Button>
            )}
          </Empty>
        ),
      }}
      columns={[
        {
          title: t('commitments.number'),
          dataIndex: 'number',
          width: 170,
          render: (number: string, row) => (
            <Link to={`/commitments/${row.id}`} data-testid={`commitment-open-${number}`}>
              {number}
            </Link>
          ),
        },
        { title: t('commitments.fields.title'), dataIndex: 'title', ellipsis: { showTitle: true }, width: 320 },
        {
          title: t('commitments.inForce'),
          key: 'inForce',
          width: 220,
          render: (_, row) =>
            row.inForce ? (
              <Link to={`/commitments/${row.id}?version=${row.inForce.versionId}`} data-testid={`commitment-in-force-${row.number}`}>
                {t('commitments.versionN', { version: row.inForce.version })}
                <Typography.Text type="secondary"> · {t('commitments.publishedOn', { time: formatTime(row.inForce.publishedAt, 'YYYY-MM-DD') })}</Typography.Text>
              </Link>
            ) : (
              <Typography.Text type="secondary">{t('commitments.notPublished')}</Typography.Text>
            ),
        },
        {
          title: t('commitments.openDraft'),
          key: 'draft',
          width: 220,
          render: (_, row) =>
            row.draft ? (
              <Space size={4}>
                <Link to={`/commitments/${row.id}?version=${row.draft.versionId}`}>{t('commitments.versionN', { version: row.draft.version })}</Link>
                <StatusTag status={row.draft.status} testId={`commitment-draft-status-${row.number}`} />
              </Space>
            ) : (
              t('common.none')
            ),
        },
        { title: t('commitments.versions'), dataIndex: 'versions', width: 90, align: 'right' },
        { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatTime(v, 'YYYY-MM-DD HH:mm') },
        {
          title: t('common.actions'),
          key: 'actions',
          width: 200,
          fixed: 'right',
          render: (_, row) => (
            <Space size={0} wrap>
              <Link to={`/commitments/${row.id}`}>
                <Button type="link" size="small">
                  {t('commitments.open')}
                </Button>
              </Link>
              {row.inForce && (
                <>
                  <Tooltip title={t('commitments.publicPageHint')}>
                    <a href={`/public/${encodeURIComponent(orgCode)}`} target="_blank" rel="noopener noreferrer" data-testid={`commitment-public-${row.number}`}>
                      <Button type="link" size="small" icon={<GlobalOutlined />} />
                    </a>
                  </Tooltip>
                  <Tooltip title={t('commitments.printable')}>
                    <a
                      href={`/public/${encodeURIComponent(orgCode)}/commitments/${encodeURIComponent(row.number)}/print`}
                      target="_blank"
                      rel="noopener noreferrer"
                      data-testid={`commitment-print-${row.number}`}
                    >
                      <Button type="link" size="small" icon={<PrinterOutlined />} />
                    </a>
                  </Tooltip>
                </>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}
