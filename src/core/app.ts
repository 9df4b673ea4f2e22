/** Assembles the long-lived parts of a running Pledge from the configuration. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { App } from './context.js';
import { deriveKeys, generateSecret } from './crypto.js';
import { openDatabase, runMigrations, type Database } from './db/client.js';
import { EventBus } from './events.js';

/**
 * The installation secret: `PLEDGE_SECRET`, or for the embedded database a key generated once into
 * `<data>/secret.key`. Several app nodes on one PostgreSQL server must share it, so there it is required.
 */
export function resolveSecret(config: Config): string {
  if (config.secret) return config.secret;
  if (config.databaseUrl) {
    throw new Error('PLEDGE_SECRET is required with DATABASE_URL: every app node must encrypt personal data with the same key.');
  }
  const file = path.join(config.dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = generateSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

export interface CreateAppOptions {
  database?: Database;
  migrate?: boolean;
  onEventError?: (error: unknown) => void;
}

export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const secret = resolveSecret(config);
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  if (options.migrate ?? true) await runMigrations(database);
  return {
    database,
    keys: deriveKeys(secret),
    config,
    bus: new EventBus((error) => options.onEventError?.(error)),
    nodeId: randomUUID(),
  };
}
