/**
 * The figures API (docs/figures.md): indicator definitions and values by period and dimension, read from the
 * daily rollups. Shapes shared by the API and the web app; imports nothing but zod.
 */
import { z } from 'zod';

export const Grain = z.enum(['day', 'week', 'month', 'quarter', 'year']);
export const Dimension = z.enum(['org', 'agent', 'team', 'branch', 'channel', 'type', 'category']);
export const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

const Localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });

export const KpiDefinitionView = z.object({
  id: z.string(),
  name: Localized,
  formula: Localized,
  numerator: Localized.nullable(),
  denominator: Localized.nullable(),
  unit: z.string(),
  better: z.enum(['higher', 'lower']),
  source: Localized,
  /** Whether /kpis/values computes it from the daily rollups in this version (the others come in later slices). */
  available: z.boolean(),
});
export const KpiDefinitions = z.object({ indicators: z.array(KpiDefinitionView) });
export type KpiDefinitions = z.infer<typeof KpiDefinitions>;

const IndicatorList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
  .pipe(z.array(z.string().max(60)).min(1).max(30));

export const KpiValuesQuery = z.strictObject({
  /** Indicator ids, comma-separated or repeated (see GET /kpis/definitions, `available`). */
  indicators: IndicatorList,
  grain: Grain.default('month'),
  /** First and last local day (inclusive) in the organization's time zone; periods containing them are whole. */
  from: LocalDay,
  to: LocalDay,
  dimension: Dimension.default('org'),
  /** Only this value of the dimension (an agent, team, branch or category id, a channel, a request type; '' for none). */
  value: z.string().max(100).optional(),
});
export type KpiValuesQuery = z.infer<typeof KpiValuesQuery>;

export const KpiValue = z.object({
  period: z.string(),
  /** The dimension value ('' for the organization, and for "none": unassigned, no team…). */
  value: z.string(),
  indicator: z.string(),
  /** For per-target compliance: the commitment target key. */
  target: z.string().nullable(),
  unit: z.string(),
  /** The figure (percent for rates, seconds for durations, a count…); null when there is nothing to measure. */
  figure: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  /** Durations: how many, mean (exact), median and p90 (from the sketch) with their relative error bound. */
  count: z.number().nullable(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** Relative error bound of median and p90 (0.01: within 1 % of the exact value of the same rank). */
  errorBound: z.number().nullable(),
  /** Extra parts of a composite figure (corrective actions: opened, overdue, closed, closedOnTime; satisfaction: defaults apart). */
  parts: z.record(z.string(), z.number().nullable()).nullable(),
});
export type KpiValue = z.infer<typeof KpiValue>;

export const KpiValuesView = z.object({
  timeZone: z.string(),
  grain: Grain,
  dimension: Dimension,
  periods: z.array(z.object({ key: z.string(), firstDay: z.string(), lastDay: z.string() })),
  values: z.array(KpiValue),
  /** Days of the range still waiting for the rollup job (their figures may lag by seconds). */
  pendingDays: z.number().int(),
});
export type KpiValuesView = z.infer<typeof KpiValuesView>;

export const KpiRebuildInput = z.strictObject({ from: LocalDay, to: LocalDay });

// ---------- targets of the commitments in force against their threshold ----------

export const TargetGrain = z.enum(['month', 'quarter', 'year']);
export type TargetGrain = z.infer<typeof TargetGrain>;

export const KpiTargetsQuery = z.strictObject({
  grain: TargetGrain.default('month'),
  /** First and last local day (inclusive); the periods containing them are whole. */
  from: LocalDay,
  to: LocalDay,
});
export type KpiTargetsQuery = z.input<typeof KpiTargetsQuery>;

export const KpiTargetValue = z.object({
  period: z.string(),
  /** The measured figure in the target's unit; null when nothing was measured (or cannot be, see `unmeasured`). */
  figure: z.number().nullable(),
  /** figure compared with the threshold; null when either is missing. */
  met: z.boolean().nullable(),
});
export type KpiTargetValue = z.infer<typeof KpiTargetValue>;

export const KpiTargetView = z.object({
  commitmentId: z.string(),
  commitmentNumber: z.string(),
  commitmentTitle: z.string(),
  versionId: z.string(),
  version: z.number().int(),
  /** The target's key in the commitment. */
  key: z.string(),
  name: z.object({ 'zh-CN': z.string(), 'en-US': z.string().optional() }),
  kind: z.enum(['time_limit', 'rate']),
  /** Rate targets: the commitment's metric (service_completion_rate, complaint_handling_days…); time limits: null. */
  metric: z.string().nullable(),
  /** Rate targets: the period the commitment states the threshold for (month, quarter, half_year, year). */
  targetPeriod: z.string().nullable(),
  /** The indicator measuring it (see /kpis/definitions); null when Pledge holds no data for it. */
  indicator: z.string().nullable(),
  /** Time limits: the `target` of target_compliance (the clocks' target key). */
  targetKey: z.string().nullable(),
  comparator: z.enum(['>=', '<=']),
  /** Rate targets: the threshold; time limits: the compliance goal in percent (null when none is set). */
  threshold: z.number().nullable(),
  unit: z.string(),
  /** Why every figure is null: `no_source` (no data in Pledge), `filter` (limited in a way the rollups cannot cut). */
  unmeasured: z.enum(['no_source', 'filter']).nullable(),
  values: z.array(KpiTargetValue),
});
export type KpiTargetView = z.infer<typeof KpiTargetView>;

export const KpiTargetsView = z.object({
  timeZone: z.string(),
  grain: TargetGrain,
  periods: z.array(z.object({ key: z.string(), firstDay: z.string(), lastDay: z.string() })),
  targets: z.array(KpiTargetView),
  /** Days of the range still waiting for the rollup job. */
  pendingDays: z.number().int(),
});
export type KpiTargetsView = z.infer<typeof KpiTargetsView>;

// ---------- heat map of registrations by hour and weekday ----------

export const KpiHeatmapQuery = z.strictObject({
  /** First and last local day (inclusive) in the organization's zone. */
  from: LocalDay,
  to: LocalDay,
  dimension: Dimension.default('org'),
  /** Only this value of the dimension ('' for none); without it, every value (the organization). */
  value: z.string().max(100).optional(),
});
export type KpiHeatmapQuery = z.input<typeof KpiHeatmapQuery>;

export const KpiHeatmapView = z.object({
  timeZone: z.string(),
  /** What is counted: requests registered (accepted; merged duplicates left out). */
  measure: z.literal('accepted'),
  from: z.string(),
  to: z.string(),
  dimension: Dimension,
  value: z.string().nullable(),
  /** All 168 cells, Monday 00:00 first: weekday 1 (Monday) … 7 (Sunday), local hour 0 … 23. */
  cells: z.array(z.object({ weekday: z.number().int().min(1).max(7), hour: z.number().int().min(0).max(23), count: z.number().int() })),
  /** The largest count of a cell (0 when nothing was registered). */
  max: z.number().int(),
  total: z.number().int(),
  /** Days of the range still waiting for the rollup job. */
  pendingDays: z.number().int(),
});
export type KpiHeatmapView = z.infer<typeof KpiHeatmapView>;
