/**
 * Connections the PostgreSQL server drops (a restart, pg_terminate_backend, an idle timeout) must neither end the
 * process nor silence the node: an idle pooled connection is replaced, and the LISTEN connection reconnects and
 * listens again. PostgreSQL only (PGlite has no server to drop anything).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { engine, openTestDatabase } from '../../test/harness.js';
import { rowsOf } from './client.js';

describe('PostgreSQL connections dropped by the server', () => {
  it.runIf(engine === 'postgres')('the pool replaces a terminated idle connection and LISTEN reconnects', async () => {
    const database = await openTestDatabase();
    const admin = await openTestDatabase();
    try {
      const channel = `pledge_test_${randomUUID().slice(0, 8)}`;
      const got: string[] = [];
      await database.listen(channel, (payload) => got.push(payload));
      await database.db.execute(sql`SELECT 1`); // an idle pooled connection now exists
      const pids = rowsOf<{ pid: number }>(
        await admin.db.execute(sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND application_name = '' AND (query ILIKE ${`LISTEN%${channel}%`} OR query = 'SELECT 1')`),
      );
      expect(pids.length).toBeGreaterThanOrEqual(2);
      for (const { pid } of pids) await admin.db.execute(sql`SELECT pg_terminate_backend(${pid})`);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the server's goodbye reaches the idle connections
      // Queries still work (the dead idle connection is discarded), and notifications arrive again.
      const deadline = Date.now() + 15_000;
      while (!got.includes('after') && Date.now() < deadline) {
        await database.db.execute(sql`SELECT pg_notify(${channel}, 'after')`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(got).toContain('after');
    } finally {
      await database.close();
      await admin.close();
    }
  }, 30_000);
});
