/** The organization's own settings: name, time zone (all times are shown in it) and default language. */
import { App, Button, Divider, Form, Input, Select, Skeleton, Typography } from 'antd';
import { OrganizationUpdate as OrganizationUpdateSchema, PublicProfile as PublicProfileSchema } from '@contracts/org/contracts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useOrganization, useUpdateOrganization } from '../../api/org';
import type { Locale, PublicProfile } from '../../api/types';
import { zodRule } from '../../lib/forms';
import { knownTimeZones } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

type PublicProfileValues = PublicProfile;

interface SettingsValues {
  name: string;
  timeZone: string;
  defaultLocale: Locale;
  publicProfile?: PublicProfileValues;
}

/** Trimmed public-profile texts, empty ones as null (how the API says "not given"). */
function profileOut(p: PublicProfileValues | undefined): Required<PublicProfileValues> {
  const text = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);
  return { phone: text(p?.phone), email: text(p?.email), address: text(p?.address), webFormUrl: text(p?.webFormUrl), hours: text(p?.hours), intro: text(p?.intro) };
}

/** Form name "orgSettings": its fields have the ids orgSettings_name, orgSettings_timeZone, orgSettings_defaultLocale. */
export function SettingsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const canUpdate = can('org.update');
  const org = useOrganization();
  const update = useUpdateOrganization();
  const showError = useShowError();
  const [form] = Form.useForm<SettingsValues>();
  const zones = useMemo(() => knownTimeZones().map((z) => ({ value: z, label: z })), []);

  if (org.isLoading || !org.data) return <Skeleton active />;

  return (
    <Form
      form={form}
      name="orgSettings"
      layout="vertical"
      style={{ maxWidth: 520 }}
      disabled={!canUpdate}
      initialValues={{ name: org.data.name, timeZone: org.data.timeZone, defaultLocale: org.data.defaultLocale, publicProfile: org.data.publicProfile }}
      onFinish={(values) =>
        update.mutate(
          { name: values.name.trim(), timeZone: values.timeZone, defaultLocale: values.defaultLocale, publicProfile: profileOut(values.publicProfile) },
          { onSuccess: () => void message.success(t('common.saved')), onError: (e) => showError(e, form) },
        )
      }
    >
      <Form.Item label={t('org.settings.code')}>
        <Input value={org.data.code} disabled />
      </Form.Item>
      <Form.Item name="name" label={t('org.settings.name')} rules={[{ required: true }, zodRule(OrganizationUpdateSchema.shape.name)]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="timeZone" label={t('org.settings.timeZone')} extra={t('org.settings.timeZoneHint')} rules={[{ required: true }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={zones} />
      </Form.Item>
      <Form.Item name="defaultLocale" label={t('org.settings.defaultLocale')} rules={[{ required: true }]}>
        <Select
          options={[
            { value: 'zh-CN', label: t('locales.zh-CN') },
            { value: 'en-US', label: t('locales.en-US') },
          ]}
        />
      </Form.Item>
      <PublicProfileFields code={org.data.code} />
      {canUpdate && (
        <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="org-settings-submit">
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
}

/**
 * What the public page (/public/<code>) shows about the organization: complaint and service channels and an
 * introduction. Field ids: #orgSettings_publicProfile_phone|email|address|webFormUrl|hours|intro.
 */
function PublicProfileFields({ code }: { code: string }) {
  const { t } = useTranslation();
  const shape = PublicProfileSchema.shape;
  const publicPath = `/public/${encodeURIComponent(code)}`;
  const snippet = `<script src="${window.location.origin}/embed/${code}.js" async></script>`;
  return (
    <>
      <Divider titlePlacement="start">{t('publicPage.profile.title')}</Divider>
      <Typography.Paragraph type="secondary">
        {t('publicPage.profile.hint')}{' '}
        <a href={publicPath} target="_blank" rel="noopener noreferrer" data-testid="public-page-link">
          {publicPath}
        </a>
      </Typography.Paragraph>
      <Form.Item name={['publicProfile', 'phone']} label={t('publicPage.profile.phone')} rules={[zodRule(shape.phone)]}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name={['publicProfile', 'email']} label={t('publicPage.profile.email')} rules={[zodRule(shape.email)]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name={['publicProfile', 'address']} label={t('publicPage.profile.address')} rules={[zodRule(shape.address)]}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item
        name={['publicProfile', 'webFormUrl']}
        label={t('publicPage.profile.webFormUrl')}
        extra={t('publicPage.profile.webFormHint')}
        rules={[zodRule(shape.webFormUrl), { pattern: /^https?:\/\/\S+$/i, message: t('publicPage.profile.webFormInvalid') }]}
      >
        <Input maxLength={500} placeholder="https://" />
      </Form.Item>
      <Form.Item name={['publicProfile', 'hours']} label={t('publicPage.profile.hours')} rules={[zodRule(shape.hours)]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name={['publicProfile', 'intro']} label={t('publicPage.profile.intro')} rules={[zodRule(shape.intro)]}>
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <Form.Item label={t('publicPage.profile.embed')} extra={t('publicPage.profile.embedHint')}>
        <Typography.Paragraph copyable={{ text: snippet }} code style={{ marginBottom: 0 }} data-testid="embed-snippet">
          {snippet}
        </Typography.Paragraph>
      </Form.Item>
    </>
  );
}
