/**
 * Classifying the request in place (part of analysis): type, priority, category (the organization's tree)
 * and tags. The server re-applies the commitment's targets to the new facts, so the clocks may change.
 */
import { App, Button, Card, Form, Input, Select, TreeSelect } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Priority, RequestType } from '@contracts/requests/contracts';
import { usePermissions } from '../../api/auth';
import { useCategories, useUpdateRequest, type Category, type RequestView } from '../../api/requests';
import { currentLanguage } from '../../i18n';
import { useShowError } from '../../lib/use-show-error';

interface Values {
  type: RequestView['type'];
  priority: RequestView['priority'];
  categoryId: string | null;
  tags: string[];
  reason?: string;
}

interface TreeNode {
  value: string;
  title: string;
  disabled: boolean;
  children: TreeNode[];
}

/** The flat category list as a tree; inactive categories stay visible (greyed) only where they are in use. */
function categoryTree(categories: Category[], currentId: string | null): TreeNode[] {
  const en = currentLanguage() === 'en-US';
  const nodes = new Map<string, TreeNode>(
    categories.map((c) => [c.id, { value: c.id, title: en && c.nameEn ? c.nameEn : c.name, disabled: !c.active, children: [] }]),
  );
  const roots: TreeNode[] = [];
  for (const c of [...categories].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))) {
    if (!c.active && c.id !== currentId) continue;
    const node = nodes.get(c.id)!;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function initial(request: RequestView): Values {
  return { type: request.type, priority: request.priority, categoryId: request.category?.id ?? null, tags: request.tags };
}

export function ClassifyPanel({ request }: { request: RequestView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const [form] = Form.useForm<Values>();
  const categories = useCategories();
  const update = useUpdateRequest(request.id);
  const showError = useShowError();
  const editable = can('request.handle') && request.state !== 'archived' && request.state !== 'merged';
  const tree = useMemo(() => categoryTree(categories.data ?? [], request.category?.id ?? null), [categories.data, request.category?.id]);
  const values = Form.useWatch([], form) as Partial<Values> | undefined;
  const start = initial(request);
  const dirty =
    !!values &&
    (values.type !== start.type || values.priority !== start.priority || (values.categoryId ?? null) !== start.categoryId || (values.tags ?? []).join('\n') !== start.tags.join('\n'));

  // A change saved elsewhere (another agent, live) shows here unless this person is editing.
  useEffect(() => {
    if (!form.isFieldsTouched()) form.setFieldsValue(initial(request));
  }, [form, request]);

  const submit = (v: Values) => {
    const body = {
      ...(v.type !== start.type ? { type: v.type } : {}),
      ...(v.priority !== start.priority ? { priority: v.priority } : {}),
      ...((v.categoryId ?? null) !== start.categoryId ? { categoryId: v.categoryId ?? null } : {}),
      ...(v.tags.join('\n') !== start.tags.join('\n') ? { tags: v.tags } : {}),
      reason: v.reason?.trim() || null,
    };
    update.mutate(body, {
      onSuccess: (saved) => {
        form.resetFields();
        form.setFieldsValue(initial(saved));
        void message.success(t('requestPage.classify.saved'));
      },
      onError: (e) => showError(e, form),
    });
  };

  return (
    <Card size="small" title={t('requestPage.classify.title')} data-testid="classify-panel">
      <Form form={form} layout="vertical" size="small" initialValues={start} onFinish={submit} disabled={!editable}>
        <Form.Item name="type" label={t('requestPage.classify.type')} style={{ marginBottom: 8 }}>
          <Select options={RequestType.options.map((v) => ({ value: v, label: t(`vocab.type.${v}`) }))} data-testid="classify-type" />
        </Form.Item>
        <Form.Item name="priority" label={t('requestPage.classify.priority')} style={{ marginBottom: 8 }}>
          <Select options={Priority.options.map((v) => ({ value: v, label: t(`vocab.priority.${v}`) }))} data-testid="classify-priority" />
        </Form.Item>
        <Form.Item name="categoryId" label={t('requestPage.classify.category')} style={{ marginBottom: 8 }}>
          <TreeSelect allowClear treeData={tree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} loading={categories.isFetching} data-testid="classify-category" />
        </Form.Item>
        <Form.Item name="tags" label={t('requestPage.classify.tags')} style={{ marginBottom: 8 }}>
          <Select mode="tags" tokenSeparators={[',', '，']} placeholder={t('requestPage.classify.tagsPlaceholder')} open={false} suffixIcon={null} data-testid="classify-tags" />
        </Form.Item>
        {dirty && (
          <>
            <Form.Item name="reason" label={t('requestPage.classify.reason')} style={{ marginBottom: 8 }}>
              <Input maxLength={500} data-testid="classify-reason" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={update.isPending} block data-testid="classify-save">
              {t('requestPage.classify.save')}
            </Button>
          </>
        )}
      </Form>
    </Card>
  );
}
