/**
 * The feedback part of the public page (意见反馈): the form (suggestion, complaint, praise; name, phone and
 * e-mail optional; consent to publish), which answers a number and a private look-up code; the look-up by number
 * and code; and the published list of answered feedback (personal data removed by the server). Mobile-first: one
 * column, full-width controls.
 */
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { FeedbackKind, FeedbackSubmitted } from '../../api/feedback';
import { usePublishedFeedback, useSubmitFeedback } from '../../api/feedback';
import { formatTime } from '../../lib/time';
import './feedback.css';

const KINDS: FeedbackKind[] = ['suggestion', 'complaint', 'praise'];
const KIND_COLOR: Record<FeedbackKind, string> = { suggestion: 'blue', complaint: 'red', praise: 'green' };

/** "5 个工作日" from P5D, "48 个工作小时" from PT48H. */
export function useWithinText() {
  const { t } = useTranslation();
  return (duration: string) => {
    const days = /^P(\d+)D$/.exec(duration);
    if (days) return t('feedback.within.days', { n: Number(days[1]) });
    const hours = /^PT(\d+)H$/.exec(duration);
    if (hours) return t('feedback.within.hours', { n: Number(hours[1]) });
    return t('feedback.within.other', { text: duration });
  };
}

export function FeedbackKindTag({ kind }: { kind: FeedbackKind }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLOR[kind]}>{t(`feedback.kind.${kind}`)}</Tag>;
}

interface FormValues {
  kind: FeedbackKind;
  body: string;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
  consentToPublish?: boolean;
}

export function FeedbackSection({ org }: { org: string }) {
  const { t } = useTranslation();
  const within = useWithinText();
  const published = usePublishedFeedback(org);
  return (
    <>
      <section className="pledge-public-section no-print" data-testid="public-feedback">
        <h2>{t('feedback.public.title')}</h2>
        <p className="pledge-muted">
          {published.data ? t('feedback.public.hint', { within: within(published.data.answerWithin) }) : t('feedback.public.hintNoClock')}
        </p>
        <FeedbackForm org={org} />
        <LookupForm org={org} />
      </section>
      <section className="pledge-public-section" data-testid="public-feedback-list">
        <h2>{t('feedback.public.listTitle')}</h2>
        {published.data && published.data.items.length === 0 ? (
          <p className="pledge-muted">{t('feedback.public.listEmpty')}</p>
        ) : (
          <ul className="pledge-feedback-list">
            {published.data?.items.map((f) => (
              <li key={f.number} data-testid={`published-feedback-${f.number}`}>
                <div className="pledge-feedback-head">
                  <FeedbackKindTag kind={f.kind} />
                  <span className="pledge-muted">{t('feedback.public.submittedAt', { time: formatTime(f.createdAt, 'YYYY-MM-DD') })}</span>
                </div>
                <p className="pledge-feedback-summary" data-testid="published-summary">
                  {f.summary}
                </p>
                <div className="pledge-feedback-answer">
                  <strong>{t('feedback.public.answer')}</strong>
                  <span className="pledge-muted"> · {t('feedback.public.answeredOn', { time: formatTime(f.answeredAt, 'YYYY-MM-DD') })}</span>
                  <p data-testid="published-answer">{f.answer}</p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function FeedbackForm({ org }: { org: string }) {
  const { t } = useTranslation();
  const submit = useSubmitFeedback(org);
  const [form] = Form.useForm<FormValues>();
  const [done, setDone] = useState<FeedbackSubmitted | null>(null);
  if (done) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="feedback-submitted"
        title={t('feedback.public.submitted')}
        description={
          <>
            <p>
              {t('feedback.public.submittedText', { number: done.number, code: done.code })}
              {done.answerDueAt && ` ${t('feedback.public.dueBy', { time: formatTime(done.answerDueAt, 'YYYY-MM-DD HH:mm') })}`}
            </p>
            <span data-testid="feedback-number" hidden>
              {done.number}
            </span>
            <span data-testid="feedback-code" hidden>
              {done.code}
            </span>
            <Link to={done.link} data-testid="feedback-open-lookup">
              {t('feedback.public.openLookup')}
            </Link>
            <Button type="link" onClick={() => setDone(null)}>
              {t('feedback.public.another')}
            </Button>
          </>
        }
      />
    );
  }
  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      name="feedback"
      className="pledge-feedback-form"
      initialValues={{ kind: 'suggestion', consentToPublish: false }}
      onFinish={(v) =>
        submit.mutate(
          {
            kind: v.kind, body: v.body.trim(), contactName: v.contactName?.trim() ?? '', contactPhone: v.contactPhone?.trim() ?? '',
            contactEmail: v.contactEmail?.trim() ?? '', consentToPublish: v.consentToPublish ?? false,
          },
          {
            onSuccess: (r) => {
              form.resetFields();
              setDone(r);
            },
            onError: (e) => form.setFields([{ name: 'body', errors: [e.message] }]),
          },
        )
      }
    >
      <Form.Item name="kind" label={t('feedback.public.kind')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" buttonStyle="solid" data-testid="feedback-kind" options={KINDS.map((k) => ({ value: k, label: t(`feedback.kind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="body" label={t('feedback.public.body')} rules={[{ required: true, min: 5, whitespace: true, message: t('feedback.public.bodyPlaceholder') }]}>
        <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('feedback.public.bodyPlaceholder')} data-testid="feedback-body" />
      </Form.Item>
      <div className="pledge-feedback-contacts">
        <Form.Item name="contactName" label={t('feedback.public.name')}>
          <Input maxLength={100} autoComplete="name" data-testid="feedback-name" />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('feedback.public.phone')} rules={[{ pattern: /^[0-9+\-() ]*$/, message: t('feedback.public.phone') }]}>
          <Input maxLength={40} inputMode="tel" autoComplete="tel" data-testid="feedback-phone" />
        </Form.Item>
        <Form.Item name="contactEmail" label={t('feedback.public.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input maxLength={200} inputMode="email" autoComplete="email" data-testid="feedback-email" />
        </Form.Item>
      </div>
      <Form.Item name="consentToPublish" valuePropName="checked">
        <Checkbox data-testid="feedback-consent">{t('feedback.public.consent')}</Checkbox>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={submit.isPending} block data-testid="feedback-submit">
        {t('feedback.public.submit')}
      </Button>
    </Form>
  );
}

function LookupForm({ org }: { org: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card size="small" className="pledge-feedback-lookup" title={t('feedback.public.lookupTitle')}>
      <Form<{ number: string; code: string }>
        layout="vertical"
        name="feedback-lookup"
        onFinish={(v) => void navigate(`/public/${encodeURIComponent(org)}/feedback/${encodeURIComponent(v.number.trim().toUpperCase())}?k=${encodeURIComponent(v.code.trim().toUpperCase())}`)}
      >
        <div className="pledge-feedback-contacts">
          <Form.Item name="number" label={t('feedback.public.number')} rules={[{ required: true, whitespace: true }]}>
            <Input placeholder="FK-20260101-0001" maxLength={40} data-testid="lookup-number" />
          </Form.Item>
          <Form.Item name="code" label={t('feedback.public.code')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={40} autoComplete="off" data-testid="lookup-code" />
          </Form.Item>
        </div>
        <Button htmlType="submit" block data-testid="lookup-submit">
          {t('feedback.public.lookup')}
        </Button>
      </Form>
    </Card>
  );
}

