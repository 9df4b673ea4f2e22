import { describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { buildStaff } from '../../test/harness.js';
import { buildDesk } from '../../test/desk.js';
import * as commitments from '../commitments/service.js';
import * as R from '../requests/service.js';
import { recordEvaluationTx } from './evaluations.js';
import { campaigns, evaluations } from './schema.js';
import { listEvaluations, satisfaction } from './satisfaction-queries.js';
import { answerSurvey, issueSurveyTx, nextSurveyDuty, publicSurvey } from './surveys.js';
import { eq } from 'drizzle-orm';

const visitor = { locale: 'en-US' as const, ip: null, requestId: null };

describe('satisfaction with the commitment in force', () => {
  it('takes the weights of a published satisfaction target; pending verification is out of personal figures only; excluded out everywhere', async () => {
    const desk = await buildDesk();
    const v = await commitments.createCommitment(desk.manager.ctx, {
      number: `S-${desk.org.code}`, title: '满意度承诺', bodyZh: '正文',
      targets: [{ kind: 'rate', key: 'satisfaction', name: { 'zh-CN': '满意度' }, metric: 'satisfaction_score', period: 'quarter', comparator: '>=', threshold: 4.5, scale: 5, weights: { survey: 20, callback: 80 } }],
    });
    await commitments.submitForReview(desk.manager.ctx, v.id);
    await commitments.decideStep(desk.supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
    await commitments.decideStep(desk.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
    await commitments.decideStep(desk.admin.ctx, v.id, 'decision_body', { decision: 'approved' });
    await commitments.publishVersion(desk.admin.ctx, v.id);

    const r = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: 'x', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
    const [, , bad, appealed] = await transact(desk.org.system, async (t) => [
      await recordEvaluationTx(t, { source: 'survey', requestId: r.id, level: 5 }),
      await recordEvaluationTx(t, { source: 'callback', requestId: r.id, level: 4 }),
      await recordEvaluationTx(t, { source: 'survey', requestId: r.id, level: 1 }),
      await recordEvaluationTx(t, { source: 'survey', requestId: r.id, level: 2 }),
    ]);
    const db = desk.org.app.database.db;
    // The verification callback is another part's work: set the marks as it and the appeal decision would.
    await db.update(evaluations).set({ verification: 'pending' }).where(eq(evaluations.id, bad.id));
    await db.update(evaluations).set({ verification: 'mistaken', appealState: 'upheld', excluded: true }).where(eq(evaluations.id, appealed.id));

    const service = await satisfaction(desk.manager.ctx, { requestId: r.id });
    expect(service).toMatchObject({ kind: 'service', weightsFrom: 'commitment', weights: { survey: 20, callback: 80 } });
    // Survey side (5, 1) → 3; callbacks 4: 0.2 × 3 + 0.8 × 4 = 3.8.
    expect(service.rows[0]!.score).toBeCloseTo(3.8, 10);
    expect(service.rows[0]).toMatchObject({ excluded: 1, pendingVerification: 1 });
    const personal = await satisfaction(desk.manager.ctx, { agentId: desk.agent1.staff.id });
    expect(personal.kind).toBe('personal');
    expect(personal.rows[0]!.score).toBeCloseTo(0.2 * 5 + 0.8 * 4, 10);

    const list = await listEvaluations(desk.manager.ctx, { requestId: r.id, limit: 3 });
    expect(list.items).toHaveLength(3);
    expect(list.nextCursor).not.toBeNull();
    const rest = await listEvaluations(desk.manager.ctx, { requestId: r.id, limit: 3, cursor: list.nextCursor! });
    expect([...list.items, ...rest.items].map((e) => e.id).sort()).toEqual([...new Set([...list.items, ...rest.items].map((e) => e.id))].sort());
    expect(list.items.length + rest.items.length).toBe(4);
    expect([...list.items, ...rest.items].find((e) => e.id === appealed.id)).toMatchObject({ excluded: true, appealState: 'upheld' });
  });

  it('a branch-scoped reader sees only their branch; a request of another organization is not found', async () => {
    const desk = await buildDesk();
    const other = await buildDesk();
    const branchAgent = await buildStaff(desk.org, 'agent', { branchId: desk.org.branchId });
    const hq = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: 'hq' });
    await transact(desk.org.system, (t) => recordEvaluationTx(t, { source: 'portal', requestId: hq.id, level: 4 }));
    expect((await listEvaluations(branchAgent.ctx, {})).items).toHaveLength(0);
    expect((await listEvaluations(desk.manager.ctx, {})).items).toHaveLength(1);
    const error = await satisfaction(other.manager.ctx, { requestId: hq.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
  });
});

describe('campaign surveys', () => {
  it('rate the campaign period: no resolved question, recorded with source campaign; the worker knows the next duty', async () => {
    const desk = await buildDesk();
    const db = desk.org.app.database.db;
    const now = new Date();
    const [campaign] = await db.insert(campaigns).values({ orgId: desk.org.orgId, name: '2026 年第三季度满意度调查', periodStart: new Date('2026-07-01T00:00:00+08:00'), periodEnd: new Date('2026-10-01T00:00:00+08:00'), state: 'sending', createdAt: now, updatedAt: now }).returning();
    const expiresAt = new Date(now.getTime() + 7 * 86400_000);
    const { token, survey } = await transact(desk.org.system, (t) => issueSurveyTx(t, { campaignId: campaign!.id, channel: 'sms', sentTo: '138****0000', expiresAt }));
    expect(survey).toMatchObject({ defaultAt: null, expiresAt });
    const next = await nextSurveyDuty(db);
    expect(next).not.toBeNull();
    expect(next!.getTime()).toBeLessThanOrEqual(survey.remindAt!.getTime());
    expect(await publicSurvey(desk.org.app, token, visitor)).toMatchObject({ kind: 'campaign', campaignName: '2026 年第三季度满意度调查', askResolved: false, requestNumber: null });
    await answerSurvey(desk.org.app, token, { level: 4, resolved: false }, visitor);
    const rows = await db.select().from(evaluations).where(eq(evaluations.campaignId, campaign!.id));
    expect(rows).toMatchObject([{ source: 'campaign', level: 4, resolved: null, requestId: null, agentId: null }]);
  });
});
