/**
 * The IMAP poller: takes new mail from the organizations' IMAP mailboxes (mail_accounts) and hands each
 * message to receiveEmail. An account is due when its last poll is older than the interval. Several app
 * nodes may run a poller each: an account is claimed with `FOR UPDATE SKIP LOCKED` on its row, and the
 * claim stamps `last_polled_at`, which keeps other nodes off it until the interval has passed again (a
 * lease, as the outbox has). Progress (`last_uid`) is saved after every message, so a failure resumes
 * where it stopped; the same Message-ID is stored once anyway. UIDVALIDITY changing means the mailbox was
 * renumbered: counting starts from 0 again. Mail that arrived before the account was added is skipped —
 * connecting a mailbox must not turn its whole history into requests.
 */
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { audit } from '../core/audit.js';
import { systemCtx, transact, type App } from '../core/context.js';
import { Drainer } from '../core/drain.js';
import { isAppError } from '../core/errors.js';
import { describeMailError, loginOf } from '../modules/channels/email-accounts.js';
import { imapConnector, type MailboxConnector } from '../modules/channels/email-imap.js';
import { receiveEmail } from '../modules/channels/email.js';
import { mailAccounts } from '../modules/channels/schema.js';

type MailAccountRow = typeof mailAccounts.$inferSelect;

export interface PollerOptions {
  /** How long after its last poll an account is due again. */
  intervalMs?: number;
  now?: () => Date;
  connector?: MailboxConnector;
  /** Messages taken from one account per poll (the rest wait for the next poll). */
  maxMessages?: number;
  /** Larger messages are skipped (and recorded in the audit log). */
  maxBytes?: number;
  onError?: (error: unknown) => void;
}

export interface PollResult {
  accountId: string;
  taken: number;
  skipped: number;
  error: string | null;
}

export class ImapPoller {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** Set by stop(): a run in progress finishes its account and takes no other. */
  private stopping = false;
  private readonly drainer = new Drainer(async () => {
    if (this.stopping) return { handled: 0, more: false };
    const result = await this.pollNext();
    return { handled: result ? 1 : 0, more: result !== null };
  });
  private readonly intervalMs: number;
  private readonly now: () => Date;
  private readonly connector: MailboxConnector;
  private readonly maxMessages: number;
  private readonly maxBytes: number;

  constructor(
    private readonly app: App,
    private readonly options: PollerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
    this.connector = options.connector ?? imapConnector;
    this.maxMessages = options.maxMessages ?? 100;
    this.maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  }

  /** Claims one due account (marking its poll as started), or null when none is due. */
  async claim(): Promise<MailAccountRow | null> {
    const now = this.now();
    const dueBefore = new Date(now.getTime() - this.intervalMs);
    return this.app.database.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(mailAccounts)
        .where(and(eq(mailAccounts.active, true), or(isNull(mailAccounts.lastPolledAt), lte(mailAccounts.lastPolledAt, dueBefore))))
        .orderBy(sql`${mailAccounts.lastPolledAt} NULLS FIRST`, asc(mailAccounts.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return null;
      await tx.update(mailAccounts).set({ lastPolledAt: now }).where(eq(mailAccounts.id, row.id));
      return row;
    });
  }

  /** Polls the next due account; null when none was due. */
  async pollNext(): Promise<PollResult | null> {
    const account = await this.claim();
    return account ? this.poll(account) : null;
  }

  /** Polls every due account once; returns how many accounts it polled. */
  runOnce(): Promise<number> {
    return this.drainer.run();
  }

  /** Takes the new mail of one account. Failures end up in the account's `last_error`, never thrown. */
  async poll(account: MailAccountRow): Promise<PollResult> {
    const db = this.app.database.db;
    const result: PollResult = { accountId: account.id, taken: 0, skipped: 0, error: null };
    const ctx = systemCtx(this.app, account.orgId, { actor: { kind: 'system', orgId: account.orgId, name: 'imap' }, now: this.now, requestId: `imap-${account.id}` });
    try {
      const session = await this.connector(loginOf(ctx, account));
      try {
        let lastUid = account.lastUid;
        if (account.uidValidity !== session.uidValidity) {
          // First poll, or the mailbox was renumbered: the stored UID means nothing any more.
          if (account.uidValidity !== null) lastUid = 0;
          await db.update(mailAccounts).set({ uidValidity: session.uidValidity, lastUid }).where(eq(mailAccounts.id, account.id));
        }
        const advance = (uid: number) =>
          db
            .update(mailAccounts)
            .set({ lastUid: sql`GREATEST(${mailAccounts.lastUid}, ${uid})` })
            .where(and(eq(mailAccounts.id, account.id), eq(mailAccounts.uidValidity, session.uidValidity)));
        for (const message of await session.list(lastUid)) {
          if (result.taken >= this.maxMessages) break;
          if (message.internalDate && message.internalDate < account.createdAt) {
            await advance(message.uid);
            continue;
          }
          const why = message.size > this.maxBytes ? 'too_large' : null;
          const raw = why ? null : await session.source(message.uid);
          if (!raw) {
            await this.skipped(ctx, account, message.uid, why ?? 'gone', message.size);
            result.skipped++;
            await advance(message.uid);
            continue;
          }
          try {
            await receiveEmail(this.app, raw, { to: [account.address], orgId: account.orgId }, { now: this.now, requestId: ctx.requestId });
            result.taken++;
          } catch (error) {
            // A message the channel refuses for what it is (not for a passing failure) would fail every time.
            if (!isAppError(error)) throw error;
            await this.skipped(ctx, account, message.uid, error.code, message.size);
            result.skipped++;
          }
          await advance(message.uid);
        }
      } finally {
        await session.close();
      }
    } catch (error) {
      result.error = describeMailError(error);
      this.options.onError?.(error);
    }
    await db.update(mailAccounts).set({ lastPolledAt: this.now(), lastError: result.error }).where(eq(mailAccounts.id, account.id));
    return result;
  }

  private async skipped(ctx: ReturnType<typeof systemCtx>, account: MailAccountRow, uid: number, reason: string, size: number) {
    await transact(ctx, (t) => audit(t, { action: 'email.skipped', entityType: 'mail_account', entityId: account.id, after: { uid, reason, size } }));
  }

  /** Polls on a timer (every tenth of the interval, at least every 5 s) until stopped. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    const every = Math.max(5_000, Math.round(this.intervalMs / 10));
    const tick = () => {
      if (this.stopped) return;
      this.runOnce()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, every);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.drainer.current?.catch(() => 0);
  }
}
