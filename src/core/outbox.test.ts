import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, engine, openTestDatabase, testApp } from '../test/harness.js';
import { transact, type App } from './context.js';
import { outbox } from './db/schema.js';
import { EventBus } from './events.js';
import { backoffMs, enqueue, OutboxWorker, type OutboxRow } from './outbox.js';
import type { lookup } from 'node:dns';
import { PrivateAddressError } from './net-guard.js';
import { webhookTransport } from './transports.js';
import { listOutbox, retryOutbox } from '../modules/admin/service.js';
import { buildStaff } from '../test/harness.js';

describe('backoff', () => {
  it('doubles from 30 s, capped at 6 h, spread by at most 20 %', () => {
    expect(backoffMs(1)).toBe(30_000);
    expect(backoffMs(2)).toBe(60_000);
    expect(backoffMs(5)).toBe(480_000);
    expect(backoffMs(30)).toBe(6 * 3600_000);
    for (let a = 1; a < 20; a++) {
      expect(backoffMs(a + 1)).toBeGreaterThanOrEqual(backoffMs(a));
      expect(backoffMs(a, 0.999)).toBeLessThanOrEqual(backoffMs(a) * 1.2);
    }
  });
});

describe('outbox worker', () => {
  it('delivers a queued message once; a failing one is retried with backoff and then shown as failed', async () => {
    const org = await buildOrg();
    const ok = await transact(org.system, (t) => enqueue(t, { kind: 'email', payload: { to: 'a@example.cn', subject: '您好', text: '测试' } }));
    const bad = await transact(org.system, (t) => enqueue(t, { kind: 'email', payload: { to: 'b@example.cn', subject: 'fail', text: 'x' }, maxAttempts: 2 }));
    const delivered: number[] = [];
    let clock = new Date();
    const worker = new OutboxWorker(
      org.app,
      {
        email: async (row: OutboxRow) => {
          if ((row.payload as { subject: string }).subject === 'fail') throw new Error('550 mailbox unavailable');
          delivered.push(Number(row.id));
        },
      },
      { now: () => clock, random: () => 0 },
    );
    await worker.runOnce();
    expect(delivered.filter((id) => id === ok)).toHaveLength(1);
    const db = org.app.database.db;
    let [row] = await db.select().from(outbox).where(eq(outbox.id, bad));
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: '550 mailbox unavailable' });
    expect(row!.nextAttemptAt.getTime() - clock.getTime()).toBe(30_000);
    await worker.runOnce(); // not due yet
    [row] = await db.select().from(outbox).where(eq(outbox.id, bad));
    expect(row!.attempts).toBe(1);
    clock = new Date(clock.getTime() + 31_000);
    await worker.runOnce();
    [row] = await db.select().from(outbox).where(eq(outbox.id, bad));
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(delivered.filter((id) => id === ok)).toHaveLength(1);

    // Administrators see the failure and can queue it again.
    const admin = await buildStaff(org, 'admin');
    const failed = await listOutbox(admin.ctx, { status: 'failed' });
    expect(failed.items.map((m) => m.id)).toEqual([bad]);
    expect(failed.items[0]!.lastError).toContain('550');
    expect(failed.summary.failed).toBe(1);
    await retryOutbox(admin.ctx, bad);
    [row] = await db.select().from(outbox).where(eq(outbox.id, bad));
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    await expect(retryOutbox(admin.ctx, ok)).rejects.toMatchObject({ code: 'outbox.not_retryable' });
  });

  it('reclaims a message whose worker died mid-delivery (lease expired)', async () => {
    const org = await buildOrg();
    const id = await transact(org.system, (t) => enqueue(t, { kind: 'email', payload: { to: 'c@example.cn', subject: 'lease', text: 'x' } }));
    let clock = new Date(Date.now() + 1000);
    const crashed = new OutboxWorker(org.app, {}, { now: () => clock, leaseMs: 60_000 });
    const claimed = await crashed.claim();
    expect(claimed.map((r) => Number(r.id))).toContain(id);
    const seen: number[] = [];
    const rescuer = new OutboxWorker(org.app, { email: async (r) => void seen.push(Number(r.id)) }, { now: () => clock });
    await rescuer.runOnce();
    expect(seen).not.toContain(id);
    clock = new Date(clock.getTime() + 61_000);
    await rescuer.runOnce();
    expect(seen).toContain(id);
    const [row] = await org.app.database.db.select().from(outbox).where(eq(outbox.id, id));
    expect(row!.status).toBe('delivered');
  });

  it(`two workers on one database deliver 1,000 messages exactly once (${engine})`, async () => {
    const org = await buildOrg();
    const first = await testApp();
    // On PostgreSQL the second worker is a separate app node with its own connection pool.
    const secondDb = engine === 'postgres' ? await openTestDatabase() : first.database;
    const second: App = { ...first, database: secondDb, bus: new EventBus() };
    const ids: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      ids.push(
        ...(await transact(org.system, async (t) => {
          const out: number[] = [];
          for (let i = 0; i < 100; i++) out.push(await enqueue(t, { kind: 'webhook', payload: { url: 'memory://', body: { n: batch * 100 + i } } }));
          return out;
        })),
      );
    }
    const deliveries = new Map<number, number>();
    const record = async (row: OutboxRow) => {
      if (row.orgId !== org.orgId) return;
      deliveries.set(Number(row.id), (deliveries.get(Number(row.id)) ?? 0) + 1);
      await new Promise((r) => setImmediate(r));
    };
    const a = new OutboxWorker(first, { webhook: record, email: async () => {} }, { batchSize: 25 });
    const b = new OutboxWorker(second, { webhook: record, email: async () => {} }, { batchSize: 25 });
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(deliveries.size).toBe(1000);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    if (engine === 'postgres') expect(Math.min(na, nb)).toBeGreaterThan(0);
    const rows = await first.database.db.select().from(outbox).where(and(eq(outbox.orgId, org.orgId), eq(outbox.kind, 'webhook')));
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(ids.length).toBe(1000);
    if (secondDb !== first.database) await secondDb.close();
  });
});

describe('webhook transport', () => {
  let server: Server;
  let url: string;
  const received: { body: string; signature: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-pledge-signature'] as string | undefined });
        res.statusCode = body.includes('reject') ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('POSTs signed JSON and treats a non-2xx answer as a failure', async () => {
    const send = webhookTransport({ allowPrivate: true });
    const row = { id: 1, payload: { url, body: { event: 'x' }, secret: 's3cret' } } as unknown as OutboxRow;
    await send(row);
    expect(received[0]!.body).toBe('{"event":"x"}');
    expect(received[0]!.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    await expect(send({ id: 2, payload: { url, body: 'reject' } } as unknown as OutboxRow)).rejects.toThrow('HTTP 500');
  });

  it('refuses private addresses unless allowed: literal ones, and host names that resolve to one', async () => {
    const before = received.length;
    const strict = webhookTransport();
    await expect(strict({ id: 3, payload: { url, body: { event: 'x' } } } as unknown as OutboxRow)).rejects.toBeInstanceOf(PrivateAddressError);
    // A public-looking name whose DNS answer is the loopback address (the connection would use that answer).
    const port = (server.address() as AddressInfo).port;
    const rebinding: typeof lookup = ((_host: string, _options: unknown, callback: (e: null, a: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof lookup;
    const named = { id: 4, payload: { url: `http://hooks.example.test:${port}/hook`, body: { event: 'named' } } } as unknown as OutboxRow;
    await expect(webhookTransport({ resolve: rebinding })(named)).rejects.toBeInstanceOf(PrivateAddressError);
    expect(received.length).toBe(before);
    // Allowed on purpose (PLEDGE_WEBHOOK_ALLOW_PRIVATE), the same name is delivered to the address it resolves to.
    await webhookTransport({ resolve: rebinding, allowPrivate: true })(named);
    expect(received.at(-1)!.body).toBe('{"event":"named"}');
  });
});
