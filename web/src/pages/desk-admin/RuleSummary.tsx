/** A routing rule in words: its conditions as labelled tags, and where it sends a request. */
import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useStaffMember } from '../../api/desk-admin';
import type { Category, RoutingRule } from '../../api/requests';
import type { Branch, Team } from '../../api/types';
import { staffLabel } from '../../components/StaffSelect';
import { pathOf } from './category-tree';
import { useCategoryName } from './labels';

/** The non-empty conditions of a rule as labelled tag groups ("every request" when there are none). */
export function RuleConditions({ rule, categories, branches }: { rule: RoutingRule; categories: Category[]; branches: Branch[] }) {
  const { t } = useTranslation();
  const nameOf = useCategoryName();
  const c = rule.conditions;
  const branchName = (id: string) => branches.find((b) => b.id === id)?.name ?? id;
  const groups: { key: string; label: string; values: string[] }[] = [
    { key: 'types', label: t('deskAdmin.routing.types'), values: c.types.map((v) => t(`vocab.type.${v}`)) },
    { key: 'priorities', label: t('deskAdmin.routing.priorities'), values: c.priorities.map((v) => t(`vocab.priority.${v}`)) },
    { key: 'channels', label: t('deskAdmin.routing.channels'), values: c.channels.map((v) => t(`vocab.channel.${v}`)) },
    { key: 'categories', label: t('deskAdmin.routing.categoryIds'), values: c.categoryIds.map((id) => pathOf(categories, id, nameOf)) },
    { key: 'flags', label: t('deskAdmin.routing.customerFlags'), values: c.customerFlags.map((v) => t(`vocab.flag.${v}`)) },
    { key: 'branches', label: t('deskAdmin.routing.branchIds'), values: c.branchIds.map(branchName) },
  ].filter((g) => g.values.length > 0);
  if (groups.length === 0) return <Typography.Text type="secondary">{t('deskAdmin.routing.everyRequest')}</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      {groups.map((g) => (
        <div key={g.key}>
          <Typography.Text type="secondary">{g.label}: </Typography.Text>
          {g.values.map((v) => <Tag key={v} style={{ marginInlineEnd: 4 }}>{v}</Tag>)}
        </div>
      ))}
    </Flex>
  );
}

function PersonName({ id }: { id: string }) {
  const person = useStaffMember(id);
  return <>{person.data ? staffLabel(person.data) : '…'}</>;
}

/** Where a rule sends a request: the team (and how it shares the work) and/or the person. */
export function RuleTarget({ rule, teams }: { rule: RoutingRule; teams: Team[] }) {
  const { t } = useTranslation();
  const team = rule.teamId ? (teams.find((x) => x.id === rule.teamId)?.name ?? '…') : null;
  return (
    <Flex vertical gap={2}>
      {team && (
        <span>
          <Typography.Text type="secondary">{t('deskAdmin.routing.teamId')}: </Typography.Text>
          <span data-testid="rule-target-team">{team}</span>
          {!rule.staffId && <Tag color="blue" style={{ marginInlineStart: 6 }}>{t(`deskAdmin.routing.strategies.${rule.strategy}`)}</Tag>}
        </span>
      )}
      {rule.staffId && (
        <span>
          <Typography.Text type="secondary">{t('deskAdmin.routing.staffId')}: </Typography.Text>
          <span data-testid="rule-target-person"><PersonName id={rule.staffId} /></span>
        </span>
      )}
    </Flex>
  );
}
