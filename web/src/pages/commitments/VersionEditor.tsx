/**
 * The editor of a draft version (form name "version": ids #version_title, #version_partyType,
 * #version_effectiveFrom, #version_effectiveTo, #version_responsibleDepartmentId, #version_responsiblePersonId,
 * #version_scopeBranchIds, #version_scopeDepartmentIds, #version_scopeChannels, #version_bodyZh, #version_bodyEn and
 * the targets). Saves the whole content with PATCH; server problems land on their fields or in `version-issues`.
 */
import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Flex, Form, Input, Row, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { ApiError } from '../../api/client';
import { CHANNELS, PARTY_TYPES, useUpdateVersion, type Version } from '../../api/commitments';
import { useBranches, useDepartments } from '../../api/org';
import { StaffSelect } from '../../components/StaffSelect';
import { useShowError } from '../../lib/use-show-error';
import { fieldOfIssue, fromForm, toForm, type EditorValues } from './form-model';
import { Markdown } from './Markdown';
import { TargetsEditor } from './TargetsEditor';

function BodyField({ name, testId, placeholder }: { name: 'bodyZh' | 'bodyEn'; testId: string; placeholder: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<EditorValues>();
  const value = (Form.useWatch(name, form) ?? '');
  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Form.Item name={name} noStyle rules={[{ max: 100_000 }]}>
          <Input.TextArea autoSize={{ minRows: 14, maxRows: 32 }} className="pledge-mono" style={{ fontSize: 13 }} placeholder={placeholder} data-testid={testId} />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('commitments.editor.markdownHint')}
        </Typography.Text>
      </Col>
      <Col xs={24} lg={12}>
        <div className="pledge-md-preview" data-testid={`${testId}-preview`}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('commitments.editor.preview')}
          </Typography.Text>
          {value.trim() ? <Markdown source={value} /> : <Typography.Paragraph type="secondary">{t('commitments.editor.emptyBody')}</Typography.Paragraph>}
        </div>
      </Col>
    </Row>
  );
}

export function VersionEditor({ version, onDirtyChange }: { version: Version; onDirtyChange: (dirty: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const [form] = Form.useForm<EditorValues>();
  const update = useUpdateVersion();
  const showError = useShowError();
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<string[]>([]);
  const [expandAll, setExpandAll] = useState(0);
  const branches = useBranches(can('branch.read'));
  const departments = useDepartments(undefined, can('branch.read'));

  // A new server state (after saving, or another version chosen) replaces the form.
  const stamp = `${version.id}@${version.updatedAt}`;
  useEffect(() => {
    form.setFieldsValue(toForm(version));
    setDirty(false);
    setIssues([]);
    // Only a different version or a newer server state replaces what is being edited.
  }, [form, stamp]);

  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const branchOptions = (branches.data ?? []).map((b) => ({ value: b.id, label: b.name }));
  const departmentOptions = (departments.data ?? []).map((d) => {
    const branch = branches.data?.find((b) => b.id === d.branchId);
    return { value: d.id, label: branch && branches.data && branches.data.length > 1 ? `${d.name} · ${branch.name}` : d.name };
  });

  const applyError = (error: unknown) => {
    if (!(error instanceof ApiError)) return showError(error);
    const unmatched: string[] = [];
    const fields: { name: (string | number)[]; errors: string[] }[] = [];
    const field = error.details && typeof error.details === 'object' && 'field' in error.details && typeof error.details.field === 'string' ? error.details.field : null;
    for (const issue of error.issues) {
      const name = fieldOfIssue(issue.path);
      if (name) fields.push({ name, errors: [issue.message] });
      else unmatched.push(`${issue.path}: ${issue.message}`);
    }
    if (field && error.issues.length === 0) {
      const name = fieldOfIssue(field);
      if (name && name[0] !== 'targets') fields.push({ name, errors: [error.message] });
    }
    if (fields.length) {
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      if (fields.some((f) => f.name[0] === 'targets')) setExpandAll((n) => n + 1);
    }
    setIssues(unmatched.length || fields.length === 0 ? [error.message, ...unmatched] : []);
    void message.error(error.message);
  };

  const save = () => {
    form
      .validateFields()
      .then(() => {
        const values = form.getFieldsValue(true) as EditorValues;
        update.mutate(
          { id: version.id, patch: fromForm(values) },
          {
            onSuccess: () => {
              setDirty(false);
              setIssues([]);
              void message.success(t('common.saved'));
            },
            onError: applyError,
          },
        );
      })
      .catch(() => {
        setExpandAll((n) => n + 1);
        void message.warning(t('commitments.editor.fixErrors'));
      });
  };

  return (
    <Form<EditorValues> form={form} name="version" layout="vertical" onValuesChange={() => setDirty(true)} initialValues={toForm(version)} scrollToFirstError>
      <Card
        size="small"
        className="pledge-editor-bar"
        styles={{ body: { padding: '8px 12px' } }}
        style={{ position: 'sticky', top: 64, zIndex: 5, marginBottom: 16 }}
      >
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Space wrap>
            <Typography.Text strong>{t('commitments.editor.title', { version: version.version })}</Typography.Text>
            {dirty ? (
              <Tag color="warning" data-testid="version-dirty">
                {t('commitments.editor.unsaved')}
              </Tag>
            ) : (
              <Tag>{t('commitments.editor.saved')}</Tag>
            )}
          </Space>
          <Space>
            <Button icon={<UndoOutlined />} disabled={!dirty} onClick={() => {
                form.resetFields();
                form.setFieldsValue(toForm(version));
                setDirty(false);
              }}
              data-testid="version-reset">
              {t('commitments.editor.discard')}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} loading={update.isPending} onClick={save} data-testid="version-save">
              {t('common.save')}
            </Button>
          </Space>
        </Flex>
      </Card>
      {issues.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="version-issues"
          title={issues[0]}
          description={issues.length > 1 ? <ul style={{ margin: 0, paddingLeft: 18 }}>{issues.slice(1).map((i) => <li key={i}>{i}</li>)}</ul> : undefined}
        />
      )}
      <Card size="small" title={t('commitments.editor.basics')} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="title" label={t('commitments.fields.title')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="partyType" label={t('commitments.fields.partyType')}>
              <Select options={PARTY_TYPES.map((p) => ({ value: p, label: t(`commitments.partyTypes.${p}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="effectiveFrom" label={t('commitments.fields.effectiveFrom')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="effectiveTo"
              label={t('commitments.fields.effectiveTo')}
              dependencies={['effectiveFrom']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_, value: EditorValues['effectiveTo']) => {
                    const from = getFieldValue('effectiveFrom') as EditorValues['effectiveFrom'];
                    if (value && from && value.isBefore(from, 'day')) throw new Error(t('commitments.editor.toBeforeFrom'));
                  },
                }),
              ]}
            >
              <DatePicker style={{ width: '100%' }} placeholder={t('commitments.editor.openEnded')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="responsibleDepartmentId" label={t('commitments.fields.responsibleDepartment')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={departmentOptions} loading={departments.isLoading} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="responsiblePersonId" label={t('commitments.fields.responsiblePerson')}>
              <StaffSelect />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('commitments.fields.scope')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          {t('commitments.editor.scopeHint')}
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="scopeBranchIds" label={t('commitments.fields.scopeBranches')}>
              <Select mode="multiple" allowClear placeholder={t('commitments.editor.wholeOrganization')} options={branchOptions} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="scopeDepartmentIds" label={t('commitments.fields.scopeDepartments')}>
              <Select mode="multiple" allowClear placeholder={t('commitments.target.all')} options={departmentOptions} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="scopeChannels" label={t('commitments.fields.scopeChannels')}>
              <Select mode="multiple" allowClear placeholder={t('commitments.editor.everyChannel')} options={CHANNELS.map((c) => ({ value: c, label: t(`commitments.channels.${c}`) }))} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card size="small" title={t('commitments.fields.letter')} style={{ marginBottom: 16 }}>
        <Tabs
          items={[
            { key: 'zh', label: <span data-testid="body-tab-zh">{t('commitments.editor.bodyZh')}</span>, forceRender: true, children: <BodyField name="bodyZh" testId="body-zh" placeholder={t('commitments.editor.bodyPlaceholder')} /> },
            { key: 'en', label: <span data-testid="body-tab-en">{t('commitments.editor.bodyEn')}</span>, forceRender: true, children: <BodyField name="bodyEn" testId="body-en" placeholder={t('commitments.editor.bodyEnPlaceholder')} /> },
          ]}
        />
      </Card>
      <Card size="small" title={t('commitments.fields.targets')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('commitments.editor.targetsHint')}
        </Typography.Paragraph>
        <TargetsEditor form={form} expandAll={expandAll} />
      </Card>
    </Form>
  );
}
