/**
 * The IMAP poller. No maintained IMAP server can be started from npm inside a test, so the mailbox is an
 * in-process fake of the IMAP boundary only (MailboxConnector: list UIDs, fetch a source); everything
 * behind it — claims, UID bookkeeping, receiveEmail, the database — is the real thing.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { SendMailOptions } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { auditLog, mailAccounts, requestMessages, requests } from '../core/db/schema.js';
import { buildDesk, type Desk } from '../test/desk.js';
import { ctxAs } from '../test/harness.js';
import { createMailAccount, updateMailAccount } from '../modules/channels/email-accounts.js';
import type { MailboxConnector, MailboxMessage, MailboxSession } from '../modules/channels/email-imap.js';
import { ImapPoller } from './imap-poller.js';

interface Stored extends MailboxMessage {
  raw: Buffer;
}

/** A mailbox as an IMAP server keeps it: UIDs that only grow, and a UIDVALIDITY. */
class FakeMailbox {
  uidValidity = '1001';
  messages: Stored[] = [];
  private nextUid = 1;
  constructor(readonly password: string) {}

  async add(mail: SendMailOptions, internalDate: Date): Promise<Buffer> {
    const raw = await new MailComposer(mail).compile().build();
    this.messages.push({ uid: this.nextUid++, size: raw.length, internalDate, raw });
    return raw;
  }

  /** The server rebuilt the mailbox: new UIDVALIDITY, UIDs from 1 again. */
  renumber(uidValidity: string) {
    this.uidValidity = uidValidity;
    this.nextUid = 1;
    this.messages = this.messages.map((m) => ({ ...m, uid: this.nextUid++ }));
  }
}

function connectorFor(boxes: Map<string, FakeMailbox>): MailboxConnector {
  return async (login) => {
    const box = boxes.get(login.username);
    if (!box) throw Object.assign(new Error('Connection refused'), { code: 'ECONNREFUSED' });
    if (box.password !== login.password) throw Object.assign(new Error('Command failed'), { authenticationFailed: true, responseText: 'Invalid credentials' });
    const session: MailboxSession = {
      uidValidity: box.uidValidity,
      exists: box.messages.length,
      list: async (afterUid) => box.messages.filter((m) => m.uid > afterUid).map(({ uid, size, internalDate }) => ({ uid, size, internalDate })),
      source: async (uid) => box.messages.find((m) => m.uid === uid)?.raw ?? null,
      close: async () => {},
    };
    return session;
  };
}

async function accountFor(desk: Desk, username: string, createdAt: Date) {
  const admin = ctxAs(desk.org.app, desk.admin.actor, { now: () => createdAt });
  const view = await createMailAccount(admin, { address: `${username}@hx-test.cn`, host: 'imap.hx-test.cn', username, password: 'imap-pass' });
  const [row] = await desk.org.app.database.db.select().from(mailAccounts).where(eq(mailAccounts.id, view.id));
  return row!;
}

async function reload(desk: Desk, id: string) {
  const [row] = await desk.org.app.database.db.select().from(mailAccounts).where(eq(mailAccounts.id, id));
  return row!;
}

async function requestsOf(desk: Desk) {
  return desk.org.app.database.db.select().from(requests).where(eq(requests.orgId, desk.org.orgId)).orderBy(asc(requests.createdAt));
}

const T0 = new Date('2026-11-23T02:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('IMAP poller', () => {
  it('takes the new mail of a mailbox by UID, skips what was there before the account, and threads replies', async () => {
    const desk = await buildDesk();
    const username = `imap-${randomUUID().slice(0, 8)}`;
    const box = new FakeMailbox('imap-pass');
    const account = await accountFor(desk, username, T0);
    await box.add({ from: 'old@customer.example.cn', to: account.address, subject: '很久以前的邮件', text: '旧', messageId: '<old-1@customer.example.cn>' }, minutes(-60 * 24));
    await box.add({ from: '陈先生 <chen@customer.example.cn>', to: account.address, subject: '电费发票', text: '请开具十月电费发票', messageId: '<a-1@customer.example.cn>' }, minutes(5));
    await box.add({ from: 'chen@customer.example.cn', to: account.address, subject: 'Re: 电费发票', text: '抬头：某某公司', messageId: '<a-2@customer.example.cn>', inReplyTo: '<a-1@customer.example.cn>' }, minutes(6));

    let now = minutes(10);
    const poller = new ImapPoller(desk.org.app, { connector: connectorFor(new Map([[username, box]])), now: () => now });
    expect(await poller.poll(account)).toEqual({ accountId: account.id, taken: 2, skipped: 0, error: null });
    let [request, ...others] = await requestsOf(desk);
    expect(others).toHaveLength(0);
    expect(request).toMatchObject({ channel: 'email', subject: '电费发票', contactEmail: 'chen@customer.example.cn', contactName: '陈先生' });
    const bodies = await desk.org.app.database.db.select({ body: requestMessages.body }).from(requestMessages).where(eq(requestMessages.requestId, request!.id)).orderBy(asc(requestMessages.createdAt));
    expect(bodies.map((b) => b.body)).toEqual(['请开具十月电费发票', '抬头：某某公司']);
    expect(await reload(desk, account.id)).toMatchObject({ lastUid: 3, uidValidity: '1001', lastPolledAt: now, lastError: null });

    // Only UIDs above the last one are taken next time.
    await box.add({ from: 'liu@customer.example.cn', to: account.address, subject: '停水通知', text: '明天停水吗？', messageId: '<b-1@customer.example.cn>' }, minutes(20));
    now = minutes(30);
    expect(await poller.poll(await reload(desk, account.id))).toMatchObject({ taken: 1, error: null });
    [request, ...others] = await requestsOf(desk);
    expect(others.map((r) => r.subject)).toEqual(['停水通知']);
    expect((await reload(desk, account.id)).lastUid).toBe(4);
  });

  it('counts from the start again when UIDVALIDITY changes, storing each Message-ID once', async () => {
    const desk = await buildDesk();
    const username = `imap-${randomUUID().slice(0, 8)}`;
    const box = new FakeMailbox('imap-pass');
    const account = await accountFor(desk, username, T0);
    await box.add({ from: 'a@customer.example.cn', to: account.address, subject: '一', text: '一', messageId: '<u-1@customer.example.cn>' }, minutes(1));
    await box.add({ from: 'b@customer.example.cn', to: account.address, subject: '二', text: '二', messageId: '<u-2@customer.example.cn>' }, minutes(2));
    const poller = new ImapPoller(desk.org.app, { connector: connectorFor(new Map([[username, box]])), now: () => minutes(10) });
    await poller.poll(account);
    expect(await requestsOf(desk)).toHaveLength(2);

    box.renumber('2002');
    await box.add({ from: 'c@customer.example.cn', to: account.address, subject: '三', text: '三', messageId: '<u-3@customer.example.cn>' }, minutes(11));
    expect(await poller.poll(await reload(desk, account.id))).toMatchObject({ taken: 3, error: null });
    expect((await requestsOf(desk)).map((r) => r.subject).sort()).toEqual(['一', '三', '二']);
    expect(await reload(desk, account.id)).toMatchObject({ uidValidity: '2002', lastUid: 3 });
  });

  it('records a failed connection on the account without throwing, and clears it when the account works again', async () => {
    const desk = await buildDesk();
    const username = `imap-${randomUUID().slice(0, 8)}`;
    const box = new FakeMailbox('the-real-password');
    const account = await accountFor(desk, username, T0);
    const errors: unknown[] = [];
    const poller = new ImapPoller(desk.org.app, { connector: connectorFor(new Map([[username, box]])), now: () => minutes(10), onError: (e) => errors.push(e) });
    const failed = await poller.poll(account);
    expect(failed.error).toBe('authentication failed: Invalid credentials');
    expect(errors).toHaveLength(1);
    expect(await reload(desk, account.id)).toMatchObject({ lastError: 'authentication failed: Invalid credentials', lastPolledAt: minutes(10), lastUid: 0 });

    await updateMailAccount(desk.admin.ctx, account.id, { address: account.address, host: account.host, username, password: 'the-real-password' });
    await box.add({ from: 'a@customer.example.cn', to: account.address, subject: '能收到吗', text: '测试', messageId: `<${randomUUID()}@customer.example.cn>` }, new Date(Date.now() + 60_000));
    expect(await poller.poll(await reload(desk, account.id))).toMatchObject({ taken: 1, error: null });
    expect((await reload(desk, account.id)).lastError).toBeNull();
  });

  it('skips messages over the size limit (audited) and moves past them', async () => {
    const desk = await buildDesk();
    const username = `imap-${randomUUID().slice(0, 8)}`;
    const box = new FakeMailbox('imap-pass');
    const account = await accountFor(desk, username, T0);
    await box.add({ from: 'a@customer.example.cn', to: account.address, subject: '大附件', text: 'x'.repeat(4000), messageId: '<big@customer.example.cn>' }, minutes(1));
    await box.add({ from: 'a@customer.example.cn', to: account.address, subject: '小邮件', text: '小', messageId: '<small@customer.example.cn>' }, minutes(2));
    const poller = new ImapPoller(desk.org.app, { connector: connectorFor(new Map([[username, box]])), now: () => minutes(10), maxBytes: 2000 });
    expect(await poller.poll(account)).toMatchObject({ taken: 1, skipped: 1, error: null });
    expect((await requestsOf(desk)).map((r) => r.subject)).toEqual(['小邮件']);
    expect((await reload(desk, account.id)).lastUid).toBe(2);
    const [entry] = await desk.org.app.database.db.select().from(auditLog).where(and(eq(auditLog.orgId, desk.org.orgId), eq(auditLog.action, 'email.skipped')));
    expect(entry!.after).toMatchObject({ uid: 1, reason: 'too_large' });
  });

  it('lets one node at a time claim an account (FOR UPDATE SKIP LOCKED, then the interval as lease), and polls due accounts on runOnce', async () => {
    const desk = await buildDesk();
    const username = `imap-${randomUUID().slice(0, 8)}`;
    const box = new FakeMailbox('imap-pass');
    const account = await accountFor(desk, username, T0);
    await box.add({ from: 'a@customer.example.cn', to: account.address, subject: '认领', text: '认领测试', messageId: `<${randomUUID()}@customer.example.cn>` }, minutes(1));
    let now = minutes(10);
    const connector = connectorFor(new Map([[username, box]]));
    const nodeA = new ImapPoller(desk.org.app, { connector, now: () => now, intervalMs: 60_000 });
    const nodeB = new ImapPoller(desk.org.app, { connector, now: () => now, intervalMs: 60_000 });
    // Other test files may have due accounts of their own in a shared database: look only for ours.
    const claimedBy = async (node: ImapPoller) => {
      const ids: string[] = [];
      for (let row = await node.claim(); row; row = await node.claim()) ids.push(row.id);
      return ids;
    };
    const [a, b] = await Promise.all([claimedBy(nodeA), claimedBy(nodeB)]);
    expect([...a, ...b].filter((id) => id === account.id)).toHaveLength(1);
    expect((await claimedBy(nodeA)).includes(account.id)).toBe(false);

    // Once the interval has passed it is due again, and runOnce polls it.
    now = minutes(12);
    await nodeA.runOnce();
    expect(await reload(desk, account.id)).toMatchObject({ lastUid: 1, lastPolledAt: now, lastError: null });
    expect((await requestsOf(desk)).map((r) => r.subject)).toEqual(['认领']);
  });
});
