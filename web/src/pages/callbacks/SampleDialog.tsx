/** Sampling a period on demand (preview, then create) and the sampling rules of the organization. */
import { Alert, App, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCallbackSettings, usePreviewSample, useRunSample, useSaveCallbackSettings, type CallbackSettings, type SampleRun } from '../../api/callbacks';
import { endOfDayInZone, startOfDayInZone } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

interface SampleValues {
  range?: [Dayjs, Dayjs];
  allComplaints: boolean;
  percent: number;
  seed: string;
}

export function SampleDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const settings = useCallbackSettings();
  const [form] = Form.useForm<SampleValues>();
  const preview = usePreviewSample();
  const run = useRunSample();
  const [input, setInput] = useState<SampleRun | null>(null);
  useEffect(() => {
    if (settings.data) form.setFieldsValue({ allComplaints: settings.data.allComplaints, percent: settings.data.percent, seed: settings.data.seed });
  }, [settings.data, form]);

  const toInput = (v: SampleValues): SampleRun | null =>
    v.range ? { from: startOfDayInZone(v.range[0]), to: endOfDayInZone(v.range[1]), allComplaints: v.allComplaints, percent: v.percent, seed: v.seed } : null;
  const doPreview = (v: SampleValues) => {
    const body = toInput(v);
    if (!body) return;
    setInput(body);
    preview.mutate(body, { onError: (e) => showError(e, form) });
  };
  const drawn = preview.data?.drawn ?? [];
  return (
    <Modal
      open
      width={720}
      title={t('callbacks.sample.title')}
      onCancel={onClose}
      okText={t('callbacks.sample.run')}
      okButtonProps={{ disabled: !input || !preview.data || drawn.every((d) => d.alreadySampled), loading: run.isPending, 'data-testid': 'sample-run' }}
      onOk={() => input && run.mutate(input, {
        onSuccess: (r) => { void message.success(t('callbacks.sample.created', { created: r.created, skipped: r.skipped })); onClose(); },
        onError: (e) => showError(e),
      })}
    >
      <Form<SampleValues> form={form} layout="vertical" onFinish={doPreview} onValuesChange={() => setInput(null)}>
        <Form.Item name="range" label={t('callbacks.sample.range')} rules={[{ required: true }]}><DatePicker.RangePicker /></Form.Item>
        <Form.Item name="allComplaints" valuePropName="checked"><Checkbox>{t('callbacks.sample.allComplaints')}</Checkbox></Form.Item>
        <Form.Item name="percent" label={t('callbacks.sample.percent')} rules={[{ required: true }]}><InputNumber min={0} max={100} /></Form.Item>
        <Form.Item name="seed" label={t('callbacks.sample.seed')} extra={t('callbacks.sample.seedHint')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <a onClick={() => form.submit()} data-testid="sample-preview">{t('callbacks.sample.preview')}</a>
      </Form>
      {preview.data && (
        <>
          <Alert style={{ margin: '12px 0' }} type="info" message={t('callbacks.sample.considered', { count: preview.data.considered, drawn: drawn.length, already: drawn.filter((d) => d.alreadySampled).length })} />
          <Table
            size="small"
            rowKey="requestId"
            dataSource={drawn}
            pagination={{ pageSize: 10 }}
            columns={[
              { key: 'number', title: t('callbacks.column.request'), dataIndex: 'number' },
              { key: 'subject', title: t('callbacks.drawer.subject'), dataIndex: 'subject', ellipsis: true },
              { key: 'type', title: t('callbacks.column.type'), render: (_, d) => t(`vocab.type.${d.type}`) },
              { key: 'rule', title: t('callbacks.column.result'), render: (_, d) => (d.alreadySampled ? <Tag>{t('callbacks.sample.already')}</Tag> : t(`callbacks.rule.${d.rule}`)) },
            ]}
          />
        </>
      )}
    </Modal>
  );
}

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const settings = useCallbackSettings();
  const save = useSaveCallbackSettings();
  const [form] = Form.useForm<CallbackSettings>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  return (
    <Modal open title={t('callbacks.settings.title')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form<CallbackSettings>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate({ ...v, percentByType: settings.data?.percentByType ?? {} }, { onSuccess: () => { void message.success(t('callbacks.settings.saved')); onClose(); }, onError: (e) => showError(e, form) })}
      >
        <Form.Item name="allComplaints" valuePropName="checked"><Checkbox>{t('callbacks.settings.allComplaints')}</Checkbox></Form.Item>
        <Form.Item name="percent" label={t('callbacks.settings.percent')} rules={[{ required: true }]}><InputNumber min={0} max={100} /></Form.Item>
        <Form.Item name="seed" label={t('callbacks.settings.seed')} extra={t('callbacks.sample.seedHint')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="maxAttempts" label={t('callbacks.settings.maxAttempts')} rules={[{ required: true }]}><InputNumber min={1} max={10} /></Form.Item>
      </Form>
    </Modal>
  );
}
