/**
 * The tracking page of the private link (`/portal/:org/t/:number?k=…`): where the request stands in the loop
 * 登记 → 分析 → 处理 → 反馈 → 归档, the conversation with the organization (their replies and the customer's
 * messages, never internal notes), a reply box with files, and in the feedback step the confirmation with a rating.
 * A wrong or incomplete link shows one "invalid link" page, whatever was wrong with it.
 */
import { PaperClipOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Radio, Rate, Result, Skeleton, Steps, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { trackedFileUrl, useConfirm, useReply, useTrackedRequest, type PortalFile, type PortalInfo, type TrackedRequest } from '../../api/portal';
import { LOOP_STEPS, stepOf } from '../../lib/loop-steps';
import { formatTime } from '../../lib/time';
import { useShowError } from '../../lib/use-show-error';
import { PortalFiles } from './PortalFiles';
import { formatBytes, PortalLayout } from './PortalLayout';

type State = TrackedRequest['state'];
export default function PortalTrackPage() {
  const { org = '', number = '' } = useParams();
  const [search] = useSearchParams();
  const key = search.get('k') ?? '';
  return (
    <PortalLayout org={org} testId="portal-track-page">
      {(info) => <Tracked org={org} number={number} linkKey={key} info={info} />}
    </PortalLayout>
  );
}

function Tracked({ org, number, linkKey, info }: { org: string; number: string; linkKey: string; info: PortalInfo }) {
  const { t } = useTranslation();
  const query = useTrackedRequest(org, number, linkKey);
  if (query.isLoading) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (query.error) {
    const invalid = query.error instanceof ApiError && query.error.status === 404;
    return (
      <section className="pledge-portal-card">
        <Result status={invalid ? '404' : 'error'} title={invalid ? t('portal.track.invalid') : query.error.message} subTitle={invalid ? t('portal.track.invalidHint') : undefined} data-testid="portal-link-invalid" />
      </section>
    );
  }
  const view = query.data;
  if (!view) return null;
  const files = { org, number, linkKey };
  return (
    <>
      <section className="pledge-portal-card" data-testid="portal-tracked" data-state={view.state}>
        <div className="pledge-portal-head">
          <div>
            <div className="pledge-muted">
              {t('portal.track.number')} <span className="pledge-mono" data-testid="portal-track-number">{view.number}</span>
            </div>
            <h2 data-testid="portal-track-subject">{view.subject}</h2>
            <div className="pledge-muted">
              {t(`vocab.type.${view.type}`)} · {t('portal.track.submittedAt', { time: formatTime(view.createdAt, 'YYYY-MM-DD HH:mm') })}
            </div>
          </div>
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Tag color={view.state === 'archived' ? 'green' : view.state === 'feedback' || view.state === 'waiting_customer' ? 'orange' : 'blue'} data-testid="portal-state" data-state={view.state}>
              {view.state === 'waiting_customer' ? t('portal.steps.waiting') : t(`vocab.state.${view.state}`)}
            </Tag>
            <Button size="small" icon={<ReloadOutlined />} aria-label={t('portal.track.refresh')} loading={query.isFetching} onClick={() => void query.refetch()} data-testid="portal-refresh" />
          </div>
        </div>
        <LoopSteps state={view.state} />
        {view.state === 'waiting_customer' && <Alert type="warning" showIcon title={t('portal.track.waiting')} data-testid="portal-waiting" />}
        {view.state === 'merged' && <Alert type="info" showIcon title={t('portal.track.merged')} data-testid="portal-merged" />}
      </section>

      {view.canConfirm && <ConfirmBox org={org} number={number} linkKey={linkKey} />}
      {view.state === 'archived' && view.rating !== null && (
        <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('portal.track.rated')} description={<Rate disabled value={view.rating} />} data-testid="portal-rated" data-rating={view.rating} />
      )}

      <section className="pledge-portal-card" data-testid="portal-description">
        <h3>{t('portal.track.description')}</h3>
        <div className="pledge-portal-body">{view.description}</div>
        <FileLinks files={view.attachments} {...files} />
      </section>

      <section className="pledge-portal-card">
        <h3>{t('portal.track.conversation')}</h3>
        {view.messages.length === 0 ? (
          <p className="pledge-muted" data-testid="portal-no-messages">
            {t('portal.track.empty')}
          </p>
        ) : (
          <ol className="pledge-portal-messages" data-testid="portal-messages">
            {view.messages.map((m) => (
              <li key={m.id} className="pledge-portal-message" data-from={m.from} data-testid="portal-message">
                <div className="pledge-portal-message-head">
                  <strong>{m.from === 'customer' ? t('portal.track.you') : m.authorName}</strong>
                  <time dateTime={m.createdAt}>{formatTime(m.createdAt, 'MM-DD HH:mm')}</time>
                </div>
                <div className="pledge-portal-body">{m.body}</div>
                <FileLinks files={m.attachments} {...files} />
              </li>
            ))}
          </ol>
        )}
      </section>

      {view.canReply ? (
        <ReplyBox org={org} number={number} linkKey={linkKey} info={info} />
      ) : (
        view.state === 'archived' && <p className="pledge-muted" data-testid="portal-closed">{t('portal.track.closed')}</p>
      )}
    </>
  );
}

function LoopSteps({ state }: { state: State }) {
  const { t } = useTranslation();
  const current = stepOf(state);
  return (
    <div className="pledge-portal-steps" data-testid="portal-steps" data-current={LOOP_STEPS[current]}>
      <Steps
        size="small"
        responsive
        current={current}
        status={state === 'archived' ? 'finish' : 'process'}
        items={LOOP_STEPS.map((step, i) => ({
          title: t(`vocab.state.${step}`),
          content: i === current ? (state === 'waiting_customer' ? t('portal.steps.waiting') : t(`portal.steps.${step}`)) : undefined,
        }))}
      />
    </div>
  );
}

function FileLinks({ files, org, number, linkKey }: { files: PortalFile[]; org: string; number: string; linkKey: string }) {
  if (files.length === 0) return null;
  return (
    <ul className="pledge-portal-attachments">
      {files.map((f) => (
        <li key={f.id}>
          <a href={trackedFileUrl(org, number, linkKey, f.id)} download={f.filename} data-testid="portal-file-link">
            <PaperClipOutlined /> {f.filename}
          </a>{' '}
          <span className="pledge-muted">{formatBytes(f.size)}</span>
        </li>
      ))}
    </ul>
  );
}

function ReplyBox({ org, number, linkKey, info }: { org: string; number: string; linkKey: string; info: PortalInfo }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ body: string }>();
  const reply = useReply(org, number, linkKey);
  const showError = useShowError();
  const [files, setFiles] = useState<PortalFile[]>([]);
  const [uploading, setUploading] = useState(false);
  const [round, setRound] = useState(0);
  return (
    <section className="pledge-portal-card" data-testid="portal-reply">
      <h3>{t('portal.track.reply')}</h3>
      <Form
        form={form}
        name="reply"
        layout="vertical"
        onFinish={(v) =>
          reply.mutate(
            { body: v.body.trim(), attachmentIds: files.map((f) => f.id) },
            {
              onSuccess: () => {
                form.resetFields();
                setFiles([]);
                setRound((r) => r + 1);
              },
              onError: (e) => showError(e, form),
            },
          )
        }
      >
        <Form.Item name="body" rules={[{ required: true, whitespace: true, message: t('validation.minLength', { min: 1 }) }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={20_000} placeholder={t('portal.track.replyPlaceholder')} data-testid="portal-reply-body" />
        </Form.Item>
        <Form.Item>
          <PortalFiles key={round} org={org} info={info} target={{ number, key: linkKey }} onChange={setFiles} onBusy={setUploading} testId="portal-reply-files" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={reply.isPending} disabled={uploading} data-testid="portal-reply-submit">
          {t('portal.track.send')}
        </Button>
      </Form>
    </section>
  );
}

function ConfirmBox({ org, number, linkKey }: { org: string; number: string; linkKey: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ solved: boolean; rating?: number; comment?: string }>();
  const confirm = useConfirm(org, number, linkKey);
  const showError = useShowError();
  const solved = Form.useWatch('solved', form) ?? true;
  const [reopened, setReopened] = useState(false);
  const labels = [1, 2, 3, 4, 5].map((n) => t(`portal.track.ratingLabels.r${n as 1 | 2 | 3 | 4 | 5}`));
  if (reopened) return <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('portal.track.confirm.reopened')} data-testid="portal-reopened" />;
  return (
    <section className="pledge-portal-card" data-testid="portal-confirm">
      <h3>{t('portal.track.confirm.heading')}</h3>
      <p className="pledge-muted">{t('portal.track.confirm.hint')}</p>
      <Form
        form={form}
        name="confirm"
        layout="vertical"
        initialValues={{ solved: true }}
        onFinish={(v) =>
          confirm.mutate(
            { solved: v.solved, ...(v.rating ? { rating: v.rating } : {}), comment: v.comment?.trim() || null },
            { onSuccess: (view) => setReopened(view.state !== 'archived'), onError: (e) => showError(e, form) },
          )
        }
      >
        <Form.Item name="solved">
          <Radio.Group>
            <Radio value={true}>
              <span data-testid="portal-solved-yes">{t('portal.track.confirm.solved')}</span>
            </Radio>
            <Radio value={false}>
              <span data-testid="portal-solved-no">{t('portal.track.confirm.notSolved')}</span>
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="rating" label={t('portal.track.confirm.rating')} rules={solved ? [{ required: true, message: t('portal.track.confirm.needRating') }] : []}>
          <RatingInput labels={labels} />
        </Form.Item>
        <Form.Item name="comment" label={t('portal.track.confirm.comment')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} data-testid="portal-confirm-comment" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={confirm.isPending} data-testid="portal-confirm-submit">
          {t('portal.track.confirm.submit')}
        </Button>
      </Form>
    </section>
  );
}

/** Five stars with the meaning of the chosen one beside them (star n: `[role=radio][aria-posinset=n]`). */
function RatingInput({ value, onChange, labels }: { value?: number; onChange?: (v: number) => void; labels: string[] }) {
  return (
    <div data-testid="portal-rating" data-value={value ?? 0} style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
      <Rate
        value={value}
        onChange={(v) => onChange?.(v)}
        tooltips={labels}
        style={{ fontSize: 28 }}
      />
      {value ? <span className="pledge-muted">{labels[value - 1]}</span> : null}
    </div>
  );
}
