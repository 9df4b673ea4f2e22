/**
 * Saved views: pick one to apply its filters, save the current filters under a name (or overwrite the view
 * in use), delete one. The picker shows the view whose filters are exactly the current ones.
 */
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SavedViewInput } from '@contracts/requests/views-contracts';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { useDeleteView, useSaveView, useSavedViews, type RequestFilters } from './api';
import { sameFilters } from './filters';

export function SavedViews({ filters, onApply }: { filters: RequestFilters; onApply: (filters: RequestFilters) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const views = useSavedViews();
  const save = useSaveView();
  const remove = useDeleteView();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; overwrite: boolean }>();
  const current = (views.data ?? []).find((v) => sameFilters(v.filters, filters));
  // The view last picked: after changing its filters one may overwrite it rather than save a new one.
  const [pickedId, setPickedId] = useState<string | null>(null);
  const picked = (views.data ?? []).find((v) => v.id === pickedId);
  const canOverwrite = picked !== undefined && !sameFilters(picked.filters, filters);

  const submit = (values: { name: string; overwrite: boolean }) => {
    const overwrite = values.overwrite && canOverwrite ? picked.id : undefined;
    save.mutate(
      { ...(overwrite ? { id: overwrite } : {}), body: { name: values.name, filters } },
      {
        onSuccess: (view) => {
          void message.success(t(overwrite ? 'console.views.updated' : 'console.views.saved', { name: view.name }));
          setSaving(false);
        },
        onError: (e) => showError(e, form),
      },
    );
  };

  return (
    <Space.Compact>
      <Select<string>
        allowClear
        style={{ width: 200 }}
        placeholder={t('console.views.placeholder')}
        value={current?.id}
        loading={views.isPending}
        notFoundContent={t('console.views.none')}
        onChange={(id) => {
          const view = (views.data ?? []).find((v) => v.id === id);
          setPickedId(view?.id ?? null);
          if (view) onApply(view.filters);
        }}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: <span data-testid={`view-option-${v.name}`}>{v.name}</span> }))}
        data-testid="saved-views"
      />
      {current && (
        <Popconfirm
          title={t('console.views.deleteConfirm', { name: current.name })}
          okButtonProps={{ danger: true, ...buttonTestId('view-delete-confirm') }}
          onConfirm={() =>
            remove.mutate(current.id, {
              onSuccess: () => void message.success(t('console.views.deleted')),
              onError: (e) => showError(e),
            })
          }
        >
          <Tooltip title={t('console.views.delete')}>
            <Button icon={<DeleteOutlined />} loading={remove.isPending} data-testid="view-delete" aria-label={t('console.views.delete')} />
          </Tooltip>
        </Popconfirm>
      )}
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          form.setFieldsValue({ name: canOverwrite ? picked.name : '', overwrite: false });
          setSaving(true);
        }}
        data-testid="view-save"
      >
        {t('console.views.save')}
      </Button>
      <Modal
        open={saving}
        title={t('console.views.saveTitle')}
        onCancel={() => setSaving(false)}
        onOk={() => form.submit()}
        okButtonProps={buttonTestId('view-save-submit')}
        confirmLoading={save.isPending}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ name: '', overwrite: false }}>
          <Form.Item name="name" label={t('console.views.name')} rules={[{ required: true, whitespace: true }, zodRule(SavedViewInput.shape.name)]}>
            <Input placeholder={t('console.views.nameHint')} maxLength={60} autoFocus data-testid="view-name" />
          </Form.Item>
          {canOverwrite && (
            <Form.Item name="overwrite" valuePropName="checked" style={{ marginBottom: 0 }}>
              <Checkbox data-testid="view-overwrite">{t('console.views.update', { name: picked.name })}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space.Compact>
  );
}
