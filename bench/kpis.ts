/**
 * `npm run bench` (figures): seeds BENCH_REQUESTS (default 1,000,000) requests over ~2 years into a fresh
 * PostgreSQL database (the dirty-day triggers run on every insert, as in production), rebuilds the daily rollups
 * of the whole range, then reports the p50 and p95 of a month's organization figures (every available indicator,
 * through the real kpiValues service) as a fraction of one full scan of the requests table in the same run
 * (target p95 ≤ 5 %). PostgreSQL: BENCH_DATABASE_URL, else a fresh database on postgres://postgres@127.0.0.1:5432.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { createApp } from '../src/core/app.js';
import { openDatabase } from '../src/core/db/client.js';
import { AVAILABLE, kpiValues, rebuildKpis } from '../src/modules/figures/service.js';
import { localDay, parsePeriod } from '../src/modules/figures/periods.js';
import { buildOrg, buildStaff, testConfig } from '../src/test/harness.js';
import { benchDatabase, fullScanMs, percentile } from './measure.js';

process.env.PLEDGE_PASSWORD_COST ??= '10';
const TOTAL = Number(process.env.BENCH_REQUESTS ?? 1_000_000);


const { url, drop } = await benchDatabase('kpis');
const app = await createApp(testConfig({ databaseUrl: url }), { database: await openDatabase({ databaseUrl: url }), migrate: true });
const db = app.database.db;
const org = await buildOrg(app);
const manager = await buildStaff(org, 'manager', { scope: 'organization' });
console.log(`figures: seeding ${TOTAL.toLocaleString('en')} requests…`);

// One request a minute up to now: ~1.9 years for a million. Four in five archived, resolved an hour or two later.
const started = performance.now();
const BATCH = 100_000;
for (let from = 1; from <= TOTAL; from += BATCH) {
  const to = Math.min(TOTAL, from + BATCH - 1);
  await db.execute(sql`
    INSERT INTO requests (org_id, number, type, priority, channel, state, subject, branch_id, assignee_id, reopen_count, last_activity_at, created_at, updated_at, resolved_at, archived_at)
    SELECT ${org.orgId}, 'K' || lpad(g::text, 9, '0'), (ARRAY['consultation','service_request','complaint','suggestion','urgent_fault'])[1 + h1 % 5], 'general',
      (ARRAY['phone','email','chat','web','app'])[1 + h2 % 5], CASE WHEN h3 % 5 = 0 THEN 'handling' ELSE 'archived' END, 's', ${org.headOfficeId},
      ('00000000-0000-4000-8000-0000000000' || lpad((h4 % 40)::text, 2, '0'))::uuid, CASE WHEN h4 % 17 = 0 THEN 1 ELSE 0 END,
      c, c, c, CASE WHEN h3 % 5 <> 0 THEN c + (h1 % 7200) * interval '1 second' END, CASE WHEN h3 % 5 <> 0 THEN c + (h1 % 7200 + 600) * interval '1 second' END
    FROM generate_series(${from}::int, ${to}::int) g
    CROSS JOIN LATERAL (SELECT hashint4(g) & 2147483647 AS h1, hashint4(g + 7919) & 2147483647 AS h2, hashint4(g + 104729) & 2147483647 AS h3,
      hashint4(g + 1299709) & 2147483647 AS h4, now() - ((${TOTAL} - g) * interval '60 seconds') AS c) h`);
  process.stdout.write(`\r  ${to.toLocaleString('en')} rows`);
}
await db.execute(sql`ANALYZE requests`);
console.log(`\rseeded ${TOTAL.toLocaleString('en')} requests in ${((performance.now() - started) / 1000).toFixed(0)} s`);

const zone = 'Asia/Shanghai';
const first = localDay(new Date(Date.now() - TOTAL * 60_000), zone);
const last = localDay(new Date(), zone);
const t0 = performance.now();
const rebuilt = await rebuildKpis(org.system, { from: first, to: last });
console.log(`rebuild ${first} … ${last}: ${rebuilt.days} days, ${rebuilt.rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// The rebuild rewrote every rollup row; autovacuum would clean and analyze them within a minute in production,
// and a month's backlog reads kpi_monthly by an index-only scan that wants the visibility map it sets.
await db.execute(sql`VACUUM ANALYZE kpi_daily, kpi_monthly`);

const client = (db as unknown as { $client: pg.Pool }).$client;
const scan = await fullScanMs(client);

// Last full month in the organization's zone, all available indicators, for the organization and per agent.
const month = new Date(Date.now() - 31 * 86_400_000);
const key = localDay(month, zone).slice(0, 7);
const { firstDay: monthFrom, lastDay: monthTo } = parsePeriod(key, zone);
const all = [...AVAILABLE].join(',');
const rates = [...AVAILABLE].filter((i) => !i.endsWith('_time')).join(',');
const cases = [
  ['month, organization, all indicators', 'org', all],
  ['month, per agent, all indicators', 'agent', all],
  ['month, per agent, rates and counts', 'agent', rates],
] as const;
for (const [label, dimension, indicators] of cases) {
  const run = () => kpiValues(manager.ctx, { indicators, grain: 'month', from: monthFrom, to: monthTo, dimension });
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const s = performance.now();
    await run();
    times.push(performance.now() - s);
  }
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(`${label.padEnd(40)} p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  = ${((p95 / scan) * 100).toFixed(2)} % of a full scan (target ≤ 5 %)`);
}

await app.database.close();
await drop();
