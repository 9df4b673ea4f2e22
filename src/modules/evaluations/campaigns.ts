/**
 * Satisfaction campaigns (满意度调查活动), e.g. the quarterly survey: a sample of the customers served in a
 * period is invited by e-mail or SMS to rate the period's service.
 *
 * - Eligible: customers, and anonymous contacts with an e-mail address or phone, who had a request archived in the
 *   period, and who have an address for one of the campaign's channels (in order of preference).
 * - The sample is deterministic (sampling.ts): `inSample(seed, key, percent)` then `sampleExactly(seed, …, cap)`,
 *   so the same seed, period and rules always give the same recipients — shown before sending and auditable after.
 * - States draft → sending → sent → closed. Sending issues one survey per recipient (`issueSurveyTx`) and queues
 *   its invitation through the outbox, in batches of {@link SEND_BATCH} per transaction; the campaign's `invited`
 *   counter is the resume point, so a send interrupted half-way continues where it stopped when sent again.
 * - The figures are computed from the surveys, outbox rows and ratings carrying the campaign's id, never from
 *   counters that could drift. Closing cancels the surveys still unanswered, which freezes the figures.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Ctx } from '../../core/context.js';
import { decrypt, maskPhone } from '../../core/crypto.js';
import { outbox } from '../../core/db/core-schema.js';
import { rowsOf, type Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { DEFAULT_LOCALE, type Locale } from '../../core/i18n.js';
import { enqueue, enqueueSms } from '../../core/outbox.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { customers, organizations, staff } from '../org/schema.js';
import { requests } from '../requests/schema.js';
import * as C from './campaign-contracts.js';
import { inSample, sampleExactly } from './sampling.js';
import { campaigns, evaluations, surveys } from './schema.js';
import { surveySettingsOf } from './survey-settings.js';
import { issueSurveyTx, maskEmail } from './surveys.js';

type CampaignRow = typeof campaigns.$inferSelect;

/** Invitations issued per transaction while sending. */
export const SEND_BATCH = 100;
/** Recipients listed in a preview. */
const PREVIEW_LIST = 50;

/** What the campaign keeps in its `sampling` column (the rules, and the period as the local days given). */
interface StoredSampling {
  percent: number | null;
  cap: number | null;
  channels: C.CampaignChannel[];
  expiresInDays: number;
  periodStartDay: string;
  periodEndDay: string;
}

/** One recipient: a customer, or an anonymous contact known by the address used. */
export interface Recipient {
  key: string;
  kind: 'customer' | 'contact';
  customerId: string | null;
  name: string | null;
  channel: C.CampaignChannel;
  address: string;
}

// ---------- the period and the eligible ----------

async function orgOf(exec: Executor, orgId: string) {
  const [org] = await exec.select({ name: organizations.name, timeZone: organizations.timeZone, locale: organizations.defaultLocale }).from(organizations).where(eq(organizations.id, orgId));
  return { name: org?.name ?? '', timeZone: org?.timeZone ?? 'Asia/Shanghai', locale: (org?.locale === 'en-US' ? 'en-US' : DEFAULT_LOCALE) };
}

/** The instants [start, end) of inclusive local days in a time zone. */
async function periodInstants(exec: Executor, timeZone: string, startDay: string, endDay: string): Promise<{ start: Date; end: Date }> {
  const [row] = rowsOf<{ start: string | Date; end: string | Date }>(
    await exec.execute(sql`SELECT (${startDay}::date::timestamp AT TIME ZONE ${timeZone}) AS start, ((${endDay}::date + 1)::timestamp AT TIME ZONE ${timeZone}) AS "end"`),
  );
  return { start: new Date(row!.start), end: new Date(row!.end) };
}

/**
 * Everyone served in the period (requests archived in it), one entry per customer or contact, with the first
 * channel of `channels` they have an address for (unreachable: none). A customer's own addresses come first,
 * then those of their latest request.
 */
export async function eligibleRecipients(exec: Executor, orgId: string, period: { start: Date; end: Date }, channels: readonly C.CampaignChannel[], keys: { decrypt: (s: string) => string }) {
  const rows = await exec
    .select({
      customerId: requests.customerId, customerName: customers.name, customerEmail: customers.email, customerPhone: customers.phoneEnc,
      contactName: requests.contactName, contactEmail: requests.contactEmail, contactPhone: requests.contactPhoneEnc, contactPhoneHash: requests.contactPhoneHash,
    })
    .from(requests)
    .leftJoin(customers, and(eq(customers.id, requests.customerId), eq(customers.orgId, requests.orgId)))
    .where(and(eq(requests.orgId, orgId), eq(requests.state, 'archived'), sql`${requests.archivedAt} >= ${period.start}`, sql`${requests.archivedAt} < ${period.end}`))
    .orderBy(desc(requests.archivedAt), desc(requests.id));
  const seen = new Map<string, { kind: 'customer' | 'contact'; customerId: string | null; name: string | null; email: string | null; phoneEnc: string | null }>();
  for (const r of rows) {
    const email = r.contactEmail?.toLowerCase() ?? null;
    const key = r.customerId ? `customer:${r.customerId}` : email ? `email:${email}` : r.contactPhoneHash ? `phone:${r.contactPhoneHash}` : null;
    if (!key) continue;
    const known = seen.get(key);
    if (known) {
      known.email ??= email;
      known.phoneEnc ??= r.contactPhone;
      continue;
    }
    seen.set(key, r.customerId
      ? { kind: 'customer', customerId: r.customerId, name: r.customerName, email: r.customerEmail?.toLowerCase() ?? email, phoneEnc: r.customerPhone ?? r.contactPhone }
      : { kind: 'contact', customerId: null, name: r.contactName, email, phoneEnc: r.contactPhone });
  }
  const reachable: Recipient[] = [];
  let unreachable = 0;
  for (const [key, v] of seen) {
    const channel = channels.find((c) => (c === 'email' ? v.email !== null : v.phoneEnc !== null));
    if (!channel) {
      unreachable++;
      continue;
    }
    reachable.push({ key, kind: v.kind, customerId: v.customerId, name: v.name, channel, address: channel === 'email' ? v.email! : keys.decrypt(v.phoneEnc!) });
  }
  return { reachable, unreachable };
}

/** The sample, in draw order: the percent first (each recipient on its own draw), then the cap. */
export function drawSample(seed: string, eligible: readonly Recipient[], sampling: { percent: number | null; cap: number | null }): Recipient[] {
  const byKey = new Map(eligible.map((r) => [r.key, r]));
  const inPercent = sampling.percent === null ? [...byKey.keys()] : [...byKey.keys()].filter((k) => inSample(seed, k, sampling.percent!));
  const ordered = sampleExactly(seed, inPercent, sampling.cap ?? inPercent.length);
  return ordered.map((k) => byKey.get(k)!);
}

const masked = (r: Recipient) => (r.channel === 'email' ? maskEmail(r.address) : maskPhone(r.address));

function newSeed(): string {
  return randomBytes(6).toString('hex');
}

async function sampleOf(ctx: Ctx, exec: Executor, data: { periodStart: string; periodEnd: string; sampling: C.CampaignSampling }, seed: string) {
  const org = await orgOf(exec, ctx.orgId);
  const period = await periodInstants(exec, org.timeZone, data.periodStart, data.periodEnd);
  const { reachable, unreachable } = await eligibleRecipients(exec, ctx.orgId, period, data.sampling.channels, { decrypt: (s) => decrypt(ctx.app.keys, s) });
  return { org, period, eligible: reachable, unreachable, sample: drawSample(seed, reachable, data.sampling) };
}

function previewOf(seed: string, s: Awaited<ReturnType<typeof sampleOf>>): C.CampaignPreview {
  return {
    seed, eligible: s.eligible.length, unreachable: s.unreachable, sampled: s.sample.length,
    byChannel: { email: s.sample.filter((r) => r.channel === 'email').length, sms: s.sample.filter((r) => r.channel === 'sms').length },
    recipients: s.sample.slice(0, PREVIEW_LIST).map((r) => ({ kind: r.kind, customerId: r.customerId, name: r.name, channel: r.channel, sentTo: masked(r) })),
  };
}

// ---------- views ----------

function storedOf(row: CampaignRow): StoredSampling {
  const s = row.sampling as Partial<StoredSampling>;
  return {
    percent: s.percent ?? null, cap: s.cap ?? null, channels: s.channels ?? ['email'], expiresInDays: s.expiresInDays ?? 14,
    periodStartDay: s.periodStartDay ?? row.periodStart.toISOString().slice(0, 10), periodEndDay: s.periodEndDay ?? row.periodEnd.toISOString().slice(0, 10),
  };
}

async function present(exec: Executor, rows: CampaignRow[]): Promise<C.CampaignView[]> {
  const ids = rows.map((r) => r.createdById).filter((x): x is string => x !== null);
  const names = new Map(ids.length > 0 ? (await exec.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, ids))).map((s) => [s.id, s.name]) : []);
  return rows.map((r) => {
    const s = storedOf(r);
    return {
      id: r.id, name: r.name, periodStart: s.periodStartDay, periodEnd: s.periodEndDay, state: r.state as C.CampaignState,
      sampling: { percent: s.percent, cap: s.cap, channels: s.channels }, expiresInDays: s.expiresInDays, seed: r.seed ?? '', invited: r.invited,
      createdBy: r.createdById ? { id: r.createdById, name: names.get(r.createdById) ?? '' } : null, createdAt: r.createdAt.toISOString(),
      sentAt: r.sentAt?.toISOString() ?? null, expiresAt: r.expiresAt?.toISOString() ?? null, closedAt: r.closedAt?.toISOString() ?? null,
    };
  });
}

/** Response tracking from the campaign's surveys, its invitations in the outbox and its ratings. */
export async function campaignFigures(exec: Executor, orgId: string, campaignId: string): Promise<C.CampaignFigures> {
  const bySurvey = await exec
    .select({ channel: surveys.channel, state: surveys.state, n: sql<number>`count(*)::int` })
    .from(surveys)
    .where(and(eq(surveys.orgId, orgId), eq(surveys.campaignId, campaignId)))
    .groupBy(surveys.channel, surveys.state);
  const byStatus = await exec
    .select({ status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(and(eq(outbox.orgId, orgId), sql`${outbox.dedupeKey} LIKE ${`campaign:${campaignId}:%`}`))
    .groupBy(outbox.status);
  const byLevel = await exec
    .select({ level: evaluations.level, n: sql<number>`count(*)::int` })
    .from(evaluations)
    .where(and(eq(evaluations.orgId, orgId), eq(evaluations.campaignId, campaignId), eq(evaluations.excluded, false), sql`${evaluations.source} <> 'default'`))
    .groupBy(evaluations.level);
  const settings = await surveySettingsOf(exec, orgId);
  const sum = <T>(rows: T[], pick: (r: T) => boolean, n: (r: T) => number) => rows.filter(pick).reduce((a, r) => a + Number(n(r)), 0);
  const invited = sum(bySurvey, () => true, (r) => r.n);
  const answered = sum(bySurvey, (r) => r.state === 'answered', (r) => r.n);
  const count = sum(byLevel, () => true, (r) => r.n);
  const levelSum = sum(byLevel, () => true, (r) => r.level * r.n);
  const satisfied = sum(byLevel, (r) => r.level >= settings.satisfiedFromLevel, (r) => r.n);
  const average = count > 0 ? levelSum / count : null;
  return {
    invited,
    byChannel: { email: sum(bySurvey, (r) => r.channel === 'email', (r) => r.n), sms: sum(bySurvey, (r) => r.channel === 'sms', (r) => r.n) },
    delivered: sum(byStatus, (r) => r.status === 'delivered', (r) => r.n),
    failed: sum(byStatus, (r) => r.status === 'failed', (r) => r.n),
    pendingDelivery: sum(byStatus, (r) => r.status === 'pending' || r.status === 'sending', (r) => r.n),
    answered,
    expired: sum(bySurvey, (r) => r.state === 'expired', (r) => r.n),
    cancelled: sum(bySurvey, (r) => r.state === 'cancelled', (r) => r.n),
    responseRate: invited > 0 ? answered / invited : null,
    satisfaction: {
      count, average, score100: average === null ? null : ((average - 1) / 4) * 100, satisfiedShare: count > 0 ? satisfied / count : null,
      satisfiedFromLevel: settings.satisfiedFromLevel,
      distribution: [5, 4, 3, 2, 1].map((level) => ({ level, count: sum(byLevel, (r) => r.level === level, (r) => r.n) })),
    },
  };
}

async function loadCampaign(exec: Executor, orgId: string, id: string, lock = false): Promise<CampaignRow> {
  const q = exec.select().from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'campaign' });
  return row;
}

async function detail(ctx: Ctx, row: CampaignRow): Promise<C.CampaignDetail> {
  const db = ctx.app.database.db;
  const [view] = await present(db, [row]);
  return { ...view!, figures: await campaignFigures(db, ctx.orgId, row.id) };
}

// ---------- commands and queries ----------

/** The sample a campaign would draw (nothing is written): counts, channels and the first recipients, masked. */
export async function previewCampaign(ctx: Ctx, input: unknown): Promise<C.CampaignPreview> {
  authorize(ctx, 'campaign.manage');
  const data = parse(C.CampaignPreviewInput, input);
  const seed = data.seed ?? newSeed();
  return previewOf(seed, await sampleOf(ctx, ctx.app.database.db, data, seed));
}

/** A draft campaign. Its seed is fixed now, so the preview on its page is the sample it will send. */
export async function createCampaign(ctx: Ctx, input: unknown): Promise<C.CampaignDetail> {
  authorize(ctx, 'campaign.manage');
  const data = parse(C.CampaignCreate, input);
  const seed = data.seed ?? newSeed();
  const org = await orgOf(ctx.app.database.db, ctx.orgId);
  const period = await periodInstants(ctx.app.database.db, org.timeZone, data.periodStart, data.periodEnd);
  const sampling: StoredSampling = { ...data.sampling, expiresInDays: data.expiresInDays, periodStartDay: data.periodStart, periodEndDay: data.periodEnd };
  const row = await transact(ctx, async (t) => {
    const now = t.now();
    const [created] = await t.tx
      .insert(campaigns)
      .values({ orgId: t.orgId, name: data.name, periodStart: period.start, periodEnd: period.end, state: 'draft', sampling: { ...sampling }, seed, createdById: actorId(t.actor), createdAt: now, updatedAt: now })
      .returning();
    await audit(t, { action: 'campaign.create', entityType: 'campaign', entityId: created!.id, after: { name: data.name, ...sampling, seed } });
    await t.emit('campaign.created', { entityType: 'campaign', entityId: created!.id, data: { name: data.name } });
    return created!;
  });
  return detail(ctx, row);
}

export async function listCampaigns(ctx: Ctx): Promise<C.CampaignList> {
  authorize(ctx, 'evaluation.read');
  const db = ctx.app.database.db;
  const rows = await db.select().from(campaigns).where(eq(campaigns.orgId, ctx.orgId)).orderBy(desc(campaigns.createdAt), desc(campaigns.id)).limit(200);
  return { items: await present(db, rows) };
}

export async function getCampaign(ctx: Ctx, id: string): Promise<C.CampaignDetail> {
  authorize(ctx, 'evaluation.read');
  return detail(ctx, await loadCampaign(ctx.app.database.db, ctx.orgId, id));
}

/** The sample of a saved campaign (its seed and rules), as it would be sent now. */
export async function campaignSample(ctx: Ctx, id: string): Promise<C.CampaignPreview> {
  authorize(ctx, 'campaign.manage');
  const db = ctx.app.database.db;
  const row = await loadCampaign(db, ctx.orgId, id);
  const s = storedOf(row);
  return previewOf(row.seed ?? '', await sampleOf(ctx, db, { periodStart: s.periodStartDay, periodEnd: s.periodEndDay, sampling: { percent: s.percent, cap: s.cap, channels: s.channels } }, row.seed ?? ''));
}

function periodText(locale: Locale, s: StoredSampling): string {
  return locale === 'zh-CN' ? `${s.periodStartDay} 至 ${s.periodEndDay}` : `${s.periodStartDay} to ${s.periodEndDay}`;
}

export function campaignMail(locale: Locale, orgName: string, period: string, link: string, expiresAt: Date) {
  const until = expiresAt.toISOString().slice(0, 10);
  if (locale === 'zh-CN') {
    return {
      subject: `【${orgName}】满意度调查：请评价我们 ${period} 的服务`,
      text: ['您好！', '', `感谢您在 ${period} 期间选择${orgName}。请花一分钟评价我们的服务，您的意见将帮助我们改进：`, link, '', `链接只能使用一次，${until} 前有效，无需登录。`, '', orgName].join('\n'),
    };
  }
  return {
    subject: `[${orgName}] Satisfaction survey: how did we do from ${period}?`,
    text: ['Hello,', '', `Thank you for choosing ${orgName} from ${period}. Please take a minute to rate our service; your opinion helps us improve:`, link, '', `The link works once, until ${until}. No account is needed.`, '', orgName].join('\n'),
  };
}

export function campaignSms(locale: Locale, orgName: string, period: string, link: string): string {
  if (locale === 'zh-CN') return `【${orgName}】感谢您 ${period} 期间的支持，请评价我们的服务：${link}`;
  return `${orgName}: thank you for your custom from ${period}. Please rate our service: ${link}`;
}

/**
 * Sends a draft campaign (or resumes one left in `sending`): the period must have ended. The sample is drawn,
 * then each batch of {@link SEND_BATCH} recipients gets its surveys and queued invitations in one transaction
 * that also moves the resume point; the last one marks the campaign sent.
 */
export async function sendCampaign(ctx: Ctx, id: string, options: { batchSize?: number } = {}): Promise<C.CampaignDetail> {
  authorize(ctx, 'campaign.manage');
  const db = ctx.app.database.db;
  const batchSize = options.batchSize ?? SEND_BATCH;
  await transact(ctx, async (t) => {
    const row = await loadCampaign(t.tx, t.orgId, id, true);
    if (row.state !== 'draft' && row.state !== 'sending') throw new AppError('campaign.wrong_state', { state: row.state });
    if (row.periodEnd > t.now()) throw new AppError('campaign.period_open', { periodEnd: storedOf(row).periodEndDay });
    if (row.state === 'draft') {
      const now = t.now();
      const expiresAt = new Date(now.getTime() + storedOf(row).expiresInDays * 86_400_000);
      await t.tx.update(campaigns).set({ state: 'sending', sentAt: now, expiresAt, updatedAt: now }).where(eq(campaigns.id, row.id));
      await audit(t, { action: 'campaign.send', entityType: 'campaign', entityId: row.id, before: { state: row.state }, after: { state: 'sending', expiresAt } });
    }
  });
  const row = await loadCampaign(db, ctx.orgId, id);
  const s = storedOf(row);
  const { org, sample } = await sampleOf(ctx, db, { periodStart: s.periodStartDay, periodEnd: s.periodEndDay, sampling: { percent: s.percent, cap: s.cap, channels: s.channels } }, row.seed ?? '');
  const period = periodText(org.locale, s);
  for (;;) {
    const done = await transact(ctx, async (t) => {
      const current = await loadCampaign(t.tx, t.orgId, id, true);
      if (current.state !== 'sending') return true;
      const batch = sample.slice(current.invited, current.invited + batchSize);
      for (const r of batch) {
        const issued = await issueSurveyTx(t, { campaignId: current.id, customerId: r.customerId, channel: r.channel, sentTo: masked(r), expiresAt: current.expiresAt });
        const dedupeKey = `campaign:${current.id}:${issued.survey.id}`;
        if (r.channel === 'email') {
          const mail = campaignMail(org.locale, org.name, period, issued.link, issued.survey.expiresAt);
          await enqueue(t, { kind: 'email', payload: { to: r.address, subject: mail.subject, text: mail.text }, dedupeKey });
        } else {
          await enqueueSms(t, { to: r.address, text: campaignSms(org.locale, org.name, period, issued.link) }, { dedupeKey });
        }
      }
      const invited = current.invited + batch.length;
      const finished = invited >= sample.length;
      const now = t.now();
      await t.tx.update(campaigns).set({ invited, ...(finished ? { state: 'sent' } : {}), updatedAt: now }).where(eq(campaigns.id, current.id));
      if (finished) {
        await audit(t, { action: 'campaign.sent', entityType: 'campaign', entityId: current.id, before: { state: 'sending' }, after: { state: 'sent', invited } });
        await t.emit('campaign.sent', { entityType: 'campaign', entityId: current.id, data: { invited } });
      }
      return finished;
    });
    if (done) break;
  }
  return detail(ctx, await loadCampaign(db, ctx.orgId, id));
}

/** Closes a sent campaign: the surveys still unanswered are cancelled, so the figures no longer move. */
export async function closeCampaign(ctx: Ctx, id: string): Promise<C.CampaignDetail> {
  authorize(ctx, 'campaign.manage');
  const row = await transact(ctx, async (t) => {
    const current = await loadCampaign(t.tx, t.orgId, id, true);
    if (current.state !== 'sent') throw new AppError('campaign.wrong_state', { state: current.state });
    const now = t.now();
    const cancelled = await t.tx
      .update(surveys)
      .set({ state: 'cancelled', updatedAt: now })
      .where(and(eq(surveys.orgId, t.orgId), eq(surveys.campaignId, current.id), eq(surveys.state, 'pending')))
      .returning({ id: surveys.id });
    const [closed] = await t.tx.update(campaigns).set({ state: 'closed', closedAt: now, updatedAt: now }).where(eq(campaigns.id, current.id)).returning();
    await audit(t, { action: 'campaign.close', entityType: 'campaign', entityId: current.id, before: { state: current.state }, after: { state: 'closed', cancelledSurveys: cancelled.length } });
    await t.emit('campaign.closed', { entityType: 'campaign', entityId: current.id, data: { cancelledSurveys: cancelled.length } });
    return closed!;
  });
  return detail(ctx, row);
}

