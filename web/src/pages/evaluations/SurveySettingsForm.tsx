/** The survey settings (evaluation.configure): expiry, reminder, stated default, NPS, channels, satisfied level, default weights. */
import { Alert, App, Button, Checkbox, Form, InputNumber, Select, Skeleton, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSaveSurveySettings, useSurveySettings, type SurveySettings } from '../../api/evaluations';

const CHANNELS = ['email', 'sms', 'chat', 'qr'] as const;

export function SurveySettingsForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useSurveySettings();
  const save = useSaveSurveySettings();
  const [form] = Form.useForm<SurveySettings>();
  if (settings.isLoading || !settings.data) return <Skeleton active />;
  const levels = [5, 4, 3, 2, 1].map((n) => ({ value: n, label: t(`evaluations.level.l${n as 1 | 2 | 3 | 4 | 5}`) }));
  return (
    <Form<SurveySettings>
      form={form}
      layout="vertical"
      style={{ maxWidth: 560 }}
      initialValues={settings.data}
      data-testid="survey-settings"
      onFinish={(v) => save.mutate({ ...settings.data, ...v }, { onSuccess: () => void message.success(t('evaluations.settings.saved')) })}
    >
      <Form.Item name="expiryHours" label={t('evaluations.settings.expiryHours')} rules={[{ required: true }]}>
        <InputNumber min={1} max={2160} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="reminderAfterHours" label={t('evaluations.settings.reminderAfterHours')} extra={t('evaluations.settings.reminderOff')}>
        <InputNumber min={1} max={1440} style={{ width: 160 }} placeholder="—" />
      </Form.Item>
      <Form.Item name="defaultAfterDays" label={t('evaluations.settings.defaultAfterDays')} extra={t('evaluations.settings.defaultOff')}>
        <InputNumber min={1} max={90} style={{ width: 160 }} placeholder="—" />
      </Form.Item>
      <Form.Item name="defaultLevel" label={t('evaluations.settings.defaultLevel')}>
        <Select options={levels} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="nps" label={t('evaluations.settings.nps')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="channels" label={t('evaluations.settings.channels')}>
        <Checkbox.Group options={CHANNELS.map((c) => ({ value: c, label: t(`evaluations.channel.${c}`) }))} />
      </Form.Item>
      <Form.Item name="satisfiedFromLevel" label={t('evaluations.settings.satisfiedFromLevel')}>
        <Select options={levels} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name={['weights', 'survey']} label={t('evaluations.settings.weightSurvey')}>
        <InputNumber min={0} max={100} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name={['weights', 'callback']} label={t('evaluations.settings.weightCallback')}>
        <InputNumber min={0} max={100} style={{ width: 160 }} />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('evaluations.settings.weightsHint')}</Typography.Paragraph>
      {save.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={(save.error).message} />}
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="survey-settings-save">
        {t('evaluations.settings.save')}
      </Button>
    </Form>
  );
}
