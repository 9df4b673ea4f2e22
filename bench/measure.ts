/**
 * What the benches share: percentiles of timings, and the yardstick every ratio is measured against — one
 * sequential scan of the requests table (indexes and parallel workers off), the median of 5 after a warm-up.
 */
import pg from 'pg';

/** The p-th percentile (nearest rank) of a list of timings. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function scanOnce(pool: pg.Pool): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexonlyscan = off; SET LOCAL max_parallel_workers_per_gather = 0');
    const t0 = performance.now();
    await c.query(`SELECT count(*) FROM requests WHERE description LIKE '%不会出现的词%'`);
    const ms = performance.now() - t0;
    await c.query('ROLLBACK');
    return ms;
  } finally {
    c.release();
  }
}

/** Median milliseconds of one full scan of requests (prints the figure). */
export async function fullScanMs(pool: pg.Pool): Promise<number> {
  await scanOnce(pool);
  const scans: number[] = [];
  for (let i = 0; i < 5; i++) scans.push(await scanOnce(pool));
  const scan = percentile(scans, 50);
  console.log(`full scan of requests: ${scan.toFixed(1)} ms (median of 5)`);
  return scan;
}

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The bench's database: BENCH_DATABASE_URL (kept), else a fresh one on the machine's PostgreSQL named after the
 * bench and this process; `drop()` removes a fresh one at the end.
 */
export async function benchDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, drop: async () => {} };
  const db = `pledge_bench_${name}_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${db}`);
  return { url: `postgres://postgres@127.0.0.1:5432/${db}`, drop: () => admin(`DROP DATABASE ${db} WITH (FORCE)`) };
}
