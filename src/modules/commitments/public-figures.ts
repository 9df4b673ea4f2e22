/**
 * Public figures (公示数据, docs/commitments.md "Public figures"): the administrator chooses which promises of the
 * commitments in force show their measured figure on the public page; each chosen one shows its figure for the last
 * full month and the last full quarter in the organization's zone, against the promised threshold. The figures are
 * those of the dashboards (`targetFigures`, the same rollups and formulas). Nothing is published until chosen.
 *
 * The choice is the section `publicFigures` of `commitment_settings`. The public page reads the figures through a
 * per-organization cache of one minute (the page itself is sent with `max-age=60`), so a burst of visitors costs one
 * computation; the choice is applied after the cache, so a change shows at once.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx, type TxCtx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import type { KpiTargetView, KpiTargetsView } from '../figures/contracts.js';
import { periodOf, type Period } from '../figures/periods.js';
import { targetFigures } from '../figures/targets.js';
import { organizations } from '../org/schema.js';
import * as P from './public-figures-contracts.js';
import { commitments, commitmentSettings, commitmentVersions } from './schema.js';

const SECTION = 'publicFigures';
const CACHE_MS = 60_000;
const MAX_CACHED_ORGS = 1000;

/** The reference of a target in the settings: `<commitment number>:<target key>`. */
export function targetRef(commitmentNumber: string, key: string): string {
  return `${commitmentNumber}:${key}`;
}

/**
 * The last full month and the last full quarter before `now` in the zone: on 2026-12-01 00:00 in Shanghai they are
 * 2026-11 and 2026-Q3; one second earlier, 2026-10 and 2026-Q3. Pure.
 */
export function lastFullPeriods(now: Date, zone: string): { month: Period; quarter: Period } {
  const month = periodOf(new Date(periodOf(now, zone, 'month').start.getTime() - 1), zone, 'month');
  const quarter = periodOf(new Date(periodOf(now, zone, 'quarter').start.getTime() - 1), zone, 'quarter');
  return { month, quarter };
}

/** The stored choice (the defaults — nothing published — until an administrator saves one). */
export async function readPublicFigures(exec: Executor, orgId: string): Promise<{ settings: P.PublicFiguresSettings; updatedAt: Date | null }> {
  const [row] = await exec.select({ settings: commitmentSettings.settings, updatedAt: commitmentSettings.updatedAt }).from(commitmentSettings).where(eq(commitmentSettings.orgId, orgId));
  const parsed = P.PublicFiguresSettings.safeParse(row?.settings[SECTION] ?? {});
  // A section saved by an older version that no longer parses publishes nothing rather than failing the page.
  return { settings: parsed.success ? parsed.data : P.PublicFiguresSettings.parse({}), updatedAt: row?.updatedAt ?? null };
}

async function writeSectionTx(t: TxCtx, value: P.PublicFiguresSettings): Promise<void> {
  const at = t.now();
  const patch = { [SECTION]: value };
  await t.tx
    .insert(commitmentSettings)
    .values({ orgId: t.orgId, settings: patch, updatedAt: at })
    .onConflictDoUpdate({ target: commitmentSettings.orgId, set: { settings: sql`${commitmentSettings.settings} || ${JSON.stringify(patch)}::jsonb`, updatedAt: at } });
}

/** The ids of the published versions whose targets may be public (the internal improvement agreement never is). */
async function publicVersionIds(exec: Executor, orgId: string): Promise<Set<string>> {
  const rows = await exec
    .select({ id: commitmentVersions.id, templateKey: commitmentVersions.templateKey })
    .from(commitmentVersions)
    .innerJoin(commitments, eq(commitments.id, commitmentVersions.commitmentId))
    .where(and(eq(commitmentVersions.orgId, orgId), eq(commitmentVersions.status, 'published')))
    .orderBy(asc(commitments.number));
  return new Set(rows.filter((r) => r.templateKey !== 'improvement-agreement').map((r) => r.id));
}

interface InForce {
  timeZone: string;
  month: Period;
  quarter: Period;
  /** Every target of the commitments in force, with its month and quarter figures, by reference. */
  targets: Map<string, { month: KpiTargetView; quarter: KpiTargetView }>;
}

async function zoneOf(exec: Executor, orgId: string): Promise<string> {
  const [org] = await exec.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId));
  return org?.timeZone ?? 'Asia/Shanghai';
}

/** The targets in force with their figures for the last full month and quarter (two reads of the rollups). */
async function computeInForce(db: Executor, orgId: string, zone: string, now: Date): Promise<InForce> {
  const { month, quarter } = lastFullPeriods(now, zone);
  const [byMonth, byQuarter, allowed]: [KpiTargetsView, KpiTargetsView, Set<string>] = await Promise.all([
    targetFigures(db, orgId, { grain: 'month', from: month.firstDay, to: month.lastDay }),
    targetFigures(db, orgId, { grain: 'quarter', from: quarter.firstDay, to: quarter.lastDay }),
    publicVersionIds(db, orgId),
  ]);
  const targets = new Map<string, { month: KpiTargetView; quarter: KpiTargetView }>();
  for (const m of byMonth.targets) {
    if (!allowed.has(m.versionId)) continue;
    const q = byQuarter.targets.find((x) => x.versionId === m.versionId && x.key === m.key);
    // A version effective during the month but not the quarter cannot happen (the month is after the quarter or in
    // it), but one effective from a day of the quarter after the month's can: its quarter is measured alone then.
    targets.set(targetRef(numberOf(m), m.key), { month: m, quarter: q ?? { ...m, values: [] } });
  }
  for (const q of byQuarter.targets) {
    const ref = targetRef(numberOf(q), q.key);
    if (allowed.has(q.versionId) && !targets.has(ref)) targets.set(ref, { month: { ...q, values: [] }, quarter: q });
  }
  return { timeZone: byMonth.timeZone, month, quarter, targets };
}

function numberOf(t: KpiTargetView): string {
  return t.commitmentNumber;
}

// The public page's cache: per database handle (one per app), per organization, for a minute of `now`.
type Cached = Map<string, { until: number; value: Promise<InForce> }>;
const caches = new WeakMap<object, Cached>();

async function cachedInForce(db: Executor, orgId: string, zone: string, now: Date): Promise<InForce> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map() as Cached));
  const { month, quarter } = lastFullPeriods(now, zone);
  const key = `${orgId}|${zone}|${month.key}|${quarter.key}`;
  const hit = cache.get(key);
  if (hit && hit.until > now.getTime()) return hit.value;
  if (cache.size >= MAX_CACHED_ORGS) {
    for (const [k, v] of cache) if (v.until <= now.getTime()) cache.delete(k);
    if (cache.size >= MAX_CACHED_ORGS) cache.delete(cache.keys().next().value!);
  }
  const value = computeInForce(db, orgId, zone, now);
  cache.set(key, { until: now.getTime() + CACHE_MS, value });
  value.catch(() => cache.delete(key));
  return value;
}

function periodFigure(view: KpiTargetView, period: Period): P.PeriodFigure {
  const v = view.values.find((x) => x.period === period.key);
  return { period: period.key, firstDay: period.firstDay, lastDay: period.lastDay, figure: v?.figure ?? null, met: v?.met ?? null };
}

/**
 * The figures the public page shows, by target reference: only the chosen targets in force that are measured.
 * No figure is read when nothing is chosen.
 */
export async function publishedFigures(db: Executor, org: { id: string; timeZone: string }, now: Date): Promise<Map<string, P.PublicFigure>> {
  const { settings } = await readPublicFigures(db, org.id);
  const out = new Map<string, P.PublicFigure>();
  if (settings.targetKeys.length === 0) return out;
  const inForce = await cachedInForce(db, org.id, org.timeZone, now);
  for (const ref of settings.targetKeys) {
    const t = inForce.targets.get(ref);
    if (!t || t.month.indicator === null || t.month.unmeasured !== null) continue;
    out.set(ref, {
      targetKey: t.month.key, indicator: t.month.indicator, comparator: t.month.comparator, threshold: t.month.threshold, unit: t.month.unit,
      month: periodFigure(t.month, inForce.month), quarter: periodFigure(t.quarter, inForce.quarter),
    });
  }
  return out;
}

async function viewOf(db: Executor, orgId: string, now: Date): Promise<P.PublicFiguresView> {
  const [{ settings, updatedAt }, zone] = await Promise.all([readPublicFigures(db, orgId), zoneOf(db, orgId)]);
  const inForce = await computeInForce(db, orgId, zone, now);
  const chosen = new Set(settings.targetKeys);
  const targets: P.PublicFigureChoice[] = [...inForce.targets].map(([ref, { month, quarter }]) => ({
    ref, commitmentNumber: month.commitmentNumber, commitmentTitle: month.commitmentTitle, key: month.key, name: month.name, kind: month.kind,
    indicator: month.indicator, unmeasured: month.unmeasured, comparator: month.comparator, threshold: month.threshold, unit: month.unit,
    published: chosen.has(ref) && month.indicator !== null && month.unmeasured === null,
    month: periodFigure(month, inForce.month), quarter: periodFigure(quarter, inForce.quarter),
  }));
  return { timeZone: inForce.timeZone, targetKeys: settings.targetKeys, targets, updatedAt: updatedAt?.toISOString() ?? null };
}

/** The targets in force, which are published, and the figures they show (commitment.read). */
export async function getPublicFigures(ctx: Ctx): Promise<P.PublicFiguresView> {
  authorize(ctx, 'commitment.read');
  return viewOf(ctx.app.database.db, ctx.orgId, ctx.now());
}

/**
 * Chooses the published figures (org.update, like the rest of the public page). Every reference must be a measured
 * target of a commitment in force; an unknown or unmeasurable one is refused (validation_failed, with the refs).
 */
export async function updatePublicFigures(ctx: Ctx, input: unknown): Promise<P.PublicFiguresView> {
  authorize(ctx, 'org.update');
  const data = parse(P.PublicFiguresInput, input);
  const db = ctx.app.database.db;
  const inForce = await computeInForce(db, ctx.orgId, await zoneOf(db, ctx.orgId), ctx.now());
  const refs = [...new Set(data.targetKeys)];
  const invalid = refs.filter((ref) => {
    const t = inForce.targets.get(ref);
    return !t || t.month.indicator === null || t.month.unmeasured !== null;
  });
  if (invalid.length > 0) {
    throw new AppError('validation_failed', { summary: `targetKeys: not a measured target in force: ${invalid.join(', ')}` }, { field: 'targetKeys', invalid });
  }
  await transact(ctx, async (t) => {
    const { settings: before } = await readPublicFigures(t.tx, t.orgId);
    const after: P.PublicFiguresSettings = { targetKeys: refs };
    await writeSectionTx(t, after);
    await audit(t, { action: 'commitment.public_figures', entityType: 'commitment_settings', entityId: t.orgId, before: { ...before }, after: { ...after } });
    await t.emit('commitment.public_figures_updated', { entityType: 'commitment_settings', entityId: t.orgId, data: { targetKeys: refs } });
  });
  return viewOf(db, ctx.orgId, ctx.now());
}
