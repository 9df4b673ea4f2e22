/**
 * Create or edit a customer in a modal. Field ids: #name, #phone, #email, #idNumber, #flags, #branchId, #notes.
 * Phone and ID number arrive masked, so an edit leaves them blank and sends them only when retyped.
 */
import { CustomerCreate as CustomerCreateSchema } from '@contracts/org/contracts';
import { Alert, App, Checkbox, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useCreateCustomer, useUpdateCustomer } from '../../api/customers';
import { useBranches } from '../../api/org';
import { CUSTOMER_FLAGS, type Customer, type CustomerFlag, type CustomerUpdate } from '../../api/types';
import { zodRule } from '../../lib/forms';
import { buttonTestId } from '../../lib/test-id';
import { useShowError } from '../../lib/use-show-error';

interface CustomerValues {
  name: string;
  phone?: string;
  email?: string;
  idNumber?: string;
  /** Remove the stored (masked) value instead of keeping it. */
  clearPhone?: boolean;
  clearIdNumber?: boolean;
  flags: CustomerFlag[];
  branchId?: string | null;
  notes?: string;
}

const shape = CustomerCreateSchema.shape;

function text(value: string | undefined): string | null {
  const v = value?.trim() ?? '';
  return v === '' ? null : v;
}

export function CustomerModal({ customer, onClose }: { customer: Customer | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = usePermissions();
  const [form] = Form.useForm<CustomerValues>();
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const showError = useShowError();
  const { data: branches } = useBranches(can('branch.read'));
  const flags = Form.useWatch('flags', form) ?? customer?.flags ?? [];

  const onFinish = (v: CustomerValues) => {
    const done = () => {
      void message.success(customer ? t('common.saved') : t('common.created'));
      onClose();
    };
    const onError = (e: unknown) => showError(e, form);
    const base = {
      name: v.name.trim(),
      email: text(v.email),
      flags: v.flags,
      branchId: v.branchId ?? null,
      notes: text(v.notes),
    };
    if (!customer) {
      create.mutate({ ...base, phone: text(v.phone), idNumber: text(v.idNumber)?.toUpperCase() ?? null }, { onSuccess: done, onError });
      return;
    }
    const patch: CustomerUpdate = {};
    if (base.name !== customer.name) patch.name = base.name;
    if (base.email !== customer.email) patch.email = base.email;
    if (base.flags.length !== customer.flags.length || base.flags.some((f) => !customer.flags.includes(f))) patch.flags = base.flags;
    if (base.branchId !== customer.branchId) patch.branchId = base.branchId;
    if (base.notes !== customer.notes) patch.notes = base.notes;
    const phone = text(v.phone);
    if (phone) patch.phone = phone;
    else if (v.clearPhone && customer.phone) patch.phone = null;
    const idNumber = text(v.idNumber);
    if (idNumber) patch.idNumber = idNumber.toUpperCase();
    else if (v.clearIdNumber && customer.idNumber) patch.idNumber = null;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: customer.id, patch }, { onSuccess: done, onError });
  };

  const keepHint = (masked: string | null) => (customer && masked ? `${t('pii.current', { masked })} · ${t('common.unchangedIfBlank')}` : undefined);

  return (
    <Modal
      open
      width={680}
      title={customer ? `${t('customers.edit')} · ${customer.name}` : t('customers.create')}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={buttonTestId('customer-submit')}
      mask={{ closable: false }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          name: customer?.name ?? '',
          phone: '',
          email: customer?.email ?? '',
          idNumber: '',
          flags: customer?.flags ?? [],
          branchId: customer?.branchId ?? null,
          notes: customer?.notes ?? '',
        }}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={t('customers.name')} rules={[{ required: true }, zodRule(shape.name)]}>
              <Input maxLength={100} autoFocus />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="phone" label={t('customers.phone')} extra={keepHint(customer?.phone ?? null)} rules={[zodRule(shape.phone, t('validation.phone'))]}>
              <Input maxLength={20} autoComplete="off" placeholder={customer?.phone ?? undefined} />
            </Form.Item>
            {customer?.phone && (
              <Form.Item name="clearPhone" valuePropName="checked" style={{ marginTop: -16 }}>
                <Checkbox data-testid="customer-clear-phone">{t('pii.clearStored')}</Checkbox>
              </Form.Item>
            )}
          </Col>
          <Col span={12}>
            <Form.Item name="email" label={t('customers.email')} rules={[zodRule(shape.email)]}>
              <Input maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="idNumber"
              label={t('customers.idNumber')}
              extra={keepHint(customer?.idNumber ?? null) ?? t('customers.idNumberHint')}
              rules={[zodRule(shape.idNumber, t('validation.idNumber'))]}
            >
              <Input maxLength={18} autoComplete="off" placeholder={customer?.idNumber ?? undefined} />
            </Form.Item>
            {customer?.idNumber && (
              <Form.Item name="clearIdNumber" valuePropName="checked" style={{ marginTop: -16 }}>
                <Checkbox data-testid="customer-clear-id-number">{t('pii.clearStored')}</Checkbox>
              </Form.Item>
            )}
          </Col>
          <Col span={12}>
            <Form.Item name="flags" label={t('customers.flags')}>
              <Checkbox.Group options={CUSTOMER_FLAGS.map((f) => ({ value: f, label: t(`customers.flagValues.${f}`) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="branchId" label={t('customers.branch')}>
              <Select allowClear options={(branches ?? []).filter((b) => b.active || b.id === customer?.branchId).map((b) => ({ value: b.id, label: b.name }))} />
            </Form.Item>
          </Col>
        </Row>
        {flags.length > 0 && <Alert type="success" showIcon title={t('customers.greenChannelHint')} style={{ marginBottom: 16 }} />}
        <Form.Item name="notes" label={t('customers.notes')} rules={[zodRule(shape.notes)]}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
