/**
 * One callback: the request's summary and the customer's contact (the phone masked unless the reader holds
 * pii:read), the caller, and the form that records the call — reached (the customer's rating, or the verdict of
 * a verification) or not reached (one attempt).
 */
import { Alert, App, Button, Descriptions, Divider, Drawer, Form, Input, Radio, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAssignCallback, useCallbackDetail, usePerformCallback, type CallbackDetail, type Verdict } from '../../api/callbacks';
import { StaffSelect } from '../../components/StaffSelect';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';

const LEVELS = [5, 4, 3, 2, 1] as const;
const VERDICTS: Verdict[] = ['confirmed', 'mistaken', 'malicious'];

export function CallbackDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useCallbackDetail(id);
  const cb = detail.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={560} title={cb ? t('callbacks.drawer.title', { number: cb.request.number }) : ''} destroyOnHidden data-testid="callback-drawer">
      {!cb ? <Spin /> : <Body cb={cb} onDone={onClose} />}
    </Drawer>
  );
}

interface Values {
  outcome: 'reached' | 'not_reached';
  level?: number;
  verdict?: Verdict;
  remarks?: string;
}

function Body({ cb, onDone }: { cb: CallbackDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<Values>();
  const perform = usePerformCallback();
  const assign = useAssignCallback();
  const outcome = Form.useWatch('outcome', form);
  const pending = cb.state === 'pending';
  const level = (n: number) => t(`callbacks.level.l${n as 1 | 2 | 3 | 4 | 5}`);

  const submit = (v: Values) => {
    const body = v.outcome === 'not_reached'
      ? { outcome: 'not_reached' as const, remarks: v.remarks ?? null }
      : cb.purpose === 'verify'
        ? { outcome: 'reached' as const, verdict: v.verdict, remarks: v.remarks ?? null }
        : { outcome: 'reached' as const, level: v.level, remarks: v.remarks ?? null };
    perform.mutate({ id: cb.id, body }, {
      onSuccess: (after) => {
        void message.success(t('callbacks.drawer.saved'));
        if (after.state !== 'pending') onDone();
        else form.resetFields();
      },
      onError: (e) => showError(e, form),
    });
  };

  return (
    <>
      <Descriptions size="small" column={1} title={t('callbacks.drawer.request')} bordered>
        <Descriptions.Item label={t('callbacks.drawer.subject')}>{cb.request.subject} <Tag>{t(`vocab.type.${cb.request.type}`)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('callbacks.drawer.description')}><Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{cb.summary.description || '—'}</Typography.Text></Descriptions.Item>
        <Descriptions.Item label={t('callbacks.drawer.result')}><Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{cb.summary.result ?? '—'}</Typography.Text></Descriptions.Item>
        <Descriptions.Item label={t('callbacks.drawer.resolvedAt')}>{formatTime(cb.summary.resolvedAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
        <Descriptions.Item label={t('callbacks.column.agent')}>{cb.request.agent?.name ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Divider />
      <Descriptions size="small" column={1} title={t('callbacks.drawer.contact')} bordered>
        <Descriptions.Item label={t('callbacks.drawer.name')}>{cb.contact.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('callbacks.drawer.phone')}><span data-testid="callback-phone">{cb.contact.phone ?? '—'}</span></Descriptions.Item>
        {cb.contact.email && <Descriptions.Item label={t('callbacks.drawer.email')}>{cb.contact.email}</Descriptions.Item>}
      </Descriptions>
      {cb.evaluation && (
        <>
          <Divider />
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('callbacks.drawer.rating')}>
              {t('callbacks.drawer.ratingOf', { level: level(cb.evaluation.level), source: cb.evaluation.source, at: formatTime(cb.evaluation.at, 'YYYY-MM-DD HH:mm') })}
              {cb.evaluation.comment && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{cb.evaluation.comment}</Typography.Paragraph>}
            </Descriptions.Item>
          </Descriptions>
        </>
      )}
      <Divider />
      {pending ? (
        <>
          <Form layout="vertical">
            <Form.Item label={t('callbacks.drawer.assign')} extra={t('callbacks.drawer.assignHint')}>
              <StaffSelect
                value={cb.assignee?.id ?? null}
                onChange={(v) => assign.mutate({ id: cb.id, assigneeId: typeof v === 'string' ? v : null }, { onError: (e) => showError(e) })}
                data-testid="callback-assignee"
              />
            </Form.Item>
          </Form>
          <Form<Values> form={form} layout="vertical" initialValues={{ outcome: 'reached' }} onFinish={submit}>
            <Form.Item name="outcome" label={t('callbacks.drawer.outcome')}>
              <Radio.Group>
                <Radio value="reached"><span data-testid="callback-outcome-reached">{t('callbacks.drawer.reached')}</span></Radio>
                <Radio value="not_reached"><span data-testid="callback-outcome-not-reached">{t('callbacks.drawer.notReached')}</span></Radio>
              </Radio.Group>
            </Form.Item>
            {outcome === 'not_reached' && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('callbacks.drawer.notReachedHint', { max: cb.maxAttempts })} />}
            {outcome !== 'not_reached' && cb.purpose === 'sample' && (
              <Form.Item name="level" label={t('callbacks.drawer.customerLevel')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" buttonStyle="solid">
                  {LEVELS.map((n) => <Radio.Button key={n} value={n}><span data-testid={`callback-level-${n}`}>{level(n)}</span></Radio.Button>)}
                </Radio.Group>
              </Form.Item>
            )}
            {outcome !== 'not_reached' && cb.purpose === 'verify' && (
              <Form.Item name="verdict" label={t('callbacks.drawer.verdict')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" buttonStyle="solid">
                  {VERDICTS.map((v) => <Radio.Button key={v} value={v}><span data-testid={`callback-verdict-${v}`}>{t(`callbacks.verdict.${v}`)}</span></Radio.Button>)}
                </Radio.Group>
              </Form.Item>
            )}
            <Form.Item name="remarks" label={t('callbacks.drawer.remarks')}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="callback-remarks" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={perform.isPending} data-testid="callback-submit">{t('callbacks.drawer.submit')}</Button>
          </Form>
        </>
      ) : (
        <Alert
          type={cb.state === 'done' ? 'success' : 'warning'}
          message={`${t('callbacks.drawer.finished')} · ${t(`callbacks.state.${cb.state}`)}${cb.unverified ? ` · ${t('callbacks.unverified')}` : cb.verdict ? ` · ${t(`callbacks.verdict.${cb.verdict}`)}` : cb.level ? ` · ${level(cb.level)}` : ''}`}
          description={
            <>
              {cb.calledBy && <div>{t('callbacks.drawer.calledBy', { name: cb.calledBy.name, at: formatTime(cb.calledAt, 'YYYY-MM-DD HH:mm') })}</div>}
              {cb.remarks && <div style={{ whiteSpace: 'pre-wrap' }}>{cb.remarks}</div>}
            </>
          }
        />
      )}
    </>
  );
}
