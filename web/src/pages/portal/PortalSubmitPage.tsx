/**
 * The web form (`/portal/:org`, no account needed): type, subject, description, optional category, contact and
 * files (with the organization's limits shown). After submitting, the person sees the tracking number and the
 * private link to follow the request, with a copy button.
 */
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Radio, Result, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { PortalRequestType, PortalSubmit as PortalSubmitSchema } from '@contracts/channels/portal-contracts';
import { usePortalMe, useSubmitRequest, type PortalFile, type PortalInfo, type PortalSubmitted } from '../../api/portal';
import { emptyToNull, zodRule } from '../../lib/forms';
import { useShowError } from '../../lib/use-show-error';
import { PortalFiles } from './PortalFiles';
import { PortalLayout } from './PortalLayout';

interface FormValues {
  type: PortalRequestType;
  subject: string;
  description: string;
  categoryId?: string;
  contactName: string;
  contactPhone?: string;
  contactEmail?: string;
}

export default function PortalSubmitPage() {
  const { org = '' } = useParams();
  return (
    <PortalLayout org={org} testId="portal-submit-page">
      {(info) => <SubmitForm org={org} info={info} />}
    </PortalLayout>
  );
}

/** Categories as "parent / child" options, in the visitor's language where an English name exists. */
function useCategoryOptions(info: PortalInfo) {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const byId = new Map(info.categories.map((c) => [c.id, c]));
    const label = (id: string | null): string[] => {
      const c = id ? byId.get(id) : undefined;
      if (!c) return [];
      return [...label(c.parentId), i18n.language === 'en-US' && c.nameEn ? c.nameEn : c.name];
    };
    return info.categories.map((c) => ({ value: c.id, label: label(c.id).join(' / ') })).sort((a, b) => a.label.localeCompare(b.label));
  }, [info.categories, i18n.language]);
}

function SubmitForm({ org, info }: { org: string; info: PortalInfo }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const submit = useSubmitRequest(org);
  const me = usePortalMe(org);
  const showError = useShowError();
  const categories = useCategoryOptions(info);
  const [files, setFiles] = useState<PortalFile[]>([]);
  const [uploading, setUploading] = useState(false);
  const [round, setRound] = useState(0);
  const [done, setDone] = useState<{ result: PortalSubmitted; email: string | null } | null>(null);

  if (done) {
    return (
      <Receipt
        {...done}
        onAgain={() => {
          form.resetFields();
          setFiles([]);
          setRound((r) => r + 1);
          setDone(null);
        }}
      />
    );
  }

  const onFinish = (values: FormValues) => {
    const clean = emptyToNull({ ...values });
    submit.mutate(
      {
        type: values.type, subject: values.subject.trim(), description: values.description.trim(), contactName: values.contactName.trim(),
        contactPhone: clean.contactPhone ?? null, contactEmail: clean.contactEmail ?? null, categoryId: values.categoryId ?? null, attachmentIds: files.map((f) => f.id),
      },
      {
        onSuccess: (result) => {
          setDone({ result, email: clean.contactEmail ?? me.data?.email ?? null });
          window.scrollTo({ top: 0 });
        },
        onError: (e) => showError(e, form),
      },
    );
  };

  return (
    <section className="pledge-portal-card" data-testid="portal-form">
      <h2>{t('portal.form.heading')}</h2>
      <p className="pledge-muted">{t('portal.form.intro')}</p>
      {me.data && <Alert type="info" showIcon title={t('portal.form.signedInAs', { name: me.data.name })} style={{ marginBottom: 16 }} data-testid="portal-signed-in" />}
      <Form
        form={form}
        name="portal"
        layout="vertical"
        requiredMark="optional"
        initialValues={{ type: 'consultation', contactName: me.data?.name ?? '', contactEmail: me.data?.email ?? '' }}
        onFinish={onFinish}
        scrollToFirstError
      >
        <Form.Item name="type" label={t('portal.form.type')} rules={[{ required: true }]}>
          <Radio.Group className="pledge-portal-types" optionType="button" buttonStyle="solid" data-testid="portal-type">
            {PortalRequestType.options.map((type) => (
              <Radio.Button key={type} value={type}>
                <span data-testid={`portal-type-${type}`}>{t(`vocab.type.${type}`)}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="subject" label={t('portal.form.subject')} rules={[{ required: true, whitespace: true, message: t('validation.minLength', { min: 1 }) }, zodRule(PortalSubmitSchema.shape.subject)]}>
          <Input maxLength={200} placeholder={t('portal.form.subjectPlaceholder')} />
        </Form.Item>
        <Form.Item name="description" label={t('portal.form.description')} rules={[{ required: true, whitespace: true, message: t('validation.minLength', { min: 1 }) }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 14 }} maxLength={20_000} placeholder={t('portal.form.descriptionPlaceholder')} />
        </Form.Item>
        {categories.length > 0 && (
          <Form.Item name="categoryId" label={t('portal.form.category')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={categories} placeholder={t('portal.form.categoryPlaceholder')} data-testid="portal-category" />
          </Form.Item>
        )}
        <h3 className="pledge-portal-section-title">{t('portal.form.contact')}</h3>
        <div className="pledge-portal-contact">
          <Form.Item name="contactName" label={t('portal.form.contactName')} rules={[{ required: true, whitespace: true, message: t('validation.minLength', { min: 1 }) }]}>
            <Input maxLength={100} autoComplete="name" placeholder={t('portal.form.contactNamePlaceholder')} />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('portal.form.contactPhone')} rules={[zodRule(PortalSubmitSchema.shape.contactPhone, t('validation.phone'))]}>
            <Input maxLength={40} autoComplete="tel" inputMode="tel" />
          </Form.Item>
          <Form.Item name="contactEmail" label={t('portal.form.contactEmail')} rules={[{ type: 'email', message: t('validation.email') }]}>
            <Input maxLength={200} autoComplete="email" inputMode="email" />
          </Form.Item>
        </div>
        <p className="pledge-muted" style={{ marginTop: -8 }}>
          {t('portal.form.emailHint')}
        </p>
        <Form.Item label={t('portal.form.files')}>
          <PortalFiles key={round} org={org} info={info} onChange={setFiles} onBusy={setUploading} testId="portal-files" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={submit.isPending} disabled={uploading} data-testid="portal-submit">
          {uploading ? t('portal.form.uploading') : t('portal.form.submit')}
        </Button>
      </Form>
    </section>
  );
}

function Receipt({ result, email, onAgain }: { result: PortalSubmitted; email: string | null; onAgain: () => void }) {
  const { t } = useTranslation();
  const absolute = `${window.location.origin}${result.link}`;
  return (
    <section className="pledge-portal-card" data-testid="portal-done">
      <Result status="success" title={t('portal.done.title')} subTitle={t('portal.done.subtitle')} style={{ padding: '16px 0' }} />
      <dl className="pledge-portal-receipt">
        <div>
          <dt>{t('portal.done.number')}</dt>
          <dd className="pledge-portal-number" data-testid="portal-number">
            {result.number}
          </dd>
        </div>
        <div>
          <dt>{t('portal.done.link')}</dt>
          <dd>
            <Typography.Paragraph
              className="pledge-portal-link"
              data-testid="portal-link"
              copyable={{
                text: absolute,
                tooltips: [t('portal.done.copy'), t('portal.done.copied')],
                icon: [<CopyOutlined key="copy" data-testid="portal-copy" />, <CheckOutlined key="copied" data-testid="portal-copied" />],
              }}
            >
              {absolute}
            </Typography.Paragraph>
          </dd>
        </div>
        <Alert type={result.emailed ? 'success' : 'warning'} showIcon title={result.emailed ? t('portal.done.emailed', { email: email ?? '' }) : t('portal.done.notEmailed')} data-testid="portal-done-mail" />
        <p className="pledge-muted" style={{ margin: 0 }}>
          {t('portal.done.keep')}
        </p>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Link to={result.link}>
            <Button type="primary" data-testid="portal-open-link">
              {t('portal.done.open')}
            </Button>
          </Link>
          <Button onClick={onAgain} data-testid="portal-again">
            {t('portal.done.again')}
          </Button>
        </div>
      </dl>
    </section>
  );
}
