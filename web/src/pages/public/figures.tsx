/**
 * The words and numbers of a measured figure (public page, administrator's preview): the value in its unit (percent
 * with one decimal, points, days, durations), the period it covers (2026年10月, Q3 2026) and met / missed against the
 * promised threshold.
 */
import { useTranslation } from 'react-i18next';
import type { PeriodFigure, PublicFigure } from '../../api/public';
import './figures.css';

type UnitKey = 'percent' | 'score' | 'count' | 'working_days' | 'days' | 'hours' | 'minutes' | 'seconds' | 'other';

function round(value: number, digits: number): string {
  const factor = 10 ** digits;
  return String(Math.round(value * factor) / factor);
}

/** A figure's value and the unit key it is worded with (durations in seconds are shown in the largest fitting unit). */
export function figureParts(value: number, unit: string): { key: UnitKey; value: string } {
  if (unit === 'percent') return { key: 'percent', value: round(value, 1) };
  if (unit.startsWith('score')) return { key: 'score', value: round(value, 2) };
  if (unit === 'count') return { key: 'count', value: round(value, 0) };
  if (unit === 'working_days' || unit === 'days') return { key: unit, value: round(value, 1) };
  if (unit === 'seconds') {
    if (value >= 3600) return { key: 'hours', value: round(value / 3600, 1) };
    if (value >= 60) return { key: 'minutes', value: round(value / 60, 1) };
    return { key: 'seconds', value: round(value, 0) };
  }
  if (unit === 'hours' || unit === 'minutes') return { key: unit, value: round(value, 1) };
  return { key: 'other', value: round(value, 2) };
}

export function useFigureText() {
  const { t, i18n } = useTranslation();
  const value = (figure: number, unit: string, onTime = false): string => {
    const parts = figureParts(figure, unit);
    const text = t(`publicFigures.unit.${parts.key}`, { value: parts.value });
    if (!onTime) return text;
    return i18n.language === 'en-US' ? `${text} ${t('publicFigures.onTime')}` : `${t('publicFigures.onTime')} ${text}`;
  };
  /** 2026-10 → 2026年10月 / October 2026; 2026-Q3 → 2026年第3季度 / Q3 2026. */
  const period = (key: string): string => {
    const q = /^(\d{4})-Q([1-4])$/.exec(key);
    if (q) return t('publicFigures.quarter', { year: q[1], quarter: q[2] });
    const m = /^(\d{4})-(\d{2})$/.exec(key);
    if (m) {
      const monthName = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
      return t('publicFigures.month', { year: m[1], month: Number(m[2]), monthName });
    }
    return key;
  };
  return { value, period };
}

/** One period's figure: 上月 · 2026年10月 — 按时 96.2% ✓ 达标 (the days it covers in the tooltip). */
export function PeriodFigureLine({ label, figure, unit, onTime, testId }: { label: string; figure: PeriodFigure; unit: string; onTime: boolean; testId?: string }) {
  const { t } = useTranslation();
  const text = useFigureText();
  const state = figure.met === null ? 'none' : figure.met ? 'met' : 'missed';
  return (
    <div className="pledge-figure-line" data-testid={testId} data-period={figure.period} data-met={state} title={t('publicFigures.covers', { from: figure.firstDay, to: figure.lastDay })}>
      <span className="pledge-figure-period">
        {label} · {text.period(figure.period)}
      </span>
      {figure.figure === null ? (
        <span className="pledge-muted">{t('publicFigures.noData')}</span>
      ) : (
        <strong className="pledge-figure-value" data-testid={testId ? `${testId}-value` : undefined}>
          {text.value(figure.figure, unit, onTime)}
        </strong>
      )}
      {figure.met !== null && <span className={figure.met ? 'pledge-figure-met' : 'pledge-figure-missed'}>{figure.met ? `✓ ${t('publicFigures.met')}` : `✗ ${t('publicFigures.missed')}`}</span>}
    </div>
  );
}

/** The measured column of a promise: the last full month and quarter. */
export function MeasuredFigure({ figure, kind, testId }: { figure: PublicFigure; kind: 'time_limit' | 'rate'; testId: string }) {
  const { t } = useTranslation();
  const onTime = kind === 'time_limit';
  return (
    <div className="pledge-figures">
      <PeriodFigureLine label={t('publicFigures.lastMonth')} figure={figure.month} unit={figure.unit} onTime={onTime} testId={`${testId}-month`} />
      <PeriodFigureLine label={t('publicFigures.lastQuarter')} figure={figure.quarter} unit={figure.unit} onTime={onTime} testId={`${testId}-quarter`} />
    </div>
  );
}
