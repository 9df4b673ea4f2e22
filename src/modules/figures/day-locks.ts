/**
 * Per-(organization, local day) transaction locks around a recompute of kpi_daily rows. Two transactions that
 * recompute the same day (two rollup nodes, or the job and `pledge kpi rebuild`) would both delete the day's rows
 * and insert their own, and the second insert would collide with the first's rows; the lock makes the second wait
 * and then replace them. Advisory locks are released at commit or rollback.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../core/db/client.js';

/** The advisory-lock namespace of rollup days (the first key of the two-key form). */
const NAMESPACE = 7_301;

const key = (orgId: string, day: string) => `${orgId}|${day}`;

/** Waits for and takes the locks of these days, in sorted order (so two callers cannot deadlock). */
export async function lockDaysTx(t: Executor, orgId: string, days: readonly string[]): Promise<void> {
  for (const day of [...new Set(days)].sort()) {
    await t.execute(sql`SELECT pg_advisory_xact_lock(${NAMESPACE}, hashtext(${key(orgId, day)}))`);
  }
}

/** Takes the locks that are free right now, without waiting; returns the days taken. */
export async function tryLockDaysTx(t: Executor, orgId: string, days: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(days)].sort();
  if (wanted.length === 0) return [];
  const result = await t.execute(sql`
    SELECT d AS day, pg_try_advisory_xact_lock(${NAMESPACE}, hashtext(${orgId}::text || '|' || d)) AS taken
    FROM unnest(${`{${wanted.join(',')}}`}::text[]) AS d`);
  return rowsOf<{ day: string; taken: boolean }>(result)
    .filter((r) => r.taken)
    .map((r) => r.day)
    .sort();
}
