/**
 * Audit log: filter by entity, action, actor, date range (days in the organization's zone) and request id; each
 * row expands to its before/after table. Filters live in the URL (?entityType=customer&entityId=…), so other
 * pages can link here. The filter form is named "audit": ids audit_entityType, audit_entityId, audit_action,
 * audit_actorId, audit_range, audit_requestId.
 */
import { SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, Col, DatePicker, Form, Input, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useAudit, type AuditFilter } from '../../api/admin';
import { usePermissions } from '../../api/auth';
import type { AuditEntry } from '../../api/types';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { StaffSelect } from '../../components/StaffSelect';
import { endOfDayInZone, formatTime, getTimeZone, startOfDayInZone } from '../../lib/time';
import { DiffTable } from './DiffTable';
import { actorLabel } from '../../lib/actors';

const ENTITY_TYPES = ['organization', 'branch', 'department', 'team', 'staff', 'customer', 'calendar', 'holiday_year', 'token', 'outbox'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];
const ACTIONS = [
  'auth.', 'auth.sign_in', 'auth.sign_in_failed', 'auth.locked', 'auth.sign_out', 'auth.password_change',
  'organization.', 'organization.update', 'branch.', 'branch.create', 'branch.update', 'department.', 'team.',
  'staff.', 'staff.create', 'staff.update', 'staff.deactivate', 'staff.reactivate', 'staff.unlock',
  'staff.password_reset', 'staff.pii_read', 'customer.', 'customer.create', 'customer.update', 'customer.pii_read',
  'token.', 'token.create', 'token.revoke', 'outbox.retry',
];
const KEYS = ['entityType', 'entityId', 'actorId', 'action', 'from', 'to', 'requestId'] as const;

interface FilterValues {
  entityType?: string;
  entityId?: string;
  actorId?: string | null;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  requestId?: string;
}

function isEntityType(v: string): v is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(v);
}

function actionColor(action: string): string {
  if (action.endsWith('pii_read')) return 'purple';
  if (action.endsWith('.create')) return 'green';
  if (action.endsWith('.deactivate') || action.endsWith('.revoke') || action.endsWith('locked') || action.endsWith('failed')) return 'red';
  if (action.startsWith('auth.')) return 'default';
  return 'blue';
}

/** Checks the permission before the view mounts, so no request is made that would only be refused. */
export default function AuditPage() {
  return (
    <RequirePermission anyOf={['audit.read']}>
      <AuditView />
    </RequirePermission>
  );
}

function AuditView() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterValues>();
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const filter: AuditFilter = { page, pageSize };
  for (const key of KEYS) filter[key] = params.get(key) ?? undefined;
  const audit = useAudit(filter);
  const entityLabel = (v: string) => (isEntityType(v) ? t(`audit.entityTypes.${v}`) : v);

  const apply = (v: FilterValues) => {
    const next = new URLSearchParams();
    const set = (key: string, value: string | null | undefined) => {
      const trimmed = value?.trim();
      if (trimmed) next.set(key, trimmed);
    };
    set('entityType', v.entityType);
    set('entityId', v.entityId);
    set('actorId', v.actorId);
    set('action', v.action);
    set('requestId', v.requestId);
    if (v.range?.[0]) next.set('from', startOfDayInZone(v.range[0]));
    if (v.range?.[1]) next.set('to', endOfDayInZone(v.range[1]));
    setParams(next);
  };

  /** Narrows the filter from a cell (click an actor, action, entity or request id). */
  const narrow = (values: Partial<Record<'actorId' | 'action' | 'entityType' | 'entityId' | 'requestId', string>>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(values)) if (value) next.set(key, value);
    next.delete('page');
    setParams(next);
    form.setFieldsValue(values);
  };

  const fromParam = params.get('from');
  const toParam = params.get('to');

  return (
    <>
      <PageHeader title={t('nav.audit')} />
      <Card style={{ marginBottom: 16 }}>
        <Form<FilterValues>
          form={form}
          name="audit"
          layout="vertical"
          onFinish={apply}
          initialValues={{
            entityType: params.get('entityType') ?? undefined,
            entityId: params.get('entityId') ?? undefined,
            actorId: params.get('actorId') ?? null,
            action: params.get('action') ?? undefined,
            requestId: params.get('requestId') ?? undefined,
            range: fromParam || toParam ? [fromParam ? dayjs(fromParam).tz(getTimeZone()) : null, toParam ? dayjs(toParam).tz(getTimeZone()) : null] : null,
          }}
        >
          <Row gutter={16}>
            <Col xs={24} md={8} xl={4}>
              <Form.Item name="entityType" label={t('audit.entityType')}>
                <AutoComplete
                  allowClear
                  options={ENTITY_TYPES.map((v) => ({ value: v, label: `${t(`audit.entityTypes.${v}`)} (${v})` }))}
                  showSearch={{ filterOption: (input, option) => String(option?.label ?? '').toLowerCase().includes(input.toLowerCase()) }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8} xl={5}>
              <Form.Item name="entityId" label={t('audit.entityId')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} md={8} xl={5}>
              <Form.Item name="action" label={t('audit.action')} tooltip={t('audit.actionHint')}>
                <AutoComplete
                  allowClear
                  options={ACTIONS.map((a) => ({ value: a }))}
                  showSearch={{ filterOption: (input, option) => String(option?.value ?? '').startsWith(input) }}
                />
              </Form.Item>
            </Col>
            {can('staff.read') && (
              <Col xs={24} md={8} xl={5}>
                <Form.Item name="actorId" label={t('audit.actor')}>
                  <StaffSelect />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={8} xl={5}>
              <Form.Item name="range" label={`${t('audit.dateRange')} (${getTimeZone()})`}>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8} xl={6}>
              <Form.Item name="requestId" label={t('audit.requestId')}>
                <Input allowClear />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                form.setFieldsValue({ entityType: undefined, entityId: undefined, actorId: null, action: undefined, requestId: undefined, range: null });
                setParams(new URLSearchParams());
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form>
      </Card>
      <Table<AuditEntry>
        rowKey="id"
        data-testid="audit-table"
        size="middle"
        loading={audit.isFetching}
        dataSource={audit.data?.items ?? []}
        scroll={{ x: 1000 }}
        expandable={{ expandedRowRender: (entry) => <DiffTable entry={entry} /> }}
        pagination={{
          current: page,
          pageSize,
          total: audit.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, size) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            next.set('pageSize', String(size));
            setParams(next);
          },
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 180, render: (v: string) => formatTime(v) },
          {
            title: t('audit.actor'),
            key: 'actor',
            render: (_: unknown, e) =>
              e.actorId ? (
                <a onClick={() => narrow({ actorId: e.actorId ?? '' })}>{e.actorName ?? e.actorId.slice(0, 8)}</a>
              ) : (
                <Typography.Text type="secondary">{e.actorKind === 'system' ? actorLabel(t, e.actorName) : (e.actorName ?? e.actorKind)}</Typography.Text>
              ),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (v: string) => (
              <Tag color={actionColor(v)} className="pledge-mono" style={{ cursor: 'pointer' }} onClick={() => narrow({ action: v })}>
                {v}
              </Tag>
            ),
          },
          { title: t('audit.entityType'), dataIndex: 'entityType', render: (v: string) => entityLabel(v) },
          {
            title: t('audit.entityId'),
            dataIndex: 'entityId',
            render: (v: string | null, e) =>
              v ? (
                <Tooltip title={v}>
                  <a className="pledge-mono" onClick={() => narrow({ entityType: e.entityType, entityId: v })}>
                    {v.length > 12 ? `${v.slice(0, 8)}…` : v}
                  </a>
                </Tooltip>
              ) : (
                t('common.none')
              ),
          },
          {
            title: t('audit.requestId'),
            dataIndex: 'requestId',
            render: (v: string | null) =>
              v ? (
                <Tooltip title={v}>
                  <a className="pledge-mono" onClick={() => narrow({ requestId: v })}>
                    {v.length > 12 ? `${v.slice(0, 10)}…` : v}
                  </a>
                </Tooltip>
              ) : (
                t('common.none')
              ),
          },
          { title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => <span className="pledge-mono">{v ?? t('common.none')}</span> },
        ]}
      />
    </>
  );
}
