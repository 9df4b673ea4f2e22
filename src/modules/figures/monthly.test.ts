/**
 * Monthly rollups are the exact sums of the daily ones: after random writes across a month boundary and
 * interleaved job runs, every kpi_monthly row equals the sum (by the oracle below: plain additions of the
 * daily rows) of its month's kpi_daily rows, and a rebuild leaves both tables unchanged.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { KpiRollupWorker } from '../../jobs/kpi-rollup.js';
import { buildOrg, testApp } from '../../test/harness.js';
import { daysOfMonth, monthsOf } from './monthly.js';
import { daysBetween, recomputeDaysTx } from './rollup.js';
import { addCounters, addSketches, emptyCounters, emptySketches } from './rollup-facts.js';
import { monthlySnapshot, snapshot } from './rollup-snapshot.js';

describe('monthly rollups', () => {
  it('months of days, and days of months (leap years, December)', () => {
    expect(monthsOf(['2026-11-30', '2026-10-01', '2026-11-01', '2026-10-31'])).toEqual(['2026-10', '2026-11']);
    expect(daysOfMonth('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(daysOfMonth('2026-02')).toEqual({ first: '2026-02-01', last: '2026-02-28' });
    expect(daysOfMonth('2026-12')).toEqual({ first: '2026-12-01', last: '2026-12-31' });
    expect(() => daysOfMonth('2026-1')).toThrow(RangeError);
  });

  it('every kpi_monthly row is the sum of its days, through job runs and a rebuild', async () => {
    const app = await testApp();
    const org = await buildOrg(app);
    const db = app.database.db;
    const worker = new KpiRollupWorker(app, { batchSize: 5 });
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const agents = [randomUUID(), randomUUID(), null];
    // Local days 2026-10-20 .. 2026-11-12 in Asia/Shanghai (UTC+8), so the month boundary is crossed.
    const start = Date.parse('2026-10-19T16:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const created = new Date(start + Math.floor(rnd() * 24 * 86_400_000));
      const id = randomUUID();
      ids.push(id);
      await db.execute(sql`INSERT INTO requests (id, org_id, number, type, priority, channel, state, subject, branch_id, assignee_id, last_activity_at, created_at, updated_at)
        VALUES (${id}, ${org.orgId}, ${`M${i}`}, ${rnd() < 0.3 ? 'complaint' : 'consultation'}, 'general', ${rnd() < 0.5 ? 'web' : 'phone'}, 'registered', 's', ${org.headOfficeId},
          ${agents[Math.floor(rnd() * agents.length)]}, ${created}, ${created}, ${created})`);
      if (rnd() < 0.5) {
        const done = new Date(created.getTime() + Math.floor(rnd() * 9 * 86_400_000));
        await db.execute(sql`UPDATE requests SET state = 'archived', resolved_at = ${done}, archived_at = ${done} WHERE id = ${id}`);
      }
      if (rnd() < 0.3) await worker.runOnce();
    }
    // Moves and deletions change days already summed.
    for (const id of ids.slice(0, 8)) await db.execute(sql`UPDATE requests SET assignee_id = ${agents[0]} WHERE id = ${id}`);
    await db.execute(sql`DELETE FROM requests WHERE id = ${ids[9]!}`);
    await worker.runOnce();

    const oracle = async () => {
      const sums = new Map<string, { counters: ReturnType<typeof emptyCounters>; sketches: ReturnType<typeof emptySketches> }>();
      for (const row of await snapshot(db, org.orgId)) {
        const [day, dim, value] = row.key.split('|') as [string, string, string];
        const key = `${day.slice(0, 7)}|${dim}|${value}`;
        const s = sums.get(key) ?? { counters: emptyCounters(), sketches: emptySketches() };
        sums.set(key, { counters: addCounters(s.counters, row.counters), sketches: addSketches(s.sketches, row.sketches) });
      }
      return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, v]) => ({ key, ...v }));
    };
    const monthly = await monthlySnapshot(db, org.orgId);
    expect(monthly.map((r) => r.key.slice(0, 7)).filter((m, i, a) => a.indexOf(m) === i)).toEqual(['2026-10', '2026-11']);
    expect(monthly.find((r) => r.key === '2026-10|org|')!.counters.accepted + monthly.find((r) => r.key === '2026-11|org|')!.counters.accepted).toBe(59);
    expect(JSON.parse(JSON.stringify(monthly))).toEqual(JSON.parse(JSON.stringify(await oracle())));

    await db.transaction((tx) => recomputeDaysTx(tx, org.orgId, daysBetween('2026-10-01', '2026-11-30')));
    expect(await monthlySnapshot(db, org.orgId)).toEqual(monthly);
  }, 60_000);
});
