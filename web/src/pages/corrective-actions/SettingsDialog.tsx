/**
 * The corrective-action settings (section `corrective`): the deadline in working days, the warning share,
 * which findings raise actions (bad ratings, breaches — every complaint clock and the chosen clock kinds —,
 * upheld complaints) and the cluster rule (≥ N complaints of a category within D days).
 */
import { Checkbox, Form, InputNumber, Modal, Select, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCorrectiveSettings, useUpdateCorrectiveSettings } from '../../api/corrective-actions';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';

interface Values {
  days: number;
  warnPercent: number | null;
  onBadRating: boolean;
  breachEnabled: boolean;
  allComplaintClocks: boolean;
  kinds: string[];
  onUpheldComplaint: boolean;
  clusterEnabled: boolean;
  threshold: number;
  windowDays: number;
}

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const settings = useCorrectiveSettings();
  const save = useUpdateCorrectiveSettings();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const kinds = t('vocab.clockKind', { returnObjects: true }) as Record<string, string>;
  const s = settings.data;
  const days = s ? Number(/^P(\d+)D$/.exec(s.deadline)?.[1] ?? 5) : 5;
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await save.mutateAsync({
        deadline: `P${v.days}D`, warnRatio: v.warnPercent ? v.warnPercent / 100 : null, onBadRating: v.onBadRating, onUpheldComplaint: v.onUpheldComplaint,
        onBreach: { enabled: v.breachEnabled, allComplaintClocks: v.allComplaintClocks, kinds: v.kinds },
        cluster: { enabled: v.clusterEnabled, threshold: v.threshold, windowDays: v.windowDays },
      });
      onClose();
    } catch (error) {
      showError(error, form);
    }
  };
  return (
    <Modal open title={t('corrective.settings.title')} onCancel={onClose} onOk={() => void submit()} confirmLoading={save.isPending} okButtonProps={buttonTestId('ca-settings-save')} width={560}>
      {!s ? (
        <Spin />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{
            days, warnPercent: s.warnRatio === null ? null : Math.round(s.warnRatio * 100), onBadRating: s.onBadRating, breachEnabled: s.onBreach.enabled,
            allComplaintClocks: s.onBreach.allComplaintClocks, kinds: s.onBreach.kinds, onUpheldComplaint: s.onUpheldComplaint, clusterEnabled: s.cluster.enabled,
            threshold: s.cluster.threshold, windowDays: s.cluster.windowDays,
          }}
        >
          <Form.Item name="days" label={t('corrective.settings.days')} extra={t('corrective.settings.daysHint')} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} data-testid="ca-settings-days" />
          </Form.Item>
          <Form.Item name="warnPercent" label={t('corrective.settings.warn')}>
            <InputNumber min={10} max={99} addonAfter="%" />
          </Form.Item>
          <Form.Item name="onBadRating" valuePropName="checked"><Checkbox>{t('corrective.settings.onBadRating')}</Checkbox></Form.Item>
          <Form.Item name="onUpheldComplaint" valuePropName="checked"><Checkbox>{t('corrective.settings.onUpheldComplaint')}</Checkbox></Form.Item>
          <Form.Item name="breachEnabled" valuePropName="checked" style={{ marginBottom: 4 }}><Checkbox>{t('corrective.settings.onBreach')}</Checkbox></Form.Item>
          <Form.Item name="allComplaintClocks" valuePropName="checked" style={{ marginBottom: 4, paddingLeft: 24 }}><Checkbox>{t('corrective.settings.allComplaintClocks')}</Checkbox></Form.Item>
          <Form.Item name="kinds" label={t('corrective.settings.kinds')} style={{ paddingLeft: 24 }}>
            <Select mode="multiple" options={Object.entries(kinds).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="clusterEnabled" valuePropName="checked" style={{ marginBottom: 4 }}><Checkbox>{t('corrective.settings.cluster')}</Checkbox></Form.Item>
          <Form.Item label={t('corrective.settings.clusterRule')} style={{ paddingLeft: 24 }}>
            <Form.Item name="windowDays" noStyle rules={[{ required: true }]}><InputNumber min={1} max={365} addonAfter={t('corrective.settings.daysUnit')} /></Form.Item>{' '}
            <Form.Item name="threshold" noStyle rules={[{ required: true }]}><InputNumber min={2} max={100} addonAfter={t('corrective.settings.complaintsUnit')} /></Form.Item>
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
