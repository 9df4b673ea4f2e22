/**
 * In-process caches of an organization's configuration (calendars, commitment versions in force, request
 * settings, routing rules, webhooks…), read on every request registration but changed rarely.
 *
 * Correctness rests on one counter per organization, `config_generations.generation`, which database
 * triggers raise in the same transaction as any change to the cached tables (migration 0009), whichever
 * code path or app node writes it. A transaction reads the counter once (usually folded into a query it
 * makes anyway) and uses a cached section only if it was loaded at that generation or later; otherwise it
 * loads the section inside the transaction and caches it under the generation it saw. Because the counter
 * and the configuration commit together and the counter is read first, a cached value is never older than
 * what the transaction could see: "the next registration sees the change", on every node. A transaction
 * that changed configuration itself (the counter row is its own, uncommitted) bypasses the cache.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { App, TxCtx } from './context.js';
import { rowsOf, type Tx } from './db/client.js';

export interface OrgCacheSection<T> {
  /** For diagnostics only. */
  name: string;
  /** Loads the section inside the transaction (it sees the transaction's snapshot). */
  load(t: TxCtx): Promise<T>;
}

export function defineOrgCache<T>(name: string, load: (t: TxCtx) => Promise<T>): OrgCacheSection<T> {
  return { name, load };
}

interface Check {
  generation: number;
  /** The counter row was written by this (uncommitted) transaction. */
  own: boolean;
}

interface Entry {
  generation: number;
  value: Promise<unknown>;
}

const MAX_ORGS = 1000;
const caches = new WeakMap<App, Map<string, Map<OrgCacheSection<unknown>, Entry>>>();
const checks = new WeakMap<Tx, Map<string, Check>>();

/** Columns to add to a query the caller makes anyway: `SELECT …, ${generationColumns(orgId)}`. */
export function generationColumns(orgId: string): SQL {
  return sql`coalesce((SELECT generation FROM config_generations WHERE org_id = ${orgId}), 0)::text AS cfg_generation,
    coalesce((SELECT xmin = pg_current_xact_id_if_assigned()::xid FROM config_generations WHERE org_id = ${orgId}), false) AS cfg_own`;
}

/** Records the generation read by {@link generationColumns} for this transaction. */
export function primeGeneration(t: TxCtx, row: { cfg_generation: string | number; cfg_own: boolean | string }): void {
  let map = checks.get(t.tx);
  if (!map) checks.set(t.tx, (map = new Map<string, Check>()));
  map.set(t.orgId, { generation: Number(row.cfg_generation), own: row.cfg_own === true || row.cfg_own === 't' || row.cfg_own === 'true' });
}

async function checkOf(t: TxCtx): Promise<Check> {
  const known = checks.get(t.tx)?.get(t.orgId);
  if (known) return known;
  const [row] = rowsOf<{ cfg_generation: string; cfg_own: boolean }>(await t.tx.execute(sql`SELECT ${generationColumns(t.orgId)}`));
  primeGeneration(t, row!);
  return checks.get(t.tx)!.get(t.orgId)!;
}

function sectionsOf(app: App, orgId: string): Map<OrgCacheSection<unknown>, Entry> {
  let orgs = caches.get(app);
  if (!orgs) caches.set(app, (orgs = new Map<string, Map<OrgCacheSection<unknown>, Entry>>()));
  let sections = orgs.get(orgId);
  if (!sections) {
    if (orgs.size >= MAX_ORGS) orgs.delete(orgs.keys().next().value!);
    orgs.set(orgId, (sections = new Map<OrgCacheSection<unknown>, Entry>()));
  }
  return sections;
}

/** The section for the transaction's organization: cached when current, else loaded (and cached). */
export async function cached<T>(t: TxCtx, section: OrgCacheSection<T>): Promise<T> {
  const check = await checkOf(t);
  if (check.own) return section.load(t);
  const sections = sectionsOf(t.app, t.orgId);
  const hit = sections.get(section);
  // Another transaction's load that fails (its transaction is failing) is not this one's failure.
  if (hit && hit.generation >= check.generation) return (hit.value as Promise<T>).catch(() => section.load(t));
  // A real promise, settled once (a query builder is a thenable that would run again on every await).
  const value: Promise<T> = (async () => section.load(t))();
  const entry = { generation: check.generation, value };
  sections.set(section, entry);
  // A failed load (the transaction is failing) must not be served to others.
  value.catch(() => {
    if (sections.get(section) === entry) sections.delete(section);
  });
  return value;
}

/** Forgets everything cached for an app (tests). */
export function clearOrgCache(app: App): void {
  caches.delete(app);
}
