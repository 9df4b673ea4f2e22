/**
 * The figures API for the dashboards (docs/figures.md, docs/dashboards.md): indicator definitions, values per
 * period and dimension, the commitment's targets against their thresholds, the registrations heat map, the
 * drill-down to the requests behind a figure, and the team lead's live wall. Shapes from the server's contracts.
 */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Dimension as DimensionSchema,
  Grain as GrainSchema,
  KpiHeatmapView as KpiHeatmapViewSchema,
  KpiDefinitions as KpiDefinitionsSchema,
  KpiValue as KpiValueSchema,
  KpiTargetView as KpiTargetViewSchema,
  KpiTargetsView as KpiTargetsViewSchema,
  KpiValuesView as KpiValuesViewSchema,
} from '@contracts/figures/contracts';
import type {
  DrillPart as DrillPartSchema,
  KpiDrillItem as KpiDrillItemSchema,
  KpiDrilldownView as KpiDrilldownViewSchema,
  KpiLiveView as KpiLiveViewSchema,
} from '@contracts/figures/drill-contracts';
import { api } from './client';
import type { KeysetPage } from './keyset';
import type { LoopState, RequestListItem } from './requests';

export type KpiDefinitions = z.infer<typeof KpiDefinitionsSchema>;
export type KpiDefinition = KpiDefinitions['indicators'][number];
export type KpiValue = z.infer<typeof KpiValueSchema>;
export type KpiValuesView = z.infer<typeof KpiValuesViewSchema>;
export type Grain = z.infer<typeof GrainSchema>;
export type Dimension = z.infer<typeof DimensionSchema>;

export const kpisKey = ['kpis'] as const;

/** While the rollup job still has days of the range to sum, ask again every few seconds (the figures catch up). */
const PENDING_POLL_MS = 5_000;
function whilePending(query: { state: { data?: { pendingDays: number } | undefined } }): number | false {
  return (query.state.data?.pendingDays ?? 0) > 0 ? PENDING_POLL_MS : false;
}

export function useKpiDefinitions() {
  return useQuery({ queryKey: [...kpisKey, 'definitions'], queryFn: () => api.get<KpiDefinitions>('/kpis/definitions'), staleTime: 10 * 60_000 });
}

export interface KpiValuesParams {
  indicators: string[];
  grain: Grain;
  from: string;
  to: string;
  dimension?: Dimension | undefined;
  value?: string | undefined;
}

export function useKpiValues(p: KpiValuesParams, enabled = true) {
  return useQuery({
    queryKey: [...kpisKey, 'values', p],
    queryFn: ({ signal }) => api.get<KpiValuesView>('/kpis/values', { ...p, indicators: p.indicators.join(',') }, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: whilePending,
    enabled: enabled && p.indicators.length > 0,
  });
}

/** The value of one indicator (and target) in one period, for one dimension value (none given: any). */
export function pickValue(view: KpiValuesView | undefined, indicator: string, period: string, opts: { target?: string | null; value?: string | undefined } = {}): KpiValue | undefined {
  return view?.values.find(
    (v) => v.indicator === indicator && v.period === period && (opts.target === undefined || v.target === opts.target) && (opts.value === undefined || v.value === opts.value),
  );
}

// ---------- the commitment's targets against their thresholds ----------

export type KpiTargetsView = z.infer<typeof KpiTargetsViewSchema>;
export type KpiTargetView = z.infer<typeof KpiTargetViewSchema>;

export function useKpiTargets(p: { grain: 'month' | 'quarter' | 'year'; from: string; to: string }, enabled = true) {
  return useQuery({
    queryKey: [...kpisKey, 'targets', p],
    queryFn: ({ signal }) => api.get<KpiTargetsView>('/kpis/targets', { ...p }, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: whilePending,
    enabled,
  });
}

// ---------- registrations by hour and weekday ----------

export type KpiHeatmapView = z.infer<typeof KpiHeatmapViewSchema>;

export function useKpiHeatmap(p: { from: string; to: string; dimension?: Dimension | undefined; value?: string | undefined }, enabled = true) {
  return useQuery({
    queryKey: [...kpisKey, 'heatmap', p],
    queryFn: ({ signal }) => api.get<KpiHeatmapView>('/kpis/heatmap', { ...p }, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: whilePending,
    enabled,
  });
}

// ---------- drill-down: the requests behind a figure ----------

export type DrillPart = z.infer<typeof DrillPartSchema>;
export type DrillItem = z.infer<typeof KpiDrillItemSchema>;
export type DrillPage = z.infer<typeof KpiDrilldownViewSchema>;

export interface DrillQuery {
  indicator: string;
  period?: string | undefined;
  grain?: Grain | undefined;
  from?: string | undefined;
  to?: string | undefined;
  dimension?: Dimension | undefined;
  value?: string | undefined;
  target?: string | undefined;
  part?: DrillPart | undefined;
}

const DRILL_PAGE = 50;

/** The requests behind a figure, a page at a time ("load more"); `total` from the first page. */
export function useDrilldown(query: DrillQuery | null) {
  return useInfiniteQuery({
    queryKey: [...kpisKey, 'drilldown', query],
    queryFn: ({ pageParam, signal }) => api.get<DrillPage>('/kpis/drilldown', { ...query, limit: DRILL_PAGE, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: query !== null,
  });
}

// ---------- the team lead's live wall ----------

export type KpiLiveView = z.infer<typeof KpiLiveViewSchema>;
export type KpiLiveAgent = KpiLiveView['agents'][number];
export type KpiLiveSoonest = KpiLiveView['soonest'][number];

export const liveKey = [...kpisKey, 'live'] as const;
/** The wall refreshes on live events and, at the latest, this often (clocks pass their warning without an event). */
export const LIVE_POLL_MS = 15_000;

export function useKpiLive(team: string | undefined) {
  return useQuery({
    queryKey: [...liveKey, team ?? 'all'],
    queryFn: ({ signal }) => api.get<KpiLiveView>('/kpis/live', { team }, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_POLL_MS,
    refetchIntervalInBackground: true,
  });
}

// ---------- the registrations of a heat-map cell ----------

/**
 * A heat-map cell (Mondays 10:00–11:00 of a month) is a set of one-hour windows, one per day. The drill-down API
 * works in whole days, so the cell's requests come from the request list, window by window: registered in the
 * window (createdFrom ≤ createdAt < createdTo), merged duplicates left out — exactly the registrations the heat
 * map counts — within the page's branch or team.
 */
export interface RegistrationWindows {
  /** ISO instants, oldest first. */
  windows: { from: string; to: string }[];
  branchId?: string | undefined;
  teamId?: string | undefined;
}

const NOT_MERGED: LoopState[] = ['registered', 'analysing', 'handling', 'waiting_customer', 'feedback', 'archived'];

function asDrillItem(r: RequestListItem): DrillItem {
  return {
    requestId: r.id, number: r.number, subject: r.subject, type: r.type, channel: r.channel, state: r.state, priority: r.priority,
    assigneeId: r.assignee?.id ?? null, assigneeName: r.assignee?.name ?? null, teamId: r.teamId, createdAt: r.createdAt, at: r.createdAt,
    inNumerator: null, seconds: null,
  };
}

interface WindowParam {
  window: number;
  cursor?: string | undefined;
}

interface WindowPage {
  items: DrillItem[];
  /** Where the next page starts: a window and, within it, the list's cursor; null after the last window. */
  next: WindowParam | null;
}

/** The registrations of a heat-map cell, up to 50 a page, filled from as many windows as it takes. */
export function useRegistrations(source: RegistrationWindows | null) {
  return useInfiniteQuery({
    queryKey: [...kpisKey, 'registrations', source],
    queryFn: async ({ pageParam, signal }: { pageParam: WindowParam; signal: AbortSignal }): Promise<WindowPage> => {
      const windows = source?.windows ?? [];
      const items: DrillItem[] = [];
      let at: WindowParam = pageParam;
      while (at.window < windows.length && items.length < DRILL_PAGE) {
        const win = windows[at.window]!;
        const page = await api.get<KeysetPage<RequestListItem>>('/requests', {
          queue: 'all', states: NOT_MERGED.join(','), createdFrom: win.from, createdTo: win.to, sort: 'created_asc',
          branchId: source?.branchId, teamId: source?.teamId, limit: DRILL_PAGE - items.length, cursor: at.cursor,
        }, { signal });
        items.push(...page.items.map(asDrillItem));
        at = page.nextCursor ? { window: at.window, cursor: page.nextCursor } : { window: at.window + 1 };
      }
      return { items, next: at.window < windows.length ? at : null };
    },
    initialPageParam: { window: 0 },
    getNextPageParam: (last): WindowParam | undefined => last.next ?? undefined,
    enabled: source !== null,
  });
}
