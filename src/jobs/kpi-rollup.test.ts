/**
 * The rollup job against a write in flight (PostgreSQL only: PGlite has one connection, so nothing runs
 * concurrently there). A write that marks a day the job holds waits for the job's commit and marks the day
 * again, so the job's recompute (which could not see the write) is followed by another one.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recomputeDaysTx } from '../modules/figures/rollup.js';
import { kpiDirtyDays } from '../modules/figures/schema.js';
import { snapshot } from '../modules/figures/rollup-snapshot.js';
import { buildOrg, engine, openTestDatabase, testApp } from '../test/harness.js';
import { KpiRollupWorker } from './kpi-rollup.js';

describe('kpi rollup job', () => {
  it.runIf(engine === 'postgres')('a write during a recompute of its day is not lost: it waits for the job and marks the day again', async () => {
    const app = await testApp();
    const org = await buildOrg(app);
    const db = app.database.db;
    const at = new Date('2026-11-02T10:00:00+08:00');
    const id = randomUUID();
    await db.execute(sql`INSERT INTO requests (id, org_id, number, type, priority, channel, state, subject, branch_id, last_activity_at, created_at, updated_at)
      VALUES (${id}, ${org.orgId}, 'C1', 'consultation', 'general', 'web', 'handling', 's', ${org.headOfficeId}, ${at}, ${at}, ${at})`);
    const other = await openTestDatabase();
    try {
      let writeDone = false;
      let write: Promise<unknown> = Promise.resolve();
      // The job's transaction, by hand: claim the day, recompute it, then (while still holding it) a write comes.
      await db.transaction(async (tx) => {
        const claimed = await tx.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId)).for('update', { skipLocked: true });
        expect(claimed.map((c) => c.day)).toEqual(['2026-11-02']);
        await recomputeDaysTx(tx, org.orgId, ['2026-11-02']);
        write = other.db.execute(sql`UPDATE requests SET state = 'archived', archived_at = ${at}, resolved_at = ${at} WHERE id = ${id}`).then(() => (writeDone = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(writeDone).toBe(false); // waiting on the mark the job holds
        await tx.delete(kpiDirtyDays).where(and(eq(kpiDirtyDays.orgId, org.orgId), eq(kpiDirtyDays.day, '2026-11-02')));
      });
      await write;
      const marks = await db.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId));
      expect(marks.map((m) => m.day)).toEqual(['2026-11-02']);
      await new KpiRollupWorker(app).runOnce();
      const incremental = await snapshot(db, org.orgId);
      expect(incremental.find((r) => r.key === '2026-11-02|org|')!.counters).toMatchObject({ accepted: 1, completed: 1 });
      await db.transaction((tx) => recomputeDaysTx(tx, org.orgId, ['2026-11-02']));
      expect(await snapshot(db, org.orgId)).toEqual(incremental);
    } finally {
      await other.close();
    }
  }, 30_000);

  it('claims dirty days in batches, recomputes them and deletes their marks', async () => {
    const app = await testApp();
    const org = await buildOrg(app);
    const db = app.database.db;
    for (let d = 1; d <= 9; d++) {
      const at = new Date(`2026-11-0${d}T12:00:00+08:00`);
      await db.execute(sql`INSERT INTO requests (org_id, number, type, priority, channel, state, subject, branch_id, last_activity_at, created_at, updated_at)
        VALUES (${org.orgId}, ${`D${d}`}, 'complaint', 'general', 'web', 'registered', 's', ${org.headOfficeId}, ${at}, ${at}, ${at})`);
    }
    const worker = new KpiRollupWorker(app, { batchSize: 4 });
    expect(await worker.runOnce()).toBeGreaterThanOrEqual(9);
    expect(await db.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId))).toEqual([]);
    const rows = (await snapshot(db, org.orgId)).filter((r) => r.key.includes('|org|'));
    expect(rows.map((r) => [r.key.slice(0, 10), r.counters.complaints])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => [`2026-11-0${d}`, 1]));
  }, 30_000);
});
