/**
 * The `surveys` section of the organization's evaluation settings: how long a survey link works, when the
 * one reminder goes, whether no rating counts as a stated default level, NPS, the channels that send, the
 * level from which a rating counts as satisfied, and the default weights of survey and callback ratings
 * (a commitment's satisfaction target may set its own).
 */
import { z } from 'zod';
import type { Executor } from '../../core/db/client.js';
import { readSection } from './settings-store.js';

/** Ways an invitation goes out. (Web and app customers also rate on the portal's tracking page; that is not an invitation.) */
export const SURVEY_CHANNELS = ['email', 'sms', 'chat', 'qr'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];

export const SurveySettings = z.object({
  /** How long a survey link works (hours). */
  expiryHours: z.number().int().min(1).max(24 * 90).default(14 * 24),
  /** One reminder this many hours after sending (null: no reminder). */
  reminderAfterHours: z.number().int().min(1).max(24 * 60).nullable().default(72),
  /** No rating within this many days counts as the stated default level (null: off). */
  defaultAfterDays: z.number().int().min(1).max(90).nullable().default(null),
  /** The stated default level (5 非常满意 … 1 非常不满意), used only when defaultAfterDays is set. */
  defaultLevel: z.number().int().min(1).max(5).default(5),
  /** Ask the 0–10 "would you recommend us" question (NPS). */
  nps: z.boolean().default(false),
  /** Which channels send invitations (a request from another channel gets none). */
  channels: z.array(z.enum(SURVEY_CHANNELS)).default([...SURVEY_CHANNELS]),
  /** A rating of this level or better counts as satisfied (default 3: 基本满意 and above). */
  satisfiedFromLevel: z.number().int().min(1).max(5).default(3),
  /** Weights of survey-side and callback ratings when the commitment in force does not set them. */
  weights: z.object({ survey: z.number().min(0).max(100).default(70), callback: z.number().min(0).max(100).default(30) }).default({ survey: 70, callback: 30 }),
});
export type SurveySettings = z.output<typeof SurveySettings>;

export function surveySettingsOf(exec: Executor, orgId: string): Promise<SurveySettings> {
  return readSection(exec, orgId, 'surveys', SurveySettings);
}
