/**
 * `npm run bench` (requests): seeds 1,000,000 requests into a fresh PostgreSQL database and reports, in one run,
 * - p50 and p95 of the console's main queries (my queue, team queue with filters, full-text search), through
 *   the real service function, each as a fraction of one full scan of the requests table (target p95 ≤ 20 %);
 * - intake: requests registered per second over HTTP (clocks, audit, events, webhooks look-up included), as a
 *   ratio to plain single-row INSERT transactions on the same database at the same concurrency (target ≥ 0.5).
 * The HTTP server runs in a child process (as in production: its own event loop), and the load generator
 * uses keep-alive connections; the raw INSERTs run from this process with the same number of connections in
 * flight. Rounds alternate between the two so machine noise hits both alike.
 * PostgreSQL: BENCH_DATABASE_URL, else a fresh database on postgres://postgres@127.0.0.1:5432 (dropped after).
 * BENCH_REQUESTS overrides the million (e.g. 100000 for a quick look).
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import pg from 'pg';
import { createApp } from '../src/core/app.js';
import { openDatabase, rowsOf } from '../src/core/db/client.js';
import { buildServer } from '../src/http/server.js';
import { createApiToken } from '../src/modules/org/auth.js';
import { createStaff } from '../src/modules/org/staff.js';
import { createTeam } from '../src/modules/org/structure.js';
import { listRequests } from '../src/modules/requests/queries.js';
import { searchDocument } from '../src/modules/requests/search.js';
import { buildDesk } from '../src/test/desk.js';
import { buildOrg, ctxAs, testConfig } from '../src/test/harness.js';
import { actorOf } from '../src/modules/org/auth.js';
import { staff as staffTable } from '../src/core/db/schema.js';
import { eq } from 'drizzle-orm';
import { benchDatabase, fullScanMs, percentile } from './measure.js';

process.env.PLEDGE_PASSWORD_COST ??= '10';
const TOTAL = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const CONCURRENCY = 16;
process.env.PLEDGE_DB_POOL ??= String(CONCURRENCY + 4);

// ---------- the child process: the HTTP server alone ----------
if (process.env.BENCH_SERVE_URL) {
  const serveUrl = process.env.BENCH_SERVE_URL;
  const served = await createApp(testConfig({ databaseUrl: serveUrl }), { database: await openDatabase({ databaseUrl: serveUrl }), migrate: false });
  const httpServer = await buildServer(served, { web: false });
  await httpServer.listen({ port: 0, host: '127.0.0.1' });
  // The ceiling: a bare Fastify route that does one INSERT through a plain pg pool (no validation, no ORM, no
  // audit), in the same process as the real server. No HTTP intake can beat it on this machine.
  const ceilingPool = new pg.Pool({ connectionString: serveUrl, max: CONCURRENCY + 4 });
  const bare = Fastify();
  bare.post('/x', async (request) => {
    await ceilingPool.query('INSERT INTO bench_raw (org_id, subject, created_at) VALUES ($1, $2, now())', [process.env.BENCH_ORG_ID, (request.body as { s: string }).s]);
    return { ok: true };
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ port: (httpServer.server.address() as AddressInfo).port, barePort: (bare.server.address() as AddressInfo).port });
  process.on('message', () => {
    void Promise.all([httpServer.close(), bare.close()]).then(() => Promise.all([served.database.close(), ceilingPool.end()])).then(() => process.exit(0));
  });
  await new Promise(() => {}); // serve until told to stop
}

const median = (values: number[]) => percentile(values, 50);

// ---------- the database ----------
const { url, drop } = await benchDatabase('requests');
const database = await openDatabase({ databaseUrl: url });
const app = await createApp(testConfig({ databaseUrl: url }), { database, migrate: true });
const db = app.database.db;
console.log(`engine: ${app.database.kind}; seeding ${TOTAL.toLocaleString('en')} requests…`);

// ---------- a desk with 40 agents in 8 teams ----------
const desk = await buildDesk(await buildOrg(app));
const orgId = desk.org.orgId;
const teamIds: string[] = [];
const agentIds: string[] = [];
for (let t = 0; t < 8; t++) {
  const members: string[] = [];
  for (let a = 0; a < 5; a++) {
    const s = await createStaff(desk.org.system, { username: `bench_${orgId.slice(0, 6)}_${t}_${a}`, displayName: `坐席${t}-${a}`, role: 'agent', branchId: desk.org.headOfficeId, password: 'Secret123' });
    members.push(s.id);
  }
  teamIds.push((await createTeam(desk.admin.ctx, { branchId: desk.org.headOfficeId, name: `班组${t}`, memberIds: members })).id);
  agentIds.push(...members);
}

// ---------- 1,000 distinct texts, indexed in JS exactly as the service does, spread over the rows ----------
const topics = ['申请退款进度查询', '宽带频繁掉线', '账号无法登录', '发票开具错误', '营业厅排队时间太长', '水费账单异常', '预约上门安装', '打印机卡纸', '套餐变更咨询', '工单处理太慢'];
const english = ['refund request pending', 'printer jam on floor', 'cannot sign in to the app', 'invoice title is wrong', 'water bill too high'];
const extra = ['客户表示非常着急', '已多次来电', '希望尽快回复', '老人独居', '周末也可以上门', 'please call back', 'urgent please', '第二次反映', '附件为截图', '需要书面答复'];
await db.execute(sql`CREATE TABLE bench_texts (i int PRIMARY KEY, subject text, description text, sv tsvector)`);
for (let i = 0; i < 1000; i++) {
  const subject = i % 7 === 0 ? english[i % english.length]! : `${topics[i % topics.length]}（${i}）`;
  const description = `${extra[i % extra.length]}，${extra[(i * 3) % extra.length]}。编号 ${100000 + i}`;
  await db.execute(sql`INSERT INTO bench_texts VALUES (${i}, ${subject}, ${description}, ${searchDocument([subject, description])}::tsvector)`);
}

const started = performance.now();
const types = sql.raw(`ARRAY['consultation','service_request','complaint','suggestion','urgent_fault']`);
const channels = sql.raw(`ARRAY['phone','email','chat','web','app','social','walk_in']`);
const openStates = sql.raw(`ARRAY['registered','analysing','handling','waiting_customer','feedback']`);
const teamArray = sql.raw(`ARRAY[${teamIds.map((id) => `'${id}'::uuid`).join(',')}]`);
const agentArray = sql.raw(`ARRAY[${agentIds.map((id) => `'${id}'::uuid`).join(',')}]`);
const BATCH = 100_000;
for (let from = 1; from <= TOTAL; from += BATCH) {
  const to = Math.min(TOTAL, from + BATCH - 1);
  // Four in five are archived; the rest are open at every step. Created over the last ~2 years, newest last.
  await db.execute(sql`
    INSERT INTO requests (org_id, number, type, priority, channel, state, subject, description, branch_id, team_id, assignee_id,
      responsible_id, customer_flags, tags, commitment_version_ids, happened, last_activity_at, created_at, updated_at, search_vector, next_due_at, archived_at)
    SELECT ${orgId}, 'B' || lpad(g::text, 9, '0'), (${types})[1 + h1 % 5], CASE WHEN h2 % 20 = 0 THEN 'major' WHEN h2 % 6 = 0 THEN 'urgent' ELSE 'general' END,
      (${channels})[1 + h3 % 7], CASE WHEN h4 % 5 = 0 THEN (${openStates})[1 + (h4 / 5) % 5] ELSE 'archived' END, t.subject, t.description, ${desk.org.headOfficeId},
      (${teamArray})[1 + h5 % 8], (${agentArray})[1 + (h5 % 8) * 5 + (h5 / 8) % 5], (${agentArray})[1 + (h5 % 8) * 5 + (h5 / 8) % 5],
      CASE WHEN h2 % 13 = 0 THEN '{elderly}'::text[] ELSE '{}'::text[] END, '{}'::text[], '{}'::uuid[], '[]'::jsonb,
      now() - ((${TOTAL} - g) * interval '60 seconds'), now() - ((${TOTAL} - g) * interval '60 seconds'), now(), t.sv,
      CASE WHEN h4 % 5 = 0 THEN now() + ((h1 % 100) * interval '1 hour') END, CASE WHEN h4 % 5 <> 0 THEN now() END
    FROM generate_series(${from}::int, ${to}::int) g
    -- independent pseudo-random draws per column, so filters do not correlate by construction
    CROSS JOIN LATERAL (SELECT hashint4(g) & 2147483647 AS h1, hashint4(g + 7919) & 2147483647 AS h2, hashint4(g + 104729) & 2147483647 AS h3,
      hashint4(g + 1299709) & 2147483647 AS h4, hashint4(g + 15485863) & 2147483647 AS h5) h
    JOIN bench_texts t ON t.i = (hashint4(g + 32452843) & 2147483647) % 1000`);
  process.stdout.write(`\r  ${to.toLocaleString('en')} rows`);
}
await db.execute(sql`ANALYZE requests`);
console.log(`\rseeded ${TOTAL.toLocaleString('en')} requests in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// ---------- one full scan of the requests table (the yardstick) ----------
const client = (db as unknown as { $client: pg.Pool }).$client;
const scan = await fullScanMs(client);

// ---------- console queries through the service ----------
const [agentRow] = await db.select().from(staffTable).where(eq(staffTable.id, agentIds[3]!));
const agent = ctxAs(app, actorOf(agentRow!));
const queries: [string, () => Promise<unknown>][] = [
  ['my queue (open, newest first)', () => listRequests(agent, { queue: 'mine' })],
  ['my queue sorted by due time', () => listRequests(agent, { queue: 'mine', sort: 'due_asc' })],
  ['team queue, urgent complaints & faults', () => listRequests(agent, { queue: 'team', types: 'complaint,urgent_fault', priorities: 'urgent,major' })],
  ['all, search "退款"', () => listRequests(agent, { q: '退款' })],
  ['all, search "printer jam"', () => listRequests(agent, { q: 'printer jam' })],
  ['all, search "退款" + state handling', () => listRequests(agent, { q: '退款', states: 'handling' })],
  ['all, page 2 (keyset cursor)', async () => {
    const first = await listRequests(agent, { queue: 'all' });
    return listRequests(agent, { queue: 'all', cursor: first.nextCursor ?? undefined });
  }],
];
console.log('\nconsole query                                   p50 ms    p95 ms   p95/scan  (target ≤ 0.20)');
for (const [name, run] of queries) {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(`${name.padEnd(46)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(9)} ${(p95 / scan).toFixed(3).padStart(10)}`);
}

// ---------- intake over HTTP vs raw single-row INSERT transactions ----------
if (process.env.BENCH_SKIP_INTAKE) process.exit(0);
await db.execute(sql`CREATE TABLE bench_raw (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), org_id uuid NOT NULL, subject text NOT NULL, created_at timestamptz NOT NULL)`);
// BENCH_PROFILE=<dir>: CPU profile of the server process (node --cpu-prof).
const child = fork(process.argv[1]!, [], { env: { ...process.env, BENCH_SERVE_URL: url, BENCH_ORG_ID: orgId }, stdio: 'inherit', execArgv: [...process.execArgv, ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])] });
const { port, barePort } = await new Promise<{ port: number; barePort: number }>((resolve, reject) => {
  child.once('message', (m: { port: number; barePort: number }) => resolve(m));
  child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
});
const { token } = await createApiToken(desk.agent1.ctx, { name: 'bench', scopes: ['request.create', 'request.read'] });
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

async function rate(count: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await op(next++);
  }));
  return count / ((performance.now() - t0) / 1000);
}
function post(path: string, body: string, to = port): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: to, path, method: 'POST', agent: keepAlive, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
const register = async (i: number) => {
  const response = await post('/api/v1/requests', JSON.stringify({ type: i % 3 === 0 ? 'complaint' : 'consultation', channel: 'web', subject: `压测工单 ${i} 申请退款`, description: '客户希望尽快处理', contactName: '压测' }));
  if (response.status !== 201) throw new Error(`HTTP ${response.status}: ${response.text}`);
};
const raw = async (i: number) => {
  await client.query('INSERT INTO bench_raw (org_id, subject, created_at) VALUES ($1, $2, now())', [orgId, `压测 ${i}`]);
};
const bareInsert = async (i: number) => {
  const response = await post('/x', JSON.stringify({ s: `压测 ${i}` }), barePort);
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.text}`);
};
await rate(400, register); // warm-up
await rate(1000, raw);
await rate(1000, bareInsert);
const intake: number[] = [];
const inserts: number[] = [];
const ceiling: number[] = [];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
for (let round = 0; round < ROUNDS; round++) {
  inserts.push(await rate(3000, raw));
  intake.push(await rate(1000, register));
  ceiling.push(await rate(3000, bareInsert));
}
const intakeRate = median(intake);
const rawRate = median(inserts);
const ceilingRate = median(ceiling);
console.log(`\nintake over HTTP (register, clocks, audit, events): ${intakeRate.toFixed(0)} requests/s   rounds: ${intake.map((r) => r.toFixed(0)).join(', ')}`);
console.log(`plain single-row INSERT transactions:               ${rawRate.toFixed(0)} rows/s   rounds: ${inserts.map((r) => r.toFixed(0)).join(', ')}`);
console.log(`ceiling: HTTP POST doing one INSERT (no validation, ORM, audit): ${ceilingRate.toFixed(0)} requests/s   rounds: ${ceiling.map((r) => r.toFixed(0)).join(', ')}`);
console.log(`ratio: ${(intakeRate / rawRate).toFixed(2)} (target ≥ 0.5; concurrency ${CONCURRENCY}, medians of ${ROUNDS} rounds); the ceiling's ratio: ${(ceilingRate / rawRate).toFixed(2)}; intake ÷ ceiling: ${(intakeRate / ceilingRate).toFixed(2)}`);
const [count] = rowsOf<{ n: string }>(await db.execute(sql`SELECT count(*)::text AS n FROM requests`));
console.log(`requests now: ${count!.n}`);

keepAlive.destroy();
child.send('stop');
await new Promise((resolve) => child.once('exit', resolve));
await app.database.close();
await drop();
