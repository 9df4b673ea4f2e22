/**
 * The database: embedded PGlite in a data folder (default) or a PostgreSQL server (`DATABASE_URL`).
 * Both are reached through the same Drizzle API; only LISTEN/NOTIFY and backup differ.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The embedded engine, for backups. */
  pglite?: PGlite;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; omit for an in-memory one (tests). */
  dataDir?: string | undefined;
  /** An existing PGlite data-dir tarball to load (restore, test snapshots). */
  loadDataDir?: Blob | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  let dir: string | undefined;
  if (dataDir) {
    dir = path.join(dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
  }
  const client = await PGlite.create(dir, loadDataDir ? { loadDataDir } : {});
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    async listen(channel, handler) {
      const unsubscribe = await client.listen(channel, handler);
      return async () => unsubscribe();
    },
    async close() {
      await client.close();
    },
  };
}

interface Listener {
  client: pg.Client | null;
  closed: boolean;
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PLEDGE_DB_POOL ?? 10) });
  // An idle pooled connection that the server drops (restart, idle timeout, pg_terminate_backend) emits 'error' on
  // the pool; unhandled, it would end the process. The pool discards that connection and opens a new one when needed.
  pool.on('error', (error) => console.warn(`[db] an idle connection was lost: ${error.message}`));
  const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db;
  const listeners: Listener[] = [];
  return {
    kind: 'postgres',
    db,
    async listen(channel, handler) {
      // A dedicated connection: pooled connections cannot hold a LISTEN. If the server drops it (restart,
      // pg_terminate_backend), it is opened again with a growing delay, so events reach this node again.
      const entry: Listener = { client: null, closed: false };
      const connect = async (): Promise<void> => {
        const client = new pg.Client({ connectionString: url });
        client.on('notification', (msg) => {
          if (msg.channel === channel && msg.payload !== undefined) handler(msg.payload);
        });
        let lost = false;
        const reconnect = (error?: Error) => {
          if (lost || entry.closed) return;
          lost = true;
          console.warn(`[db] the LISTEN connection for ${channel} was lost${error ? `: ${error.message}` : ''}; reconnecting`);
          void client.end().catch(() => undefined);
          const retry = (delay: number) => {
            if (entry.closed) return;
            setTimeout(() => void connect().catch(() => retry(Math.min(delay * 2, 30_000))), delay).unref();
          };
          retry(500);
        };
        client.on('error', reconnect);
        client.on('end', () => reconnect());
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        entry.client = client;
      };
      await connect();
      listeners.push(entry);
      return async () => {
        entry.closed = true;
        listeners.splice(listeners.indexOf(entry), 1);
        await entry.client?.end();
      };
    },
    async close() {
      await Promise.all(
        listeners.splice(0).map((l) => {
          l.closed = true;
          return l.client ? l.client.end() : Promise.resolve();
        }),
      );
      await pool.end();
    },
  };
}

/**
 * Applies the SQL migrations in `drizzle/`. On a server, an advisory lock makes concurrent starts of
 * several app nodes safe.
 */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const session = (database.db as unknown as { $client: pg.Pool }).$client;
  const client = await session.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7304231)');
    try {
      await migratePg(drizzlePg(client, { schema, casing: 'snake_case' }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('SELECT pg_advisory_unlock(7304231)');
    }
  } finally {
    client.release();
  }
}

/** The rows of a raw `db.execute(sql…)` result, which both drivers return as `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
