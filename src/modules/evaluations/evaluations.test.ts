import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transact } from '../../core/context.js';
import { auditLog } from '../../core/db/schema.js';
import { buildDesk } from '../../test/desk.js';
import { requests } from '../requests/schema.js';
import * as R from '../requests/service.js';
import { recordEvaluationTx } from './evaluations.js';

describe('recordEvaluationTx', () => {
  it('copies the request facts, shows the latest real rating on the request, audits and emits', async () => {
    const desk = await buildDesk();
    const r = await R.registerRequest(desk.agent1.ctx, { type: 'complaint', channel: 'phone', subject: '投诉', assigneeId: desk.agent1.staff.id, teamId: desk.team.id });
    const events: string[] = [];
    const off = desk.org.app.bus.subscribe('evaluation.recorded', (e) => void events.push(e.entityId!));
    const row = await transact(desk.org.system, (t) => recordEvaluationTx(t, { source: 'survey', requestId: r.id, level: 4, attitude: 5, comment: '不错' }));
    off();
    expect(row).toMatchObject({ level: 4, attitude: 5, agentId: desk.agent1.staff.id, teamId: desk.team.id, branchId: r.branchId, channel: 'phone', requestType: 'complaint', excluded: false });
    expect(events).toEqual([row.id]);
    const db = desk.org.app.database.db;
    const [req] = await db.select().from(requests).where(eq(requests.id, r.id));
    expect(req).toMatchObject({ rating: 4, ratingComment: '不错' });
    // A stated default is recorded but never shows as the customer's rating.
    await transact(desk.org.system, (t) => recordEvaluationTx(t, { source: 'default', requestId: r.id, level: 5 }));
    const [after] = await db.select().from(requests).where(eq(requests.id, r.id));
    expect(after!.rating).toBe(4);
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityId, row.id));
    expect(audits.map((a) => a.action)).toContain('evaluation.record');
  });

  it('refuses a level outside 1..5, a rating of nothing, and a request of another organization, writing nothing', async () => {
    const desk = await buildDesk();
    const other = await buildDesk();
    const r = await R.registerRequest(desk.agent1.ctx, { type: 'consultation', channel: 'web', subject: '咨询' });
    await expect(transact(desk.org.system, (t) => recordEvaluationTx(t, { source: 'survey', requestId: r.id, level: 6 }))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(transact(desk.org.system, (t) => recordEvaluationTx(t, { source: 'survey', level: 3 }))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(transact(other.org.system, (t) => recordEvaluationTx(t, { source: 'survey', requestId: r.id, level: 3 }))).rejects.toMatchObject({ code: 'not_found' });
  });
});
