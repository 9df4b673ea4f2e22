/**
 * The demo's history: the plan (pure) covers the last full quarter up to five days before the seed, every channel,
 * type, category and agent, in the halls' opening hours, each request's steps in order and nothing after the seed;
 * seeded through the services, its requests are closed, rated, called back and rolled up, so the figures are there.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import pg from 'pg';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createApp } from '../core/app.js';
import type { App } from '../core/context.js';
import { openDatabase, type Database } from '../core/db/client.js';
import { auditLog, organizations } from '../core/db/schema.js';
import { calls } from '../modules/channels/schema.js';
import { correctiveActions } from '../modules/corrective-actions/schema.js';
import { callbacks, evaluations } from '../modules/evaluations/schema.js';
import { cnHolidayYear } from '../modules/calendars/cn-holidays.js';
import { lastFullPeriods } from '../modules/commitments/public-figures.js';
import { kpiDaily, kpiDirtyDays } from '../modules/figures/schema.js';
import { targetFigures } from '../modules/figures/targets.js';
import { clocks } from '../modules/clocks/schema.js';
import { monthlyReports } from '../modules/reports/schema.js';
import { requests } from '../modules/requests/schema.js';
import { testConfig } from '../test/harness.js';
import { HISTORY_REQUESTS, historySpan, instants, planHistory } from './history.js';
import { seedDemo } from './seed.js';

const ZONE = 'Asia/Shanghai';
const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE });

describe('the history plan', () => {
  for (const seeded of ['2026-11-23T22:25:00Z', '2027-01-05T01:00:00Z', '2026-10-08T09:30:00Z']) {
    it(`spans the last full quarter to five days before a seed on ${seeded}, in order, never after the seed`, () => {
      const seededAt = Date.parse(seeded);
      const plan = planHistory(seededAt);
      expect(plan).toHaveLength(HISTORY_REQUESTS);
      expect(planHistory(seededAt)).toEqual(plan);
      // Calls are answered seconds after they ring, mostly within the 20 s of the service level.
      const answerSeconds = plan.flatMap((c) => (c.call ? [(c.call.answeredAt - c.call.ringAt) / 1000] : []));
      expect(answerSeconds.filter((s) => s <= 20).length / answerSeconds.length).toBeGreaterThan(0.6);
      const { first, last } = historySpan(seededAt);
      const today = local(seededAt).startOf('day');
      expect(first.toISODate()).toBe(today.startOf('quarter').minus({ quarters: 1 }).toISODate());
      expect(last.toISODate()).toBe(today.minus({ days: 5 }).toISODate());
      for (const [i, c] of plan.entries()) {
        if (i > 0) expect(c.at).toBeGreaterThanOrEqual(plan[i - 1]!.at);
        expect(local(c.at) >= first).toBe(true);
        expect(local(c.at) < last.plus({ days: 1 })).toBe(true);
        const steps = instants(c);
        for (let k = 1; k < steps.length; k++) expect(steps[k]!, `step ${k} of case ${i}`).toBeGreaterThan(steps[k - 1]!);
        expect(steps[steps.length - 1]!).toBeLessThanOrEqual(seededAt - 2 * 3600_000);
        if (c.channel === 'walk_in') {
          const t = local(c.at);
          expect(t.hour * 60 + t.minute).toBeGreaterThanOrEqual(9 * 60);
          expect(t.hour * 60 + t.minute).toBeLessThanOrEqual(16 * 60 + 31);
          // Open Monday to Saturday (城东) or Friday (城西), and on the weekend days worked for a holiday (调休).
          const day = cnHolidayYear(t.year)?.days.find((h) => h.date === t.toISODate());
          expect(day?.kind).not.toBe('holiday');
          if (day?.kind !== 'workday') expect(t.weekday).toBeLessThanOrEqual(c.branch === 'EAST' ? 6 : 5);
          expect(['EAST', 'WEST']).toContain(c.branch);
        } else {
          expect(c.branch).toBe('HQ');
        }
        expect(c.call !== null).toBe(c.channel === 'phone');
        expect(c.verdict !== null).toBe(c.topic.type === 'complaint');
      }
      const kinds = (f: (c: (typeof plan)[number]) => string) => new Set(plan.map(f));
      expect(kinds((c) => c.channel)).toEqual(new Set(['phone', 'walk_in', 'chat', 'app', 'social', 'web', 'email']));
      expect(kinds((c) => c.topic.type)).toEqual(new Set(['consultation', 'service_request', 'complaint', 'suggestion']));
      expect(kinds((c) => c.agent).size).toBe(10);
      expect(kinds((c) => c.topic.category).size).toBe(12);
      expect(kinds((c) => c.outcome.kind)).toEqual(new Set(['rated', 'archived', 'not_solved']));
      // Some replies are late (the first-response clocks record breaches): chat within 5 minutes or not.
      const chats = plan.filter((c) => c.channel === 'chat' || c.channel === 'app' || c.channel === 'social');
      expect(chats.some((c) => c.replyAt! - c.at > 6 * 60_000)).toBe(true);
      expect(chats.filter((c) => c.replyAt! - c.at <= 5 * 60_000).length).toBeGreaterThan(chats.length * 0.8);
    });
  }
});

/**
 * A database of its own (the demo organization's code is fixed): in memory on PGlite; on PostgreSQL a fresh
 * database on the TEST_DATABASE_URL server, dropped afterwards.
 */
async function demoDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = await openDatabase({});
    return { database, drop: () => database.close() };
  }
  const name = `pledge_demo_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: target.toString() });
  return {
    database,
    drop: async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}

describe('the seeded history', () => {
  it('closes every request through the services, rates, calls back, rectifies and rolls the figures up', async () => {
    const { database, drop } = await demoDatabase();
    const app = await createApp(testConfig(), { database, migrate: true });
    try {
      await checkSeeded(app);
    } finally {
      await drop();
    }
  }, 300_000);
});

/** Seeds the demo and checks its history. */
async function checkSeeded(app: App): Promise<void> {
  await seedDemo(app);
  const db = app.database.db;
  const [org] = await db.select().from(organizations).where(eq(organizations.code, 'demo'));
  const orgId = org!.id;
  const now = Date.now();
  const cutoff = new Date(historySpan(now).last.plus({ days: 1 }).toMillis());
  const old = await db.select().from(requests).where(and(eq(requests.orgId, orgId), lt(requests.createdAt, cutoff)));
  expect(old).toHaveLength(HISTORY_REQUESTS);
  expect(old.every((r) => r.state === 'archived')).toBe(true);
  expect(new Set(old.map((r) => r.channel)).size).toBe(7);
  expect(old.some((r) => r.reopenCount > 0)).toBe(true);
  // Registered by the request service (its audit entries), at their own past instants.
  const [registered] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, 'request.register'), lt(auditLog.at, cutoff)));
  expect(registered!.n).toBe(HISTORY_REQUESTS);
  // The hotline's calls, most turned into requests or logged as resolved at first contact.
  const oldCalls = await db.select().from(calls).where(and(eq(calls.orgId, orgId), lt(calls.ringAt, cutoff)));
  expect(oldCalls.filter((c) => c.requestId !== null).length).toBe(old.filter((r) => r.channel === 'phone').length);
  expect(oldCalls.some((c) => c.outcome === 'resolved_first_contact')).toBe(true);
  // No clock of the history left running; some were met late (breached).
  const ids = new Set(old.map((r) => r.id));
  const oldClocks = (await db.select().from(clocks).where(eq(clocks.orgId, orgId))).filter((c) => ids.has(c.subjectId));
  expect(oldClocks.filter((c) => c.state === 'running' || c.state === 'paused')).toEqual([]);
  expect(oldClocks.some((c) => c.breachedAt !== null && c.kind === 'first_response')).toBe(true);
  // Ratings from surveys, the portal and callbacks; bad ones verified; callbacks all made.
  const rated = await db.select().from(evaluations).where(and(eq(evaluations.orgId, orgId), lt(evaluations.at, cutoff)));
  expect(new Set(rated.map((e) => e.source))).toEqual(new Set(['survey', 'portal', 'callback']));
  expect(rated.some((e) => e.level <= 2)).toBe(true);
  const oldCallbacks = (await db.select().from(callbacks).where(eq(callbacks.orgId, orgId))).filter((c) => ids.has(c.requestId));
  expect(oldCallbacks.length).toBeGreaterThan(5);
  expect(oldCallbacks.filter((c) => c.state === 'pending')).toEqual([]);
  // Corrective actions of bad ratings and upheld complaints, worked and closed, each with an owner.
  const actions = await db.select().from(correctiveActions).where(and(eq(correctiveActions.orgId, orgId), lt(correctiveActions.createdAt, cutoff)));
  expect(actions.map((a) => a.source)).toEqual(expect.arrayContaining(['bad_rating', 'complaint']));
  expect(actions.every((a) => a.state === 'closed' && a.ownerId !== null)).toBe(true);
  // Rolled up at the end of the seed: no day left to the job, and the last month's figures are there.
  expect(await db.select().from(kpiDirtyDays).where(eq(kpiDirtyDays.orgId, orgId))).toEqual([]);
  const { month, quarter } = lastFullPeriods(new Date(now), ZONE);
  const days = await db.select({ n: sql<number>`count(DISTINCT ${kpiDaily.day})::int` }).from(kpiDaily).where(and(eq(kpiDaily.orgId, orgId), gte(kpiDaily.day, quarter.firstDay), eq(kpiDaily.dim, 'org')));
  expect(days[0]!.n).toBeGreaterThan(40);
  const figures = await targetFigures(db, orgId, { grain: 'month', from: month.firstDay, to: month.lastDay });
  const first = figures.targets.find((t) => t.key === 'first-response')!;
  expect(first.values[0]!.figure).not.toBeNull();
  const resolution = figures.targets.find((t) => t.key === 'resolution-rate')!;
  expect(resolution.values[0]!.figure).toBeGreaterThan(50);
  // And last month's report is there to open, generated by the manager.
  const reports = await db.select({ month: monthlyReports.month, status: monthlyReports.status, by: monthlyReports.generatedByName, size: monthlyReports.size }).from(monthlyReports).where(eq(monthlyReports.orgId, orgId));
  expect(reports).toEqual([{ month: month.key, status: 'ready', by: '李文静', size: expect.any(Number) }]);
  expect(reports[0]!.size).toBeGreaterThan(5000);
}
