import { createServer } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { decrypt } from '../../core/crypto.js';
import { auditLog, mailAccounts } from '../../core/db/schema.js';
import { buildServer } from '../../http/server.js';
import { buildDesk } from '../../test/desk.js';
import { createApiToken } from '../org/auth.js';
import { testMailAccount } from './email-accounts.js';
import type { MailboxConnector } from './email-imap.js';

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('mail accounts API', () => {
  it('adds, lists, changes, tests and removes IMAP accounts for request.configure holders; the password never comes back', async () => {
    const desk = await buildDesk();
    const server = await buildServer(desk.org.app, { web: false });
    const { token } = await createApiToken(desk.admin.ctx, { name: '邮件配置', scopes: ['request.read', 'request.configure'] });
    const { token: agentToken } = await createApiToken(desk.agent1.ctx, { name: 'agent', scopes: ['request.read', 'request.handle'] });
    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, bearer = token) =>
      server.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${bearer}` }, ...(payload ? { payload } : {}) });
    const port = await closedPort();
    // Inactive: the IMAP poller of a test running beside this one must not pick it up.
    const body = { address: 'Service@HX-test.cn', host: '127.0.0.1', port, secure: false, username: 'service', password: 's3cret-imap', active: false };

    expect((await call('GET', '/mail-accounts', undefined, agentToken)).statusCode).toBe(403);
    expect((await call('POST', '/mail-accounts', body, agentToken)).statusCode).toBe(403);
    expect((await call('POST', '/mail-accounts', { ...body, port: 0 })).statusCode).toBe(400);
    expect((await call('POST', '/mail-accounts', { ...body, password: '' })).statusCode).toBe(400);

    const created = await call('POST', '/mail-accounts', body);
    expect(created.statusCode).toBe(201);
    const view = created.json();
    expect(view).toMatchObject({ address: 'service@hx-test.cn', host: '127.0.0.1', port, secure: false, username: 'service', mailbox: 'INBOX', active: false, lastUid: 0, lastError: null });
    expect(JSON.stringify(view)).not.toContain('s3cret');
    const db = desk.org.app.database.db;
    let [row] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, view.id));
    expect(row!.passwordEnc).not.toContain('s3cret');
    expect(decrypt(desk.org.app.keys, row!.passwordEnc)).toBe('s3cret-imap');
    const list = await call('GET', '/mail-accounts');
    expect(list.json().map((a: { id: string }) => a.id)).toEqual([view.id]);
    expect(list.body).not.toContain('s3cret');

    // The connection test reports the failure instead of failing the call.
    const tested = await call('POST', `/mail-accounts/${view.id}/test`);
    expect(tested.statusCode).toBe(200);
    expect(tested.json()).toMatchObject({ ok: false, messages: null });
    expect(tested.json().error).toMatch(/ECONNREFUSED|connect/i);
    const fake: MailboxConnector = async (login) => {
      expect(login).toMatchObject({ host: '127.0.0.1', username: 'service', password: 's3cret-imap', mailbox: 'INBOX' });
      return { uidValidity: '77', exists: 3, list: async () => [], source: async () => null, close: async () => {} };
    };
    expect(await testMailAccount(desk.admin.ctx, view.id, fake)).toEqual({ ok: true, error: null, messages: 3, uidValidity: '77' });

    // An empty password keeps the stored one; pointing at another mailbox starts the UID count again.
    await db.update(mailAccounts).set({ lastUid: 42, uidValidity: '9' }).where(eq(mailAccounts.id, view.id));
    const kept = await call('PUT', `/mail-accounts/${view.id}`, { ...body, password: '' });
    expect(kept.json()).toMatchObject({ lastUid: 42, uidValidity: '9' });
    [row] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, view.id));
    expect(decrypt(desk.org.app.keys, row!.passwordEnc)).toBe('s3cret-imap');
    const moved = await call('PUT', `/mail-accounts/${view.id}`, { ...body, mailbox: 'Support', password: 'n3w-imap' });
    expect(moved.json()).toMatchObject({ mailbox: 'Support', lastUid: 0, uidValidity: null });
    [row] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, view.id));
    expect(decrypt(desk.org.app.keys, row!.passwordEnc)).toBe('n3w-imap');

    // Another organization cannot see or touch it.
    const other = await buildDesk();
    const { token: otherToken } = await createApiToken(other.admin.ctx, { name: 'other', scopes: ['request.configure'] });
    expect((await call('PUT', `/mail-accounts/${view.id}`, body, otherToken)).statusCode).toBe(404);
    expect((await call('GET', '/mail-accounts', undefined, otherToken)).json()).toEqual([]);

    expect((await call('DELETE', `/mail-accounts/${view.id}`)).json()).toEqual({ ok: true });
    expect((await call('DELETE', `/mail-accounts/${view.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/mail-accounts')).json()).toEqual([]);

    // The audit log has every change, never a password.
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.entityId, view.id)));
    expect(entries.map((e) => e.action).sort()).toEqual(['mail_account.create', 'mail_account.delete', 'mail_account.update', 'mail_account.update']);
    expect(JSON.stringify(entries)).not.toMatch(/s3cret|n3w-imap|v1\./);
    expect(entries.find((e) => e.action === 'mail_account.update' && (e.after as { passwordChanged?: boolean }).passwordChanged)).toBeDefined();
    await server.close();
  });
});
