/**
 * The feedback inbox (/feedback, feedback.handle): public feedback newest first with its answer clock, filters
 * (state, kind, overdue, text), and a drawer per item to answer, mark invalid or publish. `?item=<id>` opens the
 * drawer. Holders of evaluation.configure set the time to answer.
 */
import { SettingOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Drawer, Flex, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import {
  useAnswerFeedback, useFeedback, useFeedbackList, useFeedbackSettings, useInvalidateFeedback, usePublishFeedback, useSaveFeedbackSettings,
  useUnpublishFeedback, type FeedbackDetail, type FeedbackFilters, type FeedbackKind, type FeedbackState, type FeedbackView,
} from '../../api/feedback';
import { RequirePermission } from '../../components/Forbidden';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { FeedbackKindTag } from '../public/FeedbackSection';

const STATES: FeedbackState[] = ['received', 'answered', 'invalid'];
const KINDS: FeedbackKind[] = ['suggestion', 'complaint', 'praise'];
const REASONS = ['spam', 'abuse', 'duplicate', 'other'] as const;
const STATE_COLOR: Record<FeedbackState, string> = { received: 'gold', answered: 'green', invalid: 'default' };

export default function FeedbackPage() {
  return (
    <RequirePermission anyOf={['feedback.handle']}>
      <FeedbackInbox />
    </RequirePermission>
  );
}

function ClockText({ clock }: { clock: FeedbackView['clock'] }) {
  const { t } = useTranslation();
  if (!clock) return <>—</>;
  const time = formatTime(clock.dueAt, 'YYYY-MM-DD HH:mm');
  if (clock.state === 'met') return <Tag color={clock.breachedAt ? 'orange' : 'green'}>{t(clock.breachedAt ? 'feedback.clock.metLate' : 'feedback.clock.met')}</Tag>;
  if (clock.state === 'breached') return <Tag color="red">{t('feedback.clock.breached', { time })}</Tag>;
  if (clock.state === 'running') return <span>{t('feedback.clock.running', { time })}</span>;
  return <Tag>{t(`feedback.clock.${clock.state === 'paused' ? 'paused' : 'cancelled'}`)}</Tag>;
}

function FeedbackInbox() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const [filters, setFilters] = useState<FeedbackFilters>({ state: 'received' });
  const [text, setText] = useState('');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const list = useFeedbackList(filters);
  const openId = search.get('item');
  const open = (id: string | null) =>
    setSearch(
      (s) => {
        const next = new URLSearchParams(s);
        if (id) next.set('item', id);
        else next.delete('item');
        return next;
      },
      { replace: true },
    );
  const patch = (p: Partial<FeedbackFilters>) => setFilters((f) => ({ ...f, ...p }));

  return (
    <div data-testid="feedback-page">
      <PageHeader
        title={t('feedback.title')}
        extra={
          can('evaluation.configure') && (
            <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)} data-testid="feedback-settings">
              {t('feedback.settings.title')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('feedback.intro')}
        </Typography.Paragraph>
      </PageHeader>
      <Flex wrap gap={12} style={{ marginBottom: 16 }} align="center">
        <ExportButton table="feedback" filters={filters} />
        <Select<FeedbackState>
          allowClear
          style={{ width: 160 }}
          placeholder={t('feedback.filter.state')}
          value={filters.state}
          onChange={(v) => patch({ state: v })}
          options={STATES.map((s) => ({ value: s, label: t(`feedback.state.${s}`) }))}
          data-testid="feedback-filter-state"
        />
        <Select<FeedbackKind>
          allowClear
          style={{ width: 140 }}
          placeholder={t('feedback.filter.kind')}
          value={filters.kind}
          onChange={(v) => patch({ kind: v })}
          options={KINDS.map((k) => ({ value: k, label: t(`feedback.kind.${k}`) }))}
        />
        <Checkbox checked={filters.overdue ?? false} onChange={(e) => patch({ overdue: e.target.checked || undefined })}>
          {t('feedback.filter.overdue')}
        </Checkbox>
        <Input.Search allowClear style={{ width: 240 }} placeholder={t('feedback.filter.search')} value={text} onChange={(e) => setText(e.target.value)} onSearch={(v) => patch({ q: v.trim() || undefined })} />
      </Flex>
      <Table<FeedbackView>
        rowKey="id"
        size="middle"
        data-testid="feedback-table"
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('feedback.empty') }}
        onRow={(f) => ({ onClick: () => open(f.id), style: { cursor: 'pointer' }, 'data-testid': `feedback-row-${f.number}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('feedback.column.number'), dataIndex: 'number', width: 170, render: (v: string) => <span className="pledge-mono">{v}</span> },
          { title: t('feedback.column.kind'), dataIndex: 'kind', width: 90, render: (v: FeedbackKind) => <FeedbackKindTag kind={v} /> },
          { title: t('feedback.column.body'), dataIndex: 'body', ellipsis: true },
          { title: t('feedback.column.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v, 'YYYY-MM-DD HH:mm') },
          { title: t('feedback.column.due'), dataIndex: 'clock', width: 220, render: (v: FeedbackView['clock']) => <ClockText clock={v} /> },
          { title: t('feedback.column.state'), dataIndex: 'state', width: 100, render: (v: FeedbackState) => <Tag color={STATE_COLOR[v]}>{t(`feedback.state.${v}`)}</Tag> },
          { title: t('feedback.column.published'), dataIndex: 'published', width: 90, render: (v: boolean) => (v ? <Tag color="blue">{t('feedback.published')}</Tag> : '—') },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 12 }}>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('feedback.loadMore')}
          </Button>
        ) : (
          list.rows.length > 0 && <Typography.Text type="secondary">{t('feedback.allLoaded', { count: list.rows.length })}</Typography.Text>
        )}
      </Flex>
      <FeedbackDrawer id={openId} onClose={() => open(null)} />
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
    </div>
  );
}

function FeedbackDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const item = useFeedback(id);
  const f = item.data;
  return (
    <Drawer open={Boolean(id)} onClose={onClose} width={640} title={f ? t('feedback.drawer.title', { number: f.number }) : ''} destroyOnHidden data-testid="feedback-drawer">
      {f && <FeedbackBody f={f} />}
    </Drawer>
  );
}

function FeedbackBody({ f }: { f: FeedbackDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const answer = useAnswerFeedback();
  const publish = usePublishFeedback();
  const unpublish = useUnpublishFeedback();
  const [answerText, setAnswerText] = useState('');
  const [summary, setSummary] = useState(f.publicSummary ?? f.suggestedSummary);
  const [invalidOpen, setInvalidOpen] = useState(false);
  const fail = (e: Error) => void message.error(e.message);
  return (
    <Flex vertical gap={16} data-testid="feedback-detail" data-state={f.state}>
      <div>
        <Flex gap={8} align="center" wrap>
          <FeedbackKindTag kind={f.kind} />
          <Tag color={STATE_COLOR[f.state]}>{t(`feedback.state.${f.state}`)}</Tag>
          <ClockText clock={f.clock} />
        </Flex>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{f.body}</Typography.Paragraph>
        <Typography.Text type="secondary">
          {t('feedback.drawer.contact')}：{f.contactName ?? t('feedback.drawer.anonymous')}
          {f.contactPhone && ` · ${t('feedback.drawer.phone')} ${f.contactPhone}`}
          {f.contactEmail && ` · ${t('feedback.drawer.email')} ${f.contactEmail}`}
          {' · '}
          {t('feedback.drawer.consent')}：{f.consentToPublish ? t('feedback.drawer.consentYes') : t('feedback.drawer.consentNo')}
        </Typography.Text>
        {f.request && (
          <div style={{ marginTop: 4 }}>
            {t('feedback.drawer.request')}：<Link to={`/requests/${f.request.id}`}>{f.request.number}</Link>
          </div>
        )}
      </div>

      {f.state === 'received' && (
        <div>
          <Typography.Title level={5}>{t('feedback.drawer.answer')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('feedback.drawer.answerHint')}</Typography.Paragraph>
          <Input.TextArea rows={5} maxLength={5000} value={answerText} onChange={(e) => setAnswerText(e.target.value)} data-testid="feedback-answer-text" />
          <Flex gap={8} style={{ marginTop: 8 }}>
            <Button type="primary" disabled={!answerText.trim()} loading={answer.isPending} onClick={() => answer.mutate({ id: f.id, input: { answer: answerText.trim() } }, { onError: fail })} data-testid="feedback-answer-submit">
              {t('feedback.drawer.answerSubmit')}
            </Button>
            <Button danger onClick={() => setInvalidOpen(true)} data-testid="feedback-invalidate">
              {t('feedback.drawer.invalidate')}
            </Button>
          </Flex>
        </div>
      )}

      {f.state === 'answered' && (
        <div>
          <Typography.Title level={5}>{t('feedback.drawer.answered')}</Typography.Title>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="feedback-answer">
            {f.answer}
          </Typography.Paragraph>
          {f.answeredBy && f.answeredAt && <Typography.Text type="secondary">{t('feedback.drawer.answeredBy', { name: f.answeredBy.name, time: formatTime(f.answeredAt, 'YYYY-MM-DD HH:mm') })}</Typography.Text>}
        </div>
      )}

      {f.state === 'invalid' && f.invalidReason && <Tag>{t('feedback.drawer.invalidDone', { reason: t(`feedback.invalidReason.${f.invalidReason}`) })}</Tag>}

      {f.state !== 'invalid' && (
        <div data-testid="feedback-publish-panel">
          <Typography.Title level={5}>{t('feedback.drawer.publishTitle')}</Typography.Title>
          {f.publishBlocker ? (
            <Typography.Text type="secondary" data-testid="feedback-publish-blocker">
              {t(`feedback.drawer.blocker.${f.publishBlocker}`)}
            </Typography.Text>
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('feedback.drawer.publishHint')}</Typography.Paragraph>
              <Input.TextArea rows={3} maxLength={2000} value={summary} onChange={(e) => setSummary(e.target.value)} data-testid="feedback-summary" />
              {f.publicAnswer && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}>
                  {t('feedback.drawer.publicAnswer')}：{f.publicAnswer}
                </Typography.Paragraph>
              )}
              <Flex gap={8} align="center" style={{ marginTop: 8 }} wrap>
                <Button type="primary" disabled={!summary.trim()} loading={publish.isPending} onClick={() => publish.mutate({ id: f.id, input: { summary: summary.trim() } }, { onError: fail })} data-testid="feedback-publish">
                  {f.published ? t('feedback.drawer.republish') : t('feedback.drawer.publishSubmit')}
                </Button>
                {f.published && (
                  <Button onClick={() => unpublish.mutate({ id: f.id }, { onError: fail })} data-testid="feedback-unpublish">
                    {t('feedback.drawer.unpublish')}
                  </Button>
                )}
                {f.published && f.publishedAt && (
                  <Typography.Text type="success" data-testid="feedback-published">
                    {t('feedback.drawer.publishedAt', { time: formatTime(f.publishedAt, 'YYYY-MM-DD HH:mm') })}
                  </Typography.Text>
                )}
              </Flex>
            </>
          )}
        </div>
      )}
      {invalidOpen && <InvalidDialog id={f.id} onClose={() => setInvalidOpen(false)} />}
    </Flex>
  );
}

function InvalidDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const invalidate = useInvalidateFeedback();
  const [form] = Form.useForm<{ reason: (typeof REASONS)[number]; note?: string }>();
  return (
    <Modal
      open
      title={t('feedback.drawer.invalidate')}
      okText={t('feedback.drawer.invalidConfirm')}
      okButtonProps={{ danger: true, loading: invalidate.isPending, ...({ 'data-testid': 'feedback-invalid-confirm' } as Record<string, string>) }}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Typography.Paragraph type="secondary">{t('feedback.drawer.invalidHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ reason: 'spam' }}
        onFinish={(v) => invalidate.mutate({ id, input: { reason: v.reason, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } }, { onSuccess: onClose, onError: (e) => void message.error(e.message) })}
      >
        <Form.Item name="reason" label={t('feedback.drawer.invalidReason')} rules={[{ required: true }]}>
          <Select options={REASONS.map((r) => ({ value: r, label: t(`feedback.invalidReason.${r}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('feedback.drawer.invalidNote')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useFeedbackSettings();
  const save = useSaveFeedbackSettings();
  const [form] = Form.useForm<{ answerWithin: string; warnPercent: number | null }>();
  if (!settings.data) return null;
  return (
    <Modal open title={t('feedback.settings.title')} okText={t('feedback.settings.save')} okButtonProps={{ loading: save.isPending }} onCancel={onClose} onOk={() => form.submit()}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ answerWithin: settings.data.answerWithin, warnPercent: settings.data.warnRatio === null ? null : Math.round(settings.data.warnRatio * 100) }}
        onFinish={(v) =>
          save.mutate(
            { answerWithin: v.answerWithin.trim(), warnRatio: v.warnPercent === null || v.warnPercent === undefined ? null : v.warnPercent / 100 },
            {
              onSuccess: () => {
                void message.success(t('feedback.settings.saved'));
                onClose();
              },
              onError: (e) => form.setFields([{ name: 'answerWithin', errors: [e.message] }]),
            },
          )
        }
      >
        <Form.Item name="answerWithin" label={t('feedback.settings.answerWithin')} extra={t('feedback.settings.answerWithinHint')} rules={[{ required: true }]}>
          <Input placeholder="P5D" />
        </Form.Item>
        <Form.Item name="warnPercent" label={t('feedback.settings.warnRatio')}>
          <InputNumber min={10} max={99} addonAfter="%" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
