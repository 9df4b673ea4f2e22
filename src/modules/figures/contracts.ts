/**
 * The figures API (docs/figures.md): indicator definitions and values by period and dimension, read from the
 * daily rollups. Shapes shared by the API and the web app; imports nothing but zod.
 */
import { z } from 'zod';

export const Grain = z.enum(['day', 'week', 'month', 'quarter', 'year']);
export const Dimension = z.enum(['org', 'agent', 'team', 'branch', 'channel', 'type']);
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
  /** Only this value of the dimension (an agent, team or branch id, a channel, a request type). */
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
