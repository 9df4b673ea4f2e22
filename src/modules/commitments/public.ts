/** The public page of an organization (no sign-in): commitments in force, complaint channels, notices. */
import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { App, Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import type { Locale } from '../../core/i18n.js';
import { organizations } from '../org/schema.js';
import * as C from './contracts.js';
import { commitments, commitmentVersions, notices } from './schema.js';
import { publishedFigures, targetRef } from './public-figures.js';
import { PublicFigure } from './public-figures-contracts.js';
import { confirmSubscription, presentNotice, subscribeToNotices, unsubscribe } from './service.js';

export const PublicCommitment = z.object({
  number: z.string(),
  title: z.string(),
  version: z.number().int(),
  partyType: C.PartyType,
  publishedAt: z.string(),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  body: z.string().describe('the letter in the requested language (zh-CN when there is no English text)'),
  bodyLocale: z.enum(['zh-CN', 'en-US']),
  targets: z.array(C.Target),
  /**
   * The measured figure beside each promise the administrator chose to publish (public-figures.ts): the last full
   * month and quarter in the organization's zone against the promised threshold. Empty until chosen.
   */
  figures: z.array(PublicFigure),
});
export const PublicPage = z.object({
  organization: z.object({ code: z.string(), name: z.string(), timeZone: z.string(), publicProfile: z.record(z.string(), z.unknown()) }),
  commitments: z.array(PublicCommitment),
  notices: z.array(C.Notice),
});
export type PublicPage = z.infer<typeof PublicPage>;

/** The organization of a public address (`/public/:org`, `/portal/:org`); unknown codes are "not found". */
export async function orgByCode(app: App, code: string) {
  const [org] = await app.database.db.select().from(organizations).where(eq(organizations.code, code));
  if (!org) throw new AppError('not_found', { entity: 'organization' });
  return org;
}

/** The context of a member of the public (no account) acting in one organization. */
export function publicCtx(app: App, orgId: string, locale: Locale, ip: string | null, requestId: string | null): Ctx {
  return { app, actor: { kind: 'public', orgId, name: 'public' }, orgId, now: () => new Date(), requestId, ip, locale };
}

/** The public page; `now` decides which month and quarter are the last full ones (the route passes the time of the request). */
export async function publicPage(app: App, code: string, locale: Locale, now: Date = new Date()): Promise<PublicPage> {
  const org = await orgByCode(app, code);
  const db = app.database.db;
  const figures = await publishedFigures(db, org, now);
  const rows = await db
    .select({ v: commitmentVersions, number: commitments.number })
    .from(commitmentVersions)
    .innerJoin(commitments, eq(commitments.id, commitmentVersions.commitmentId))
    .where(and(eq(commitmentVersions.orgId, org.id), eq(commitmentVersions.status, 'published')))
    .orderBy(asc(commitments.number));
  const noticeRows = await db.select().from(notices).where(and(eq(notices.orgId, org.id), eq(notices.published, true))).orderBy(desc(notices.publishedAt)).limit(50);
  return {
    organization: { code: org.code, name: org.name, timeZone: org.timeZone, publicProfile: org.publicProfile },
    commitments: rows
      // The template of the internal improvement agreement is never public, whatever its status.
      .filter(({ v }) => v.templateKey !== 'improvement-agreement')
      .map(({ v, number }) => {
        const english = locale === 'en-US' && v.bodyEn;
        return {
          number, title: v.title, version: v.version, partyType: v.partyType as z.infer<typeof C.PartyType>, publishedAt: v.publishedAt!.toISOString(),
          effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo, body: english ? v.bodyEn! : v.bodyZh, bodyLocale: english ? ('en-US' as const) : ('zh-CN' as const),
          targets: v.targets,
          figures: v.targets.flatMap((t) => figures.get(targetRef(number, t.key)) ?? []),
        };
      }),
    // Notices in the visitor's language where an English text exists.
    notices: noticeRows.map(presentNotice).map((n) => (locale === 'en-US' && n.titleEn ? { ...n, title: n.titleEn, body: n.bodyEn ?? n.body } : n)),
  };
}

export const SubscribeBody = z.strictObject({ email: z.email().max(200), locale: z.enum(['zh-CN', 'en-US']).default('zh-CN') });

export async function publicSubscribe(app: App, code: string, input: unknown, locale: Locale, ip: string | null, requestId: string | null) {
  const org = await orgByCode(app, code);
  const data = SubscribeBody.parse(input);
  return subscribeToNotices(publicCtx(app, org.id, locale, ip, requestId), data.email, data.locale);
}

export async function publicUnsubscribe(app: App, code: string, id: string, token: string, locale: Locale, ip: string | null, requestId: string | null) {
  const org = await orgByCode(app, code);
  return unsubscribe(publicCtx(app, org.id, locale, ip, requestId), id, token);
}

export async function publicConfirm(app: App, code: string, id: string, token: string, locale: Locale, ip: string | null, requestId: string | null) {
  const org = await orgByCode(app, code);
  return confirmSubscription(publicCtx(app, org.id, locale, ip, requestId), id, token);
}
