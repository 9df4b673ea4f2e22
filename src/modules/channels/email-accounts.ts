/**
 * IMAP mail accounts (administration): the mailboxes the poller takes inbound mail from. The password is
 * stored encrypted (crypto.encrypt) and never returned; changing where an account points (host, user,
 * mailbox) starts its UID count again.
 */
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { transact, type Ctx } from '../../core/context.js';
import { decrypt, encrypt } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import * as C from './email-contracts.js';
import { imapConnector, type MailboxConnector, type MailboxLogin } from './email-imap.js';
import { mailAccounts } from './schema.js';

type MailAccountRow = typeof mailAccounts.$inferSelect;

function present(row: MailAccountRow): C.MailAccountView {
  return {
    id: row.id, address: row.address, host: row.host, port: row.port, secure: row.secure, username: row.username, mailbox: row.mailbox,
    active: row.active, lastUid: row.lastUid, uidValidity: row.uidValidity, lastPolledAt: row.lastPolledAt?.toISOString() ?? null,
    lastError: row.lastError, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of an account (no password, not even encrypted). */
function auditView(row: MailAccountRow) {
  return { address: row.address, host: row.host, port: row.port, secure: row.secure, username: row.username, mailbox: row.mailbox, active: row.active };
}

/** The login of a stored account (decrypts the password). */
export function loginOf(ctx: Pick<Ctx, 'app'>, row: MailAccountRow): MailboxLogin {
  return { host: row.host, port: row.port, secure: row.secure, username: row.username, password: decrypt(ctx.app.keys, row.passwordEnc), mailbox: row.mailbox };
}

async function load(ctx: Ctx, id: string): Promise<MailAccountRow> {
  const [row] = await ctx.app.database.db.select().from(mailAccounts).where(and(eq(mailAccounts.id, id), eq(mailAccounts.orgId, ctx.orgId)));
  if (!row) throw new AppError('not_found', { entity: 'mail_account' });
  return row;
}

/** The organization's mail accounts. */
export async function listMailAccounts(ctx: Ctx): Promise<C.MailAccountView[]> {
  authorize(ctx, 'request.configure');
  const rows = await ctx.app.database.db.select().from(mailAccounts).where(eq(mailAccounts.orgId, ctx.orgId)).orderBy(asc(mailAccounts.createdAt));
  return rows.map(present);
}

/** Adds a mailbox to poll; mail already in it before now is left alone (see docs/email.md). */
export async function createMailAccount(ctx: Ctx, input: unknown): Promise<C.MailAccountView> {
  authorize(ctx, 'request.configure');
  const data = parse(C.MailAccountCreate, input);
  return transact(ctx, async (t) => {
    const now = t.now();
    const [row] = await t.tx
      .insert(mailAccounts)
      .values({
        orgId: t.orgId, address: data.address.toLowerCase(), host: data.host, port: data.port, secure: data.secure, username: data.username,
        passwordEnc: encrypt(t.app.keys, data.password), mailbox: data.mailbox, active: data.active, createdAt: now, updatedAt: now,
      })
      .returning();
    await audit(t, { action: 'mail_account.create', entityType: 'mail_account', entityId: row!.id, after: auditView(row!) });
    await t.emit('mail_account.created', { entityType: 'mail_account', entityId: row!.id });
    return present(row!);
  });
}

/** Changes an account; an empty password keeps the stored one. */
export async function updateMailAccount(ctx: Ctx, id: string, input: unknown): Promise<C.MailAccountView> {
  authorize(ctx, 'request.configure');
  const data = parse(C.MailAccountUpdate, input);
  return transact(ctx, async (t) => {
    const [before] = await t.tx.select().from(mailAccounts).where(and(eq(mailAccounts.id, id), eq(mailAccounts.orgId, t.orgId))).for('update');
    if (!before) throw new AppError('not_found', { entity: 'mail_account' });
    const moved = before.host !== data.host || before.port !== data.port || before.username !== data.username || before.mailbox !== data.mailbox;
    const [row] = await t.tx
      .update(mailAccounts)
      .set({
        address: data.address.toLowerCase(), host: data.host, port: data.port, secure: data.secure, username: data.username, mailbox: data.mailbox, active: data.active,
        ...(data.password ? { passwordEnc: encrypt(t.app.keys, data.password) } : {}),
        // Another mailbox has other UIDs: count from its start (mail from before the account was added is still skipped).
        ...(moved ? { lastUid: 0, uidValidity: null } : {}),
        lastError: null, updatedAt: t.now(),
      })
      .where(eq(mailAccounts.id, id))
      .returning();
    await audit(t, {
      action: 'mail_account.update', entityType: 'mail_account', entityId: id,
      before: auditView(before), after: { ...auditView(row!), ...(data.password ? { passwordChanged: true } : {}) },
    });
    await t.emit('mail_account.updated', { entityType: 'mail_account', entityId: id });
    return present(row!);
  });
}

export async function deleteMailAccount(ctx: Ctx, id: string): Promise<{ ok: true }> {
  authorize(ctx, 'request.configure');
  return transact(ctx, async (t) => {
    const [row] = await t.tx.delete(mailAccounts).where(and(eq(mailAccounts.id, id), eq(mailAccounts.orgId, t.orgId))).returning();
    if (!row) throw new AppError('not_found', { entity: 'mail_account' });
    await audit(t, { action: 'mail_account.delete', entityType: 'mail_account', entityId: id, before: auditView(row) });
    await t.emit('mail_account.deleted', { entityType: 'mail_account', entityId: id });
    return { ok: true as const };
  });
}

/** Connects to an account's mailbox and reports whether that worked (nothing is read or changed). */
export async function testMailAccount(ctx: Ctx, id: string, connector: MailboxConnector = imapConnector): Promise<C.MailAccountTestResult> {
  authorize(ctx, 'request.configure');
  const row = await load(ctx, id);
  try {
    const session = await connector(loginOf(ctx, row));
    try {
      return { ok: true, error: null, messages: session.exists, uidValidity: session.uidValidity };
    } finally {
      await session.close();
    }
  } catch (error) {
    return { ok: false, error: describeMailError(error), messages: null, uidValidity: null };
  }
}

/** A mail server failure in one line: imapflow puts the server's own answer in `responseText`. */
export function describeMailError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const e = error as Error & { responseText?: string; code?: string; authenticationFailed?: boolean };
  const parts = [e.authenticationFailed ? 'authentication failed' : null, e.responseText ?? e.message, e.code && !e.message.includes(e.code) ? `(${e.code})` : null];
  return parts.filter(Boolean).join(': ').slice(0, 500);
}
