/** Pieces the dashboard pages share: the switch between views, a chart card, the drill-down state of a page, the export. */
import { InfoCircleOutlined } from '@ant-design/icons';
import { Alert, Card, DatePicker, Flex, Segmented, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import type { Dimension } from '../../api/kpis';
import { downloadKpis } from '../../api/reports';
import { ExcelDownloadButton } from '../../components/ExportButton';
import type { FigureDrill } from './drill';
import type { DrillTarget } from './DrillDrawer';
import { LIGHT } from './palette';

const VIEWS = [
  { key: 'month', path: '/dashboard' },
  { key: 'me', path: '/dashboard/me' },
  { key: 'wall', path: '/wall' },
] as const;

/** 月度看板 | 我的指标 | 实时看板 */
export function ViewSwitch() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const current = VIEWS.find((v) => v.path === location.pathname)?.key ?? 'month';
  return (
    <Segmented
      value={current}
      onChange={(key) => void navigate(VIEWS.find((v) => v.key === key)!.path)}
      options={VIEWS.map((v) => ({ value: v.key, label: <span data-testid={`view-${v.key}`}>{t(`dashboards.views.${v.key}`)}</span> }))}
    />
  );
}

export function ChartCard({ title, hint, extra, children, testId }: { title: string; hint?: string | undefined; extra?: ReactNode; children: ReactNode; testId: string }) {
  return (
    <Card
      size="small"
      style={{ height: '100%' }}
      data-testid={testId}
      title={
        <Flex align="center" gap={6}>
          <span>{title}</span>
          {hint && (
            <Tooltip title={hint}>
              <InfoCircleOutlined style={{ color: LIGHT.neutral, fontSize: 13 }} />
            </Tooltip>
          )}
        </Flex>
      }
      extra={extra}
    >
      {children}
    </Card>
  );
}

/** Days of the range the rollup job has not summed yet: the figures may lag by seconds. */
export function PendingNote({ days }: { days: number }) {
  const { t } = useTranslation();
  if (days <= 0) return null;
  return <Alert type="info" showIcon message={t('dashboards.pending', { count: days })} style={{ marginBottom: 12 }} data-testid="dash-pending" />;
}

export function LoadError({ error }: { error: Error | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <Alert type="error" showIcon message={t('dashboards.loadFailed', { message: error.message })} style={{ marginBottom: 12 }} />;
}

/** The figures a page shows: the organization (or a branch reader's branch), a branch, a team or an agent. */
export interface Scope {
  dimension: Dimension;
  /** The branch, team or agent id; absent for the organization. */
  value?: string | undefined;
}

/**
 * The dimension value to pick a scope's figures by: the id for a branch, team or agent; none for the
 * organization, whose rows carry '' — or, for a branch-scoped reader, their branch's id (the server answers
 * with their branch's figures).
 */
export function scopeValue(scope: Scope): string | undefined {
  return scope.dimension === 'org' ? undefined : scope.value;
}

/** The page's drill-down: what is open in the drawer, and the function charts call (adding the page's scope). */
export function useDrillTarget(scope: Scope): { target: DrillTarget | null; open: (target: DrillTarget) => void; close: () => void; drill: FigureDrill } {
  const [target, setTarget] = useState<DrillTarget | null>(null);
  const drill: FigureDrill = (query, title, subtitle) =>
    setTarget({ title, subtitle, figure: { dimension: scope.dimension, ...(scope.value !== undefined ? { value: scope.value } : {}), ...query } });
  return { target, open: setTarget, close: () => setTarget(null), drill };
}

/**
 * 导出 Excel: the figures the page shows (its indicators, the twelve months, its scope) as the KPI values sheet
 * of GET /exports/kpis.xlsx (docs/reports.md), audited like every export.
 */
export function FiguresExport({ indicators, from, to, scope }: { indicators: string[]; from: string; to: string; scope: Scope }) {
  const params = { indicators, grain: 'month', from, to, dimension: scope.dimension, ...(scope.value !== undefined ? { value: scope.value } : {}) };
  return <ExcelDownloadButton download={() => downloadKpis(params)} disabled={indicators.length === 0} testId="dash-export" />;
}

/** The controls every month dashboard starts with: the view switch, the Excel export of its figures, the month. */
export function MonthControls({ indicators, from, to, scope, month, onMonth }: { indicators: string[]; from: string; to: string; scope: Scope; month: string; onMonth: (month: string) => void }) {
  return (
    <>
      <ViewSwitch />
      <FiguresExport indicators={indicators} from={from} to={to} scope={scope} />
      <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && onMonth(d.format('YYYY-MM'))} data-testid="dash-month" />
    </>
  );
}
