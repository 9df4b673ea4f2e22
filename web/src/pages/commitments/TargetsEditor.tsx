/**
 * Editing the targets of a draft (inside the version form, `targets` Form.List): time limits with their clock,
 * duration, calendar, where they apply, warning, goal and remedy; rates with metric, period, comparator and
 * threshold. Test ids per target i: target-<i> (card, data-kind), target-<i>-remove, target-<i>-start|stop|
 * duration|duration-unit|calendar|channels|request-types|priorities|flags|metric|period|comparator.
 */
import { ArrowDownOutlined, ArrowUpOutlined, ClockCircleOutlined, DeleteOutlined, DownOutlined, LineChartOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Tooltip, Typography, type FormInstance } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissions } from '../../api/auth';
import { useCalendars } from '../../api/calendars';
import {
  CHANNELS, COMMITMENT_FLAGS, PRIORITIES, RATE_METRICS, RATE_PERIODS, REMEDY_KINDS, REQUEST_TYPES, START_EVENTS, STOP_EVENTS,
} from '../../api/commitments';
import { newRate, newTimeLimit, type EditorValues } from './form-model';
import { parseIsoDuration, useCommitmentText } from './labels';

type DurationUnit = 'minutes' | 'hours' | 'days';

function split(value: string | undefined): { amount: number | null; unit: DurationUnit } | null {
  if (!value) return { amount: null, unit: 'minutes' };
  const p = parseIsoDuration(value);
  if (!p) return null;
  if (p.kind === 'days') return { amount: p.days, unit: 'days' };
  if (p.seconds) return null;
  if (p.minutes === 0 && p.hours > 0) return { amount: p.hours, unit: 'hours' };
  return { amount: p.hours * 60 + p.minutes, unit: 'minutes' };
}

function join(amount: number | null, unit: DurationUnit): string {
  if (amount === null || !Number.isFinite(amount)) return '';
  const n = Math.max(0, Math.round(amount));
  return unit === 'days' ? `P${n}D` : unit === 'hours' ? `PT${n}H` : `PT${n}M`;
}

/**
 * A commitment duration as number + unit (分钟 / 小时 of business time, or 工作日), stored as ISO 8601 (PT30M,
 * PT2H, P5D). Durations it cannot show that way (seconds) are edited as ISO text.
 */
export function DurationInput({ id, value, onChange, testId }: { id?: string; value?: string; onChange?: (v: string) => void; testId?: string }) {
  const { t } = useTranslation();
  const parsed = split(value);
  const [unit, setUnit] = useState<DurationUnit>(parsed?.unit ?? 'minutes');
  useEffect(() => {
    if (parsed && value) setUnit(parsed.unit);
  }, [parsed?.unit, value]);
  if (parsed === null) {
    return <Input id={id} value={value} onChange={(e) => onChange?.(e.target.value)} className="pledge-mono" data-testid={testId} style={{ width: 200 }} />;
  }
  return (
    <Space.Compact style={{ width: '100%' }}>
      <InputNumber
        id={id}
        min={unit === 'days' ? 1 : 0}
        precision={0}
        value={parsed.amount}
        onChange={(n) => onChange?.(join(n, unit))}
        style={{ width: '55%' }}
        data-testid={testId}
      />
      <Select<DurationUnit>
        value={unit}
        style={{ width: '45%' }}
        data-testid={testId ? `${testId}-unit` : undefined}
        onChange={(u) => {
          setUnit(u);
          onChange?.(join(parsed.amount, u));
        }}
        options={[
          { value: 'minutes', label: t('commitments.editor.unitMinutes') },
          { value: 'hours', label: t('commitments.editor.unitHours') },
          { value: 'days', label: t('commitments.editor.unitDays') },
        ]}
      />
    </Space.Compact>
  );
}

export function durationRule(message: string) {
  return {
    validator: async (_: unknown, value: unknown) => {
      const p = typeof value === 'string' ? parseIsoDuration(value) : null;
      if (!p || (p.kind === 'days' && p.days < 1) || (p.kind === 'business' && p.hours + p.minutes + p.seconds === 0)) throw new Error(message);
    },
  };
}

function AppliesToFields({ index, prefix }: { index: number; prefix: string }) {
  const { t } = useTranslation();
  const all = t('commitments.target.all');
  return (
    <Row gutter={12}>
      <Col xs={24} md={12} xl={6}>
        <Form.Item name={[index, 'appliesTo', 'channels']} label={t('commitments.editor.channels')}>
          <Select mode="multiple" allowClear placeholder={all} data-testid={`${prefix}-channels`} options={CHANNELS.map((c) => ({ value: c, label: t(`commitments.channels.${c}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Form.Item name={[index, 'appliesTo', 'requestTypes']} label={t('commitments.editor.requestTypes')}>
          <Select mode="multiple" allowClear placeholder={all} data-testid={`${prefix}-request-types`} options={REQUEST_TYPES.map((c) => ({ value: c, label: t(`commitments.requestTypes.${c}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Form.Item name={[index, 'appliesTo', 'priorities']} label={t('commitments.editor.priorities')}>
          <Select mode="multiple" allowClear placeholder={all} data-testid={`${prefix}-priorities`} options={PRIORITIES.map((c) => ({ value: c, label: t(`commitments.priorities.${c}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12} xl={6}>
        <Form.Item name={[index, 'appliesTo', 'customerFlags']} label={t('commitments.editor.customerFlags')} tooltip={t('commitments.editor.customerFlagsHint')}>
          <Select mode="multiple" allowClear placeholder={t('commitments.editor.everyCustomer')} data-testid={`${prefix}-flags`} options={COMMITMENT_FLAGS.map((c) => ({ value: c, label: t(`customers.flagValues.${c}`) }))} />
        </Form.Item>
      </Col>
    </Row>
  );
}

function TimeLimitFields({ index, prefix, hasRemedy }: { index: number; prefix: string; hasRemedy: boolean }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const calendars = useCalendars(can('calendar.read'));
  const durationMessage = t('commitments.editor.durationInvalid');
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={12} xl={6}>
          <Form.Item name={[index, 'start']} label={t('commitments.target.start')} rules={[{ required: true }]}>
            <Select data-testid={`${prefix}-start`} options={START_EVENTS.map((e) => ({ value: e, label: t(`commitments.startEvents.${e}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} xl={6}>
          <Form.Item name={[index, 'stop']} label={t('commitments.target.stop')} rules={[{ required: true }]}>
            <Select data-testid={`${prefix}-stop`} options={STOP_EVENTS.map((e) => ({ value: e, label: t(`commitments.stopEvents.${e}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} xl={6}>
          <Form.Item name={[index, 'duration']} label={t('commitments.target.duration')} tooltip={t('commitments.editor.durationHint')} rules={[{ required: true, message: durationMessage }, durationRule(durationMessage)]}>
            <DurationInput testId={`${prefix}-duration`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} xl={6}>
          <Form.Item name={[index, 'calendarId']} label={t('commitments.target.calendar')}>
            <Select
              data-testid={`${prefix}-calendar`}
              loading={calendars.isLoading}
              options={[
                { value: '', label: t('commitments.target.defaultCalendar') },
                ...(calendars.data ?? []).map((c) => ({ value: c.id, label: c.isDefault ? `${c.name}（${t('commitments.editor.default')}）` : c.name })),
              ]}
            />
          </Form.Item>
        </Col>
      </Row>
      <AppliesToFields index={index} prefix={prefix} />
      <Row gutter={12}>
        <Col xs={12} md={6}>
          <Form.Item name={[index, 'warnPct']} label={t('commitments.target.warnRatio')} tooltip={t('commitments.editor.warnHint')}>
            <InputNumber min={1} max={99} precision={0} suffix="%" style={{ width: '100%' }} data-testid={`${prefix}-warn`} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={[index, 'complianceGoal']} label={t('commitments.target.complianceGoal')} tooltip={t('commitments.editor.goalHint')}>
            <InputNumber min={0} max={100} suffix="%" style={{ width: '100%' }} data-testid={`${prefix}-goal`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={[index, 'hasRemedy']} label={t('commitments.target.remedy')} valuePropName="checked">
            <Switch data-testid={`${prefix}-remedy-switch`} />
          </Form.Item>
        </Col>
      </Row>
      {hasRemedy && (
        <Row gutter={12}>
          <Col xs={24} md={6}>
            <Form.Item name={[index, 'remedy', 'kind']} label={t('commitments.editor.remedyKind')} rules={[{ required: true }]}>
              <Select data-testid={`${prefix}-remedy-kind`} options={REMEDY_KINDS.map((k) => ({ value: k, label: t(`commitments.remedyKinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={[index, 'remedy', 'description']} label={t('commitments.editor.remedyDescription')} rules={[{ required: true, whitespace: true }, { max: 500 }]}>
              <Input maxLength={500} data-testid={`${prefix}-remedy-description`} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name={[index, 'remedy', 'duration']} label={t('commitments.editor.remedyDuration')} rules={[{ required: true, message: durationMessage }, durationRule(durationMessage)]}>
              <DurationInput testId={`${prefix}-remedy-duration`} />
            </Form.Item>
          </Col>
        </Row>
      )}
    </>
  );
}

function RateFields({ index, prefix }: { index: number; prefix: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const metric = Form.useWatch(['targets', index, 'metric'], form) as string | undefined;
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={12} xl={8}>
          <Form.Item name={[index, 'metric']} label={t('commitments.target.metric')} rules={[{ required: true }]}>
            <Select data-testid={`${prefix}-metric`} options={RATE_METRICS.map((m) => ({ value: m, label: t(`commitments.metrics.${m}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Form.Item name={[index, 'period']} label={t('commitments.target.period')} rules={[{ required: true }]}>
            <Select data-testid={`${prefix}-period`} options={RATE_PERIODS.map((p) => ({ value: p, label: t(`commitments.periods.${p}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Form.Item name={[index, 'comparator']} label={t('commitments.target.comparator')} rules={[{ required: true }]}>
            <Select
              data-testid={`${prefix}-comparator`}
              options={[
                { value: '>=', label: `≥ ${t('commitments.editor.atLeast')}` },
                { value: '<=', label: `≤ ${t('commitments.editor.atMost')}` },
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Form.Item name={[index, 'threshold']} label={t('commitments.target.threshold')} tooltip={t('commitments.editor.thresholdHint')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1_000_000} style={{ width: '100%' }} data-testid={`${prefix}-threshold`} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Form.Item name={[index, 'scale']} label={t('commitments.target.scale')} tooltip={t('commitments.editor.scaleHint')}>
            <InputNumber min={0.01} max={1000} style={{ width: '100%' }} data-testid={`${prefix}-scale`} />
          </Form.Item>
        </Col>
      </Row>
      {(metric === 'satisfaction_score' || metric === 'satisfaction_rate') && (
        <Row gutter={12}>
          <Col xs={12} md={6} xl={4}>
            <Form.Item name={[index, 'weightSurvey']} label={t('evaluations.settings.targetWeightSurvey')} tooltip={t('evaluations.settings.targetWeightsHint')}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} data-testid={`${prefix}-weight-survey`} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item name={[index, 'weightCallback']} label={t('evaluations.settings.targetWeightCallback')}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} data-testid={`${prefix}-weight-callback`} />
            </Form.Item>
          </Col>
        </Row>
      )}
      <AppliesToFields index={index} prefix={prefix} />
    </>
  );
}

const KEY_PATTERN = /^[a-z0-9_.-]+$/;

/**
 * The targets of a draft. Existing targets start folded (a one-line summary); added ones open. `expandAll`
 * changes (e.g. after a failed validation) open every target so the marked fields can be seen.
 */
export function TargetsEditor({ form, expandAll }: { form: FormInstance<EditorValues>; expandAll: number }) {
  const { t } = useTranslation();
  const text = useCommitmentText();
  const targets = Form.useWatch('targets', form) ?? [];
  const seen = useRef<Set<number> | null>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [allKeys, setAllKeys] = useState<number[] | null>(null);

  // Keys present at first render stay folded; keys that appear later (added targets) open.
  useEffect(() => {
    if (allKeys === null) return;
    if (seen.current === null) {
      seen.current = new Set(allKeys);
      return;
    }
    const fresh = allKeys.filter((k) => !seen.current!.has(k));
    if (fresh.length) {
      for (const k of fresh) seen.current.add(k);
      setOpen((o) => new Set([...o, ...fresh]));
    }
  }, [allKeys]);
  useEffect(() => {
    if (expandAll > 0) setOpen(new Set(allKeys ?? []));
  }, [expandAll]);
  const toggle = (key: number) => setOpen((o) => {
    const next = new Set(o);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  });

  return (
    <Form.List name="targets">
      {(fields, { add, remove, move }) => (
        <Flex vertical gap={12} data-testid="targets-editor">
          <KeysReporter keys={fields.map((f) => f.key)} onChange={setAllKeys} />
          {fields.length === 0 ? (
            <Typography.Text type="secondary">{t('commitments.target.none')}</Typography.Text>
          ) : (
            <div>
              <Button size="small" type="link" style={{ paddingLeft: 0 }} data-testid="targets-expand-all" onClick={() => setOpen(open.size >= fields.length ? new Set() : new Set(fields.map((f) => f.key)))}>
                {open.size >= fields.length ? t('commitments.editor.collapseAll') : t('commitments.editor.expandAll')}
              </Button>
            </div>
          )}
          {fields.map((field, i) => {
            const isOpen = open.has(field.key);
            const target = targets[field.name];
            const kind = target?.kind ?? 'time_limit';
            const prefix = `target-${i}`;
            const summary = target
              ? target.kind === 'time_limit'
                ? `${text.duration(target.duration)} · ${text.clock(target)}`
                : text.threshold({ metric: target.metric, comparator: target.comparator, threshold: target.threshold ?? 0, scale: target.scale ?? null })
              : '';
            return (
              <Card
                key={field.key}
                size="small"
                data-testid={prefix}
                data-kind={kind}
                data-open={isOpen ? 'true' : 'false'}
                styles={{ body: isOpen ? {} : { display: 'none' } }}
                title={
                  <Space wrap style={{ cursor: 'pointer' }} onClick={() => toggle(field.key)} data-testid={`${prefix}-toggle`}>
                    {isOpen ? <DownOutlined /> : <RightOutlined />}
                    {kind === 'time_limit' ? (
                      <Tag icon={<ClockCircleOutlined />} color="blue">
                        {t('commitments.target.kinds.time_limit')}
                      </Tag>
                    ) : (
                      <Tag icon={<LineChartOutlined />} color="purple">
                        {t('commitments.target.kinds.rate')}
                      </Tag>
                    )}
                    <span>{target?.nameZh || t('commitments.editor.unnamed')}</span>
                    <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                      {summary}
                    </Typography.Text>
                  </Space>
                }
                extra={
                  <Space size={0}>
                    <Tooltip title={t('commitments.editor.moveUp')}>
                      <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} />
                    </Tooltip>
                    <Tooltip title={t('commitments.editor.moveDown')}>
                      <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} />
                    </Tooltip>
                    <Tooltip title={t('commitments.editor.removeTarget')}>
                      <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} data-testid={`${prefix}-remove`} />
                    </Tooltip>
                  </Space>
                }
              >
                <Form.Item name={[field.name, 'kind']} hidden>
                  <Input />
                </Form.Item>
                <Row gutter={12}>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'nameZh']} label={t('commitments.editor.nameZh')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
                      <Input maxLength={200} data-testid={`${prefix}-name-zh`} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name={[field.name, 'nameEn']} label={t('commitments.editor.nameEn')} rules={[{ max: 200 }]}>
                      <Input maxLength={200} data-testid={`${prefix}-name-en`} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item
                      name={[field.name, 'key']}
                      label={t('commitments.target.key')}
                      tooltip={t('commitments.editor.keyHint')}
                      rules={[
                        { required: true },
                        { max: 60 },
                        { pattern: KEY_PATTERN, message: t('commitments.editor.keyFormat') },
                        {
                          validator: async (_, value: string) => {
                            if (value && targets.filter((x, j) => j !== field.name && x?.key === value).length > 0) throw new Error(t('commitments.editor.keyTaken'));
                          },
                        },
                      ]}
                    >
                      <Input maxLength={60} className="pledge-mono" data-testid={`${prefix}-key`} />
                    </Form.Item>
                  </Col>
                </Row>
                {kind === 'time_limit' ? (
                  <TimeLimitFields index={field.name} prefix={prefix} hasRemedy={target?.kind === 'time_limit' && target.hasRemedy} />
                ) : (
                  <RateFields index={field.name} prefix={prefix} />
                )}
              </Card>
            );
          })}
          <Space wrap>
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newTimeLimit(targets))} data-testid="target-add-time-limit">
              {t('commitments.editor.addTimeLimit')}
            </Button>
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(newRate(targets))} data-testid="target-add-rate">
              {t('commitments.editor.addRate')}
            </Button>
          </Space>
        </Flex>
      )}
    </Form.List>
  );
}

/** Reports the Form.List keys to the editor's state (they are only known inside the render function). */
function KeysReporter({ keys, onChange }: { keys: number[]; onChange: (keys: number[]) => void }) {
  const joined = keys.join(',');
  useEffect(() => {
    onChange(joined ? joined.split(',').map(Number) : []);
  }, [joined, onChange]);
  return null;
}
