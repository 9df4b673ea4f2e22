/** Sign-in, sessions, password change and API tokens. */
import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { systemCtx, transact, type Actor, type App, type Ctx } from '../../core/context.js';
import { DUMMY_PASSWORD_HASH, hashPassword, randomToken, sha256, verifyPassword } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { authorize, permissionsOf, type Permission, type Role, type Scope } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import * as C from './contracts.js';
import { presentOrganization, presentToken } from './presenters.js';
import { apiTokens, organizations, sessions, staff } from './schema.js';
import { assertStrongPassword, findStaffByUsername, viewStaff } from './staff.js';

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;
/** How often a session's or token's last-use time is written (not on every request). */
const TOUCH_INTERVAL_MS = 60_000;

type StaffRow = typeof staff.$inferSelect;

export function actorOf(row: StaffRow, extra: Partial<Extract<Actor, { kind: 'staff' }>> = {}): Actor {
  return { kind: 'staff', id: row.id, orgId: row.orgId, name: row.displayName, role: row.role as Role, scope: row.scope as Scope, branchId: row.branchId, ...extra };
}

export interface RequestInfo {
  now: () => Date;
  requestId: string | null;
  ip: string | null;
  userAgent?: string | null;
  locale: Ctx['locale'];
}

function ctxFor(app: App, row: StaffRow, info: RequestInfo, actor?: Actor): Ctx {
  return { app, actor: actor ?? actorOf(row), orgId: row.orgId, now: info.now, requestId: info.requestId, ip: info.ip, locale: info.locale };
}

/**
 * Signs in with username and password. After {@link MAX_FAILED_SIGN_INS} failures in a row the account is
 * locked for {@link LOCKOUT_MINUTES} minutes (or until an administrator unlocks it). Returns the session
 * token for the cookie; only its hash is stored.
 */
export async function signIn(app: App, input: unknown, info: RequestInfo) {
  const { username, password } = parse(C.SignIn, input);
  const row = await findStaffByUsername(app.database.db, username);
  if (!row) {
    await verifyPassword(password, DUMMY_PASSWORD_HASH); // same cost as a real check: no username oracle
    throw new AppError('auth.invalid_credentials');
  }
  const ctx = ctxFor(app, row, info);
  const now = info.now();
  if (row.lockedUntil && row.lockedUntil > now) {
    throw new AppError('auth.locked', { until: row.lockedUntil.toISOString() }, { lockedUntil: row.lockedUntil.toISOString() });
  }
  const valid = await verifyPassword(password, row.passwordHash);
  if (!valid) {
    const lockedUntil = await transact(ctx, async (t) => {
      const [current] = await t.tx.select().from(staff).where(eq(staff.id, row.id)).for('update');
      const failures = (current?.failedSignIns ?? 0) + 1;
      const lock = failures >= MAX_FAILED_SIGN_INS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
      await t.tx.update(staff).set({ failedSignIns: lock ? 0 : failures, lockedUntil: lock }).where(eq(staff.id, row.id));
      await audit(t, { action: lock ? 'auth.locked' : 'auth.sign_in_failed', entityType: 'staff', entityId: row.id, after: { failures, lockedUntil: lock } });
      if (lock) await t.emit('staff.locked', { entityType: 'staff', entityId: row.id });
      return lock;
    });
    if (lockedUntil) throw new AppError('auth.locked', { until: lockedUntil.toISOString() }, { lockedUntil: lockedUntil.toISOString() });
    throw new AppError('auth.invalid_credentials');
  }
  if (!row.active) throw new AppError('auth.inactive');
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + app.config.sessionHours * 3600_000);
  await transact(ctx, async (t) => {
    await t.tx.update(staff).set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: now }).where(eq(staff.id, row.id));
    const [session] = await t.tx
      .insert(sessions)
      .values({ orgId: row.orgId, staffId: row.id, tokenHash: sha256(token), createdAt: now, lastSeenAt: now, expiresAt, ip: info.ip, userAgent: info.userAgent?.slice(0, 300) ?? null })
      .returning({ id: sessions.id });
    await audit(t, { action: 'auth.sign_in', entityType: 'staff', entityId: row.id, after: { sessionId: session!.id } });
    await t.emit('staff.signed_in', { entityType: 'staff', entityId: row.id });
  });
  return { token, expiresAt };
}

/**
 * The actor behind a session cookie. Sessions slide: each use (written at most once a minute) extends
 * them by the configured length. Throws `auth.session_expired` for an expired or unknown session.
 */
export async function resolveSession(app: App, token: string, now: Date): Promise<Actor> {
  const db = app.database.db;
  const [found] = await db
    .select({ session: sessions, person: staff })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .where(eq(sessions.tokenHash, sha256(token)));
  if (!found || found.session.expiresAt <= now || !found.person.active) throw new AppError('auth.session_expired');
  if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + app.config.sessionHours * 3600_000) })
      .where(eq(sessions.id, found.session.id));
  }
  return actorOf(found.person, { sessionId: found.session.id });
}

export async function signOut(ctx: Ctx) {
  if (ctx.actor.kind !== 'staff' || !ctx.actor.sessionId) return;
  const sessionId = ctx.actor.sessionId;
  await transact(ctx, async (t) => {
    await t.tx.delete(sessions).where(eq(sessions.id, sessionId));
    await audit(t, { action: 'auth.sign_out', entityType: 'staff', entityId: actorIdOf(t), after: { sessionId } });
  });
}

function actorIdOf(ctx: Ctx): string {
  if (ctx.actor.kind !== 'staff') throw new AppError('auth.required');
  return ctx.actor.id;
}

export async function me(ctx: Ctx): Promise<C.Me> {
  const id = actorIdOf(ctx);
  const db = ctx.app.database.db;
  const [row] = await db.select().from(staff).where(eq(staff.id, id));
  const [org] = await db.select().from(organizations).where(eq(organizations.id, ctx.orgId));
  if (!row || !org) throw new AppError('auth.session_expired');
  return { staff: await viewStaff(ctx, db, row), organization: presentOrganization(org), permissions: [...permissionsOf(ctx.actor)] };
}

/** Changes one's own password; every other session of the person ends. */
export async function changePassword(ctx: Ctx, input: unknown) {
  const id = actorIdOf(ctx);
  const data = parse(C.PasswordChange, input);
  const [row] = await ctx.app.database.db.select().from(staff).where(eq(staff.id, id));
  if (!row || !(await verifyPassword(data.currentPassword, row.passwordHash))) throw new AppError('auth.wrong_password');
  assertStrongPassword(data.newPassword);
  const hash = await hashPassword(data.newPassword, ctx.app.config.passwordCost);
  await transact(ctx, async (t) => {
    await t.tx.update(staff).set({ passwordHash: hash, passwordChangedAt: t.now(), updatedAt: t.now() }).where(eq(staff.id, id));
    const keep = t.actor.kind === 'staff' ? t.actor.sessionId : undefined;
    const others = await t.tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.staffId, id));
    for (const s of others) if (s.id !== keep) await t.tx.delete(sessions).where(eq(sessions.id, s.id));
    await audit(t, { action: 'auth.password_change', entityType: 'staff', entityId: id, before: { passwordHash: row.passwordHash }, after: { passwordHash: hash } });
    await t.emit('staff.password_changed', { entityType: 'staff', entityId: id });
  });
  return { ok: true as const };
}

// ---------- API tokens ----------

const TOKEN_PREFIX = 'plg';

/** Creates an API token for the caller, scoped to permissions the caller holds. The token is shown once. */
export async function createApiToken(ctx: Ctx, input: unknown) {
  const ownerId = actorIdOf(ctx);
  authorize(ctx, 'token.manage');
  const data = parse(C.ApiTokenCreate, input);
  const held = permissionsOf(ctx.actor);
  for (const scope of data.scopes) if (!held.has(scope)) throw new AppError('token.scope_not_held', { scope });
  // The visible prefix (shown in lists) is hex, so the token splits unambiguously at its underscores.
  const prefix = randomBytes(4).toString('hex');
  const token = `${TOKEN_PREFIX}_${prefix}_${randomToken(32)}`;
  return transact(ctx, async (t) => {
    const now = t.now();
    const [row] = await t.tx
      .insert(apiTokens)
      .values({
        orgId: t.orgId, staffId: ownerId, name: data.name, prefix: `${TOKEN_PREFIX}_${prefix}`, tokenHash: sha256(token),
        scopes: [...new Set(data.scopes)], createdAt: now,
        expiresAt: data.expiresInDays ? new Date(now.getTime() + data.expiresInDays * 86400_000) : null,
      })
      .returning();
    const view = presentToken(row!);
    await audit(t, { action: 'token.create', entityType: 'token', entityId: row!.id, after: view });
    await t.emit('token.created', { entityType: 'token', entityId: row!.id });
    return { ...view, token };
  });
}

export async function listApiTokens(ctx: Ctx) {
  const ownerId = actorIdOf(ctx);
  authorize(ctx, 'token.manage');
  const all = permissionsOf(ctx.actor).has('token.admin');
  const where = all ? eq(apiTokens.orgId, ctx.orgId) : and(eq(apiTokens.orgId, ctx.orgId), eq(apiTokens.staffId, ownerId));
  const rows = await ctx.app.database.db.select().from(apiTokens).where(where).orderBy(desc(apiTokens.createdAt));
  return rows.map(presentToken);
}

export async function revokeApiToken(ctx: Ctx, id: string) {
  return transact(ctx, async (t) => {
    const [row] = await t.tx.select().from(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.orgId, t.orgId))).for('update');
    if (!row) throw new AppError('not_found', { entity: 'token' });
    authorize(t, 'token.manage', { orgId: row.orgId, ownerId: row.staffId, entity: 'token' }, 'token.manage');
    if (row.revokedAt) return presentToken(row);
    const [updated] = await t.tx.update(apiTokens).set({ revokedAt: t.now() }).where(eq(apiTokens.id, id)).returning();
    await audit(t, { action: 'token.revoke', entityType: 'token', entityId: id, before: presentToken(row), after: presentToken(updated!) });
    await t.emit('token.revoked', { entityType: 'token', entityId: id });
    return presentToken(updated!);
  });
}

/** How long a verified token is trusted without reading it again (revocation and staff changes clear it at once). */
const TOKEN_CACHE_MS = 10_000;

interface VerifiedToken {
  actor: Actor;
  tokenId: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  until: number;
}

/**
 * Verified API tokens of an app, keyed by the token's SHA-256 (the token itself is not kept). Revoking a
 * token, and any change to staff (deactivation, role, password, lock), empties it — on every node, since
 * events reach the others through LISTEN/NOTIFY — and entries expire after {@link TOKEN_CACHE_MS}.
 */
const tokenCaches = new WeakMap<App, Map<string, VerifiedToken>>();

function tokenCacheOf(app: App): Map<string, VerifiedToken> {
  let cache = tokenCaches.get(app);
  if (!cache) {
    const entries = new Map<string, VerifiedToken>();
    tokenCaches.set(app, (cache = entries));
    for (const type of ['token.revoked', 'staff.updated', 'staff.locked', 'staff.password_changed']) app.bus.subscribe(type, () => entries.clear());
  }
  return cache;
}

/** The actor behind a bearer token: its owner, narrowed to the token's scopes. */
export async function resolveApiToken(app: App, token: string, now: Date): Promise<Actor> {
  if (!token.startsWith(`${TOKEN_PREFIX}_`)) throw new AppError('auth.token_invalid');
  const db = app.database.db;
  const hash = sha256(token);
  const cache = tokenCacheOf(app);
  let verified = cache.get(hash);
  if (!verified || verified.until <= now.getTime()) {
    cache.delete(hash);
    const [found] = await db
      .select({ token: apiTokens, person: staff })
      .from(apiTokens)
      .innerJoin(staff, eq(staff.id, apiTokens.staffId))
      .where(eq(apiTokens.tokenHash, hash));
    if (!found || found.token.revokedAt || !found.person.active) throw new AppError('auth.token_invalid');
    verified = {
      actor: actorOf(found.person, { tokenId: found.token.id, tokenScopes: found.token.scopes as Permission[] }),
      tokenId: found.token.id, expiresAt: found.token.expiresAt, lastUsedAt: found.token.lastUsedAt, until: now.getTime() + TOKEN_CACHE_MS,
    };
    if (cache.size >= 10_000) cache.clear();
    cache.set(hash, verified);
  }
  if (verified.expiresAt && verified.expiresAt <= now) throw new AppError('auth.token_invalid');
  if (!verified.lastUsedAt || now.getTime() - verified.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    verified.lastUsedAt = now;
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, verified.tokenId));
  }
  return verified.actor;
}

/** Sets a password from the command line (installation administration, not a product action). */
export async function setPasswordAsSystem(app: App, staffId: string, orgId: string, password: string) {
  assertStrongPassword(password);
  const hash = await hashPassword(password, app.config.passwordCost);
  await transact(systemCtx(app, orgId), async (t) => {
    await t.tx.update(staff).set({ passwordHash: hash, passwordChangedAt: t.now(), failedSignIns: 0, lockedUntil: null }).where(eq(staff.id, staffId));
    await audit(t, { action: 'staff.password_reset', entityType: 'staff', entityId: staffId, after: { by: 'cli' } });
  });
}
