/**
 * Once per test run: on PostgreSQL (TEST_DATABASE_URL) apply the migrations before the workers start, so
 * they do not race; on PGlite each worker builds its own in-memory database.
 */
import { openDatabase, runMigrations } from '../core/db/client.js';

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const database = await openDatabase({ databaseUrl: url });
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
}
