import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../core/app.js';
import { loadConfig } from '../core/config.js';
import { systemCtx, type App } from '../core/context.js';
import { rowsOf } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import { seedDemo } from '../demo/seed.js';
import { listCustomers, revealCustomerPii } from '../modules/org/customers.js';
import { acquireLock, backup, restore } from './data-dir.js';
import { HISTORY_REQUESTS } from '../demo/history.js';

function embeddedConfig(dataDir: string) {
  return { ...loadConfig({ PLEDGE_DATA_DIR: dataDir }), passwordCost: 10, secret: undefined, databaseUrl: undefined };
}

/** Every row of every table, as sorted JSON lines: a restore must give back exactly this. */
async function snapshot(app: App): Promise<Record<string, string[]>> {
  const tables = rowsOf<{ tablename: string }>(await app.database.db.execute(sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`));
  const out: Record<string, string[]> = {};
  for (const { tablename } of tables) {
    const rows = rowsOf<Record<string, unknown>>(await app.database.db.execute(sql.raw(`SELECT to_jsonb(t) AS r FROM "${tablename}" t`)));
    out[tablename] = rows.map((r) => JSON.stringify(r.r)).sort();
  }
  return out;
}

describe('backup and restore of the embedded database', () => {
  it('gives back every row, and the encrypted personal data stays readable', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pledge-backup-test-'));
    const source = path.join(root, 'source');
    const app = await createApp(embeddedConfig(source));
    await seedDemo(app);
    const before = await snapshot(app);
    await app.database.close();
    expect(before.staff!.length).toBe(15);
    // The demo desk: requests at every step of the loop (plus those rated, called back and rectified in the
    // evaluation and corrective-action demos), with their clocks, messages, ratings and actions.
    expect(before.requests!.length).toBe(13 + HISTORY_REQUESTS); // the desk demo's, and the history's
    expect(before.evaluations!.length).toBeGreaterThan(0);
    expect(before.corrective_actions!.length).toBeGreaterThan(0);
    expect(before.clocks!.length).toBeGreaterThanOrEqual(10);
    expect(before.request_messages!.length).toBeGreaterThan(5);
    expect(before.audit_log!.length).toBeGreaterThan(20);

    const file = path.join(root, 'pledge.backup.tar.gz');
    const manifest = await backup(source, file);
    expect(manifest.includesSecret).toBe(true);

    const target = path.join(root, 'target');
    await restore(file, target);
    const restored = await createApp(embeddedConfig(target));
    expect(await snapshot(restored)).toEqual(before);
    const [org] = rowsOf<{ id: string }>(await restored.database.db.execute(sql`SELECT id FROM organizations`));
    const ctx = systemCtx(restored, org!.id);
    const [customer] = (await listCustomers(ctx, { q: '刘桂兰' })).items;
    expect((await revealCustomerPii(ctx, customer!.id)).phone).toBe('13812341188');
    await restored.database.close();
    // Two embedded databases created, the demo seeded, backed up and restored: slow on a loaded machine.
  }, 120_000);

  it('refuses a non-empty target, a file that is not a backup, and a data folder in use', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pledge-backup-test-'));
    const busy = path.join(root, 'busy');
    writeFileSync(path.join(root, 'junk.tar.gz'), 'not a tarball');
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
    expect(await codeOf(restore(path.join(root, 'junk.tar.gz'), path.join(root, 'empty')))).toBe('backup.invalid_file');
    expect(await codeOf(restore(path.join(root, 'junk.tar.gz'), root))).toBe('backup.data_dir_not_empty');
    const release = acquireLock(busy);
    // A lock held by another live process (pid 1 stands in for a running server).
    writeFileSync(path.join(busy, 'pledge.pid'), '1');
    expect(await codeOf(backup(busy, path.join(root, 'x.tar.gz')))).toBe('backup.data_dir_in_use');
    release();
  });
});
