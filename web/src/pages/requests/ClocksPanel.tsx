/**
 * The request's clocks: each a live countdown coloured by state (running green, warning orange, breached red
 * with the time over, paused grey, met ✓ with its time and a late flag), and a "why this deadline?" popover
 * naming the commitment, version, target, the events that start and stop it, the time limit in words, the
 * calendar it counts on and the business time it was paused.
 */
import { CheckCircleFilled, ClockCircleOutlined, ExclamationCircleFilled, PauseCircleOutlined, QuestionCircleOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Flex, Popover, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClockExplanation, ClockSummary } from '../../api/requests';
import { useDurationText } from '../calendars/duration';
import { useCommitmentText } from '../commitments/labels';
import { formatTime } from '../../lib/time';
import { clockLook, leadingUnits, metLate, splitSpan, type ClockLook } from '@contracts/requests/clock-look';
import { LOOK_COLORS, useNow } from './clock-view';
import { isStartEvent, isStopEvent, useRequestLabels } from './labels';

const ICONS: Record<ClockLook, ReactNode> = {
  running: <ClockCircleOutlined />,
  warning: <ExclamationCircleFilled />,
  breached: <ExclamationCircleFilled />,
  paused: <PauseCircleOutlined />,
  met: <CheckCircleFilled />,
  cancelled: <StopOutlined />,
};

function useSpanText() {
  const { t } = useTranslation();
  return (ms: number) => {
    const parts = splitSpan(ms);
    return leadingUnits(parts)
      .map((unit) => t(`requestPage.clocks.units.${unit}`, { count: parts[unit] }))
      .join('');
  };
}

/** Why the deadline is what it is. */
function Explanation({ clock, explanation }: { clock: ClockSummary; explanation: ClockExplanation | undefined }) {
  const { t } = useTranslation();
  const text = useCommitmentText();
  const pausedText = useDurationText();
  const { clockName } = useRequestLabels();
  const e = explanation;
  const start = e?.start ?? null;
  const stop = e?.stop ?? clock.kind;
  const startText = isStartEvent(start) ? t(`commitments.startEvents.${start}`) : (start ?? '—');
  const stopText = isStopEvent(stop) ? t(`commitments.stopEvents.${stop}`) : stop;
  return (
    <Descriptions size="small" column={1} style={{ maxWidth: 420 }} data-testid={`clock-explain-${clock.kind}`}>
      <Descriptions.Item label={t('requestPage.clocks.commitment')}>
        <span data-testid="explain-commitment">
          {e?.commitmentNumber ? `${e.commitmentNumber} ${e.commitmentTitle ?? ''} · ${t('requestPage.clocks.version', { version: e.version ?? '?' })}` : t('requestPage.clocks.noCommitment')}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('requestPage.clocks.target')}>
        <span data-testid="explain-target">{clockName(clock, e)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('requestPage.clocks.span')}>
        <span data-testid="explain-span">
          {startText} → {stopText}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('requestPage.clocks.duration')}>
        <span data-testid="explain-duration">{text.duration(e?.duration ?? clock.duration)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('requestPage.clocks.calendar')}>
        <span data-testid="explain-calendar">{e?.calendarName ?? '—'}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('requestPage.clocks.started')}>{formatTime(clock.startedAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
      <Descriptions.Item label={t('requestPage.clocks.dueAt')}>{formatTime(clock.dueAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
      <Descriptions.Item label={t('requestPage.clocks.paused')}>
        <span data-testid="explain-paused" title={t('requestPage.clocks.pausedHint')}>
          {e && e.pausedMs > 0 ? pausedText(e.pausedMs) : t('requestPage.clocks.pausedNone')}
        </span>
      </Descriptions.Item>
    </Descriptions>
  );
}

function ClockRow({ clock, explanation, now }: { clock: ClockSummary; explanation: ClockExplanation | undefined; now: number }) {
  const { t } = useTranslation();
  const span = useSpanText();
  const { clockName } = useRequestLabels();
  const look = clockLook(clock, now);
  const color = LOOK_COLORS[look];
  const due = Date.parse(clock.dueAt);
  let status: ReactNode;
  switch (look) {
    case 'running':
    case 'warning':
      status = t('requestPage.clocks.remaining', { time: span(due - now) });
      break;
    case 'breached':
      status = t('requestPage.clocks.overdue', { time: span(now - due) });
      if (clock.metAt) status = t('requestPage.clocks.late');
      break;
    case 'paused':
      status = t('requestPage.clocks.pausedSince', { time: formatTime(clock.pausedAt, 'MM-DD HH:mm') });
      break;
    case 'met':
      status = (
        <Space size={4}>
          <span>✓ {t('requestPage.clocks.metAt', { time: formatTime(clock.metAt, 'MM-DD HH:mm') })}</span>
          {metLate(clock) ? <Tag color="red" data-testid="clock-late">{t('requestPage.clocks.late')}</Tag> : <Tag color="blue">{t('requestPage.clocks.onTime')}</Tag>}
        </Space>
      );
      break;
    default:
      status = t('requestPage.clocks.cancelled');
  }
  return (
    <div
      data-testid={`clock-${clock.kind}`}
      data-clock-id={clock.id}
      data-look={look}
      style={{ borderLeft: `4px solid ${color}`, padding: '6px 10px', background: look === 'breached' ? '#fff1f0' : look === 'warning' ? '#fff7e6' : undefined, borderRadius: 4 }}
    >
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong>{clockName(clock, explanation)}</Typography.Text>
        <Popover title={t('requestPage.clocks.explainTitle')} content={<Explanation clock={clock} explanation={explanation} />} trigger="click" placement="left">
          <Button type="link" size="small" icon={<QuestionCircleOutlined />} data-testid={`clock-why-${clock.kind}`}>
            {t('requestPage.clocks.why')}
          </Button>
        </Popover>
      </Flex>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text style={{ color, fontVariantNumeric: 'tabular-nums' }} data-testid={`clock-status-${clock.kind}`}>
          {ICONS[look]} {status}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('requestPage.clocks.due', { time: formatTime(clock.dueAt, 'MM-DD HH:mm') })}
        </Typography.Text>
      </Flex>
    </div>
  );
}

export function ClocksPanel({ clocks, explanations }: { clocks: ClockSummary[]; explanations: ClockExplanation[] }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const byClock = new Map(explanations.map((e) => [e.clockId, e]));
  // Open clocks first (most urgent on top), then the finished ones in the order they started.
  const rank = (c: ClockSummary) => (c.state === 'running' || c.state === 'breached' ? 0 : c.state === 'paused' ? 1 : 2);
  const sorted = [...clocks].sort((a, b) => rank(a) - rank(b) || (rank(a) < 2 ? a.dueAt.localeCompare(b.dueAt) : a.startedAt.localeCompare(b.startedAt)));
  return (
    <Card size="small" title={t('requestPage.clocks.title')} data-testid="clocks-panel">
      {sorted.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('requestPage.clocks.none')} />
      ) : (
        <Flex vertical gap={8}>
          {sorted.map((clock) => (
            <ClockRow key={clock.id} clock={clock} explanation={byClock.get(clock.id)} now={now} />
          ))}
        </Flex>
      )}
    </Card>
  );
}
