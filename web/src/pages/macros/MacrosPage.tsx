/**
 * Canned responses (/macros): the organization's shared ones (kept by people holding macro.manage) and
 * one's own. The editor previews the text with sample values through the same pure renderer the server
 * uses, and points out placeholders it does not know.
 */
import { DeleteOutlined, EditOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { MACRO_PLACEHOLDERS, placeholdersOf, renderMacro, type MacroPlaceholder, type MacroValues } from '@contracts/requests/macro-render';
import { useCurrentMe, usePermissions } from '../../api/auth';
import { useCreateMacro, useDeleteMacro, useMacros, useUpdateMacro, type Macro } from '../../api/macros';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { buttonTestId } from '../../lib/test-id';
import { formatTime, getTimeZone } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

const PLACEHOLDER_KEYS: Record<MacroPlaceholder, 'customer_name' | 'request_number' | 'request_subject' | 'agent_name' | 'org_name' | 'today'> = {
  'customer.name': 'customer_name',
  'request.number': 'request_number',
  'request.subject': 'request_subject',
  'agent.name': 'agent_name',
  'org.name': 'org_name',
  today: 'today',
};

export default function MacrosPage() {
  return (
    <RequirePermission anyOf={['macro.manage', 'request.handle']}>
      <MacrosView />
    </RequirePermission>
  );
}

function useSampleValues(): MacroValues {
  const { t } = useTranslation();
  const me = useCurrentMe();
  return {
    'customer.name': t('requestPage.macros.sample.customer'),
    'request.number': t('requestPage.macros.sample.number'),
    'request.subject': t('requestPage.macros.sample.subject'),
    'agent.name': me.staff.displayName,
    'org.name': me.organization.name,
    today: dayjs().tz(getTimeZone()).format('YYYY-MM-DD'),
  };
}

interface Values {
  name: string;
  body: string;
}

function MacroEditor({ macro, shared, onClose }: { macro: Macro | null; shared: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateMacro();
  const update = useUpdateMacro();
  const showError = useShowError();
  const samples = useSampleValues();
  const area = useRef<TextAreaRef>(null);
  const body = (Form.useWatch('body', form) as string | undefined) ?? macro?.body ?? '';
  const preview = renderMacro(body, samples);
  const unknown = placeholdersOf(body).unknown;

  const insert = (name: MacroPlaceholder) => {
    const el = area.current?.resizableTextArea?.textArea;
    const token = `{{${name}}}`;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    form.setFieldValue('body', `${body.slice(0, start)}${token}${body.slice(end)}`);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const submit = (values: Values) => {
    const done = () => {
      void message.success(t('common.saved'));
      onClose();
    };
    if (macro) update.mutate({ id: macro.id, body: values }, { onSuccess: done, onError: (e) => showError(e, form) });
    else create.mutate({ ...values, shared }, { onSuccess: done, onError: (e) => showError(e, form) });
  };

  return (
    <Modal
      open
      width={720}
      title={macro ? t('requestPage.macros.editTitle') : t('requestPage.macros.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('macro-submit')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ name: macro?.name ?? '', body: macro?.body ?? '' }} onFinish={submit}>
        <Form.Item name="name" label={t('requestPage.macros.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
          <Input data-testid="macro-name" />
        </Form.Item>
        <Form.Item label={t('requestPage.macros.placeholders')} style={{ marginBottom: 8 }}>
          <Flex wrap gap={4}>
            {MACRO_PLACEHOLDERS.map((p) => (
              <Tag key={p} style={{ cursor: 'pointer' }} color="blue" onClick={() => insert(p)} data-testid={`macro-insert-${p}`}>
                {`{{${p}}}`} · {t(`requestPage.macros.placeholder.${PLACEHOLDER_KEYS[p]}`)}
              </Tag>
            ))}
          </Flex>
        </Form.Item>
        <Form.Item name="body" label={t('requestPage.macros.body')} rules={[{ required: true, whitespace: true }, { max: 10_000 }]}>
          <Input.TextArea
            ref={area}
            autoSize={{ minRows: 5, maxRows: 14 }}
            placeholder={t('requestPage.macros.bodyPlaceholder', { customer: '{{customer.name}}', number: '{{request.number}}' })}
            data-testid="macro-body"
          />
        </Form.Item>
      </Form>
      {unknown.length > 0 && (
        <Typography.Paragraph type="warning" data-testid="macro-unknown">
          <WarningOutlined /> {t('requestPage.macros.unknown', { names: unknown.map((n) => `{{${n}}}`).join(' ') })}
        </Typography.Paragraph>
      )}
      <Card size="small" title={t('requestPage.macros.preview')} styles={{ body: { whiteSpace: 'pre-wrap', minHeight: 60 } }}>
        <span data-testid="macro-preview">{preview.text}</span>
      </Card>
    </Modal>
  );
}

function MacroTable({ scope, editable }: { scope: 'shared' | 'personal'; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useMacros(scope);
  const remove = useDeleteMacro();
  const showError = useShowError();
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  return (
    <>
      {editable && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid={`macro-create-${scope}`}>
            {t('requestPage.macros.create')}
          </Button>
        </Flex>
      )}
      <Table<Macro>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: t('requestPage.macros.empty') }}
        data-testid={`macro-table-${scope}`}
        onRow={(m) => ({ 'data-testid': `macro-row-${m.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('requestPage.macros.name'), dataIndex: 'name', width: 200, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          {
            title: t('requestPage.macros.body'),
            dataIndex: 'body',
            render: (v: string, m) => (
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Typography.Paragraph ellipsis={{ rows: 2, expandable: 'collapsible' }} style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                  {v}
                </Typography.Paragraph>
                {m.unknownPlaceholders.length > 0 && (
                  <Tag color="warning" icon={<WarningOutlined />}>
                    {t('requestPage.macros.unknown', { names: m.unknownPlaceholders.map((n) => `{{${n}}}`).join(' ') })}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('requestPage.macros.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatTime(v, 'YYYY-MM-DD HH:mm') },
          ...(editable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 120,
                  render: (_: unknown, m: Macro) => (
                    <Space size={0}>
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(m)} aria-label={t('common.edit')} data-testid={`macro-edit-${m.name}`} />
                      <Popconfirm
                        title={t('requestPage.macros.deleteConfirm', { name: m.name })}
                        okButtonProps={{ ...buttonTestId('macro-delete-confirm'), danger: true }}
                        onConfirm={() => remove.mutate(m.id, { onSuccess: () => void message.success(t('requestPage.macros.deleted')), onError: (e) => showError(e) })}
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('requestPage.macros.delete')} data-testid={`macro-delete-${m.name}`} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <MacroEditor macro={editing === 'new' ? null : editing} shared={scope === 'shared'} onClose={() => setEditing(null)} />}
    </>
  );
}

function MacrosView() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const [params, setParams] = useSearchParams();
  const mayManage = can('macro.manage');
  const mayOwn = can('request.handle');
  const tab = params.get('tab') === 'mine' && mayOwn ? 'mine' : 'shared';
  return (
    <>
      <PageHeader title={t('requestPage.macros.title')}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('requestPage.macros.intro')}
        </Typography.Paragraph>
      </PageHeader>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'mine' ? { tab: 'mine' } : {}, { replace: true })}
        items={[
          {
            key: 'shared',
            label: <span data-testid="macros-tab-shared">{t('requestPage.macros.tabShared')}</span>,
            children: (
              <>
                {!mayManage && <Typography.Paragraph type="secondary">{t('requestPage.macros.noManage')}</Typography.Paragraph>}
                <MacroTable scope="shared" editable={mayManage} />
              </>
            ),
          },
          ...(mayOwn ? [{ key: 'mine', label: <span data-testid="macros-tab-mine">{t('requestPage.macros.tabMine')}</span>, children: <MacroTable scope="personal" editable /> }] : []),
        ]}
      />
    </>
  );
}
