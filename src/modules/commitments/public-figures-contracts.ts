/**
 * Public figures (公示数据): which measured figures of the commitments in force the public page shows, and the
 * shape it shows them in. Shared by the API and the web app; imports nothing but zod.
 */
import { z } from 'zod';

/**
 * A target of a commitment, as the settings name it: `<commitment number>:<target key>` (HX-FW-2026-01:first-response).
 * Target keys repeat across commitments (two letters may both promise `satisfaction`), so the number is part of it;
 * neither a number nor a key can contain a colon. A new version of the commitment keeps the choice.
 */
export const PublicTargetRef = z
  .string()
  .trim()
  .max(120)
  .regex(/^[^:\s]+:[a-z0-9_.-]+$/, '<commitment number>:<target key>');

/** The section `publicFigures` of the commitment settings: nothing is published until chosen. */
export const PublicFiguresSettings = z.object({
  targetKeys: z.array(PublicTargetRef).max(200).default([]),
});
export type PublicFiguresSettings = z.infer<typeof PublicFiguresSettings>;

export const PublicFiguresInput = z.strictObject({
  targetKeys: z.array(PublicTargetRef).max(200),
});
export type PublicFiguresInput = z.infer<typeof PublicFiguresInput>;

/** A figure over one whole period of the organization's zone (the last full month, the last full quarter). */
export const PeriodFigure = z.object({
  /** `2026-10`, `2026-Q3`. */
  period: z.string(),
  firstDay: z.string(),
  lastDay: z.string(),
  /** In the target's unit (percent 0–100, points, days…); null when nothing was measured in the period. */
  figure: z.number().nullable(),
  /** Against the promised threshold; null when there is no figure or no threshold. */
  met: z.boolean().nullable(),
});
export type PeriodFigure = z.infer<typeof PeriodFigure>;

/** The measured figure beside one promise on the public page. No personal data: whole-organization figures only. */
export const PublicFigure = z.object({
  /** The target's key in its commitment. */
  targetKey: z.string(),
  indicator: z.string(),
  comparator: z.enum(['>=', '<=']),
  /** Rate targets: the promised threshold; time limits: the promised share met on time (percent); null: none. */
  threshold: z.number().nullable(),
  /** percent, score5 (or score<scale>), count, working_days, seconds… (see docs/figures.md). */
  unit: z.string(),
  month: PeriodFigure,
  quarter: PeriodFigure,
});
export type PublicFigure = z.infer<typeof PublicFigure>;

/** One target in force, for the administrator choosing what to publish (with the figures it would show). */
export const PublicFigureChoice = z.object({
  ref: PublicTargetRef,
  commitmentNumber: z.string(),
  commitmentTitle: z.string(),
  key: z.string(),
  name: z.object({ 'zh-CN': z.string(), 'en-US': z.string().optional() }),
  kind: z.enum(['time_limit', 'rate']),
  /** The indicator measuring it; null when Pledge holds no data for it (it cannot be published). */
  indicator: z.string().nullable(),
  unmeasured: z.enum(['no_source', 'filter']).nullable(),
  comparator: z.enum(['>=', '<=']),
  threshold: z.number().nullable(),
  unit: z.string(),
  published: z.boolean(),
  month: PeriodFigure,
  quarter: PeriodFigure,
});
export type PublicFigureChoice = z.infer<typeof PublicFigureChoice>;

export const PublicFiguresView = z.object({
  timeZone: z.string(),
  /** What is stored (a target no longer in force stays stored but is not shown). */
  targetKeys: z.array(z.string()),
  targets: z.array(PublicFigureChoice),
  updatedAt: z.string().nullable(),
});
export type PublicFiguresView = z.infer<typeof PublicFiguresView>;
