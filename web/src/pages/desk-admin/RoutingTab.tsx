/**
 * Routing rules in the order they are tried: move up/down renumbers the positions, each rule opens in a drawer,
 * and the tester below shows which rule a given request would meet first.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ruleInput, useDeleteRule, useSaveRules } from '../../api/desk-admin';
import { useBranches, useTeams } from '../../api/org';
import { useCategories, useRoutingRules, type RoutingRule } from '../../api/requests';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { RuleDrawer } from './RuleDrawer';
import { RuleConditions, RuleTarget } from './RuleSummary';
import { RuleTester } from './RuleTester';

/** Rules numbered 0, 1, 2… in the given order; only those whose position changes. */
function renumber(rules: readonly RoutingRule[]) {
  return rules.map((r, position) => ({ r, position })).filter(({ r, position }) => r.position !== position)
    .map(({ r, position }) => ({ id: r.id, input: ruleInput(r, { position }) }));
}

export function RoutingTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const rules = useRoutingRules();
  const teams = useTeams(undefined);
  const branches = useBranches();
  const categories = useCategories();
  const list = useMemo(() => rules.data ?? [], [rules.data]);
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const [matchedId, setMatchedId] = useState<string | null>(null);
  const save = useSaveRules();
  const remove = useDeleteRule();

  const move = (index: number, delta: -1 | 1) => {
    const next = [...list];
    const [moved] = next.splice(index, 1);
    next.splice(index + delta, 0, moved!);
    save.mutate(renumber(next), { onError: (e) => showError(e) });
  };

  return (
    <Flex vertical gap={16}>
      <Card>
        <Flex justify="space-between" align="start" gap={16} wrap style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>{t('deskAdmin.routing.intro')}</Typography.Paragraph>
          <Button type="primary" icon={<PlusOutlined />} data-testid="rule-create" onClick={() => setEditing('new')}>
            {t('deskAdmin.routing.create')}
          </Button>
        </Flex>
        <Table<RoutingRule>
          data-testid="rule-table"
          rowKey="id"
          size="middle"
          pagination={false}
          loading={rules.isPending || save.isPending}
          dataSource={list}
          locale={{ emptyText: t('deskAdmin.routing.empty') }}
          onRow={(r) => ({ 'data-testid': `rule-row-${r.name}`, style: r.id === matchedId ? { background: '#f6ffed' } : undefined }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'n', title: '#', width: 48, render: (_v, _r, i) => i + 1 },
            {
              key: 'name', title: t('deskAdmin.routing.name'),
              render: (_v, r) => (
                <Space size={4}>
                  <Typography.Text strong={r.active} type={r.active ? undefined : 'secondary'}>{r.name}</Typography.Text>
                  {!r.active && <Tag>{t('common.inactive')}</Tag>}
                </Space>
              ),
            },
            { key: 'conditions', title: t('deskAdmin.routing.conditions'), render: (_v, r) => <RuleConditions rule={r} categories={categories.data ?? []} branches={branches.data ?? []} /> },
            { key: 'target', title: t('deskAdmin.routing.target'), render: (_v, r) => <RuleTarget rule={r} teams={teams.data ?? []} /> },
            {
              key: 'actions', title: t('common.actions'), width: 180,
              render: (_v, r, i) => (
                <Space size={0}>
                  <Tooltip title={t('deskAdmin.moveUp')}>
                    <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} data-testid={`rule-up-${r.name}`} onClick={() => move(i, -1)} />
                  </Tooltip>
                  <Tooltip title={t('deskAdmin.moveDown')}>
                    <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === list.length - 1} data-testid={`rule-down-${r.name}`} onClick={() => move(i, 1)} />
                  </Tooltip>
                  <Tooltip title={t('common.edit')}>
                    <Button type="text" size="small" icon={<EditOutlined />} data-testid={`rule-edit-${r.name}`} onClick={() => setEditing(r)} />
                  </Tooltip>
                  <Popconfirm
                    title={t('deskAdmin.routing.deleteConfirm', { name: r.name })}
                    okButtonProps={{ danger: true, ...buttonTestId('rule-delete-confirm') }}
                    onConfirm={() => remove.mutate(r.id, { onSuccess: () => void message.success(t('deskAdmin.deleted')), onError: (e) => showError(e) })}
                  >
                    <Tooltip title={t('deskAdmin.delete')}>
                      <Button type="text" size="small" danger icon={<DeleteOutlined />} data-testid={`rule-delete-${r.name}`} />
                    </Tooltip>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <RuleTester rules={list} categories={categories.data ?? []} branches={branches.data ?? []} teams={teams.data ?? []} onMatch={setMatchedId} />
      {editing && (
        <RuleDrawer
          rule={editing === 'new' ? null : editing}
          nextPosition={Math.max(-1, ...list.map((r) => r.position)) + 1}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}
