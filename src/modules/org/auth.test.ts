import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { App } from '../../core/context.js';
import { auditLog } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { buildOrg, buildStaff, ctxAs, TEST_PASSWORD } from '../../test/harness.js';
import { changePassword, createApiToken, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, resolveApiToken, resolveSession, revokeApiToken, signIn, type RequestInfo } from './auth.js';
import { apiTokens } from './schema.js';
import { deactivateStaff, unlockStaff } from './staff.js';

function info(at = new Date()): RequestInfo {
  return { now: () => at, requestId: 'r1', ip: '10.0.0.1', userAgent: 'vitest', locale: 'zh-CN' };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe('sign-in', () => {
  it('signs in with the right password and resolves the session', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const { token } = await signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info());
    const actor = await resolveSession(org.app, token, new Date());
    expect(actor.kind === 'staff' && actor.id).toBe(agent.staff.id);
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    expect(await codeOf(signIn(org.app, { username: 'nobody-here', password: 'x' }, info()))).toBe('auth.invalid_credentials');
    expect(await codeOf(signIn(org.app, { username: agent.username, password: 'wrong' }, info()))).toBe('auth.invalid_credentials');
  });

  it(`locks the account after ${MAX_FAILED_SIGN_INS} failures, for ${LOCKOUT_MINUTES} minutes or until unlocked`, async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const agent = await buildStaff(org, 'agent');
    const t0 = new Date();
    for (let i = 1; i < MAX_FAILED_SIGN_INS; i++) {
      expect(await codeOf(signIn(org.app, { username: agent.username, password: 'wrong' }, info(t0)))).toBe('auth.invalid_credentials');
    }
    expect(await codeOf(signIn(org.app, { username: agent.username, password: 'wrong' }, info(t0)))).toBe('auth.locked');
    // Even the right password is refused while locked.
    expect(await codeOf(signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info(t0)))).toBe('auth.locked');
    const later = new Date(t0.getTime() + (LOCKOUT_MINUTES + 1) * 60_000);
    expect(await codeOf(signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info(later)))).toBe('ok');
    // An administrator can unlock early.
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await codeOf(signIn(org.app, { username: agent.username, password: 'wrong' }, info(later)));
    await unlockStaff(admin.ctx, agent.staff.id);
    expect(await codeOf(signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info(later)))).toBe('ok');
    const locks = await org.app.database.db.select().from(auditLog).where(and(eq(auditLog.entityId, agent.staff.id), eq(auditLog.action, 'auth.locked')));
    expect(locks).toHaveLength(2);
  });

  it('expires sessions and ends them on deactivation', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const agent = await buildStaff(org, 'agent');
    const { token, expiresAt } = await signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info());
    expect(await codeOf(resolveSession(org.app, token, new Date(expiresAt.getTime() + 1000)))).toBe('auth.session_expired');
    await deactivateStaff(admin.ctx, agent.staff.id);
    expect(await codeOf(resolveSession(org.app, token, new Date()))).toBe('auth.session_expired');
    expect(await codeOf(signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info()))).toBe('auth.inactive');
  });

  it('changes the password: the old one stops working and other sessions end', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const first = await signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info());
    const second = await signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info());
    const actor = await resolveSession(org.app, second.token, new Date());
    const ctx = ctxAs(org.app, actor);
    expect(await codeOf(changePassword(ctx, { currentPassword: 'wrong', newPassword: 'NewSecret9' }))).toBe('auth.wrong_password');
    expect(await codeOf(changePassword(ctx, { currentPassword: TEST_PASSWORD, newPassword: 'onlyletters' }))).toBe('auth.weak_password');
    await changePassword(ctx, { currentPassword: TEST_PASSWORD, newPassword: 'NewSecret9' });
    expect(await codeOf(resolveSession(org.app, first.token, new Date()))).toBe('auth.session_expired');
    expect(await codeOf(resolveSession(org.app, second.token, new Date()))).toBe('ok');
    expect(await codeOf(signIn(org.app, { username: agent.username, password: TEST_PASSWORD }, info()))).toBe('auth.invalid_credentials');
    expect(await codeOf(signIn(org.app, { username: agent.username, password: 'NewSecret9' }, info()))).toBe('ok');
  });
});

describe('API tokens', () => {
  async function tokenFor(app: App, ctx: ReturnType<typeof ctxAs>, scopes: string[]) {
    return createApiToken(ctx, { name: '集成', scopes });
  }

  it('are stored hashed, scoped, and revocable', async () => {
    const org = await buildOrg();
    const admin = await buildStaff(org, 'admin');
    const created = await tokenFor(org.app, admin.ctx, ['customer.read']);
    const [row] = await org.app.database.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(created.token.startsWith(`${created.prefix}_`)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(created.prefix.length + 1));
    const actor = await resolveApiToken(org.app, created.token, new Date());
    expect(actor.kind === 'staff' && actor.tokenScopes).toEqual(['customer.read']);
    await revokeApiToken(admin.ctx, created.id);
    expect(await codeOf(resolveApiToken(org.app, created.token, new Date()))).toBe('auth.token_invalid');
    expect(await codeOf(resolveApiToken(org.app, 'plg_nope_nope', new Date()))).toBe('auth.token_invalid');
  });

  it('cannot carry a permission the creator lacks, nor be revoked by someone else', async () => {
    const org = await buildOrg();
    const agent = await buildStaff(org, 'agent');
    const other = await buildStaff(org, 'agent');
    expect(await codeOf(tokenFor(org.app, agent.ctx, ['audit.read']))).toBe('token.scope_not_held');
    const created = await tokenFor(org.app, agent.ctx, ['customer.read']);
    expect(await codeOf(revokeApiToken(other.ctx, created.id))).toBe('not_found');
  });
});
