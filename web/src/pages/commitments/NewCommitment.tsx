/**
 * Creating a commitment: from a template (the five source documents, their blanks as typed parameters with units)
 * or blank. Field ids: #number, template parameters #values_<key>, blank title #title.
 */
import { CommitmentCreate as CommitmentCreateSchema } from '@contracts/commitments/contracts';
import { Alert, App, Col, Flex, Form, Input, InputNumber, Modal, Radio, Row, Skeleton, Tag, Typography, type FormInstance } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useCreateCommitment, useCreateFromTemplate, useTemplates, type TemplateParameter, type TemplateSummary, type Version } from '../../api/commitments';
import { currentLanguage } from '../../i18n';
import { applyServerError, zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { unitText, useCommitmentText } from './labels';

const numberRule = zodRule(CommitmentCreateSchema.shape.number);

/** Puts the number conflict and template value errors on their fields; true when handled. */
function applyCreateError(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'conflict.code_taken') {
    form.setFields([{ name: 'number', errors: [error.message] }]);
    return true;
  }
  if (error.code === 'template.invalid_value') {
    const key = /parameter ([\w.-]+)/.exec(error.message)?.[1] ?? /parameter ([\w.-]+)/.exec(JSON.stringify(error.details ?? ''))?.[1];
    if (key && form.getFieldValue(['values', key]) !== undefined) {
      form.setFields([{ name: ['values', key], errors: [error.message] }]);
      return true;
    }
    return false;
  }
  return applyServerError(form, error);
}

function defaultsOf(template: TemplateSummary | undefined): Record<string, string | number | null> {
  return Object.fromEntries((template?.parameters ?? []).map((p) => [p.key, p.default]));
}

function ParameterInput({ parameter, id, value, onChange }: { parameter: TemplateParameter; id?: string; value?: string | number | null; onChange?: (v: string | number | null) => void }) {
  const unit = unitText(parameter.unit);
  if (parameter.type === 'text') {
    return <Input id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange?.(e.target.value)} maxLength={60} placeholder={String(parameter.default ?? '')} />;
  }
  return (
    <InputNumber
      id={id}
      style={{ width: '100%' }}
      value={typeof value === 'number' ? value : value === null || value === undefined || value === '' ? null : Number(value)}
      onChange={(v) => onChange?.(v)}
      min={0}
      max={parameter.type === 'percent' ? 100 : undefined}
      precision={parameter.type === 'duration' ? 0 : undefined}
      step={parameter.type === 'duration' ? 1 : undefined}
      suffix={unit || undefined}
    />
  );
}

export function TemplateCommitmentModal({ onClose, onCreated }: { onClose: () => void; onCreated: (v: Version) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const templates = useTemplates();
  const create = useCreateFromTemplate();
  const showError = useShowError();
  const text = useCommitmentText();
  const [form] = Form.useForm<{ number: string; values: Record<string, string | number | null> }>();
  const [key, setKey] = useState<string | null>(null);
  const list = useMemo(() => templates.data ?? [], [templates.data]);
  const chosen = list.find((x) => x.key === key);
  const lang = currentLanguage();

  // Start with the efficient-response template (the most common), else the first.
  useEffect(() => {
    if (key === null && list.length > 0) setKey((list.find((x) => x.key === 'efficient-response') ?? list[0]!).key);
  }, [key, list]);
  useEffect(() => {
    if (chosen) form.setFieldsValue({ values: defaultsOf(chosen) });
  }, [chosen, form]);

  const submit = (v: { number: string; values?: Record<string, string | number | null> }) => {
    if (!chosen) return;
    const values: Record<string, string | number> = {};
    for (const p of chosen.parameters) {
      const raw = v.values?.[p.key];
      if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue;
      values[p.key] = typeof raw === 'string' ? raw.trim() : raw;
    }
    create.mutate(
      { key: chosen.key, number: v.number.trim(), values },
      {
        onSuccess: (version) => {
          void message.success(t('commitments.create.created'));
          onCreated(version);
        },
        onError: (e) => {
          if (!applyCreateError(form, e)) showError(e);
        },
      },
    );
  };

  return (
    <Modal
      open
      width={860}
      title={t('commitments.create.templateTitle')}
      okText={t('commitments.create.submit')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={{ ...buttonTestId('template-submit'), disabled: !chosen }}
      mask={{ closable: false }}
    >
      {templates.isLoading ? (
        <Skeleton active />
      ) : templates.error ? (
        <Alert type="error" title={templates.error.message} />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ number: '', values: {} }}>
          <Typography.Text strong>{t('commitments.create.chooseTemplate')}</Typography.Text>
          <Radio.Group value={key} onChange={(e) => setKey(e.target.value as string)} style={{ display: 'block', margin: '8px 0 16px' }} data-testid="template-choice">
            <Flex vertical gap={8}>
              {list.map((tpl) => (
                <Radio key={tpl.key} value={tpl.key} data-testid={`template-option-${tpl.key}`} style={{ alignItems: 'flex-start' }}>
                  <Typography.Text strong>{text.templateTitle(tpl)}</Typography.Text>
                  {tpl.internal && (
                    <Tag color="orange" style={{ marginLeft: 8 }}>
                      {t('commitments.create.internal')}
                    </Tag>
                  )}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {text.templateDescription(tpl)}
                    </Typography.Text>
                  </div>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
          {chosen?.internal && <Alert type="warning" showIcon title={t('commitments.create.internalHint')} style={{ marginBottom: 16 }} />}
          <Form.Item
            name="number"
            label={t('commitments.number')}
            extra={t('commitments.create.numberHint')}
            rules={[{ required: true, message: t('commitments.create.numberRequired') }, numberRule]}
          >
            <Input maxLength={50} autoComplete="off" data-testid="template-number" />
          </Form.Item>
          {chosen && (
            <>
              <Typography.Text strong>{t('commitments.create.parameters')}</Typography.Text>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {chosen.parameters.length ? t('commitments.create.parametersHint') : t('commitments.create.noParameters')}
              </Typography.Paragraph>
              <Row gutter={16} data-testid="template-parameters">
                {chosen.parameters.map((p) => (
                  <Col xs={24} md={12} key={`${chosen.key}-${p.key}`}>
                    <Form.Item name={['values', p.key]} label={p.label[lang] ?? p.label['zh-CN']} data-testid={`template-param-${p.key}`}>
                      <ParameterInput parameter={p} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </>
          )}
          <button type="submit" hidden />
        </Form>
      )}
    </Modal>
  );
}

export function BlankCommitmentModal({ onClose, onCreated }: { onClose: () => void; onCreated: (v: Version) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateCommitment();
  const showError = useShowError();
  const [form] = Form.useForm<{ number: string; title: string }>();

  return (
    <Modal
      open
      title={t('commitments.create.blankTitle')}
      okText={t('common.create')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={buttonTestId('blank-submit')}
      mask={{ closable: false }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ number: '', title: '' }}
        onFinish={(v) =>
          create.mutate(
            { number: v.number.trim(), title: v.title.trim() },
            {
              onSuccess: (version) => {
                void message.success(t('commitments.create.created'));
                onCreated(version);
              },
              onError: (e) => {
                if (!applyCreateError(form, e)) showError(e);
              },
            },
          )
        }
      >
        <Form.Item name="number" label={t('commitments.number')} extra={t('commitments.create.numberHint')} rules={[{ required: true, message: t('commitments.create.numberRequired') }, numberRule]}>
          <Input maxLength={50} autoComplete="off" autoFocus />
        </Form.Item>
        <Form.Item name="title" label={t('commitments.fields.title')} rules={[{ required: true }, zodRule(CommitmentCreateSchema.shape.title)]}>
          <Input maxLength={200} />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('commitments.create.blankHint')}</Typography.Paragraph>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
