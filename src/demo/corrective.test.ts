import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../core/app.js';
import { openDatabase } from '../core/db/client.js';
import { organizations } from '../core/db/schema.js';
import { correctiveActions } from '../modules/corrective-actions/schema.js';
import { testConfig } from '../test/harness.js';
import { seedDemo } from './seed.js';

describe('demo corrective actions', () => {
  it('seeds actions in different states, raised and worked through the services', async () => {
    // Its own database: the demo organization's code is fixed.
    const app = await createApp(testConfig(), { database: await openDatabase({}), migrate: true });
    const started = Date.now();
    await seedDemo(app);
    const db = app.database.db;
    const [org] = await db.select().from(organizations).where(eq(organizations.code, 'demo'));
    const rows = await db.select().from(correctiveActions).where(eq(correctiveActions.orgId, org!.id));
    const seen = new Set(rows.map((r) => `${r.source}:${r.state}`));
    expect([...seen]).toEqual(expect.arrayContaining(['bad_rating:in_progress', 'complaint:closed', 'manual:submitted', 'inspection:open']));
    expect(rows.every((r) => /^ZG-\d{8}-\d{4}$/.test(r.number) && r.ownerId !== null)).toBe(true);
    // The demo's upheld complaint, closed on time (the history's actions, raised in the past, are closed too, some late).
    const recent = rows.filter((r) => r.createdAt.getTime() >= started);
    expect(recent.find((r) => r.state === 'closed')!.closedOnTime).toBe('yes');
  }, 120_000);
});
