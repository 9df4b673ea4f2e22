/** Tests: every kpi_daily (and kpi_monthly) row of an organization, in a stable order, as comparable JSON. */
import { eq } from 'drizzle-orm';
import type { Executor } from '../../core/db/client.js';
import { kpiDaily, kpiMonthly } from './schema.js';

export async function snapshot(exec: Executor, orgId: string) {
  const rows = await exec.select().from(kpiDaily).where(eq(kpiDaily.orgId, orgId)).orderBy(kpiDaily.day, kpiDaily.dim, kpiDaily.dimValue);
  return rows.map((r) => ({ key: `${r.day}|${r.dim}|${r.dimValue}`, counters: r.counters, sketches: r.sketches }));
}

export async function monthlySnapshot(exec: Executor, orgId: string) {
  const rows = await exec.select().from(kpiMonthly).where(eq(kpiMonthly.orgId, orgId)).orderBy(kpiMonthly.month, kpiMonthly.dim, kpiMonthly.dimValue);
  return rows.map((r) => ({ key: `${r.month}|${r.dim}|${r.dimValue}`, counters: r.counters, sketches: r.sketches }));
}
