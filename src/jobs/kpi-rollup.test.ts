/**
 * The rollup job against concurrency (PostgreSQL only: PGlite has one connection, so nothing runs concurrently
 * there): a write during a recompute of its day does not wait and its mark survives for the next run; two nodes
 * never recompute one day at once. And on both engines: batches claim, recompute and clear their marks.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { lockDaysTx } from '../modules/figures/day-locks.js';
import { recomputeDaysTx } from '../modules/figures/rollup.js';
import { kpiDirtyDays } from '../modules/figures/schema.js';
import { snapshot } from '../modules/figures/rollup-snapshot.js';
import { buildOrg, engine, openTestDatabase, testApp } from '../test/harness.js';
import { KpiRollupWorker } from './kpi-rollup.js';

describe('kpi rollup job', () => {
  it.runIf(engine === 'postgres')('a write during a recompute of its day does not wait, and its mark survives the job for the next run', async () => {
    const app = await testApp();
    const org = await buildOrg(app);
    const db = app.database.db;
    const at = new Date('2026-11-02T10:00:00+08:00');
    const id = randomUUID();
    await db.execute(sql`INSERT INTO requests (id, org_id, number, type, priority, channel, state, subject, branch_id, last_activity_at, created_at, updated_at)
      VALUES (${id}, ${org.orgId}, 'C1', 'consultation', 'general', 'web', 'handling', 's', ${org.headOfficeId}, ${at}, ${at}, ${at})`);
    const other = await openTestDatabase();
    try {
      // The job's transaction, by hand: claim the day's marks, recompute it, then (while still holding them) a write comes.
      await db.transaction(async (tx) => {
        const claimed = await tx.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId)).for('update', { skipLocked: true });
        expect([...new Set(claimed.map((c) => c.day))]).toEqual(['2026-11-02']);
        await recomputeDaysTx(tx, org.orgId, ['2026-11-02']);
        // Commits at once: marks are appended, nothing to wait for (with the old upserted marks this timed out).
        await Promise.race([
          other.db.execute(sql`UPDATE requests SET state = 'archived', archived_at = ${at}, resolved_at = ${at} WHERE id = ${id}`),
          new Promise((_, reject) => setTimeout(() => reject(new Error('the write waited for the rollup job')), 5_000)),
        ]);
        await tx.delete(kpiDirtyDays).where(inArray(kpiDirtyDays.id, claimed.map((c) => c.id)));
      });
      const marks = await db.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId));
      expect([...new Set(marks.map((m) => m.day))]).toEqual(['2026-11-02']);
      await new KpiRollupWorker(app).runOnce();
      expect(await db.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId))).toEqual([]);
      const incremental = await snapshot(db, org.orgId);
      expect(incremental.find((r) => r.key === '2026-11-02|org|')!.counters).toMatchObject({ accepted: 1, completed: 1 });
      await db.transaction((tx) => recomputeDaysTx(tx, org.orgId, ['2026-11-02']));
      expect(await snapshot(db, org.orgId)).toEqual(incremental);
    } finally {
      await other.close();
    }
  }, 30_000);

  it.runIf(engine === 'postgres')('two nodes never recompute one day at once: the second leaves the day, marks and all, to the first', async () => {
    const app = await testApp();
    const org = await buildOrg(app);
    const db = app.database.db;
    const at = new Date('2026-11-03T10:00:00+08:00');
    await db.execute(sql`INSERT INTO requests (org_id, number, type, priority, channel, state, subject, branch_id, last_activity_at, created_at, updated_at)
      VALUES (${org.orgId}, 'N1', 'consultation', 'general', 'web', 'registered', 's', ${org.headOfficeId}, ${at}, ${at}, ${at})`);
    const other = await openTestDatabase();
    try {
      await db.transaction(async (tx) => {
        // Node A holds the day (as recomputeDaysTx does); node B claims its marks but must neither wait, fail nor delete them.
        await lockDaysTx(tx, org.orgId, ['2026-11-03']);
        const nodeB = new KpiRollupWorker({ ...app, database: other });
        expect(await nodeB.runOnce()).toBe(0);
      });
      expect((await db.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId))).length).toBeGreaterThan(0);
      expect(await new KpiRollupWorker(app).runOnce()).toBeGreaterThanOrEqual(1);
      expect(await db.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, org.orgId))).toEqual([]);
      expect((await snapshot(db, org.orgId)).find((r) => r.key === '2026-11-03|org|')!.counters).toMatchObject({ accepted: 1 });
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
