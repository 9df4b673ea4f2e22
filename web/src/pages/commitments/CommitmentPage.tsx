/**
 * One commitment (`/commitments/:id?version=<versionId>`): its versions as a timeline, and the chosen version —
 * the approval procedure and the actions allowed now, then either the draft editor (drafts, for editors) or the
 * letter, its facts, its targets and its approval record.
 */
import { ArrowLeftOutlined, GlobalOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Result, Row, Segmented, Skeleton, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useCalendars } from '../../api/calendars';
import { useStaffMember, useVersions, type Version } from '../../api/commitments';
import { useBranches, useDepartments } from '../../api/org';
import { RequirePermission } from '../../components/Forbidden';
import { currentLanguage } from '../../i18n';
import { formatTime } from '../../lib/time';
import { ApprovalRecordTable, ApprovalSteps, VersionActions } from './Approval';
import { StatusTag } from './labels';
import { Markdown } from './Markdown';
import { TargetsTable } from './TargetsTable';
import { VersionEditor } from './VersionEditor';

export default function CommitmentPage() {
  return (
    <RequirePermission anyOf={['commitment.read']}>
      <CommitmentView />
    </RequirePermission>
  );
}

const OPEN: readonly Version['status'][] = ['draft', 'in_review', 'approved'];

function CommitmentView() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const me = useCurrentMe();
  const versions = useVersions(id);
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => setDirty(d), []);

  const list = useMemo(() => versions.data ?? [], [versions.data]);
  const chosenId = search.get('version');
  const selected = list.find((v) => v.id === chosenId) ?? list[0];
  const inForce = list.find((v) => v.status === 'published');
  const hasOpenVersion = list.some((v) => OPEN.includes(v.status));

  const choose = (v: Version) => {
    if (dirty && !window.confirm(t('commitments.editor.leaveUnsaved'))) return;
    setSearch({ version: v.id }, { replace: true });
  };

  if (versions.isLoading) return <Skeleton active />;
  if (versions.error) {
    return <Result status={versions.error instanceof ApiError && versions.error.status === 404 ? '404' : 'error'} title={versions.error.message} extra={<Link to="/commitments">{t('commitments.back')}</Link>} />;
  }
  if (!selected) return <Empty />;

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space align="center" wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => void navigate('/commitments')} data-testid="commitment-back" aria-label={t('commitments.back')} />
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="commitment-title">
            {selected.title}
          </Typography.Title>
          <Tag className="pledge-mono" data-testid="commitment-number">
            {selected.number}
          </Tag>
          {inForce && <Tag color="success">{t('commitments.inForceVersion', { version: inForce.version })}</Tag>}
        </Space>
        {inForce && (
          <Space wrap>
            <a href={`/public/${encodeURIComponent(me.organization.code)}`} target="_blank" rel="noopener noreferrer">
              <Button icon={<GlobalOutlined />}>{t('commitments.publicPage')}</Button>
            </a>
            <a href={`/public/${encodeURIComponent(me.organization.code)}/commitments/${encodeURIComponent(selected.number)}/print`} target="_blank" rel="noopener noreferrer">
              <Button icon={<PrinterOutlined />}>{t('commitments.printable')}</Button>
            </a>
          </Space>
        )}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={6} xxl={5}>
          <Card size="small" title={t('commitments.versionsTitle')} data-testid="version-timeline">
            <Timeline
              items={list.map((v) => ({
                key: v.id,
                color: v.status === 'published' ? 'green' : v.status === 'superseded' || v.status === 'withdrawn' ? 'gray' : 'blue',
                content: (
                  <div
                    className={v.id === selected.id ? 'pledge-version-item pledge-version-selected' : 'pledge-version-item'}
                    onClick={() => choose(v)}
                    role="button"
                    tabIndex={0}
                    onKeyDown={(e) => e.key === 'Enter' && choose(v)}
                    data-testid={`version-item-${v.version}`}
                    data-selected={v.id === selected.id ? 'true' : 'false'}
                  >
                    <Space size={4} wrap>
                      <Typography.Text strong>{t('commitments.versionN', { version: v.version })}</Typography.Text>
                      <StatusTag status={v.status} />
                    </Space>
                    <div className="pledge-version-item-meta">
                      {v.publishedAt ? t('commitments.publishedOn', { time: formatTime(v.publishedAt, 'YYYY-MM-DD') }) : t('commitments.updatedOn', { time: formatTime(v.updatedAt, 'YYYY-MM-DD HH:mm') })}
                    </div>
                    <div className="pledge-version-item-meta">{t(`commitments.triggers.${v.changeTrigger}`)}</div>
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={18} xxl={19}>
          <VersionPanel key={selected.id} version={selected} hasOpenVersion={hasOpenVersion} onDirtyChange={onDirtyChange} dirty={dirty} onNewVersion={(v) => setSearch({ version: v.id }, { replace: true })} />
        </Col>
      </Row>
    </>
  );
}

function VersionPanel({
  version,
  hasOpenVersion,
  dirty,
  onDirtyChange,
  onNewVersion,
}: {
  version: Version;
  hasOpenVersion: boolean;
  dirty: boolean;
  onDirtyChange: (dirty: boolean) => void;
  onNewVersion: (v: Version) => void;
}) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const editing = version.status === 'draft' && can('commitment.edit');
  const lastRejection = version.status === 'draft' ? [...version.approvals].sort((a, b) => b.decidedAt.localeCompare(a.decidedAt)).find((a) => a.decision === 'rejected') : undefined;

  return (
    <Flex vertical gap={16} data-testid="version-panel" data-status={version.status} data-version={version.version}>
      <Card size="small">
        <Flex vertical gap={12}>
          <Space wrap>
            <Typography.Text strong>{t('commitments.versionN', { version: version.version })}</Typography.Text>
            <StatusTag status={version.status} testId="version-status" />
          </Space>
          <ApprovalSteps version={version} />
          {lastRejection && (
            <Alert
              type="warning"
              showIcon
              data-testid="version-rejected"
              title={t('commitments.approval.rejectedAt', { step: t(`commitments.steps.${lastRejection.step}`), actor: lastRejection.actorName ?? '—' })}
              description={lastRejection.comment || undefined}
            />
          )}
          <VersionActions version={version} hasOpenVersion={hasOpenVersion} dirty={editing && dirty} onNewVersion={onNewVersion} />
        </Flex>
      </Card>
      {editing ? <VersionEditor version={version} onDirtyChange={onDirtyChange} /> : <VersionView version={version} />}
      {version.approvals.length > 0 && (
        <Card size="small" title={t('commitments.approval.record')}>
          <ApprovalRecordTable approvals={version.approvals} />
        </Card>
      )}
    </Flex>
  );
}

function VersionView({ version }: { version: Version }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const branches = useBranches(can('branch.read'));
  const departments = useDepartments(undefined, can('branch.read'));
  const calendars = useCalendars(can('calendar.read'));
  const person = useStaffMember(can('staff.read') ? version.responsiblePersonId : null);
  const [lang, setLang] = useState<'zh-CN' | 'en-US'>(currentLanguage() === 'en-US' && version.bodyEn ? 'en-US' : 'zh-CN');

  const branchName = (id: string) => branches.data?.find((b) => b.id === id)?.name ?? id.slice(0, 8);
  const departmentName = (id: string) => departments.data?.find((d) => d.id === id)?.name ?? id.slice(0, 8);
  const calendarName = (id: string | null) => (id ? (calendars.data?.find((c) => c.id === id)?.name ?? id.slice(0, 8)) : t('commitments.target.defaultCalendar'));
  const sep = t('commitments.listSeparator');
  const scope = [
    version.scope.branchIds.length ? version.scope.branchIds.map(branchName).join(sep) : t('commitments.editor.wholeOrganization'),
    version.scope.departmentIds.length ? version.scope.departmentIds.map(departmentName).join(sep) : null,
    version.scope.channels.length ? version.scope.channels.map((c) => t(`commitments.channels.${c}`)).join(sep) : t('commitments.editor.everyChannel'),
  ].filter(Boolean).join(' · ');

  const body = lang === 'en-US' && version.bodyEn ? version.bodyEn : version.bodyZh;

  return (
    <>
      <Card size="small" title={t('commitments.facts')}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          data-testid="version-facts"
          items={[
            { key: 'number', label: t('commitments.number'), children: version.number },
            { key: 'version', label: t('commitments.fields.version'), children: t('commitments.versionN', { version: version.version }) },
            { key: 'party', label: t('commitments.fields.partyType'), children: t(`commitments.partyTypes.${version.partyType}`) },
            {
              key: 'period',
              label: t('commitments.fields.period'),
              children: (
                <span data-testid="version-period">
                  {version.effectiveFrom ?? t('commitments.fromPublication')} ~ {version.effectiveTo ?? t('commitments.editor.openEnded')}
                </span>
              ),
            },
            { key: 'scope', label: t('commitments.fields.scope'), children: scope, span: 2 },
            { key: 'department', label: t('commitments.fields.responsibleDepartment'), children: version.responsibleDepartmentId ? departmentName(version.responsibleDepartmentId) : '—' },
            {
              key: 'person',
              label: t('commitments.fields.responsiblePerson'),
              children: version.responsiblePersonId ? (person.data?.displayName ?? (person.isLoading ? '…' : '—')) : '—',
            },
            { key: 'trigger', label: t('commitments.fields.changeTrigger'), children: t(`commitments.triggers.${version.changeTrigger}`) },
            ...(version.changeSummary ? [{ key: 'summary', label: t('commitments.fields.changeSummary'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{version.changeSummary}</span>, span: 3 }] : []),
            { key: 'published', label: t('commitments.fields.publishedAt'), children: formatTime(version.publishedAt, 'YYYY-MM-DD HH:mm') },
            { key: 'updated', label: t('common.updatedAt'), children: formatTime(version.updatedAt, 'YYYY-MM-DD HH:mm') },
          ]}
        />
      </Card>
      <Card size="small" data-testid="version-content">
        <Tabs
          defaultActiveKey="targets"
          tabBarExtraContent={
            version.bodyEn ? (
              <Segmented
                size="small"
                value={lang}
                onChange={(v) => setLang(v as 'zh-CN' | 'en-US')}
                options={[
                  { value: 'zh-CN', label: t('locales.zh-CN') },
                  { value: 'en-US', label: t('locales.en-US') },
                ]}
                data-testid="letter-lang"
              />
            ) : null
          }
          items={[
            {
              key: 'targets',
              label: <span data-testid="version-tab-targets">{t('commitments.targetsCount', { count: version.targets.length })}</span>,
              forceRender: true,
              children: (
                <div data-testid="version-targets">
                  <TargetsTable targets={version.targets} calendarName={calendarName} />
                </div>
              ),
            },
            {
              key: 'letter',
              label: <span data-testid="version-tab-letter">{t('commitments.fields.letter')}</span>,
              forceRender: true,
              children: body.trim() ? <Markdown source={body} testId="version-letter" className="pledge-letter" /> : <Empty description={t('commitments.editor.emptyBody')} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
