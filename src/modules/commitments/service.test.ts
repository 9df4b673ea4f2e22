import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { buildOrg, buildStaff, type TestOrg } from '../../test/harness.js';
import { publicConfirm, publicPage, publicSubscribe, publicUnsubscribe } from './public.js';
import * as S from './service.js';

const firstResponse = (duration: string) => ({
  kind: 'time_limit' as const, key: 'first-response', name: { 'zh-CN': '首次响应', 'en-US': 'First response' },
  start: 'request.registered' as const, stop: 'first_response' as const, duration,
});

async function people(org: TestOrg) {
  return {
    admin: await buildStaff(org, 'admin'),
    manager: await buildStaff(org, 'manager', { scope: 'organization' }),
    supervisor: await buildStaff(org, 'supervisor', { scope: 'organization' }),
    agent: await buildStaff(org, 'agent'),
    auditor: await buildStaff(org, 'auditor'),
  };
}

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

async function draft(org: TestOrg, who: Awaited<ReturnType<typeof people>>, number = 'FW-2026-001') {
  return S.createCommitment(who.manager.ctx, { number, title: '用户服务高效响应承诺书', bodyZh: '# 承诺\n首次响应不超过 5 分钟。', targets: [firstResponse('PT5M')] });
}

async function approveAll(who: Awaited<ReturnType<typeof people>>, versionId: string) {
  await S.submitForReview(who.manager.ctx, versionId);
  await S.decideStep(who.supervisor.ctx, versionId, 'internal_evaluation', { decision: 'approved', comment: '符合要求' });
  await S.decideStep(who.manager.ctx, versionId, 'joint_meeting', { decision: 'approved', comment: '联席会议通过', attachments: [{ name: '会议纪要.pdf', url: 'https://files.example.cn/minutes.pdf' }] });
  return S.decideStep(who.admin.ctx, versionId, 'decision_body', { decision: 'approved' });
}

describe('approval workflow', () => {
  it('goes internal evaluation → joint meeting → decision body → publication, each by its own role', async () => {
    const org = await buildOrg();
    const who = await people(org);
    const v = await draft(org, who);
    expect(v).toMatchObject({ status: 'draft', version: 1, nextStep: null });
    const inReview = await S.submitForReview(who.manager.ctx, v.id);
    expect(inReview).toMatchObject({ status: 'in_review', nextStep: 'internal_evaluation' });
    // Only the roles of a step may decide it.
    expect(await codeOf(S.decideStep(who.agent.ctx, v.id, 'internal_evaluation', { decision: 'approved' }))).toBe('forbidden');
    expect(await codeOf(S.decideStep(who.auditor.ctx, v.id, 'internal_evaluation', { decision: 'approved' }))).toBe('forbidden');
    // Steps go in order.
    expect(await codeOf(S.decideStep(who.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' }))).toBe('commitment.wrong_step');
    await S.decideStep(who.supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
    expect(await codeOf(S.decideStep(who.supervisor.ctx, v.id, 'joint_meeting', { decision: 'approved' }))).toBe('forbidden');
    await S.decideStep(who.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
    expect(await codeOf(S.decideStep(who.manager.ctx, v.id, 'decision_body', { decision: 'approved' }))).toBe('forbidden');
    // Publication needs the decision body's approval first.
    expect(await codeOf(S.publishVersion(who.admin.ctx, v.id))).toBe('commitment.not_approved');
    const approved = await S.decideStep(who.admin.ctx, v.id, 'decision_body', { decision: 'approved' });
    expect(approved.status).toBe('approved');
    expect(approved.approvals.map((a) => [a.step, a.actorId])).toEqual([
      ['internal_evaluation', who.supervisor.staff.id],
      ['joint_meeting', who.manager.staff.id],
      ['decision_body', who.admin.staff.id],
    ]);
    expect(await codeOf(S.publishVersion(who.manager.ctx, v.id))).toBe('forbidden');
    const published = await S.publishVersion(who.admin.ctx, v.id);
    expect(published.status).toBe('published');
  });

  it('a rejection returns the draft; the next submission is a new round', async () => {
    const org = await buildOrg();
    const who = await people(org);
    const v = await draft(org, who);
    await S.submitForReview(who.manager.ctx, v.id);
    await S.decideStep(who.supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
    const rejected = await S.decideStep(who.manager.ctx, v.id, 'joint_meeting', { decision: 'rejected', comment: '投诉处理时限需与法规一致' });
    expect(rejected).toMatchObject({ status: 'draft', nextStep: null });
    await S.updateDraft(who.manager.ctx, v.id, { targets: [firstResponse('PT3M')] });
    const again = await S.submitForReview(who.manager.ctx, v.id);
    expect(again.nextStep).toBe('internal_evaluation');
    expect(again.approvals.map((a) => a.round)).toEqual([1, 1]);
  });

  it('one person decides at most one step of a round', async () => {
    const org = await buildOrg();
    const who = await people(org);
    const v = await draft(org, who);
    await S.submitForReview(who.manager.ctx, v.id);
    await S.decideStep(who.admin.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
    await S.decideStep(who.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
    expect(await codeOf(S.decideStep(who.admin.ctx, v.id, 'decision_body', { decision: 'approved' }))).toBe('commitment.same_approver');
  });

  it('refuses an incomplete draft and bad targets', async () => {
    const org = await buildOrg();
    const who = await people(org);
    const v = await S.createCommitment(who.manager.ctx, { number: 'EMPTY-1', title: '空承诺' });
    expect(await codeOf(S.submitForReview(who.manager.ctx, v.id))).toBe('commitment.incomplete');
    expect(await codeOf(S.updateDraft(who.manager.ctx, v.id, { targets: [firstResponse('P1W')] }))).toBe('calendar.invalid_duration');
    expect(await codeOf(S.updateDraft(who.manager.ctx, v.id, { targets: [firstResponse('PT5M'), firstResponse('PT6M')] }))).toBe('validation_failed');
    expect(await codeOf(S.createCommitment(who.manager.ctx, { number: 'EMPTY-1', title: '重复编号' }))).toBe('conflict.code_taken');
  });
});

describe('versions', () => {
  it('published versions are immutable; a new version is a copy with its trigger, and publishing it supersedes the old', async () => {
    const org = await buildOrg();
    const who = await people(org);
    const v1 = await draft(org, who);
    await approveAll(who, v1.id);
    await S.publishVersion(who.admin.ctx, v1.id);
    expect(await codeOf(S.updateDraft(who.manager.ctx, v1.id, { title: '改标题' }))).toBe('commitment.not_editable');
    const v2 = await S.startNewVersion(who.manager.ctx, v1.commitmentId, { trigger: 'concentrated_complaints', summary: '首次响应时限由 5 分钟缩短为 3 分钟' });
    expect(v2).toMatchObject({ version: 2, status: 'draft', changeTrigger: 'concentrated_complaints', targets: v1.targets, bodyZh: v1.bodyZh });
    expect(await codeOf(S.startNewVersion(who.manager.ctx, v1.commitmentId, { trigger: 'emergency', summary: 'x' }))).toBe('commitment.open_draft_exists');
    await S.updateDraft(who.manager.ctx, v2.id, { targets: [firstResponse('PT3M')] });
    await approveAll(who, v2.id);
    await S.publishVersion(who.admin.ctx, v2.id);
    const versions = await S.listVersions(who.agent.ctx, v1.commitmentId);
    expect(versions.map((v) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'superseded']]);
    const summary = (await S.listCommitments(who.agent.ctx))[0]!;
    expect(summary.inForce?.version).toBe(2);
  });

  it('a request keeps the version in force when it was registered', async () => {
    const org = await buildOrg();
    const who = await people(org);
    const v1 = await draft(org, who);
    await approveAll(who, v1.id);
    await S.publishVersion(who.admin.ctx, v1.id);
    // A request registered now pins the versions in force.
    const pinned = (await S.versionsInForce(org.app.database.db, org.orgId)).map((v) => v.id);
    const v2 = await S.startNewVersion(who.manager.ctx, v1.commitmentId, { trigger: 'law_or_regulation', summary: '新规要求 3 分钟' });
    await S.updateDraft(who.manager.ctx, v2.id, { targets: [firstResponse('PT3M')] });
    await approveAll(who, v2.id);
    await S.publishVersion(who.admin.ctx, v2.id);
    const facts = { type: 'consultation', priority: 'general', channel: 'phone' };
    const old = await S.matchRequest(who.agent.ctx, facts, { pinnedVersionIds: pinned, localDate: '2026-03-02' });
    const now = await S.matchRequest(who.agent.ctx, facts, { localDate: '2026-03-02' });
    expect(old.map((m) => [m.version.version, m.target.kind === 'time_limit' && m.target.duration])).toEqual([[1, 'PT5M']]);
    expect(now.map((m) => [m.version.version, m.target.kind === 'time_limit' && m.target.duration])).toEqual([[2, 'PT3M']]);
  });
});

describe('notices and the public page', () => {
  it('publishing writes a notice, e-mails confirmed subscribers through the outbox, and shows on the public page', async () => {
    const org = await buildOrg();
    const who = await people(org);
    await publicSubscribe(org.app, org.code, { email: 'resident@example.cn' }, 'zh-CN', '10.0.0.9', null);
    await publicSubscribe(org.app, org.code, { email: 'Resident@example.cn' }, 'zh-CN', '10.0.0.9', null); // one subscription per address
    await publicSubscribe(org.app, org.code, { email: 'never-confirms@example.cn', locale: 'en-US' }, 'en-US', '10.0.0.9', null);
    const mailsTo = async () =>
      (await org.app.database.db.select().from(outbox).where(and(eq(outbox.orgId, org.orgId), eq(outbox.kind, 'email'))).orderBy(asc(outbox.id))).map((m) => m.payload as { to: string; subject: string; text: string });
    const confirmations = await mailsTo();
    expect(confirmations.map((m) => m.subject)).toEqual([expect.stringContaining('请确认订阅'), expect.stringContaining('请确认订阅'), expect.stringContaining('Please confirm')]);
    const link = new URL(/https?:\/\/\S+/.exec(confirmations[0]!.text)![0]);
    expect(await codeOf(publicConfirm(org.app, org.code, link.searchParams.get('id')!, 'forged', 'zh-CN', null, null))).toBe('not_found');
    await publicConfirm(org.app, org.code, link.searchParams.get('id')!, link.searchParams.get('token')!, 'zh-CN', null, null);

    const v1 = await draft(org, who);
    let page = await publicPage(org.app, org.code, 'zh-CN');
    expect(page.commitments).toHaveLength(0); // drafts are not public
    await approveAll(who, v1.id);
    await S.publishVersion(who.admin.ctx, v1.id);
    const v2 = await S.startNewVersion(who.manager.ctx, v1.commitmentId, { trigger: 'service_model_change', summary: '新增线上渠道承诺' });
    await approveAll(who, v2.id);
    await S.publishVersion(who.admin.ctx, v2.id, { notice: { title: '关于调整服务承诺的公告', body: '自即日起新增线上渠道承诺。' } });
    const notices = await S.listNotices(who.agent.ctx);
    expect(notices.map((n) => n.title)).toEqual(['关于调整服务承诺的公告', expect.stringContaining('发布《用户服务高效响应承诺书》')]);
    expect(notices[0]!.trigger).toBe('service_model_change');
    const noticeMails = (await mailsTo()).slice(3);
    // Only the confirmed address receives notices.
    expect(noticeMails.map((m) => m.to)).toEqual(['resident@example.cn', 'resident@example.cn']);
    expect(noticeMails[1]!.subject).toContain('关于调整服务承诺的公告');
    const unsubscribeLink = new URL(/https?:\/\/\S+unsubscribe\S+/.exec(noticeMails[1]!.text)![0]);
    await publicUnsubscribe(org.app, org.code, unsubscribeLink.searchParams.get('id')!, unsubscribeLink.searchParams.get('token')!, 'zh-CN', null, null);
    page = await publicPage(org.app, org.code, 'zh-CN');
    expect(page.commitments.map((c) => [c.number, c.version])).toEqual([['FW-2026-001', 2]]);
    expect(page.notices).toHaveLength(2);
    expect(page.organization.name).toContain('测试组织');
    const english = await publicPage(org.app, org.code, 'en-US');
    expect(english.notices[1]!.title).toBe(`${page.organization.name} publishes its service commitment FW-2026-001`);
    expect(english.notices[0]!.title).toBe('关于调整服务承诺的公告'); // a custom notice given only in Chinese stays Chinese
  });
});
