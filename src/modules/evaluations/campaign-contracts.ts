/**
 * Satisfaction campaigns (满意度调查活动): a reproducible sample of the customers served in a period, invited
 * by e-mail or SMS to rate the period's service, with response tracking. Shapes shared by the API and the web
 * app; imports nothing but zod.
 */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';

export const CampaignChannel = z.enum(['email', 'sms']);
export type CampaignChannel = z.infer<typeof CampaignChannel>;

export const CampaignState = z.enum(['draft', 'sending', 'sent', 'closed']);
export type CampaignState = z.infer<typeof CampaignState>;

const LocalDate = z.iso.date().describe('YYYY-MM-DD, a day in the organization’s time zone');

/** How the sample is drawn: a share of the eligible recipients and/or a cap, over the channels in order of preference. */
export const CampaignSampling = z
  .strictObject({
    percent: z.number().gt(0).max(100).nullable().default(null).describe('share of eligible recipients, in percent'),
    cap: z.number().int().min(1).max(100_000).nullable().default(null).describe('at most this many recipients'),
    /** In order of preference: a recipient gets the first channel they have an address for. */
    channels: z.array(CampaignChannel).min(1).max(2).default(['email', 'sms']),
  })
  .refine((s) => s.percent !== null || s.cap !== null, { message: 'give a percent, a cap, or both', path: ['percent'] })
  .refine((s) => new Set(s.channels).size === s.channels.length, { message: 'each channel once', path: ['channels'] });
export type CampaignSampling = z.infer<typeof CampaignSampling>;

const periodRefine = (v: { periodStart: string; periodEnd: string }) => v.periodStart <= v.periodEnd;

const CampaignFields = {
  /** The period rated, inclusive local days (e.g. 2026-07-01 … 2026-09-30 for 2026-Q3). */
  periodStart: LocalDate,
  periodEnd: LocalDate,
  sampling: CampaignSampling,
  /** The sampling seed: the same seed, period and rules give the same sample. Omitted: a new random seed. */
  seed: z.string().trim().min(1).max(64).optional(),
  /** How long the survey links work after sending. */
  expiresInDays: z.number().int().min(1).max(90).default(14),
};

export const CampaignPreviewInput = z.strictObject(CampaignFields).refine(periodRefine, { message: 'the period ends before it starts', path: ['periodEnd'] });
export type CampaignPreviewInput = z.input<typeof CampaignPreviewInput>;

export const CampaignCreate = z
  .strictObject({ name: z.string().trim().min(1).max(200), ...CampaignFields })
  .refine(periodRefine, { message: 'the period ends before it starts', path: ['periodEnd'] });
export type CampaignCreate = z.input<typeof CampaignCreate>;

export const CampaignRecipient = z.object({
  kind: z.enum(['customer', 'contact']),
  customerId: Id.nullable(),
  name: z.string().nullable(),
  channel: CampaignChannel,
  sentTo: z.string().describe('masked address'),
});
export type CampaignRecipient = z.infer<typeof CampaignRecipient>;

export const CampaignPreview = z.object({
  seed: z.string(),
  /** Customers and contacts with a request archived in the period and an address for one of the channels. */
  eligible: z.number().int(),
  /** Served in the period but without an address for the chosen channels. */
  unreachable: z.number().int(),
  sampled: z.number().int(),
  byChannel: z.object({ email: z.number().int(), sms: z.number().int() }),
  /** The first recipients of the sample, in draw order. */
  recipients: z.array(CampaignRecipient),
});
export type CampaignPreview = z.infer<typeof CampaignPreview>;

export const CampaignView = z.object({
  id: Id,
  name: z.string(),
  periodStart: z.string().describe('first local day'),
  periodEnd: z.string().describe('last local day'),
  state: CampaignState,
  sampling: z.object({ percent: z.number().nullable(), cap: z.number().nullable(), channels: z.array(CampaignChannel) }),
  expiresInDays: z.number().int(),
  seed: z.string(),
  invited: z.number().int(),
  createdBy: z.object({ id: Id, name: z.string() }).nullable(),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
});
export type CampaignView = z.infer<typeof CampaignView>;

/** Response tracking, computed from the campaign's surveys, outbox rows and ratings (never stored counters). */
export const CampaignFigures = z.object({
  invited: z.number().int(),
  byChannel: z.object({ email: z.number().int(), sms: z.number().int() }),
  /** Invitations the outbox delivered, failed for good, or still has to deliver. */
  delivered: z.number().int(),
  failed: z.number().int(),
  pendingDelivery: z.number().int(),
  answered: z.number().int(),
  expired: z.number().int(),
  cancelled: z.number().int(),
  /** answered ÷ invited, 0…1; null before sending. */
  responseRate: z.number().nullable(),
  satisfaction: z.object({
    count: z.number().int(),
    /** Average level on the five-point scale. */
    average: z.number().nullable(),
    score100: z.number().nullable(),
    /** Share at or above the organization's satisfied level. */
    satisfiedShare: z.number().nullable(),
    satisfiedFromLevel: z.number().int(),
    distribution: z.array(z.object({ level: z.number().int(), count: z.number().int() })),
  }),
});
export type CampaignFigures = z.infer<typeof CampaignFigures>;

export const CampaignDetail = CampaignView.extend({ figures: CampaignFigures });
export type CampaignDetail = z.infer<typeof CampaignDetail>;

export const CampaignList = z.object({ items: z.array(CampaignView) });
export type CampaignList = z.infer<typeof CampaignList>;
