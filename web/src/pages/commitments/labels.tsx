/**
 * How commitments read in both languages: status tags, durations in words ("5 分钟", "2 个工作日"), where a
 * target applies, thresholds with their units, and the template units.
 */
import { Tag } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppliesTo, RateMetric, RateTarget, Target, TemplateSummary, TimeLimitTarget, VersionStatus } from '../../api/commitments';
import { currentLanguage } from '../../i18n';

const STATUS_COLORS: Record<VersionStatus, string> = {
  draft: 'default',
  in_review: 'processing',
  approved: 'cyan',
  published: 'success',
  superseded: 'default',
  withdrawn: 'warning',
};

export function StatusTag({ status, testId }: { status: VersionStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={testId} data-status={status}>
      {t(`commitments.status.${status}`)}
    </Tag>
  );
}

/** A commitment duration as parts: business time (hours, minutes, seconds) or whole working days. */
export type DurationParts = { kind: 'business'; hours: number; minutes: number; seconds: number } | { kind: 'days'; days: number };

export function parseIsoDuration(text: string): DurationParts | null {
  const days = /^P(\d+)D$/.exec(text);
  if (days) return { kind: 'days', days: Number(days[1]) };
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?$/.exec(text);
  if (!m || text === 'PT') return null;
  return { kind: 'business', hours: Number(m[1] ?? 0), minutes: Number(m[2] ?? 0), seconds: Number(m[3] ?? 0) };
}

/** The Chinese units the templates use, in English. */
const UNIT_EN: Record<string, string> = {
  分钟: 'min',
  小时: 'h',
  个工作日: 'working days',
  '%': '%',
  分: 'points',
  学时: 'training hours',
  名: 'members',
  项: 'indicators',
  次: 'times',
  条: 'entries',
  件: 'cases',
  秒: 's',
};

export function unitText(unit: string | null | undefined): string {
  if (!unit) return '';
  return currentLanguage() === 'en-US' ? (UNIT_EN[unit] ?? unit) : unit;
}

const TEMPLATE_KEYS = ['service-attitude', 'efficient-response', 'online-offline', 'conduct-norms', 'improvement-agreement'] as const;
type KnownTemplate = (typeof TEMPLATE_KEYS)[number];
function isKnownTemplate(key: string): key is KnownTemplate {
  return (TEMPLATE_KEYS as readonly string[]).includes(key);
}

/** Metrics measured in percent; scores use their scale; the rest are counts or times with their own unit. */
const PERCENT_METRICS: readonly RateMetric[] = [
  'service_completion_rate', 'resolution_rate', 'first_contact_resolution_rate', 'response_compliance_rate', 'satisfaction_rate', 'callback_rate', 'polite_phrase_rate',
];

export function useCommitmentText() {
  const { t } = useTranslation();

  const duration = useCallback(
    (iso: string): string => {
      const parts = parseIsoDuration(iso);
      if (!parts) return iso;
      if (parts.kind === 'days') return parts.days === 1 ? t('commitments.units.workingDay', { count: 1 }) : t('commitments.units.workingDays', { count: parts.days });
      const out: string[] = [];
      if (parts.hours) out.push(t('commitments.units.hours', { count: parts.hours }));
      if (parts.minutes) out.push(t('commitments.units.minutes', { count: parts.minutes }));
      if (parts.seconds) out.push(t('commitments.units.seconds', { count: parts.seconds }));
      return out.length ? out.join(' ') : t('commitments.units.minutes', { count: 0 });
    },
    [t],
  );

  const targetName = useCallback((target: Pick<Target, 'name' | 'key'>): string => {
    const en = target.name['en-US'];
    return currentLanguage() === 'en-US' && en ? en : target.name['zh-CN'] || target.key;
  }, []);

  /** "电话、在线客服 · 投诉 · 紧急" or "全部" when the target applies to every request. */
  const appliesTo = useCallback(
    (a: AppliesTo | undefined): string => {
      if (!a) return t('commitments.target.all');
      const sep = t('commitments.listSeparator');
      const parts: string[] = [];
      if (a.channels.length) parts.push(a.channels.map((c) => t(`commitments.channels.${c}`)).join(sep));
      if (a.requestTypes.length) parts.push(a.requestTypes.map((c) => t(`commitments.requestTypes.${c}`)).join(sep));
      if (a.priorities.length) parts.push(a.priorities.map((c) => t(`commitments.priorities.${c}`)).join(sep));
      if (a.customerFlags.length) parts.push(t('commitments.target.greenChannelFor', { flags: a.customerFlags.map((c) => t(`customers.flagValues.${c}`)).join(sep) }));
      return parts.length ? parts.join(' · ') : t('commitments.target.all');
    },
    [t],
  );

  /** "≥ 95%", "≥ 4.5 分（满分 5）", "≤ 15 分钟". */
  const threshold = useCallback(
    (target: Pick<RateTarget, 'metric' | 'comparator' | 'threshold' | 'scale'>): string => {
      const op = target.comparator === '>=' ? '≥' : '≤';
      const value = String(Math.round(target.threshold * 100) / 100);
      if (target.metric === 'satisfaction_score' || target.scale !== null) {
        return target.scale !== null ? `${op} ${t('commitments.units.points', { value, scale: target.scale })}` : `${op} ${value}`;
      }
      if (PERCENT_METRICS.includes(target.metric)) return `${op} ${value}%`;
      return `${op} ${t(`commitments.metricUnits.${target.metric}`, { value })}`;
    },
    [t],
  );

  /** The promise in one line: "5 分钟内首次响应" / "Within 5 min: first response". */
  const promise = useCallback(
    (target: Target): string => {
      if (target.kind === 'time_limit') return t('commitments.target.promiseTimeLimit', { duration: duration(target.duration), stop: t(`commitments.stopEvents.${target.stop}`) });
      return t('commitments.target.promiseRate', { period: t(`commitments.periods.${target.period}`), metric: t(`commitments.metrics.${target.metric}`), threshold: threshold(target) });
    },
    [duration, t, threshold],
  );

  const clock = useCallback(
    (target: Pick<TimeLimitTarget, 'start' | 'stop'>): string => `${t(`commitments.startEvents.${target.start}`)} → ${t(`commitments.stopEvents.${target.stop}`)}`,
    [t],
  );

  const templateTitle = useCallback(
    (template: Pick<TemplateSummary, 'key' | 'title'>): string => (isKnownTemplate(template.key) ? t(`commitments.templates.${template.key}.title`) : template.title),
    [t],
  );
  const templateDescription = useCallback(
    (template: Pick<TemplateSummary, 'key' | 'description'>): string => (isKnownTemplate(template.key) ? t(`commitments.templates.${template.key}.description`) : template.description),
    [t],
  );

  return { duration, targetName, appliesTo, threshold, promise, clock, templateTitle, templateDescription };
}
