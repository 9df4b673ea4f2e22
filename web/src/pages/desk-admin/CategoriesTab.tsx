/**
 * The category tree: add a child, rename (Chinese and English), reorder among siblings, move by drag-and-drop,
 * deactivate, delete. A category in use (or with children) cannot be deleted: the 409 is explained and
 * deactivation offered instead.
 */
import {
  ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined,
} from '@ant-design/icons';
import { CategoryInput as CategoryInputSchema } from '@contracts/requests/contracts';
import { App, Button, Card, Empty, Flex, Form, Input, Modal, Popconfirm, Spin, Tag, Tooltip, Tree, TreeSelect, Typography } from 'antd';
import type { TreeDataNode, TreeProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { categoryInput, useCreateCategory, useDeleteCategory, useSaveCategories, useUpdateCategory } from '../../api/desk-admin';
import { useCategories, type Category } from '../../api/requests';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';
import { buildTree, childrenOf, placeCategory, shiftCategory, subtreeIds, type CategoryNode, type Placement } from './category-tree';
import { useCategoryName } from './labels';

interface Editing {
  /** null: a new category. */
  category: Category | null;
  parentId: string | null;
}

interface ParentOption {
  value: string;
  title: string;
  disabled: boolean;
  children: ParentOption[];
}

interface CategoryForm {
  name: string;
  nameEn?: string;
  parentId?: string | null;
}

export function CategoriesTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const categories = useCategories();
  const all = useMemo(() => categories.data ?? [], [categories.data]);
  const nameOf = useCategoryName();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const update = useUpdateCategory();
  const remove = useDeleteCategory();
  const save = useSaveCategories();

  const apply = (placements: Placement[], done?: string) => {
    if (placements.length === 0) return;
    const byId = new Map(all.map((c) => [c.id, c]));
    const changes = placements.map((p) => ({ id: p.id, input: categoryInput(byId.get(p.id)!, { parentId: p.parentId, position: p.position }) }));
    save.mutate(changes, { onSuccess: () => done && void message.success(done), onError: (e) => showError(e) });
  };

  const setActive = (c: Category, active: boolean) =>
    update.mutate({ id: c.id, input: categoryInput(c, { active }) }, {
      onSuccess: () => void message.success(t('common.saved')),
      onError: (e) => showError(e),
    });

  const onDelete = (c: Category) =>
    remove.mutate(c.id, {
      onSuccess: () => void message.success(t('deskAdmin.deleted')),
      onError: (error) => {
        if (!(error instanceof ApiError) || error.code !== 'conflict.in_use') return showError(error);
        const title = t('deskAdmin.categories.inUseTitle', { name: nameOf(c) });
        const content = <span data-testid="category-in-use">{t('deskAdmin.categories.inUseBody')}</span>;
        if (!c.active) return void modal.info({ title, content });
        void modal.confirm({
          title, content,
          okText: t('deskAdmin.categories.deactivateInstead'),
          okButtonProps: buttonTestId('category-deactivate-instead'),
          onOk: () => setActive(c, false),
        });
      },
    });

  const node = (n: CategoryNode, siblings: number, index: number): TreeDataNode => {
    const c = n.category;
    const stop = (e: React.MouseEvent) => e.stopPropagation();
    return {
      key: c.id,
      title: (
        <Flex justify="space-between" align="center" gap={8} data-testid={`category-${c.name}`} data-active={c.active}>
          <span>
            <Typography.Text delete={!c.active} type={c.active ? undefined : 'secondary'}>{nameOf(c)}</Typography.Text>
            {c.nameEn && nameOf(c) !== c.nameEn && <Typography.Text type="secondary"> · {c.nameEn}</Typography.Text>}
            {!c.active && <Tag style={{ marginInlineStart: 8 }}>{t('common.inactive')}</Tag>}
          </span>
          <span onClick={stop} className="desk-admin-node-actions">
            <Tooltip title={t('deskAdmin.categories.addChild')}>
              <Button size="small" type="text" icon={<PlusOutlined />} data-testid={`category-add-child-${c.name}`} onClick={() => setEditing({ category: null, parentId: c.id })} />
            </Tooltip>
            <Tooltip title={t('common.edit')}>
              <Button size="small" type="text" icon={<EditOutlined />} data-testid={`category-edit-${c.name}`} onClick={() => setEditing({ category: c, parentId: c.parentId })} />
            </Tooltip>
            <Tooltip title={t('deskAdmin.moveUp')}>
              <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} data-testid={`category-up-${c.name}`} onClick={() => apply(shiftCategory(all, c.id, -1))} />
            </Tooltip>
            <Tooltip title={t('deskAdmin.moveDown')}>
              <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === siblings - 1} data-testid={`category-down-${c.name}`} onClick={() => apply(shiftCategory(all, c.id, 1))} />
            </Tooltip>
            <Popconfirm
              title={t(c.active ? 'common.deactivateConfirm' : 'common.reactivateConfirm', { name: nameOf(c) })}
              onConfirm={() => setActive(c, !c.active)}
              okButtonProps={buttonTestId('category-toggle-confirm')}
            >
              <Tooltip title={t(c.active ? 'common.deactivate' : 'common.reactivate')}>
                <Button size="small" type="text" icon={c.active ? <StopOutlined /> : <CheckCircleOutlined />} data-testid={`category-toggle-${c.name}`} />
              </Tooltip>
            </Popconfirm>
            <Popconfirm title={t('deskAdmin.categories.deleteConfirm', { name: nameOf(c) })} onConfirm={() => onDelete(c)} okButtonProps={{ danger: true, ...buttonTestId('category-delete-confirm') }}>
              <Tooltip title={t('deskAdmin.delete')}>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid={`category-delete-${c.name}`} />
              </Tooltip>
            </Popconfirm>
          </span>
        </Flex>
      ),
      children: n.children.map((child, i) => node(child, n.children.length, i)),
    };
  };

  const forest = buildTree(all);
  const treeData = forest.map((n, i) => node(n, forest.length, i));
  const expandedKeys = all.filter((c) => !collapsed.has(c.id)).map((c) => c.id);

  const onDrop: TreeProps['onDrop'] = (info) => {
    const dragId = String(info.dragNode.key);
    const dropId = String(info.node.key);
    const target = all.find((c) => c.id === dropId);
    if (!target) return;
    const pos = info.node.pos.split('-');
    const relative = info.dropPosition - Number(pos[pos.length - 1]);
    let parentId: string | null;
    let index: number;
    if (!info.dropToGap || (relative === 1 && info.node.expanded && childrenOf(all, dropId).length > 0)) {
      // Onto the node, or just below an open node with children: its first child.
      parentId = dropId;
      index = 0;
    } else {
      parentId = target.parentId;
      const siblings = childrenOf(all, parentId).filter((c) => c.id !== dragId);
      const at = siblings.findIndex((c) => c.id === dropId);
      index = relative === -1 ? at : at + 1;
    }
    if (parentId && subtreeIds(all, dragId).has(parentId)) return;
    apply(placeCategory(all, dragId, parentId, index), t('deskAdmin.categories.moved'));
  };

  return (
    <Card>
      <Flex justify="space-between" align="start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('deskAdmin.categories.intro')}</Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('deskAdmin.categories.dragHint')}</Typography.Paragraph>
        </div>
        <Button type="primary" icon={<PlusOutlined />} data-testid="category-add-root" onClick={() => setEditing({ category: null, parentId: null })}>
          {t('deskAdmin.categories.addRoot')}
        </Button>
      </Flex>
      <Spin spinning={categories.isPending || save.isPending}>
        {all.length === 0 && !categories.isPending ? (
          <Empty description={t('deskAdmin.categories.empty')} />
        ) : (
          <Tree
            data-testid="category-tree"
            blockNode
            selectable={false}
            draggable={{ icon: false }}
            treeData={treeData}
            expandedKeys={expandedKeys}
            onExpand={(keys) => {
              const open = new Set(keys.map(String));
              setCollapsed(new Set(all.filter((c) => !open.has(c.id)).map((c) => c.id)));
            }}
            onDrop={onDrop}
          />
        )}
      </Spin>
      {editing && <CategoryModal all={all} editing={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

/** Create or edit one category: names and parent (a move to another parent puts it last there). */
function CategoryModal({ all, editing, onClose }: { all: Category[]; editing: Editing; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const nameOf = useCategoryName();
  const [form] = Form.useForm<CategoryForm>();
  const create = useCreateCategory();
  const update = useUpdateCategory();
  const current = editing.category;
  const parent = all.find((c) => c.id === editing.parentId);
  const excluded = current ? subtreeIds(all, current.id) : new Set<string>();

  const toOptions = (nodes: CategoryNode[]): ParentOption[] =>
    nodes.map((n) => ({ value: n.category.id, title: nameOf(n.category), disabled: excluded.has(n.category.id), children: toOptions(n.children) }));

  const submit = (values: CategoryForm) => {
    const parentId = values.parentId ?? null;
    const nameEn = values.nameEn?.trim() ? values.nameEn.trim() : null;
    const last = Math.max(-1, ...childrenOf(all, parentId).filter((c) => c.id !== current?.id).map((c) => c.position));
    const done = { onSuccess: () => { void message.success(t('common.saved')); onClose(); }, onError: (e: unknown) => showError(e, form) };
    if (!current) {
      create.mutate({ name: values.name.trim(), nameEn, parentId, position: last + 1, active: true }, done);
    } else {
      const position = parentId === current.parentId ? current.position : last + 1;
      update.mutate({ id: current.id, input: categoryInput(current, { name: values.name.trim(), nameEn, parentId, position }) }, done);
    }
  };

  const title = current
    ? t('deskAdmin.categories.editTitle')
    : parent ? t('deskAdmin.categories.createChildTitle', { parent: nameOf(parent) }) : t('deskAdmin.categories.createTitle');

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('category-submit')}
      destroyOnHidden
    >
      <Form<CategoryForm>
        form={form}
        name="category"
        layout="vertical"
        initialValues={{ name: current?.name ?? '', nameEn: current?.nameEn ?? '', parentId: editing.parentId ?? undefined }}
        onFinish={submit}
      >
        <Form.Item name="name" label={t('deskAdmin.categories.name')} rules={[{ required: true, whitespace: true }, zodRule(CategoryInputSchema.shape.name)]}>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('deskAdmin.categories.nameEn')} extra={t('deskAdmin.categories.nameEnHelp')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="parentId" label={t('deskAdmin.categories.parent')}>
          <TreeSelect allowClear treeDefaultExpandAll placeholder={t('deskAdmin.categories.topLevel')} treeData={toOptions(buildTree(all))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
