import { and, eq, gte } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../core/app.js';
import { openDatabase } from '../core/db/client.js';
import { organizations } from '../core/db/schema.js';
import { evaluations, surveys } from '../modules/evaluations/schema.js';
import { requests } from '../modules/requests/schema.js';
import { testConfig } from '../test/harness.js';
import { historySpan } from './history.js';
import { seedDemo } from './seed.js';

describe('demo surveys and ratings', () => {
  it('answers surveys through the survey page: real ratings on archived requests, one reopened, one waiting', async () => {
    const app = await createApp(testConfig(), { database: await openDatabase({}), migrate: true });
    await seedDemo(app);
    const db = app.database.db;
    const [org] = await db.select().from(organizations).where(eq(organizations.code, 'demo'));
    // The ratings of this demo's requests, of the last four days (the history, src/demo/history.ts, rates its own,
    // registered before the first of those days).
    const since = new Date(historySpan(Date.now()).last.plus({ days: 1 }).toMillis());
    const recent = await db.select({ id: requests.id }).from(requests).where(and(eq(requests.orgId, org!.id), gte(requests.createdAt, since)));
    const ids = new Set(recent.map((r) => r.id));
    const rated = (await db.select().from(evaluations).where(and(eq(evaluations.orgId, org!.id), eq(evaluations.source, 'survey')))).filter((e) => e.requestId !== null && ids.has(e.requestId));
    expect(rated.map((e) => e.level).sort()).toEqual([2, 3, 4, 5]);
    const archived = await db.select({ id: requests.id, rating: requests.rating }).from(requests).where(and(eq(requests.orgId, org!.id), eq(requests.state, 'archived')));
    expect(archived.filter((r) => r.rating !== null).length).toBeGreaterThanOrEqual(3);
    const reopened = rated.find((e) => e.level === 2)!;
    expect(reopened.resolved).toBe(false);
    const [req] = await db.select().from(requests).where(eq(requests.id, reopened.requestId!));
    expect(req).toMatchObject({ state: 'handling', reopenCount: 1 });
    const pending = await db.select().from(surveys).where(and(eq(surveys.orgId, org!.id), eq(surveys.state, 'pending')));
    expect(pending.length).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
