import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../core/app.js';
import { openDatabase } from '../core/db/client.js';
import { organizations } from '../core/db/schema.js';
import { evaluations, surveys } from '../modules/evaluations/schema.js';
import { requests } from '../modules/requests/schema.js';
import { testConfig } from '../test/harness.js';
import { seedDemo } from './seed.js';

describe('demo surveys and ratings', () => {
  it('answers surveys through the survey page: real ratings on archived requests, one reopened, one waiting', async () => {
    const app = await createApp(testConfig(), { database: await openDatabase({}), migrate: true });
    await seedDemo(app);
    const db = app.database.db;
    const [org] = await db.select().from(organizations).where(eq(organizations.code, 'demo'));
    const rated = await db.select().from(evaluations).where(and(eq(evaluations.orgId, org!.id), eq(evaluations.source, 'survey')));
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
