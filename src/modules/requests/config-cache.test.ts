/**
 * The configuration cache of registration (src/core/org-cache.ts, ./config.ts) and the API-token cache:
 * every change is seen by the next registration — on the same app node and, on PostgreSQL, on another
 * node sharing the database — and a rolled-back change is never served.
 */
import { describe, expect, it } from 'vitest';
import { startEventRelay, transact, type App, type Ctx } from '../../core/context.js';
import { EventBus } from '../../core/events.js';
import { engine, openTestDatabase } from '../../test/harness.js';
import { buildDesk, type Desk } from '../../test/desk.js';
import * as commitments from '../commitments/service.js';
import { createApiToken, resolveApiToken, revokeApiToken } from '../org/auth.js';
import { createRoutingRule, updateRoutingRule } from './routing.js';
import { registerRequest, registerRequestTx, updateRequestSettings } from './service.js';
import { RequestCreate } from './contracts.js';
import { parse } from '../../core/validate.js';
import { routingRules } from './schema.js';

const consultation = { type: 'consultation', channel: 'web', subject: '缓存测试', contactName: '张三' };

async function publishExtraCommitment(desk: Desk) {
  const v = await commitments.createCommitment(desk.manager.ctx, {
    number: `X-${desk.org.code}`, title: '加急承诺', bodyZh: '正文',
    targets: [{ kind: 'time_limit', key: 'callback', name: { 'zh-CN': '回电' }, start: 'request.registered', stop: 'first_response', duration: 'PT10M' }],
  });
  await commitments.submitForReview(desk.manager.ctx, v.id);
  await commitments.decideStep(desk.supervisor.ctx, v.id, 'internal_evaluation', { decision: 'approved' });
  await commitments.decideStep(desk.manager.ctx, v.id, 'joint_meeting', { decision: 'approved' });
  await commitments.decideStep(desk.admin.ctx, v.id, 'decision_body', { decision: 'approved' });
  await commitments.publishVersion(desk.admin.ctx, v.id);
  return v.id;
}

/** Runs the same checks against a registering context (this node, or another node's). */
async function checkChangesSeen(desk: Desk, registering: Ctx) {
  // Warm the cache.
  const first = await registerRequest(registering, consultation);
  expect(first.commitmentVersionIds).toEqual([desk.versionId]);
  expect(first.team).toBeNull();

  // A newly published commitment version is pinned, and its target clocked, by the next registration.
  const extra = await publishExtraCommitment(desk);
  const second = await registerRequest(registering, consultation);
  expect(second.commitmentVersionIds.sort()).toEqual([desk.versionId, extra].sort());
  expect(second.clocks.some((c) => c.commitmentVersionId === extra && c.targetKey === 'callback')).toBe(true);

  // A new routing rule routes the next registration; changing it changes the next routing.
  const rule = await createRoutingRule(desk.admin.ctx, { name: '咨询', conditions: { types: ['consultation'] }, teamId: desk.team.id, strategy: 'team_only' });
  expect((await registerRequest(registering, consultation)).team?.id).toBe(desk.team.id);
  await updateRoutingRule(desk.admin.ctx, rule.id, { name: '咨询', conditions: { types: ['consultation'] }, teamId: desk.special.id, strategy: 'team_only' });
  expect((await registerRequest(registering, consultation)).team?.id).toBe(desk.special.id);

  // Settings: consultations escalated automatically from now on.
  await updateRequestSettings(desk.admin.ctx, { autoEscalateTypes: ['urgent_fault', 'consultation'] });
  expect((await registerRequest(registering, consultation)).escalatedAt).not.toBeNull();
}

describe('registration configuration cache', () => {
  it('sees published versions, routing rules and settings at the next registration', async () => {
    const desk = await buildDesk();
    await checkChangesSeen(desk, desk.agent1.ctx);
  });

  it('never serves a change that was rolled back', async () => {
    const desk = await buildDesk();
    await createRoutingRule(desk.admin.ctx, { name: '咨询', conditions: { types: ['consultation'] }, teamId: desk.team.id, strategy: 'team_only' });
    expect((await registerRequest(desk.agent1.ctx, consultation)).team?.id).toBe(desk.team.id);
    // A transaction changes the rule's team, registers with it (its own, uncommitted configuration), and rolls back.
    await expect(
      transact(desk.agent1.ctx, async (t) => {
        await t.tx.update(routingRules).set({ teamId: desk.special.id });
        const inside = await registerRequestTx(t, parse(RequestCreate, consultation));
        expect(inside.teamId).toBe(desk.special.id);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const after = await registerRequest(desk.agent1.ctx, consultation);
    expect(after.team?.id).toBe(desk.team.id);
  });

  it.runIf(engine === 'postgres')('another app node sharing the database sees every change at its next registration', async () => {
    const desk = await buildDesk();
    const otherDb = await openTestDatabase();
    const other: App = { ...desk.org.app, database: otherDb, bus: new EventBus(), nodeId: 'other-node' };
    try {
      await checkChangesSeen(desk, { ...desk.agent1.ctx, app: other });
    } finally {
      await otherDb.close();
    }
  });

  it.runIf(engine === 'postgres')('a token revoked on one node is refused on another at once', async () => {
    const desk = await buildDesk();
    const otherDb = await openTestDatabase();
    const other: App = { ...desk.org.app, database: otherDb, bus: new EventBus(), nodeId: 'other-node' };
    const stop = await startEventRelay(other);
    try {
      const created = await createApiToken(desk.agent1.ctx, { name: 'n', scopes: ['request.create'] });
      expect((await resolveApiToken(other, created.token, new Date())).kind).toBe('staff'); // cached on the other node
      await revokeApiToken(desk.agent1.ctx, created.id);
      const deadline = Date.now() + 3000;
      let refused = false;
      while (!refused && Date.now() < deadline) {
        refused = await resolveApiToken(other, created.token, new Date()).then(() => false, () => true);
        if (!refused) await new Promise((r) => setTimeout(r, 20));
      }
      expect(refused).toBe(true);
    } finally {
      await stop();
      await otherDb.close();
    }
  });
});
