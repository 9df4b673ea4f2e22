/**
 * Test harness: one database per test worker (PGlite in memory, or the PostgreSQL of TEST_DATABASE_URL),
 * shared by the worker's tests, which isolate themselves by building their own organization.
 */
import { randomUUID } from 'node:crypto';
import { createApp } from '../core/app.js';
import { loadConfig, type Config } from '../core/config.js';
import type { Actor, App, Ctx } from '../core/context.js';
import { openDatabase, type Database } from '../core/db/client.js';
import type { Role, Scope } from '../core/policy.js';
import { actorOf } from '../modules/org/auth.js';
import { createStaff } from '../modules/org/staff.js';
import { createBranch, createOrganization } from '../modules/org/structure.js';
import { staff as staffTable } from '../modules/org/schema.js';
import { eq } from 'drizzle-orm';

export const engine: 'pglite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ ...process.env, PLEDGE_DATA_DIR: '/tmp/pledge-test-unused', DATABASE_URL: process.env.TEST_DATABASE_URL ?? '' }),
    secret: 'test-secret-not-for-production',
    passwordCost: 10,
    logLevel: 'silent',
    ...overrides,
  };
}

let shared: Promise<App> | null = null;

/** Opens a fresh database handle (a second app node in tests); migrations are applied. */
export async function openTestDatabase(): Promise<Database> {
  return openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL });
}

/** The worker's shared app. */
export function testApp(): Promise<App> {
  shared ??= (async () => {
    const database = await openTestDatabase();
    // On PostgreSQL the global setup migrated already; running again is a no-op but takes the advisory lock.
    return createApp(testConfig(), { database, migrate: true });
  })();
  return shared;
}

export function ctxAs(app: App, actor: Actor, overrides: Partial<Ctx> = {}): Ctx {
  return { app, actor, orgId: actor.orgId, now: () => new Date(), requestId: `test-${randomUUID()}`, ip: '127.0.0.1', locale: 'zh-CN', ...overrides };
}

export interface TestOrg {
  app: App;
  orgId: string;
  code: string;
  headOfficeId: string;
  branchId: string;
  /** A context acting as the system in this organization. */
  system: Ctx;
}

/** Builds an isolated organization with a head office and one branch. */
export async function buildOrg(app?: App): Promise<TestOrg> {
  const a = app ?? (await testApp());
  const code = `t${randomUUID().slice(0, 8)}`;
  const { organization, headOffice } = await createOrganization(
    { app: a, now: () => new Date(), requestId: null, ip: null, locale: 'zh-CN' },
    { code, name: `测试组织 ${code}`, headOffice: { code: 'HQ', name: '总部' } },
  );
  const system: Ctx = { app: a, actor: { kind: 'system', orgId: organization.id, name: 'system' }, orgId: organization.id, now: () => new Date(), requestId: null, ip: null, locale: 'zh-CN' };
  const branch = await createBranch(system, { code: 'B1', name: '第一分公司' });
  return { app: a, orgId: organization.id, code, headOfficeId: headOffice.id, branchId: branch.id, system };
}

export const TEST_PASSWORD = 'Secret123';

/** Builds a member of staff and returns it with a context acting as them. */
export async function buildStaff(org: TestOrg, role: Role, options: { scope?: Scope; branchId?: string; username?: string; phone?: string } = {}) {
  const username = options.username ?? `${role}_${randomUUID().slice(0, 8)}`;
  const view = await createStaff(org.system, {
    username, displayName: `${role} 测试`, role, scope: options.scope, branchId: options.branchId ?? org.headOfficeId,
    password: TEST_PASSWORD, phone: options.phone ?? null,
  });
  const [row] = await org.app.database.db.select().from(staffTable).where(eq(staffTable.id, view.id));
  const actor = actorOf(row!);
  return { staff: view, actor, ctx: ctxAs(org.app, actor), username };
}
