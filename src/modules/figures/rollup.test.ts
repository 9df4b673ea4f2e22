/**
 * The test that matters (docs/decisions/0002-figures-rollups.md): random writes to the raw tables (requests
 * registered, moved through the loop, reassigned, recategorized, rated, clocks met and breached, corrective actions,
 * callbacks, phone calls, deletions) on random instants around a month boundary in Asia/Shanghai, interleaved with rollup
 * runs; the kpi_daily rows the job leaves must equal a full rebuild of the range, row for row. The writes go
 * to the tables directly (as every service does underneath), so whatever path a service takes, the triggers
 * are what is under test.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { KpiRollupWorker } from '../../jobs/kpi-rollup.js';
import { buildOrg, testApp } from '../../test/harness.js';
import { rowsOf } from '../../core/db/client.js';
import { createCalendar } from '../calendars/service.js';
import { daysBetween, recomputeDaysTx } from './rollup.js';
import { kpiValues } from './service.js';
import { snapshot } from './rollup-snapshot.js';
import { mulberry32 as prng } from '../../core/prng.js';

// 2026-10-02 .. 2026-11-30 local (Shanghai is UTC+8): the window crosses the October/November boundary, and is
// wide enough that one write's days are rarely all marked by other writes before the next rollup run.
const WINDOW_START = Date.parse('2026-10-01T16:00:00Z');
const WINDOW_MS = 60 * 86_400_000;

async function randomRun(seed: number, steps: number) {
  const app = await testApp();
  const org = await buildOrg(app);
  const db = app.database.db;
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const instant = () => new Date(WINDOW_START + Math.floor(rnd() * WINDOW_MS));
  const later = (d: Date) => new Date(Math.min(d.getTime() + Math.floor(rnd() * 20 * 86_400_000), WINDOW_START + WINDOW_MS - 1));
  const agents = [randomUUID(), randomUUID(), randomUUID(), null];
  const teams = [randomUUID(), randomUUID(), null];
  const branches = [org.headOfficeId, org.branchId];
  const types = ['consultation', 'complaint', 'service_request'];
  const channels = ['phone', 'web', 'email'];
  const categories = [randomUUID(), randomUUID(), null];
  const requests: { id: string; created: Date }[] = [];
  const clocks: { id: string; requestId: string; started: Date }[] = [];
  const evals: string[] = [];
  const actions: { id: string; created: Date }[] = [];
  const callbacks: { id: string; requestId: string }[] = [];
  const calls: string[] = [];
  // A default calendar, so complaints count their handling working days (a holiday and a working Saturday in it).
  const office = [['09:00', '18:00']];
  await createCalendar(org.system, { name: '办公', timeZone: 'Asia/Shanghai', week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] }, overrides: { '2026-10-28': [], '2026-11-07': office } }, { isDefault: true, holidayRegion: null });
  const worker = new KpiRollupWorker(app, { batchSize: 7 });
  let n = 0;

  for (let i = 0; i < steps; i++) {
    const op = rnd();
    if (op < 0.2 || requests.length === 0) {
      const created = instant();
      const id = randomUUID();
      await db.execute(sql`INSERT INTO requests (id, org_id, number, type, priority, channel, state, subject, branch_id, team_id, assignee_id, category_id, last_activity_at, created_at, updated_at)
        VALUES (${id}, ${org.orgId}, ${`N${seed}-${n++}`}, ${pick(types)}, 'general', ${pick(channels)}, 'registered', 's', ${pick(branches)}, ${pick(teams)}, ${pick(agents)}, ${pick(categories)}, ${created}, ${created}, ${created})`);
      requests.push({ id, created });
    } else if (op < 0.45) {
      const r = pick(requests);
      const what = pick(['resolve', 'archive', 'reopen', 'reassign', 'retype', 'recategorize', 'merge', 'touch', 'delete'] as const);
      if (what === 'resolve') await db.execute(sql`UPDATE requests SET resolved_at = ${later(r.created)}, state = 'feedback' WHERE id = ${r.id}`);
      else if (what === 'archive') await db.execute(sql`UPDATE requests SET resolved_at = coalesce(resolved_at, ${later(r.created)}), archived_at = ${later(r.created)}, state = 'archived' WHERE id = ${r.id}`);
      else if (what === 'reopen') await db.execute(sql`UPDATE requests SET archived_at = NULL, resolved_at = NULL, state = 'handling', reopen_count = reopen_count + 1 WHERE id = ${r.id}`);
      else if (what === 'reassign') await db.execute(sql`UPDATE requests SET assignee_id = ${pick(agents)}, team_id = ${pick(teams)}, branch_id = ${pick(branches)} WHERE id = ${r.id}`);
      else if (what === 'retype') await db.execute(sql`UPDATE requests SET type = ${pick(types)}, channel = ${pick(channels)} WHERE id = ${r.id}`);
      else if (what === 'recategorize') await db.execute(sql`UPDATE requests SET category_id = ${pick(categories)} WHERE id = ${r.id}`);
      else if (what === 'merge') await db.execute(sql`UPDATE requests SET state = 'merged', archived_at = NULL WHERE id = ${r.id}`);
      else if (what === 'touch') await db.execute(sql`UPDATE requests SET last_activity_at = ${instant()}, subject = 'x' WHERE id = ${r.id}`);
      else {
        await db.execute(sql`DELETE FROM requests WHERE id = ${r.id}`);
        requests.splice(requests.indexOf(r), 1);
      }
    } else if (op < 0.65) {
      const r = pick(requests);
      // Half the time an outcome for any clock (most requests have none of their own yet).
      const existing = clocks.length > 0 && rnd() < 0.5 ? clocks : clocks.filter((c) => c.requestId === r.id);
      if (existing.length === 0 || rnd() < 0.4) {
        const id = randomUUID();
        const kind = pick(['first_response', 'first_response', 'resolution', 'initial_solution', 'result.delivered', 'resolved', 'archived', 'complaint.registered']);
        await db.execute(sql`INSERT INTO clocks (id, org_id, subject_type, subject_id, kind, target_key, calendar_id, duration, state, started_at, due_at, created_at, updated_at)
          VALUES (${id}, ${org.orgId}, 'request', ${r.id}, ${kind}, ${pick([kind, null])}, ${randomUUID()}, 'PT1H', 'running', ${r.created}, ${later(r.created)}, ${r.created}, ${r.created})`);
        clocks.push({ id, requestId: r.id, started: r.created });
      } else {
        const c = pick(existing);
        const what = pick(['met', 'late', 'breach', 'cancel'] as const);
        const at = later(c.started);
        if (what === 'met') await db.execute(sql`UPDATE clocks SET state = 'met', met_at = ${at}, breached_at = NULL WHERE id = ${c.id}`);
        else if (what === 'late') await db.execute(sql`UPDATE clocks SET state = 'met', met_at = ${later(at)}, breached_at = ${at} WHERE id = ${c.id}`);
        else if (what === 'breach') await db.execute(sql`UPDATE clocks SET state = 'breached', met_at = NULL, breached_at = ${at} WHERE id = ${c.id}`);
        else await db.execute(sql`UPDATE clocks SET state = 'cancelled', cancelled_at = ${at} WHERE id = ${c.id}`);
      }
    } else if (op < 0.8) {
      if (evals.length === 0 || rnd() < 0.6) {
        const r = pick(requests);
        const id = randomUUID();
        const at = later(r.created);
        await db.execute(sql`INSERT INTO evaluations (id, org_id, source, request_id, level, agent_id, team_id, branch_id, channel, request_type, verification, at, created_at, updated_at)
          VALUES (${id}, ${org.orgId}, ${pick(['survey', 'portal', 'callback', 'default', 'campaign'])}, ${r.id}, ${1 + Math.floor(rnd() * 5)}, ${pick(agents)}, ${pick(teams)}, ${pick(branches)},
            ${pick(channels)}, ${pick(types)}, ${pick([null, null, 'pending', 'confirmed'])}, ${at}, ${at}, ${at})`);
        evals.push(id);
      } else {
        const id = pick(evals);
        const what = pick(['exclude', 'verify', 'move'] as const);
        if (what === 'exclude') await db.execute(sql`UPDATE evaluations SET excluded = NOT excluded WHERE id = ${id}`);
        else if (what === 'verify') await db.execute(sql`UPDATE evaluations SET verification = ${pick(['pending', 'confirmed', null])} WHERE id = ${id}`);
        else await db.execute(sql`UPDATE evaluations SET at = ${instant()} WHERE id = ${id}`);
      }
    } else if (op < 0.9) {
      if (actions.length === 0 || rnd() < 0.5) {
        const id = randomUUID();
        const created = instant();
        await db.execute(sql`INSERT INTO corrective_actions (id, org_id, number, source, source_key, request_id, finding, state, branch_id, team_id, agent_id, deadline_duration, due_at, created_at, updated_at)
          VALUES (${id}, ${org.orgId}, ${`ZG-${seed}-${n++}`}, 'manual', ${`k${n}`}, ${rnd() < 0.5 ? pick(requests).id : null}, 'f', 'open', ${pick(branches)}, ${pick(teams)}, ${pick(agents)}, 'P5D', ${later(created)}, ${created}, ${created})`);
        actions.push({ id, created });
      } else {
        const a = pick(actions);
        const what = pick(['close', 'overdue', 'cancel'] as const);
        if (what === 'close') await db.execute(sql`UPDATE corrective_actions SET state = 'closed', closed_at = ${later(a.created)}, closed_on_time = ${pick(['yes', 'no'])} WHERE id = ${a.id}`);
        else if (what === 'overdue') await db.execute(sql`UPDATE corrective_actions SET overdue_at = ${later(a.created)} WHERE id = ${a.id}`);
        else await db.execute(sql`UPDATE corrective_actions SET state = 'cancelled' WHERE id = ${a.id}`);
      }
    } else if (op < 0.95) {
      if (calls.length === 0 || rnd() < 0.6) {
        const id = randomUUID();
        const ring = instant();
        const answered = rnd() < 0.6 ? new Date(ring.getTime() + Math.floor(rnd() * 40_000)) : null;
        const ended = rnd() < 0.8 ? new Date(ring.getTime() + Math.floor(rnd() * 10_000) + (answered ? 40_000 : 0)) : null;
        await db.execute(sql`INSERT INTO calls (id, org_id, direction, ring_at, answered_at, ended_at, agent_id, request_id, outcome, created_at, updated_at)
          VALUES (${id}, ${org.orgId}, ${pick(['inbound', 'inbound', 'outbound'])}, ${ring}, ${answered}, ${ended}, ${answered ? pick(agents) : null}, ${rnd() < 0.5 ? pick(requests).id : null}, 'open', ${ring}, ${ring})`);
        calls.push(id);
      } else {
        const id = pick(calls);
        const what = pick(['answer', 'move', 'reassign', 'delete'] as const);
        if (what === 'answer') await db.execute(sql`UPDATE calls SET answered_at = ring_at + make_interval(secs => ${Math.floor(rnd() * 40)}), ended_at = NULL WHERE id = ${id}`);
        else if (what === 'move') await db.execute(sql`UPDATE calls SET ring_at = ${instant()} WHERE id = ${id} AND answered_at IS NULL`);
        else if (what === 'reassign') await db.execute(sql`UPDATE calls SET agent_id = ${pick(agents)} WHERE id = ${id}`);
        else {
          await db.execute(sql`DELETE FROM calls WHERE id = ${id}`);
          calls.splice(calls.indexOf(id), 1);
        }
      }
    } else {
      if (callbacks.length === 0 || rnd() < 0.5) {
        const r = pick(requests);
        const id = randomUUID();
        await db.execute(sql`INSERT INTO callbacks (id, org_id, request_id, purpose, state, created_at, updated_at) VALUES (${id}, ${org.orgId}, ${r.id}, 'sample', 'pending', ${r.created}, ${r.created})`);
        callbacks.push({ id, requestId: r.id });
      } else {
        const c = pick(callbacks);
        await db.execute(sql`UPDATE callbacks SET state = ${pick(['done', 'done', 'unreachable'])}, called_at = ${instant()} WHERE id = ${c.id}`);
      }
    }
    if (rnd() < 0.4) await worker.runOnce();
  }
  await worker.runOnce();
  const incremental = await snapshot(db, org.orgId);
  await db.transaction((tx) => recomputeDaysTx(tx, org.orgId, daysBetween('2026-09-25', '2026-12-10')));
  const rebuilt = await snapshot(db, org.orgId);
  // The backlog at the end of October and November, from the rollups, against a count of the open requests.
  const backlog = await kpiValues(org.system, { indicators: 'backlog', grain: 'month', from: '2026-10-01', to: '2026-11-30' });
  const open = async (end: string) => {
    const [row] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM requests WHERE org_id = ${org.orgId} AND state <> 'merged'
      AND created_at < ${new Date(`${end}T00:00:00+08:00`)} AND NOT (state = 'archived' AND archived_at < ${new Date(`${end}T00:00:00+08:00`)})`));
    return row!.n;
  };
  const backlogs = { measured: backlog.values.map((v) => v.figure), counted: [await open('2026-11-01'), await open('2026-12-01')] };
  return { incremental, rebuilt, backlogs };
}

describe('rollups = rebuild on random data', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: every kpi_daily row the job leaves equals a full rebuild of the range`, async () => {
      const { incremental, rebuilt, backlogs } = await randomRun(seed, 320);
      // The data is not trivial: rows on several days, with counts in them.
      expect(rebuilt.length).toBeGreaterThan(20);
      const orgRows = rebuilt.filter((r) => r.key.includes('|org|'));
      expect(orgRows.reduce((s, r) => s + r.counters.accepted, 0)).toBeGreaterThan(5);
      expect(orgRows.some((r) => r.counters.frMetOnTime + r.counters.frMetLate + r.counters.frBreached > 0)).toBe(true);
      expect(orgRows.some((r) => Object.keys(r.counters.ratings).length > 0)).toBe(true);
      const total = (k: 'callsOffered' | 'initialSolutionTotal' | 'complaintHandlingTotal' | 'complaintsHandled') => orgRows.reduce((s, r) => s + r.counters[k], 0);
      expect(total('callsOffered')).toBeGreaterThan(0);
      expect(total('initialSolutionTotal') + total('complaintHandlingTotal')).toBeGreaterThan(0);
      expect(total('complaintsHandled')).toBeGreaterThan(0);
      // Each dimension's rows add up to the organization's (a fact has one value per dimension, '' for none).
      for (const dim of ['agent', 'category']) {
        const sum = (d: string, k: 'accepted' | 'completed' | 'callbacksDone' | 'caOpened') => rebuilt.filter((r) => r.key.startsWith(`${d}|`)).reduce((s, r) => s + r.counters[k], 0);
        for (const day of new Set(orgRows.map((r) => r.key.slice(0, 10)))) {
          for (const k of ['accepted', 'completed', 'callbacksDone', 'caOpened'] as const) expect(sum(`${day}|${dim}`, k), `${day} ${dim} ${k}`).toBe(sum(`${day}|org`, k));
        }
      }
      expect(rebuilt.some((r) => r.key.includes('|category|') && !r.key.endsWith('|category|'))).toBe(true);
      expect(incremental).toEqual(rebuilt);
      expect(backlogs.measured).toEqual(backlogs.counted);
      expect(backlogs.counted[0]).toBeGreaterThan(0);
    }, 60_000);
  }
});

describe('hand-checked counters of one day', () => {
  it('ratings (per source, satisfied from the settings level, pending and excluded rules), callbacks, corrective actions; reassigning moves the clocks', async () => {
    const app = await testApp();
    const org = await buildOrg(app);
    const db = app.database.db;
    const agentA = randomUUID();
    const agentB = randomUUID();
    const day = '2026-11-02';
    const at = new Date('2026-11-02T10:00:00+08:00');
    const r = randomUUID();
    await db.execute(sql`INSERT INTO requests (id, org_id, number, type, priority, channel, state, subject, branch_id, assignee_id, last_activity_at, created_at, updated_at, archived_at, resolved_at)
      VALUES (${r}, ${org.orgId}, 'H1', 'consultation', 'general', 'web', 'archived', 's', ${org.headOfficeId}, ${agentA}, ${at}, ${new Date('2026-10-28T10:00:00+08:00')}, ${at}, ${at}, ${at})`);
    // A first-response clock started and met on Oct 30 (a day the request's own instants do not touch).
    await db.execute(sql`INSERT INTO clocks (org_id, subject_type, subject_id, kind, target_key, calendar_id, duration, state, started_at, due_at, met_at, created_at, updated_at)
      VALUES (${org.orgId}, 'request', ${r}, 'first_response', 'first-response', ${randomUUID()}, 'PT30M', 'met', ${new Date('2026-10-30T10:00:00+08:00')}, ${new Date('2026-10-30T10:30:00+08:00')},
        ${new Date('2026-10-30T10:20:00+08:00')}, ${at}, ${at})`);
    const rate = (source: string, level: number, agent: string, extra: { verification?: string; excluded?: boolean } = {}) =>
      db.execute(sql`INSERT INTO evaluations (org_id, source, request_id, level, agent_id, branch_id, channel, request_type, verification, excluded, at, created_at, updated_at)
        VALUES (${org.orgId}, ${source}, ${r}, ${level}, ${agent}, ${org.headOfficeId}, 'web', 'consultation', ${extra.verification ?? null}, ${extra.excluded ?? false}, ${at}, ${at}, ${at})`);
    await rate('survey', 5, agentA);
    await rate('portal', 3, agentA); // satisfied from level 3 (the default setting)
    await rate('survey', 1, agentA, { verification: 'pending' }); // counts for the service, not yet for the agent
    await rate('callback', 2, agentB);
    await rate('default', 5, agentA);
    await rate('survey', 1, agentA, { excluded: true }); // upheld appeal: out everywhere
    await db.execute(sql`INSERT INTO callbacks (org_id, request_id, purpose, state, called_at, created_at, updated_at) VALUES (${org.orgId}, ${r}, 'sample', 'done', ${at}, ${at}, ${at}), (${org.orgId}, ${r}, 'sample', 'unreachable', ${at}, ${at}, ${at})`);
    const ca = (state: string, extra: { closedAt?: Date; onTime?: string; overdueAt?: Date }) =>
      db.execute(sql`INSERT INTO corrective_actions (org_id, number, source, source_key, finding, state, agent_id, deadline_duration, due_at, closed_at, closed_on_time, overdue_at, created_at, updated_at)
        VALUES (${org.orgId}, ${`ZG-${randomUUID().slice(0, 8)}`}, 'manual', ${randomUUID()}, 'f', ${state}, ${agentA}, 'P5D', ${at}, ${extra.closedAt ?? null}, ${extra.onTime ?? null}, ${extra.overdueAt ?? null}, ${at}, ${at})`);
    await ca('open', {});
    await ca('closed', { closedAt: at, onTime: 'yes' });
    await ca('closed', { closedAt: at, onTime: 'no', overdueAt: at });
    await ca('cancelled', {});
    await new KpiRollupWorker(app).runOnce();

    const rows = await snapshot(db, org.orgId);
    const row = (d: string, dim: string, value = '') => rows.find((x) => x.key === `${d}|${dim}|${value}`)!.counters;
    const whole = row(day, 'org');
    expect(whole.ratings).toEqual({ survey: { count: 2, levelSum: 6, satisfied: 1 }, portal: { count: 1, levelSum: 3, satisfied: 1 }, callback: { count: 1, levelSum: 2, satisfied: 0 }, default: { count: 1, levelSum: 5, satisfied: 1 } });
    expect(whole).toMatchObject({ ratingsExcluded: 1, ratingsPendingVerification: 1, callbacksDone: 1, caOpened: 3, caClosed: 2, caClosedOnTime: 1, caOverdue: 1, completed: 1, firstContactResolved: 1, accepted: 0 });
    expect(row(day, 'agent', agentA).ratings).toEqual({ survey: { count: 1, levelSum: 5, satisfied: 1 }, portal: { count: 1, levelSum: 3, satisfied: 1 }, default: { count: 1, levelSum: 5, satisfied: 1 } });
    expect(row('2026-10-28', 'org')).toMatchObject({ accepted: 1 });
    expect(row('2026-10-30', 'org')).toMatchObject({ accepted: 0, frMetOnTime: 1, frMillis: 20 * 60_000, targets: { 'first-response': { onTime: 1, total: 1 } } });
    expect(row('2026-10-30', 'agent', agentA)).toMatchObject({ frMetOnTime: 1 });

    // Reassigning the request moves its clock's day (Oct 30) to agent B, though nothing else happened that day.
    await db.execute(sql`UPDATE requests SET assignee_id = ${agentB} WHERE id = ${r}`);
    await new KpiRollupWorker(app).runOnce();
    const after = await snapshot(db, org.orgId);
    expect(after.find((x) => x.key === `2026-10-30|agent|${agentA}`)).toBeUndefined();
    expect(after.find((x) => x.key === `2026-10-30|agent|${agentB}`)!.counters).toMatchObject({ frMetOnTime: 1 });
  }, 60_000);
});
