/**
 * Commitments: drafts, versions, the approval procedure (internal evaluation → joint departmental meeting →
 * decision body → publication), user notices, and the targets in force for a request.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { audit } from '../../core/audit.js';
import { transact, type Ctx, type TxCtx } from '../../core/context.js';
import { signValue } from '../../core/crypto.js';
import type { Executor } from '../../core/db/client.js';
import { isUniqueViolation } from '../../core/db/errors.js';
import { AppError } from '../../core/errors.js';
import { enqueue } from '../../core/outbox.js';
import { authorize, type Permission } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import { calendars } from '../calendars/schema.js';
import { parseDurationOrFail } from '../calendars/service.js';
import { branches, departments, organizations, staff } from '../org/schema.js';
import * as C from './contracts.js';
import { matchTargets, type TargetMatch, type VersionForMatching } from './matching.js';
import { commitmentApprovals, commitments, commitmentVersions, notices, noticeSubscriptions } from './schema.js';

type VersionRow = typeof commitmentVersions.$inferSelect;
type ApprovalRow = typeof commitmentApprovals.$inferSelect;

export const STEPS: readonly C.ApprovalStep[] = ['internal_evaluation', 'joint_meeting', 'decision_body'];
/** Who may decide each step (see the role matrix in core/policy.ts). */
export const STEP_PERMISSION: Record<C.ApprovalStep, Permission> = {
  internal_evaluation: 'commitment.evaluate',
  joint_meeting: 'commitment.meeting',
  decision_body: 'commitment.decide',
};

const EDITABLE: readonly string[] = ['draft'];

// ---------- presenting ----------

function nextStepOf(row: VersionRow, approvals: readonly ApprovalRow[]): C.ApprovalStep | null {
  if (row.status !== 'in_review') return null;
  const approved = new Set(approvals.filter((a) => a.round === row.round && a.decision === 'approved').map((a) => a.step));
  return STEPS.find((s) => !approved.has(s)) ?? null;
}

async function approvalsOf(exec: Executor, versionIds: string[]): Promise<Map<string, ApprovalRow[]>> {
  const map = new Map<string, ApprovalRow[]>(versionIds.map((id) => [id, []]));
  if (versionIds.length === 0) return map;
  const rows = await exec.select().from(commitmentApprovals).where(inArray(commitmentApprovals.versionId, versionIds)).orderBy(asc(commitmentApprovals.decidedAt));
  for (const r of rows) map.get(r.versionId)?.push(r);
  return map;
}

function present(row: VersionRow, number: string, approvals: ApprovalRow[]): C.Version {
  return {
    id: row.id, commitmentId: row.commitmentId, number, version: row.version, status: row.status as C.VersionStatus, title: row.title,
    partyType: row.partyType as C.Version['partyType'], scope: row.scope, responsibleDepartmentId: row.responsibleDepartmentId,
    responsiblePersonId: row.responsiblePersonId, effectiveFrom: row.effectiveFrom, effectiveTo: row.effectiveTo, bodyZh: row.bodyZh,
    bodyEn: row.bodyEn, targets: row.targets, changeTrigger: row.changeTrigger as C.ChangeTrigger, changeSummary: row.changeSummary,
    templateKey: row.templateKey, nextStep: nextStepOf(row, approvals),
    approvals: approvals.map((a) => ({
      id: a.id, step: a.step as C.ApprovalStep, decision: a.decision as 'approved' | 'rejected', comment: a.comment, attachments: a.attachments,
      actorId: a.actorId, actorName: a.actorName, decidedAt: a.decidedAt.toISOString(), round: a.round,
    })),
    publishedAt: row.publishedAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

async function view(exec: Executor, row: VersionRow): Promise<C.Version> {
  const [c] = await exec.select({ number: commitments.number }).from(commitments).where(eq(commitments.id, row.commitmentId));
  return present(row, c?.number ?? '', (await approvalsOf(exec, [row.id])).get(row.id) ?? []);
}

async function loadVersion(exec: Executor, ctx: Ctx, id: string, lock = false): Promise<VersionRow> {
  const q = exec.select().from(commitmentVersions).where(and(eq(commitmentVersions.id, id), eq(commitmentVersions.orgId, ctx.orgId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new AppError('not_found', { entity: 'version' });
  return row;
}

// ---------- validation of content that refers to other records ----------

async function checkReferences(t: TxCtx, content: Partial<C.VersionContent>) {
  const inOrg = async (table: typeof branches | typeof departments | typeof staff | typeof calendars, ids: string[], entity: string, field: string) => {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await t.tx.select({ id: table.id }).from(table).where(and(eq(table.orgId, t.orgId), inArray(table.id, unique)));
    if (found.length !== unique.length) throw new AppError('org.invalid_reference', { entity }, { field });
  };
  if (content.scope) {
    await inOrg(branches, content.scope.branchIds, 'branch', 'scope.branchIds');
    await inOrg(departments, content.scope.departmentIds, 'department', 'scope.departmentIds');
  }
  if (content.responsibleDepartmentId) await inOrg(departments, [content.responsibleDepartmentId], 'department', 'responsibleDepartmentId');
  if (content.responsiblePersonId) await inOrg(staff, [content.responsiblePersonId], 'staff', 'responsiblePersonId');
  if (content.targets) {
    const keys = new Set<string>();
    for (const [i, target] of content.targets.entries()) {
      if (keys.has(target.key)) throw new AppError('validation_failed', { summary: `targets[${i}].key: "${target.key}" is used twice` }, { issues: [{ path: `targets.${i}.key`, code: 'duplicate', message: 'duplicate key' }] });
      keys.add(target.key);
      if (target.kind === 'time_limit') {
        parseDurationOrFail(target.duration);
        if (target.remedy) parseDurationOrFail(target.remedy.duration);
      }
    }
    await inOrg(calendars, content.targets.flatMap((x) => (x.kind === 'time_limit' && x.calendarId ? [x.calendarId] : [])), 'calendar', 'targets.calendarId');
  }
  if (content.effectiveFrom && content.effectiveTo && content.effectiveTo < content.effectiveFrom) {
    throw new AppError('validation_failed', { summary: 'effectiveTo: before effectiveFrom' }, { issues: [{ path: 'effectiveTo', code: 'too_small', message: 'before effectiveFrom' }] });
  }
}

// ---------- commands ----------

/** Creates a commitment with its first version as a draft. */
export async function createCommitment(ctx: Ctx, input: unknown, templateKey: string | null = null) {
  authorize(ctx, 'commitment.edit');
  const data = parse(C.CommitmentCreate, input);
  try {
    return await transact(ctx, async (t) => {
      await checkReferences(t, data);
      const now = t.now();
      const [c] = await t.tx.insert(commitments).values({ orgId: t.orgId, number: data.number, createdAt: now, updatedAt: now }).returning();
      const { number: _number, ...content } = data;
      const [row] = await t.tx
        .insert(commitmentVersions)
        .values({ orgId: t.orgId, commitmentId: c!.id, version: 1, status: 'draft', ...content, changeTrigger: 'initial', templateKey, createdAt: now, updatedAt: now })
        .returning();
      const v = present(row!, c!.number, []);
      await audit(t, { action: 'commitment.create', entityType: 'commitment', entityId: c!.id, after: { number: c!.number, title: v.title, version: 1, targets: v.targets.length, templateKey } });
      await t.emit('commitment.created', { entityType: 'commitment', entityId: c!.id });
      return v;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'commitments_org_number_uq')) throw new AppError('conflict.code_taken', { code: data.number });
    throw e;
  }
}

/** Edits a draft. Published versions are immutable; a version in review must be returned first. */
export async function updateDraft(ctx: Ctx, versionId: string, input: unknown) {
  authorize(ctx, 'commitment.edit');
  const data = parse(C.VersionUpdate, input);
  return transact(ctx, async (t) => {
    const row = await loadVersion(t.tx, t, versionId, true);
    if (!EDITABLE.includes(row.status)) throw new AppError('commitment.not_editable', { status: row.status });
    await checkReferences(t, data);
    const [updated] = await t.tx.update(commitmentVersions).set({ ...data, updatedAt: t.now() }).where(eq(commitmentVersions.id, versionId)).returning();
    const summary = (r: VersionRow) => ({ title: r.title, scope: r.scope, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo, targets: r.targets, bodyZhLength: r.bodyZh.length });
    await audit(t, { action: 'commitment.update_draft', entityType: 'commitment_version', entityId: versionId, before: summary(row), after: summary(updated!) });
    await t.emit('commitment.draft_updated', { entityType: 'commitment_version', entityId: versionId });
    return view(t.tx, updated!);
  });
}

/** What a draft still lacks before it can be submitted: codes worded by i18n (body, targets). */
function completeness(row: VersionRow): string[] {
  const missing: string[] = [];
  if (row.bodyZh.trim() === '') missing.push('body');
  if (row.targets.length === 0) missing.push('targets');
  return missing;
}

/** Sends a draft into the approval procedure (a new round starts at internal evaluation). */
export async function submitForReview(ctx: Ctx, versionId: string) {
  authorize(ctx, 'commitment.edit');
  return transact(ctx, async (t) => {
    const row = await loadVersion(t.tx, t, versionId, true);
    if (row.status !== 'draft') throw new AppError('commitment.not_editable', { status: row.status });
    const missing = completeness(row);
    if (missing.length) throw new AppError('commitment.incomplete', { missing: missing.join(',') }, { missing });
    const [updated] = await t.tx.update(commitmentVersions).set({ status: 'in_review', round: row.round + 1, submittedAt: t.now(), updatedAt: t.now() }).where(eq(commitmentVersions.id, versionId)).returning();
    await audit(t, { action: 'commitment.submit', entityType: 'commitment_version', entityId: versionId, before: { status: row.status }, after: { status: 'in_review', round: row.round + 1 } });
    await t.emit('commitment.submitted', { entityType: 'commitment_version', entityId: versionId });
    return view(t.tx, updated!);
  });
}

/**
 * Takes a version out of review and back to draft (say, when the people of a step are not available, or the
 * text must change before a decision). The decisions of the round stay on record.
 */
export async function withdrawFromReview(ctx: Ctx, versionId: string, input: unknown) {
  authorize(ctx, 'commitment.edit');
  const { comment } = parse(C.Withdraw, input);
  return transact(ctx, async (t) => {
    const row = await loadVersion(t.tx, t, versionId, true);
    if (row.status !== 'in_review' && row.status !== 'approved') throw new AppError('commitment.not_in_review', { status: row.status });
    const [updated] = await t.tx.update(commitmentVersions).set({ status: 'draft', updatedAt: t.now() }).where(eq(commitmentVersions.id, versionId)).returning();
    await audit(t, { action: 'commitment.withdraw', entityType: 'commitment_version', entityId: versionId, before: { status: row.status }, after: { status: 'draft', comment } });
    await t.emit('commitment.withdrawn', { entityType: 'commitment_version', entityId: versionId });
    return view(t.tx, updated!);
  });
}

/**
 * Records the decision of one approval step. Only holders of the step's permission decide it, one person
 * decides at most one step per round, and a rejection returns the version to draft.
 */
export async function decideStep(ctx: Ctx, versionId: string, step: C.ApprovalStep, input: unknown) {
  const data = parse(C.Decision, input);
  authorize(ctx, STEP_PERMISSION[step]);
  return transact(ctx, async (t) => {
    const row = await loadVersion(t.tx, t, versionId, true);
    if (row.status !== 'in_review') throw new AppError('commitment.not_in_review', { status: row.status });
    const approvals = (await approvalsOf(t.tx, [row.id])).get(row.id) ?? [];
    const expected = nextStepOf(row, approvals);
    if (expected !== step) throw new AppError('commitment.wrong_step', { expected: expected ?? '', step });
    const actorId = t.actor.kind === 'staff' ? t.actor.id : null;
    const mine = approvals.find((a) => a.round === row.round && actorId !== null && a.actorId === actorId);
    if (mine) throw new AppError('commitment.same_approver', { step: mine.step });
    const now = t.now();
    await t.tx.insert(commitmentApprovals).values({
      orgId: t.orgId, versionId, round: row.round, step, decision: data.decision, comment: data.comment, attachments: data.attachments,
      actorId, actorName: t.actor.name, decidedAt: now,
    });
    const status = data.decision === 'rejected' ? 'draft' : step === 'decision_body' ? 'approved' : 'in_review';
    const [updated] = await t.tx.update(commitmentVersions).set({ status, updatedAt: now }).where(eq(commitmentVersions.id, versionId)).returning();
    await audit(t, { action: `commitment.${data.decision === 'approved' ? 'approve' : 'reject'}`, entityType: 'commitment_version', entityId: versionId, before: { status: row.status }, after: { status, step, comment: data.comment } });
    await t.emit(`commitment.step_${data.decision}`, { entityType: 'commitment_version', entityId: versionId, data: { step } });
    return view(t.tx, updated!);
  });
}

function defaultNotice(row: VersionRow, number: string, orgName: string) {
  const from = row.effectiveFrom;
  if (row.version === 1) {
    return {
      title: `${orgName}发布《${row.title}》（${number}）`,
      body: `${orgName}正式发布《${row.title}》，承诺书编号 ${number}${from ? `，自 ${from} 起施行` : ''}。欢迎社会各界监督。`,
      titleEn: `${orgName} publishes its service commitment ${number}`,
      bodyEn: `${orgName} has published the service commitment "${row.title}" (${number})${from ? `, in force from ${from}` : ''}. Everyone is welcome to hold us to it.`,
    };
  }
  return {
    title: `关于调整《${row.title}》的公告`,
    body: `${orgName}对《${row.title}》（${number}）进行了调整，第 ${row.version} 版${from ? `自 ${from} 起施行` : '自发布之日起施行'}。\n\n调整说明：${row.changeSummary ?? ''}`,
    titleEn: `Notice of changes to service commitment ${number}`,
    bodyEn: `${orgName} has changed the service commitment "${row.title}" (${number}); version ${row.version} is in force ${from ? `from ${from}` : 'from today'}.\n\nWhat changes (in Chinese): ${row.changeSummary ?? ''}`,
  };
}

/**
 * Publishes an approved version: it becomes the version in force, the previous one is superseded, and a
 * user notice (公告) is published and e-mailed through the outbox to every subscriber.
 */
export async function publishVersion(ctx: Ctx, versionId: string, input: unknown = {}) {
  authorize(ctx, 'commitment.publish');
  const data = parse(C.Publish, input);
  return transact(ctx, async (t) => {
    const row = await loadVersion(t.tx, t, versionId, true);
    if (row.status !== 'approved') throw new AppError('commitment.not_approved', { status: row.status });
    const now = t.now();
    const [previous] = await t.tx
      .update(commitmentVersions)
      .set({ status: 'superseded', supersededAt: now, updatedAt: now })
      .where(and(eq(commitmentVersions.commitmentId, row.commitmentId), eq(commitmentVersions.status, 'published')))
      .returning({ id: commitmentVersions.id, version: commitmentVersions.version });
    const [updated] = await t.tx
      .update(commitmentVersions)
      .set({ status: 'published', publishedAt: now, publishedBy: t.actor.kind === 'staff' ? t.actor.id : null, updatedAt: now })
      .where(eq(commitmentVersions.id, versionId))
      .returning();
    await t.tx.update(commitments).set({ updatedAt: now }).where(eq(commitments.id, row.commitmentId));
    const [c] = await t.tx.select().from(commitments).where(eq(commitments.id, row.commitmentId));
    const [org] = await t.tx.select().from(organizations).where(eq(organizations.id, t.orgId));
    const notice = data.notice ?? defaultNotice(row, c!.number, org!.name);
    const [n] = await t.tx
      .insert(notices)
      .values({
        orgId: t.orgId, commitmentId: row.commitmentId, versionId, title: notice.title, body: notice.body, titleEn: notice.titleEn ?? null,
        bodyEn: notice.bodyEn ?? null, trigger: row.changeTrigger, publishedAt: now, createdAt: now,
      })
      .returning();
    const subscribers = await t.tx
      .select()
      .from(noticeSubscriptions)
      .where(and(eq(noticeSubscriptions.orgId, t.orgId), isNull(noticeSubscriptions.cancelledAt), isNotNull(noticeSubscriptions.confirmedAt)));
    for (const s of subscribers) {
      await enqueue(t, {
        kind: 'email',
        payload: {
          to: s.email,
          subject: `【${org!.name}】${notice.title}`,
          text: `${notice.body}\n\n——\n${org!.name}\n退订公告邮件 / Unsubscribe: ${subscriptionLink(t, org!.code, 'unsubscribe', s.id)}`,
        },
        dedupeKey: `notice:${n!.id}:${s.id}`,
      });
    }
    await audit(t, { action: 'commitment.publish', entityType: 'commitment_version', entityId: versionId, before: { status: 'approved', superseded: previous?.id ?? null }, after: { status: 'published', noticeId: n!.id, recipients: subscribers.length } });
    await t.emit('commitment.published', { entityType: 'commitment_version', entityId: versionId, data: { commitmentId: row.commitmentId, supersededVersionId: previous?.id ?? null } });
    return view(t.tx, updated!);
  });
}

/** Starts a new version of a published commitment as a copy of the latest version, recording why. */
export async function startNewVersion(ctx: Ctx, commitmentId: string, input: unknown) {
  authorize(ctx, 'commitment.edit');
  const data = parse(C.NewVersion, input);
  return transact(ctx, async (t) => {
    const [c] = await t.tx.select().from(commitments).where(and(eq(commitments.id, commitmentId), eq(commitments.orgId, t.orgId))).for('update');
    if (!c) throw new AppError('not_found', { entity: 'commitment' });
    const versions = await t.tx.select().from(commitmentVersions).where(eq(commitmentVersions.commitmentId, commitmentId)).orderBy(desc(commitmentVersions.version));
    const open = versions.find((v) => ['draft', 'in_review', 'approved'].includes(v.status));
    if (open) throw new AppError('commitment.open_draft_exists', { version: open.version });
    const last = versions[0]!;
    const now = t.now();
    const [row] = await t.tx
      .insert(commitmentVersions)
      .values({
        orgId: t.orgId, commitmentId, version: last.version + 1, status: 'draft', title: last.title, partyType: last.partyType, scope: last.scope,
        responsibleDepartmentId: last.responsibleDepartmentId, responsiblePersonId: last.responsiblePersonId, effectiveFrom: null,
        effectiveTo: last.effectiveTo, bodyZh: last.bodyZh, bodyEn: last.bodyEn, targets: last.targets, changeTrigger: data.trigger,
        changeSummary: data.summary, templateKey: last.templateKey, createdAt: now, updatedAt: now,
      })
      .returning();
    await audit(t, { action: 'commitment.new_version', entityType: 'commitment_version', entityId: row!.id, after: { commitmentId, version: row!.version, trigger: data.trigger, summary: data.summary } });
    await t.emit('commitment.version_started', { entityType: 'commitment_version', entityId: row!.id });
    return present(row!, c.number, []);
  });
}

// ---------- queries ----------

export async function listCommitments(ctx: Ctx): Promise<z.infer<typeof C.CommitmentSummary>[]> {
  authorize(ctx, 'commitment.read');
  const db = ctx.app.database.db;
  const rows = await db.select().from(commitments).where(eq(commitments.orgId, ctx.orgId)).orderBy(asc(commitments.number));
  // The list needs each version's number, status and title, not its letter or targets.
  const versions = rows.length
    ? await db
        .select({
          id: commitmentVersions.id, commitmentId: commitmentVersions.commitmentId, version: commitmentVersions.version,
          status: commitmentVersions.status, title: commitmentVersions.title, publishedAt: commitmentVersions.publishedAt,
        })
        .from(commitmentVersions)
        .where(inArray(commitmentVersions.commitmentId, rows.map((r) => r.id)))
    : [];
  return rows.map((c) => {
    const mine = versions.filter((v) => v.commitmentId === c.id).sort((a, b) => b.version - a.version);
    const inForce = mine.find((v) => v.status === 'published');
    const draft = mine.find((v) => ['draft', 'in_review', 'approved'].includes(v.status));
    return {
      id: c.id, number: c.number, title: (draft ?? inForce ?? mine[0])?.title ?? '',
      inForce: inForce ? { versionId: inForce.id, version: inForce.version, publishedAt: inForce.publishedAt!.toISOString() } : null,
      draft: draft ? { versionId: draft.id, version: draft.version, status: draft.status as C.VersionStatus } : null,
      versions: mine.length, updatedAt: c.updatedAt.toISOString(),
    };
  });
}

export async function listVersions(ctx: Ctx, commitmentId: string): Promise<C.Version[]> {
  authorize(ctx, 'commitment.read');
  const db = ctx.app.database.db;
  const [c] = await db.select().from(commitments).where(and(eq(commitments.id, commitmentId), eq(commitments.orgId, ctx.orgId)));
  if (!c) throw new AppError('not_found', { entity: 'commitment' });
  const rows = await db.select().from(commitmentVersions).where(eq(commitmentVersions.commitmentId, commitmentId)).orderBy(desc(commitmentVersions.version));
  const approvals = await approvalsOf(db, rows.map((r) => r.id));
  return rows.map((r) => present(r, c.number, approvals.get(r.id) ?? []));
}

export async function getVersion(ctx: Ctx, versionId: string): Promise<C.Version> {
  authorize(ctx, 'commitment.read');
  const db = ctx.app.database.db;
  return view(db, await loadVersion(db, ctx, versionId));
}

export async function listNotices(ctx: Ctx) {
  authorize(ctx, 'commitment.read');
  const rows = await ctx.app.database.db.select().from(notices).where(eq(notices.orgId, ctx.orgId)).orderBy(desc(notices.publishedAt));
  return rows.map(presentNotice);
}

export function presentNotice(n: typeof notices.$inferSelect) {
  return {
    id: n.id, commitmentId: n.commitmentId, versionId: n.versionId, title: n.title, body: n.body, titleEn: n.titleEn, bodyEn: n.bodyEn,
    trigger: (n.trigger as C.ChangeTrigger | null) ?? null, publishedAt: n.publishedAt.toISOString(),
  };
}

// ---------- targets in force ----------

function versionForMatching(row: VersionRow, number: string): VersionForMatching {
  return { id: row.id, commitmentId: row.commitmentId, number, version: row.version, title: row.title, scope: row.scope, effectiveFrom: row.effectiveFrom, effectiveTo: row.effectiveTo, targets: row.targets };
}

/** The versions in force in an organization now (published), for matching a new request. */
export async function versionsInForce(exec: Executor, orgId: string): Promise<VersionForMatching[]> {
  const rows = await exec
    .select({ v: commitmentVersions, number: commitments.number })
    .from(commitmentVersions)
    .innerJoin(commitments, eq(commitments.id, commitmentVersions.commitmentId))
    .where(and(eq(commitmentVersions.orgId, orgId), eq(commitmentVersions.status, 'published')))
    .orderBy(asc(commitments.number));
  return rows.map((r) => versionForMatching(r.v, r.number));
}

/** Specific versions (those pinned on a request when it was registered), whatever their status now. */
export async function versionsById(exec: Executor, orgId: string, ids: readonly string[]): Promise<VersionForMatching[]> {
  if (ids.length === 0) return [];
  const rows = await exec
    .select({ v: commitmentVersions, number: commitments.number })
    .from(commitmentVersions)
    .innerJoin(commitments, eq(commitments.id, commitmentVersions.commitmentId))
    .where(and(eq(commitmentVersions.orgId, orgId), inArray(commitmentVersions.id, [...ids])));
  return rows.map((r) => versionForMatching(r.v, r.number));
}

/**
 * The explained match of a request against commitment versions: the pinned ones when given (a request keeps
 * the versions in force when it was registered), else those in force now.
 */
export async function matchRequest(ctx: Ctx, factsInput: unknown, options: { pinnedVersionIds?: readonly string[]; localDate: string }): Promise<TargetMatch[]> {
  authorize(ctx, 'commitment.read');
  const facts = parse(C.RequestFacts, factsInput);
  const db = ctx.app.database.db;
  const versions = options.pinnedVersionIds ? await versionsById(db, ctx.orgId, options.pinnedVersionIds) : await versionsInForce(db, ctx.orgId);
  return matchTargets(versions, facts, options.localDate);
}

// ---------- notice subscriptions ----------

function subscriptionLink(ctx: Ctx, orgCode: string, purpose: 'confirm' | 'unsubscribe', id: string): string {
  return `${ctx.app.config.publicUrl}/api/v1/public/${encodeURIComponent(orgCode)}/${purpose}?id=${id}&token=${signValue(ctx.app.keys, purpose, id)}`;
}

/**
 * Asks to receive notices by e-mail (double opt-in): the address gets a confirmation link, and notices go
 * to it only once the link was followed. Asking again re-sends the link; nothing says whether the address
 * was known (no address oracle).
 */
export async function subscribeToNotices(ctx: Ctx, email: string, locale: 'zh-CN' | 'en-US', customerId: string | null = null) {
  return transact(ctx, async (t) => {
    const now = t.now();
    const normalized = email.trim();
    await t.tx.insert(noticeSubscriptions).values({ orgId: t.orgId, email: normalized, customerId, locale, createdAt: now }).onConflictDoNothing();
    const [row] = await t.tx
      .select()
      .from(noticeSubscriptions)
      .where(and(eq(noticeSubscriptions.orgId, t.orgId), sql`lower(${noticeSubscriptions.email}) = lower(${normalized})`));
    const [org] = await t.tx.select().from(organizations).where(eq(organizations.id, t.orgId));
    if (row && (!row.confirmedAt || row.cancelledAt)) {
      const link = subscriptionLink(t, org!.code, 'confirm', row.id);
      const zh = locale === 'zh-CN';
      await enqueue(t, {
        kind: 'email',
        payload: {
          to: row.email,
          subject: zh ? `【${org!.name}】请确认订阅服务公告` : `[${org!.name}] Please confirm your subscription to notices`,
          text: zh
            ? `您好！\n\n有人（可能是您）希望用本邮箱接收${org!.name}的服务公告。如确认订阅，请打开以下链接：\n${link}\n\n如非本人操作，请忽略本邮件。`
            : `Hello,\n\nSomeone (probably you) asked to receive ${org!.name}'s service notices at this address. To confirm, open:\n${link}\n\nIf this was not you, ignore this e-mail.`,
        },
      });
      await audit(t, { action: 'notice.subscribe', entityType: 'notice_subscription', entityId: row.id, after: { customerId, confirmed: false } });
    }
    return { subscribed: true as const, confirmationRequired: true as const };
  });
}

/** Confirms a subscription from the link in the confirmation e-mail. */
export async function confirmSubscription(ctx: Ctx, id: string, token: string) {
  if (token !== signValue(ctx.app.keys, 'confirm', id)) throw new AppError('not_found', { entity: 'record' });
  return transact(ctx, async (t) => {
    const [row] = await t.tx
      .update(noticeSubscriptions)
      .set({ confirmedAt: t.now(), cancelledAt: null })
      .where(and(eq(noticeSubscriptions.id, id), eq(noticeSubscriptions.orgId, t.orgId)))
      .returning({ id: noticeSubscriptions.id });
    if (!row) throw new AppError('not_found', { entity: 'record' });
    await audit(t, { action: 'notice.confirm', entityType: 'notice_subscription', entityId: id });
    return { confirmed: true as const };
  });
}

/** Ends a subscription from the link in a notice e-mail. */
export async function unsubscribe(ctx: Ctx, id: string, token: string) {
  if (token !== signValue(ctx.app.keys, 'unsubscribe', id)) throw new AppError('not_found', { entity: 'record' });
  return transact(ctx, async (t) => {
    const [row] = await t.tx
      .update(noticeSubscriptions)
      .set({ cancelledAt: t.now() })
      .where(and(eq(noticeSubscriptions.id, id), eq(noticeSubscriptions.orgId, t.orgId), isNull(noticeSubscriptions.cancelledAt)))
      .returning({ id: noticeSubscriptions.id });
    if (row) await audit(t, { action: 'notice.unsubscribe', entityType: 'notice_subscription', entityId: id });
    return { unsubscribed: true as const };
  });
}
