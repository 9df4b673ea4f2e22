/**
 * Satisfaction campaigns (/campaigns, /campaigns/:id): the list, a dialog to create a draft with a live sample
 * preview (the seed shown, so the sample can be reproduced), and a campaign's page with its sample, sending,
 * closing and response tracking (invited, delivered, answered, response rate, satisfaction and its distribution).
 */
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Flex, Form, Input, InputNumber, Modal, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { usePermissions } from '../../api/auth';
import {
  useCampaign, useCampaignSample, useCampaigns, useCloseCampaign, useCreateCampaign, usePreviewCampaign, useSendCampaign,
  type CampaignChannel, type CampaignDetail, type CampaignPreview, type CampaignState, type CampaignView,
} from '../../api/campaigns';
import { RequirePermission } from '../../components/Forbidden';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';

const STATE_COLOR: Record<CampaignState, string> = { draft: 'default', sending: 'processing', sent: 'blue', closed: 'green' };
const CHANNELS: CampaignChannel[] = ['email', 'sms'];

export default function CampaignsPage() {
  const { id } = useParams();
  return <RequirePermission anyOf={['evaluation.read', 'campaign.manage']}>{id ? <CampaignPage id={id} /> : <CampaignList />}</RequirePermission>;
}

function useSampleText() {
  const { t } = useTranslation();
  return (s: CampaignView['sampling']) =>
    s.percent !== null && s.cap !== null ? t('campaigns.sampleText.both', { percent: s.percent, cap: s.cap }) : s.percent !== null ? t('campaigns.sampleText.percent', { percent: s.percent }) : t('campaigns.sampleText.cap', { cap: s.cap ?? 0 });
}

function StateTag({ state }: { state: CampaignState }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOR[state]}>{t(`campaigns.state.${state}`)}</Tag>;
}

function CampaignList() {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const list = useCampaigns();
  const navigate = useNavigate();
  const sampleText = useSampleText();
  const [creating, setCreating] = useState(false);
  return (
    <div data-testid="campaigns-page">
      <PageHeader
        title={t('campaigns.title')}
        extra={
          can('campaign.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-create">
              {t('campaigns.create')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('campaigns.intro')}
        </Typography.Paragraph>
      </PageHeader>
      <Table<CampaignView>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('campaigns.empty') }}
        onRow={(c) => ({ onClick: () => void navigate(`/campaigns/${c.id}`), style: { cursor: 'pointer' }, 'data-testid': `campaign-row-${c.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('campaigns.column.name'), dataIndex: 'name' },
          { title: t('campaigns.column.period'), key: 'period', render: (_: unknown, c) => `${c.periodStart} ~ ${c.periodEnd}` },
          { title: t('campaigns.column.sample'), key: 'sample', render: (_: unknown, c) => `${sampleText(c.sampling)} · ${c.sampling.channels.map((ch) => t(`campaigns.channel.${ch}`)).join(' > ')}` },
          { title: t('campaigns.column.state'), dataIndex: 'state', width: 100, render: (v: CampaignState) => <StateTag state={v} /> },
          { title: t('campaigns.column.invited'), dataIndex: 'invited', width: 90 },
          { title: t('campaigns.column.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatTime(v, 'YYYY-MM-DD HH:mm') },
        ]}
      />
      {creating && <CreateDialog onClose={() => setCreating(false)} onCreated={(id) => void navigate(`/campaigns/${id}`)} />}
    </div>
  );
}

interface CreateValues {
  name: string;
  period: [Dayjs, Dayjs];
  percent: number | null;
  cap: number | null;
  channels: CampaignChannel[];
  expiresInDays: number;
  seed?: string;
}

function PreviewCard({ preview }: { preview: CampaignPreview }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('campaigns.preview.title')} data-testid="campaign-preview" extra={<span className="pledge-mono">{t('campaigns.preview.seed', { seed: preview.seed })}</span>}>
      <Row gutter={12}>
        <Col span={8}>
          <Statistic title={t('campaigns.preview.eligible')} value={preview.eligible} />
        </Col>
        <Col span={8}>
          <Statistic title={t('campaigns.preview.sampled')} value={preview.sampled} valueStyle={{ color: '#1677ff' }} />
        </Col>
        <Col span={8}>
          <Statistic title={t('campaigns.preview.unreachable')} value={preview.unreachable} />
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
        {t('campaigns.preview.byChannel', preview.byChannel)}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey={(r) => `${r.sentTo}-${r.customerId ?? r.name ?? ''}`}
        pagination={false}
        scroll={{ y: 240 }}
        dataSource={preview.recipients}
        columns={[
          { title: t('campaigns.preview.recipient'), key: 'who', render: (_: unknown, r) => `${r.name ?? '—'}（${t(r.kind === 'customer' ? 'campaigns.preview.customer' : 'campaigns.preview.contact')}）` },
          { title: t('campaigns.preview.sentTo'), key: 'to', render: (_: unknown, r) => `${t(`campaigns.channel.${r.channel}`)} ${r.sentTo}` },
        ]}
      />
      {preview.sampled > preview.recipients.length && <Typography.Text type="secondary">{t('campaigns.preview.more', { count: preview.recipients.length })}</Typography.Text>}
    </Card>
  );
}

function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const preview = usePreviewCampaign();
  const create = useCreateCampaign();
  const rules = (v: CreateValues) => ({
    periodStart: v.period[0].format('YYYY-MM-DD'), periodEnd: v.period[1].format('YYYY-MM-DD'),
    sampling: { percent: v.percent ?? null, cap: v.cap ?? null, channels: v.channels },
    expiresInDays: v.expiresInDays, ...(v.seed?.trim() ? { seed: v.seed.trim() } : {}),
  });
  const doPreview = async () => {
    const v = await form.validateFields();
    preview.mutate(rules(v), {
      // Keep the drawn seed, so the campaign created is the sample previewed.
      onSuccess: (p) => form.setFieldValue('seed', p.seed),
      onError: (e) => void message.error(e.message),
    });
  };
  return (
    <Modal
      open
      width={720}
      title={t('campaigns.create')}
      onCancel={onClose}
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={() => void doPreview()} loading={preview.isPending} data-testid="campaign-preview-button">
            {t('campaigns.form.preview')}
          </Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="campaign-submit">
            {t('campaigns.form.submit')}
          </Button>
        </Flex>
      }
    >
      <Form<CreateValues>
        form={form}
        layout="vertical"
        initialValues={{ percent: 20, cap: null, channels: ['email', 'sms'], expiresInDays: 14 }}
        onFinish={(v) =>
          create.mutate(
            { name: v.name.trim(), ...rules(v) },
            {
              onSuccess: (c) => {
                void message.success(t('campaigns.form.created'));
                onCreated(c.id);
              },
              onError: (e) => void message.error(e.message),
            },
          )
        }
      >
        <Form.Item name="name" label={t('campaigns.form.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} placeholder={t('campaigns.form.namePlaceholder')} data-testid="campaign-name" />
        </Form.Item>
        <Form.Item name="period" label={t('campaigns.form.period')} rules={[{ required: true }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="percent" label={t('campaigns.form.percent')}>
            <InputNumber min={0.1} max={100} step={5} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="cap" label={t('campaigns.form.cap')}>
            <InputNumber min={1} max={100000} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('campaigns.form.expires')} rules={[{ required: true }]}>
            <InputNumber min={1} max={90} style={{ width: 140 }} />
          </Form.Item>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
          {t('campaigns.form.capHint')}
        </Typography.Paragraph>
        <Form.Item name="channels" label={t('campaigns.form.channels')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group options={CHANNELS.map((c) => ({ value: c, label: t(`campaigns.channel.${c}`) }))} />
        </Form.Item>
        <Form.Item name="seed" label={t('campaigns.form.seed')} extra={t('campaigns.form.seedHint')}>
          <Input maxLength={64} className="pledge-mono" />
        </Form.Item>
      </Form>
      {preview.data && <PreviewCard preview={preview.data} />}
    </Modal>
  );
}

function percent(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 1000) / 10}%`;
}

function Figures({ c }: { c: CampaignDetail }) {
  const { t } = useTranslation();
  const f = c.figures;
  const max = Math.max(1, ...f.satisfaction.distribution.map((d) => d.count));
  return (
    <Card title={t('campaigns.figures.title')} data-testid="campaign-figures" style={{ marginBottom: 16 }}>
      <Row gutter={[16, 16]}>
        {(['invited', 'delivered', 'failed', 'pendingDelivery', 'answered'] as const).map((k) => (
          <Col key={k} xs={12} sm={8} md={4}>
            <Statistic title={t(`campaigns.figures.${k}`)} value={f[k]} />
          </Col>
        ))}
        <Col xs={12} sm={8} md={4}>
          <Statistic title={t('campaigns.figures.responseRate')} value={percent(f.responseRate)} />
        </Col>
      </Row>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('campaigns.figures.satisfaction')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('campaigns.figures.average')} value={f.satisfaction.average === null ? '—' : f.satisfaction.average.toFixed(2)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('campaigns.figures.score100')} value={f.satisfaction.score100 === null ? '—' : f.satisfaction.score100.toFixed(1)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('campaigns.figures.satisfiedShare', { level: f.satisfaction.satisfiedFromLevel })} value={percent(f.satisfaction.satisfiedShare)} />
        </Col>
      </Row>
      <div style={{ marginTop: 12, maxWidth: 520 }}>
        {f.satisfaction.distribution.map((d) => (
          <Flex key={d.level} gap={8} align="center">
            <span style={{ width: 96 }}>{t(`campaigns.figures.level.${String(d.level) as '1' | '2' | '3' | '4' | '5'}`)}</span>
            <Progress percent={(d.count / max) * 100} showInfo={false} style={{ flex: 1, margin: 0 }} />
            <span style={{ width: 32, textAlign: 'right' }}>{d.count}</span>
          </Flex>
        ))}
      </div>
    </Card>
  );
}

function CampaignPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const { message, modal } = App.useApp();
  const campaign = useCampaign(id);
  const c = campaign.data;
  const sample = useCampaignSample(id, can('campaign.manage') && c?.state === 'draft');
  const send = useSendCampaign();
  const close = useCloseCampaign();
  const sampleText = useSampleText();
  const periodOpen = c ? Date.now() < new Date(`${c.periodEnd}T23:59:59`).getTime() : false;
  return (
    <div data-testid="campaign-page">
      <Link to="/campaigns">
        <ArrowLeftOutlined /> {t('campaigns.detail.back')}
      </Link>
      {c && (
        <>
          <PageHeader
            title={
              <span>
                {c.name} <StateTag state={c.state} />
              </span>
            }
            extra={
              can('campaign.manage') && (
                <Flex gap={8}>
                  {(c.state === 'draft' || c.state === 'sending') && (
                    <Button
                      type="primary"
                      disabled={periodOpen}
                      title={periodOpen ? t('campaigns.detail.periodOpen') : undefined}
                      loading={send.isPending}
                      data-testid="campaign-send"
                      onClick={() =>
                        modal.confirm({
                          title: t('campaigns.detail.send'),
                          content: t('campaigns.detail.sendConfirm', { count: sample.data?.sampled ?? 0 }),
                          onOk: () => send.mutateAsync(id).then((d) => void message.success(t('campaigns.detail.sent', { count: d.invited }))).catch((e: Error) => void message.error(e.message)),
                        })
                      }
                    >
                      {t('campaigns.detail.send')}
                    </Button>
                  )}
                  {c.state === 'sent' && (
                    <Button
                      data-testid="campaign-close"
                      loading={close.isPending}
                      onClick={() => modal.confirm({ title: t('campaigns.detail.close'), content: t('campaigns.detail.closeConfirm'), onOk: () => close.mutateAsync(id).catch((e: Error) => void message.error(e.message)) })}
                    >
                      {t('campaigns.detail.close')}
                    </Button>
                  )}
                </Flex>
              )
            }
          />
          <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('campaigns.column.period')}>{`${c.periodStart} ~ ${c.periodEnd}`}</Descriptions.Item>
            <Descriptions.Item label={t('campaigns.column.sample')}>
              {sampleText(c.sampling)} · {c.sampling.channels.map((ch) => t(`campaigns.channel.${ch}`)).join(' > ')} · <span className="pledge-mono">{t('campaigns.preview.seed', { seed: c.seed })}</span>
            </Descriptions.Item>
            {c.createdBy && <Descriptions.Item label={t('campaigns.column.createdAt')}>{t('campaigns.detail.createdBy', { name: c.createdBy.name, time: formatTime(c.createdAt, 'YYYY-MM-DD HH:mm') })}</Descriptions.Item>}
            {c.sentAt && <Descriptions.Item label={t('campaigns.state.sent')}>{t('campaigns.detail.sentAt', { time: formatTime(c.sentAt, 'YYYY-MM-DD HH:mm'), expires: formatTime(c.expiresAt, 'YYYY-MM-DD') })}</Descriptions.Item>}
          </Descriptions>
          {c.state !== 'draft' && <Figures c={c} />}
          {c.state === 'draft' && sample.data && <PreviewCard preview={sample.data} />}
        </>
      )}
    </div>
  );
}
