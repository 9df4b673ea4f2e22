import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../core/app.js';
import { openDatabase } from '../core/db/client.js';
import { organizations } from '../core/db/schema.js';
import { callbacks, evaluationAppeals } from '../modules/evaluations/schema.js';
import { testConfig } from '../test/harness.js';
import { seedDemo } from './seed.js';

describe('demo callbacks', () => {
  it('seeds callbacks in different states and one pending appeal through the services', async () => {
    // Its own database: the demo organization's code is fixed.
    const app = await createApp(testConfig(), { database: await openDatabase({}), migrate: true });
    await seedDemo(app); // createApp seeds an empty embedded database already; this is a no-op then
    const db = app.database.db;
    const [org] = await db.select().from(organizations).where(eq(organizations.code, 'demo'));
    const rows = await db.select().from(callbacks).where(eq(callbacks.orgId, org!.id));
    const states = new Set(rows.map((r) => `${r.purpose}:${r.state}`));
    expect([...states]).toEqual(expect.arrayContaining(['sample:done', 'sample:pending', 'verify:done']));
    expect(rows.some((r) => r.state === 'pending' && r.attempts === 1)).toBe(true);
    const appeals = await db.select().from(evaluationAppeals).where(and(eq(evaluationAppeals.orgId, org!.id), eq(evaluationAppeals.state, 'pending')));
    expect(appeals).toHaveLength(1);
  }, 120_000);
});
