/**
 * Escalation and notifications: the special team, what escalates by itself, who is told on a warning, a breach
 * and an escalation (a ladder: each role at once or a delay after the occasion, if the reason still holds), and the limits on attached files (with the built-in list an empty one means). Inbound
 * e-mail addresses belong to the e-mail settings and are left as they are.
 */
import { ArrowLeftOutlined, CloseOutlined } from '@ant-design/icons';
import { NotifyRole as NotifyRoleSchema } from '@contracts/requests/contracts';
import { App, Button, Card, Col, Flex, Form, InputNumber, Row, Select, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useUpdateRequestSettings } from '../../api/desk-admin';
import { useTeams } from '../../api/org';
import { useRequestSettings, type RequestSettings } from '../../api/requests';
import { useShowError } from '../../lib/use-show-error';
import { useVocabOptions } from './labels';

type Step = RequestSettings['notifyChain']['warning'][number];
type Role = Step['role'];
type Occasion = keyof RequestSettings['notifyChain'];
const ROLES = NotifyRoleSchema.options;
const OCCASIONS: Occasion[] = ['warning', 'breach', 'escalation'];
const MB = 1024 * 1024;
/** The delays offered beside each role, in minutes (a delay saved through the API is kept and shown too). */
const DELAYS = [0, 15, 30, 60, 120, 240, 480, 1440];

/** "立即" / "at once", "2 小时后" / "after 2 h", in whole days, hours or minutes. */
function delayLabel(t: TFunction, minutes: number): string {
  if (minutes <= 0) return t('deskAdmin.escalation.delay.now');
  if (minutes % 1440 === 0) return t('deskAdmin.escalation.delay.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return t('deskAdmin.escalation.delay.hours', { n: minutes / 60 });
  return t('deskAdmin.escalation.delay.minutes', { n: minutes });
}

interface SettingsForm {
  specialTeamId?: string | null;
  autoEscalateTypes: RequestSettings['autoEscalateTypes'];
  autoEscalateComplaintPriorities: RequestSettings['autoEscalateComplaintPriorities'];
  notifyChain: RequestSettings['notifyChain'];
  maxAttachmentMb: number;
  allowedAttachmentTypes: string[];
}

export function EscalationTab() {
  const settings = useRequestSettings();
  if (!settings.data) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  return <SettingsEditor settings={settings.data} />;
}

function SettingsEditor({ settings }: { settings: RequestSettings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<SettingsForm>();
  const teams = useTeams(undefined);
  const options = useVocabOptions();
  const save = useUpdateRequestSettings();
  const allowed = Form.useWatch('allowedAttachmentTypes', form) ?? settings.allowedAttachmentTypes;

  const initial: SettingsForm = {
    specialTeamId: settings.specialTeamId,
    autoEscalateTypes: settings.autoEscalateTypes,
    autoEscalateComplaintPriorities: settings.autoEscalateComplaintPriorities,
    notifyChain: settings.notifyChain,
    maxAttachmentMb: Math.round((settings.maxAttachmentBytes / MB) * 10) / 10,
    allowedAttachmentTypes: settings.allowedAttachmentTypes,
  };

  const submit = (v: SettingsForm) =>
    save.mutate(
      {
        specialTeamId: v.specialTeamId ?? null,
        autoEscalateTypes: v.autoEscalateTypes,
        autoEscalateComplaintPriorities: v.autoEscalateComplaintPriorities,
        notifyChain: v.notifyChain,
        maxAttachmentBytes: Math.round(v.maxAttachmentMb * MB),
        allowedAttachmentTypes: [...new Set(v.allowedAttachmentTypes.map((x) => x.trim().toLowerCase()).filter(Boolean))],
      },
      { onSuccess: () => void message.success(t('common.saved')), onError: (e) => showError(e, form) },
    );

  // Special teams first: escalation is what they exist for.
  const teamOptions = [...(teams.data ?? [])]
    .filter((x) => x.active || x.id === settings.specialTeamId)
    .sort((a, b) => Number(b.kind === 'special') - Number(a.kind === 'special') || a.name.localeCompare(b.name, 'zh-CN'))
    .map((x) => ({
      value: x.id,
      search: x.name,
      label: (
        <span>
          {x.name}
          {x.kind === 'special' && <Tag color="purple" style={{ marginInlineStart: 6 }}>{t('deskAdmin.escalation.specialTag')}</Tag>}
        </span>
      ),
    }));

  return (
    <Form<SettingsForm> form={form} name="settings" layout="vertical" initialValues={initial} onFinish={submit}>
      <Flex vertical gap={16}>
        <Card title={t('deskAdmin.escalation.specialTitle')}>
          <Row gutter={24}>
            <Col xs={24} lg={8}>
              <Form.Item name="specialTeamId" label={t('deskAdmin.escalation.specialTeam')} extra={t('deskAdmin.escalation.specialTeamHelp')}>
                <Select allowClear showSearch={{ optionFilterProp: 'search' }} placeholder={t('deskAdmin.escalation.noSpecialTeam')} options={teamOptions} loading={teams.isPending} data-testid="settings-special-team" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item name="autoEscalateTypes" label={t('deskAdmin.escalation.autoEscalateTypes')} extra={t('deskAdmin.escalation.autoEscalateTypesHelp')}>
                <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear options={options.types} data-testid="settings-auto-types" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item name="autoEscalateComplaintPriorities" label={t('deskAdmin.escalation.autoEscalateComplaintPriorities')} extra={t('deskAdmin.escalation.autoEscalateComplaintPrioritiesHelp')}>
                <Select showSearch={{ optionFilterProp: 'label' }} mode="multiple" allowClear options={options.priorities} data-testid="settings-auto-priorities" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('deskAdmin.escalation.chainTitle')}>
          <Typography.Paragraph type="secondary">{t('deskAdmin.escalation.chainIntro')}</Typography.Paragraph>
          {OCCASIONS.map((occasion) => (
            <Form.Item key={occasion} name={['notifyChain', occasion]} label={t(`deskAdmin.escalation.chain.${occasion}`)}>
              <ChainEditor occasion={occasion} />
            </Form.Item>
          ))}
        </Card>

        <Card title={t('deskAdmin.escalation.attachmentsTitle')}>
          <Row gutter={24}>
            <Col xs={24} lg={8}>
              <Form.Item name="maxAttachmentMb" label={t('deskAdmin.escalation.maxAttachment')} extra={t('deskAdmin.escalation.maxAttachmentHelp')} rules={[{ required: true }]}>
                <InputNumber min={0.1} max={50} step={1} precision={1} suffix="MB" style={{ width: 160 }} data-testid="settings-max-mb" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={16}>
              <Form.Item
                name="allowedAttachmentTypes"
                label={t('deskAdmin.escalation.allowedTypes')}
                extra={t('deskAdmin.escalation.allowedTypesHelp')}
                rules={[{ type: 'array', max: 50 }]}
              >
                <Select mode="tags" allowClear tokenSeparators={[',', ' ']} open={false} suffixIcon={null} data-testid="settings-allowed-types" />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={5}>
            {t('deskAdmin.escalation.defaultList')}{' '}
            {allowed.length === 0 ? (
              <Tag color="green" data-testid="default-list-in-use">{t('deskAdmin.escalation.defaultListInUse')}</Tag>
            ) : (
              <Tag data-testid="default-list-unused">{t('deskAdmin.escalation.defaultListUnused')}</Tag>
            )}
          </Typography.Title>
          <Table
            data-testid="default-attachment-types"
            size="small"
            rowKey="type"
            pagination={false}
            scroll={{ y: 240 }}
            dataSource={settings.defaultAttachmentTypes}
            columns={[
              { key: 'type', title: t('deskAdmin.escalation.fileType'), dataIndex: 'type', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              { key: 'ext', title: t('deskAdmin.escalation.extensions'), dataIndex: 'extensions', render: (v: string[]) => v.join(' ') },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{t('deskAdmin.escalation.inboundNote')}</Typography.Paragraph>
        </Card>

        <Flex justify="end">
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-save">
            {t('common.save')}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}

/**
 * An ordered list of roles as tags, each with its delay (at once, or after some minutes if the reason still
 * holds): remove one, move one earlier, change its delay, add one not yet listed (at once).
 */
function ChainEditor({ occasion, value = [], onChange }: { occasion: Occasion; value?: Step[]; onChange?: (v: Step[]) => void }) {
  const { t } = useTranslation();
  const set = (next: Step[]) => onChange?.(next);
  const roles = value.map((s) => s.role);
  const remaining = ROLES.filter((r) => !roles.includes(r));
  return (
    <Flex wrap gap={8} align="center" data-testid={`chain-${occasion}`} data-roles={roles.join(',')} data-delays={value.map((s) => s.afterMinutes).join(',')}>
      {value.length === 0 && <Typography.Text type="secondary">{t('deskAdmin.escalation.emptyChain')}</Typography.Text>}
      {value.map((step, i) => {
        const { role } = step;
        const delays = DELAYS.includes(step.afterMinutes) ? DELAYS : [...DELAYS, step.afterMinutes].sort((a, b) => a - b);
        return (
          <Flex key={role} gap={4} align="center" data-testid={`chain-${occasion}-step-${role}`}>
            <Tag
              color={step.afterMinutes > 0 ? 'gold' : 'blue'}
              style={{ marginInlineEnd: 0, padding: '2px 8px' }}
              closable
              closeIcon={<CloseOutlined data-testid={`chain-${occasion}-remove-${role}`} />}
              onClose={(e) => {
                e.preventDefault();
                set(value.filter((s) => s.role !== role));
              }}
              data-testid={`chain-${occasion}-${role}`}
            >
              {i > 0 && (
                <Tooltip title={t('deskAdmin.escalation.moveEarlier')}>
                  <ArrowLeftOutlined
                    style={{ marginInlineEnd: 6, cursor: 'pointer' }}
                    data-testid={`chain-${occasion}-earlier-${role}`}
                    onClick={() => set([...value.slice(0, i - 1), step, value[i - 1]!, ...value.slice(i + 1)])}
                  />
                </Tooltip>
              )}
              {i + 1}. {t(`deskAdmin.escalation.role.${role}`)}
            </Tag>
            <Select<number>
              size="small"
              popupMatchSelectWidth={false}
              style={{ width: 112 }}
              value={step.afterMinutes}
              title={t('deskAdmin.escalation.delay.help')}
              aria-label={t('deskAdmin.escalation.delay.label')}
              options={delays.map((m) => ({ value: m, label: delayLabel(t, m) }))}
              onChange={(m) => set(value.map((s) => (s.role === role ? { ...s, afterMinutes: m } : s)))}
              data-testid={`chain-${occasion}-delay-${role}`}
            />
          </Flex>
        );
      })}
      {remaining.length > 0 && (
        <Select<Role>
          size="small"
          style={{ width: 140 }}
          value={null}
          placeholder={`+ ${t('deskAdmin.escalation.addRole')}`}
          options={remaining.map((r) => ({ value: r, label: t(`deskAdmin.escalation.role.${r}`) }))}
          onChange={(r) => set([...value, { role: r, afterMinutes: 0 }])}
          data-testid={`chain-${occasion}-add`}
        />
      )}
    </Flex>
  );
}
