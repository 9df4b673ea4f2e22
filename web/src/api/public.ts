/**
 * The public page of an organization (no sign-in): commitments in force, complaint channels, notices, and the
 * notice subscription. The shape mirrors `PublicPage` in src/modules/commitments/public.ts (that file imports the
 * database layer, so it is restated here from the contract types).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Language } from '../i18n';
import { api } from './client';
import type { PublicProfile } from './types';
import type { Notice, PartyType, Target } from './commitments';
import type { PeriodFigure as PeriodFigureSchema, PublicFigure as PublicFigureSchema } from '@contracts/commitments/public-figures-contracts';

export type { PublicProfile } from './types';

/** The measured figure beside a promise (last full month and quarter against the threshold); see public-figures-contracts.ts. */
export type PublicFigure = PublicFigureSchema;
export type PeriodFigure = PeriodFigureSchema;

export interface PublicCommitment {
  number: string;
  title: string;
  version: number;
  partyType: PartyType;
  publishedAt: string;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** The letter (Markdown) in the requested language; zh-CN when there is no English text. */
  body: string;
  bodyLocale: Language;
  targets: Target[];
  /** The measured figures of the promises the administrator chose to publish (empty until chosen). */
  figures: PublicFigure[];
}

export interface PublicPageData {
  organization: { code: string; name: string; timeZone: string; publicProfile: Record<string, unknown> };
  commitments: PublicCommitment[];
  notices: Notice[];
}

export const publicKey = (org: string, lang: Language) => ['public', org, lang] as const;

/** The public profile with only the text fields it is known to have (the API types it as a loose record). */
export function profileOf(page: PublicPageData): PublicProfile {
  const raw = page.organization.publicProfile;
  const text = (key: keyof PublicProfile): string | null => {
    const v = raw[key];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  };
  return { phone: text('phone'), email: text('email'), address: text('address'), webFormUrl: text('webFormUrl'), hours: text('hours'), intro: text('intro') };
}

export function usePublicPage(org: string, lang: Language) {
  return useQuery({
    queryKey: publicKey(org, lang),
    queryFn: () => api.get<PublicPageData>(`/public/${encodeURIComponent(org)}`, { lang }, { quietSignedOut: true }),
    staleTime: 60_000,
  });
}

export function useSubscribe(org: string) {
  return useMutation({
    mutationFn: (input: { email: string; locale: Language }) =>
      api.post<{ subscribed: true; confirmationRequired?: boolean }>(`/public/${encodeURIComponent(org)}/subscriptions`, input, { quietSignedOut: true }),
  });
}
