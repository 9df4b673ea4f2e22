/**
 * `npm run bench`: the foundation's hot paths on an in-memory PGlite (or TEST_DATABASE_URL).
 * Machines here are shared and noisy, so each figure is a median over rounds, printed with its ratio to a
 * baseline measured in the same run on the same database.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { transact } from '../src/core/context.js';
import { enqueue, OutboxWorker } from '../src/core/outbox.js';
import { buildServer } from '../src/http/server.js';
import { createCustomer } from '../src/modules/org/customers.js';
import { buildOrg, buildStaff, TEST_PASSWORD, testApp } from '../src/test/harness.js';

process.env.PLEDGE_PASSWORD_COST ??= '10';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median time per operation (ms) over `rounds` rounds of `perRound` operations. */
async function measure(rounds: number, perRound: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < perRound; i++) await op(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) await op();
    times.push((performance.now() - start) / perRound);
  }
  return median(times);
}

function report(name: string, ms: number, baselineName: string, baselineMs: number) {
  console.log(`${name.padEnd(46)} ${ms.toFixed(3).padStart(9)} ms/op   ${(ms / baselineMs).toFixed(2).padStart(6)}× ${baselineName}`);
}

const app = await testApp();
const org = await buildOrg(app);
const admin = await buildStaff(org, 'admin');
for (let i = 0; i < 200; i++) await createCustomer(admin.ctx, { name: `客户${i}`, phone: `139${String(i).padStart(8, '0')}`, flags: i % 7 === 0 ? ['elderly'] : [] });
const server = await buildServer(app, { web: false });
const signIn = await server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: admin.username, password: TEST_PASSWORD } });
const cookie = `pledge_session=${signIn.cookies.find((c) => c.name === 'pledge_session')!.value}`;
const get = (url: string) => server.inject({ method: 'GET', url, headers: { cookie } });

console.log(`engine: ${app.database.kind}`);
const health = await measure(7, 200, () => get('/healthz'));
report('GET /healthz (baseline)', health, 'healthz', health);
report('GET /api/v1/auth/me (session + 3 queries)', await measure(7, 100, () => get('/api/v1/auth/me')), 'healthz', health);
report('GET /api/v1/customers?pageSize=50', await measure(7, 50, () => get('/api/v1/customers?pageSize=50')), 'healthz', health);
report('GET /api/v1/customers?phone=… (keyed hash)', await measure(7, 100, () => get('/api/v1/customers?phone=13900000123')), 'healthz', health);

const select1 = await measure(7, 200, () => app.database.db.execute(sql`SELECT 1`));
report('SELECT 1 (baseline)', select1, 'SELECT 1', select1);
let n = 0;
report('audited write (branch update in a transaction)', await measure(7, 50, () => server.inject({ method: 'PATCH', url: `/api/v1/branches/${org.branchId}`, headers: { cookie }, payload: { name: `分公司${n++}` } })), 'SELECT 1', select1);

// Outbox: enqueue 500 then deliver them with a no-op transport; per-message cost against SELECT 1.
const worker = new OutboxWorker(app, { email: async () => {} }, { batchSize: 50 });
const perMessage: number[] = [];
for (let r = 0; r < 5; r++) {
  await transact(org.system, async (t) => {
    for (let i = 0; i < 500; i++) await enqueue(t, { kind: 'email', payload: { to: 'x@example.cn', subject: 's', text: 't' } });
  });
  const start = performance.now();
  const handled = await worker.runOnce();
  perMessage.push((performance.now() - start) / handled);
}
report('outbox claim + deliver (per message)', median(perMessage), 'SELECT 1', select1);

await server.close();
await app.bus.drain();
await app.database.close();
