/** The organization's own settings: name, time zone (all times are shown in it) and default language. */
import { App, Button, Form, Input, Select, Skeleton } from 'antd';
import { OrganizationUpdate as OrganizationUpdateSchema } from '@contracts/org/contracts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useOrganization, useUpdateOrganization } from '../../api/org';
import type { Locale } from '../../api/types';
import { zodRule } from '../../lib/forms';
import { knownTimeZones } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

interface SettingsValues {
  name: string;
  timeZone: string;
  defaultLocale: Locale;
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
      initialValues={{ name: org.data.name, timeZone: org.data.timeZone, defaultLocale: org.data.defaultLocale }}
      onFinish={(values) =>
        update.mutate(
          { name: values.name.trim(), timeZone: values.timeZone, defaultLocale: values.defaultLocale },
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
      {canUpdate && (
        <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="org-settings-submit">
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
}
