/** One routing rule in a drawer: name, active, conditions, the team and/or person, and how the team shares it. */
import { RoutingRuleInput as RoutingRuleInputSchema, RoutingStrategy as RoutingStrategySchema } from '@contracts/requests/contracts';
import { App, Button, Divider, Drawer, Flex, Form, Input, Radio, Select, Space, Switch, Tag, TreeSelect, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ruleInput, useCreateRule, useUpdateRule } from '../../api/desk-admin';
import { useBranches, useTeams } from '../../api/org';
import { useCategories, type RoutingRule, type RoutingRuleInput } from '../../api/requests';
import { StaffSelect } from '../../components/StaffSelect';
import { zodRule } from '../../lib/forms';
import { useShowError } from '../../lib/use-show-error';
import { useCategoryTreeData, useVocabOptions } from './labels';

type Strategy = RoutingRule['strategy'];
type Conditions = RoutingRule['conditions'];
const STRATEGIES = RoutingStrategySchema.options;

interface RuleForm extends Conditions {
  name: string;
  active: boolean;
  teamId?: string | null;
  staffId?: string | null;
  strategy: Strategy;
}

export function RuleDrawer({ rule, nextPosition, onClose }: { rule: RoutingRule | null; nextPosition: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<RuleForm>();
  const options = useVocabOptions();
  const teams = useTeams(undefined);
  const branches = useBranches();
  const categories = useCategories();
  const categoryTree = useCategoryTreeData(categories.data ?? []);
  const create = useCreateRule();
  const update = useUpdateRule();
  const staffId = Form.useWatch('staffId', form);

  const initial: RuleForm = rule
    ? { name: rule.name, active: rule.active, ...rule.conditions, teamId: rule.teamId, staffId: rule.staffId, strategy: rule.strategy }
    : { name: '', active: true, types: [], priorities: [], channels: [], categoryIds: [], customerFlags: [], branchIds: [], teamId: null, staffId: null, strategy: 'round_robin' };

  const submit = (v: RuleForm) => {
    const input: RoutingRuleInput = {
      name: v.name.trim(),
      active: v.active,
      position: rule?.position ?? nextPosition,
      conditions: { types: v.types, priorities: v.priorities, channels: v.channels, categoryIds: v.categoryIds, customerFlags: v.customerFlags, branchIds: v.branchIds },
      teamId: v.teamId ?? null,
      staffId: v.staffId ?? null,
      strategy: v.strategy,
    };
    const done = { onSuccess: () => { void message.success(t('common.saved')); onClose(); }, onError: (e: unknown) => showError(e, form) };
    if (rule) update.mutate({ id: rule.id, input: ruleInput(rule, input) }, done);
    else create.mutate(input, done);
  };

  const teamOptions = (teams.data ?? [])
    .filter((x) => x.active || x.id === rule?.teamId)
    .map((x) => ({
      value: x.id,
      label: (
        <span>
          {x.name}
          {x.kind === 'special' && <Tag color="purple" style={{ marginInlineStart: 6 }}>{t('deskAdmin.escalation.specialTag')}</Tag>}
        </span>
      ),
      search: x.name,
    }));
  const branchOptions = (branches.data ?? []).map((b) => ({ value: b.id, label: b.name }));
  const any = t('deskAdmin.any');

  return (
    <Drawer
      open
      size={560}
      title={rule ? t('deskAdmin.routing.editTitle') : t('deskAdmin.routing.createTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" data-testid="rule-submit" loading={create.isPending || update.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<RuleForm> form={form} name="rule" layout="vertical" initialValues={initial} onFinish={submit}>
        <Flex gap={16} align="end">
          <Form.Item name="name" label={t('deskAdmin.routing.name')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true }, zodRule(RoutingRuleInputSchema.shape.name)]}>
            <Input maxLength={100} autoFocus />
          </Form.Item>
          <Form.Item name="active" label={t('deskAdmin.routing.active')} valuePropName="checked">
            <Switch data-testid="rule-active" />
          </Form.Item>
        </Flex>

        <Divider titlePlacement="start" plain>{t('deskAdmin.routing.conditions')}</Divider>
        <Typography.Paragraph type="secondary">{t('deskAdmin.routing.conditionsHelp')}</Typography.Paragraph>
        <Form.Item name="types" label={t('deskAdmin.routing.types')}>
          <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear placeholder={any} options={options.types} data-testid="rule-types" />
        </Form.Item>
        <Form.Item name="priorities" label={t('deskAdmin.routing.priorities')}>
          <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear placeholder={any} options={options.priorities} data-testid="rule-priorities" />
        </Form.Item>
        <Form.Item name="channels" label={t('deskAdmin.routing.channels')}>
          <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear placeholder={any} options={options.channels} data-testid="rule-channels" />
        </Form.Item>
        <Form.Item name="categoryIds" label={t('deskAdmin.routing.categoryIds')} extra={t('deskAdmin.routing.categoryHelp')}>
          <TreeSelect multiple allowClear treeDefaultExpandAll placeholder={any} treeData={categoryTree} data-testid="rule-categories" showSearch={{ treeNodeFilterProp: 'title' }} />
        </Form.Item>
        <Form.Item name="customerFlags" label={t('deskAdmin.routing.customerFlags')} extra={t('deskAdmin.routing.flagsHelp')}>
          <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear placeholder={any} options={options.flags} data-testid="rule-flags" />
        </Form.Item>
        <Form.Item name="branchIds" label={t('deskAdmin.routing.branchIds')}>
          <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear placeholder={any} options={branchOptions} data-testid="rule-branches" />
        </Form.Item>

        <Divider titlePlacement="start" plain>{t('deskAdmin.routing.target')}</Divider>
        <Typography.Paragraph type="secondary">{t('deskAdmin.routing.targetHelp')}</Typography.Paragraph>
        <Form.Item
          name="teamId"
          label={t('deskAdmin.routing.teamId')}
          dependencies={['staffId']}
          rules={[{
            validator: async (_r, value: unknown) => {
              if (!value && !form.getFieldValue('staffId')) throw new Error(t('deskAdmin.routing.targetRequired'));
            },
          }]}
        >
          <Select allowClear showSearch={{ optionFilterProp: 'search' }} options={teamOptions} loading={teams.isPending} data-testid="rule-team" />
        </Form.Item>
        <Form.Item name="staffId" label={t('deskAdmin.routing.staffId')}>
          <StaffSelect data-testid="rule-person" />
        </Form.Item>
        <Form.Item name="strategy" label={t('deskAdmin.routing.strategy')} extra={staffId ? t('deskAdmin.routing.strategyPersonNote') : t('deskAdmin.routing.onDutyHint')}>
          <Radio.Group disabled={!!staffId} data-testid="rule-strategy">
            <Flex vertical gap={8}>
              {STRATEGIES.map((s) => (
                <Radio key={s} value={s} data-testid={`rule-strategy-${s}`}>
                  <div>{t(`deskAdmin.routing.strategies.${s}`)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`deskAdmin.routing.strategyHelp.${s}`)}</Typography.Text>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
