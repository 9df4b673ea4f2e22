/**
 * "Which rule would apply?": describe a request, see the first active rule whose conditions hold. The match is
 * the server's own pure function (routing-rules.ts), so the answer is what routing will do.
 */
import { ruleMatches } from '@contracts/requests/routing-rules';
import { Alert, Card, Col, Form, Row, Select, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth';
import type { Category, RoutingRule } from '../../api/requests';
import type { Branch, Team } from '../../api/types';
import { lineage } from './category-tree';
import { useCategoryTreeData, useVocabOptions, type CHANNELS, type FLAGS, type PRIORITIES, type REQUEST_TYPES } from './labels';
import { RuleTarget } from './RuleSummary';

interface Facts {
  type: (typeof REQUEST_TYPES)[number];
  priority: (typeof PRIORITIES)[number];
  channel: (typeof CHANNELS)[number];
  categoryId?: string | null;
  customerFlags: (typeof FLAGS)[number][];
  branchId: string;
}

interface Props {
  rules: RoutingRule[];
  categories: Category[];
  branches: Branch[];
  teams: Team[];
  onMatch: (ruleId: string | null) => void;
}

export function RuleTester({ rules, categories, branches, teams, onMatch }: Props) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [form] = Form.useForm<Facts>();
  const options = useVocabOptions();
  const categoryTree = useCategoryTreeData(categories);
  const initial: Facts = { type: 'consultation', priority: 'general', channel: 'phone', categoryId: null, customerFlags: [], branchId: me.staff.branchId };
  const watched = Form.useWatch([], form) as Partial<Facts> | undefined;
  const facts = { ...initial, ...watched };

  const index = useMemo(
    () =>
      rules.findIndex(
        (r) =>
          r.active &&
          ruleMatches(r.conditions, {
            type: facts.type, priority: facts.priority, channel: facts.channel, branchId: facts.branchId,
            categoryIds: lineage(categories, facts.categoryId), customerFlags: facts.customerFlags ?? [],
          }),
      ),
    [rules, categories, facts.type, facts.priority, facts.channel, facts.branchId, facts.categoryId, facts.customerFlags],
  );
  const matched = index >= 0 ? rules[index] : undefined;
  useEffect(() => onMatch(matched?.id ?? null), [matched?.id, onMatch]);

  return (
    <Card title={t('deskAdmin.routing.tester.title')} data-testid="rule-tester">
      <Typography.Paragraph type="secondary">{t('deskAdmin.routing.tester.intro')}</Typography.Paragraph>
      <Form<Facts> form={form} name="tester" layout="vertical" initialValues={initial}>
        <Row gutter={16}>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="type" label={t('deskAdmin.routing.tester.type')}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={options.types} data-testid="tester-type" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="priority" label={t('deskAdmin.routing.tester.priority')}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={options.priorities} data-testid="tester-priority" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="channel" label={t('deskAdmin.routing.tester.channel')}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={options.channels} data-testid="tester-channel" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="categoryId" label={t('deskAdmin.routing.tester.category')}>
              <TreeSelect allowClear treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} treeData={categoryTree} placeholder={t('deskAdmin.routing.tester.noCategory')} data-testid="tester-category" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="customerFlags" label={t('deskAdmin.routing.tester.flags')}>
              <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear options={options.flags} data-testid="tester-flags" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} lg={4}>
            <Form.Item name="branchId" label={t('deskAdmin.routing.tester.branch')}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={branches.map((b) => ({ value: b.id, label: b.name }))} data-testid="tester-branch" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {matched ? (
        <Alert
          type="success"
          showIcon
          data-testid="tester-result"
          data-rule={matched.name}
          title={t('deskAdmin.routing.tester.match', { n: index + 1, name: matched.name })}
          description={<RuleTarget rule={matched} teams={teams} />}
        />
      ) : (
        <Alert type="info" showIcon data-testid="tester-result" data-rule="" title={t('deskAdmin.routing.tester.none')} />
      )}
    </Card>
  );
}
