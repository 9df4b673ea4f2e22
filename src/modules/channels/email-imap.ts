/**
 * The IMAP boundary: the few things the poller and the connection test need from a mailbox, and their
 * implementation with imapflow. The mailbox is opened read-only — Pledge never marks, moves or deletes
 * mail; it remembers the highest UID it has taken instead.
 */
import { ImapFlow } from 'imapflow';

export interface MailboxLogin {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password: string;
  mailbox: string;
}

export interface MailboxMessage {
  uid: number;
  size: number;
  /** When the message arrived in the mailbox (IMAP INTERNALDATE). */
  internalDate: Date | null;
}

/** An open mailbox. */
export interface MailboxSession {
  /** UIDVALIDITY: when it changes, UIDs were renumbered and counting starts again. */
  readonly uidValidity: string;
  readonly exists: number;
  /** Messages with a UID above `afterUid`, in UID order. */
  list(afterUid: number): Promise<MailboxMessage[]>;
  /** The raw source of one message, or null when it is gone. */
  source(uid: number): Promise<Buffer | null>;
  close(): Promise<void>;
}

export type MailboxConnector = (login: MailboxLogin) => Promise<MailboxSession>;

/** Opens a mailbox with imapflow (TLS on `secure`, otherwise STARTTLS when the server offers it). */
export const imapConnector: MailboxConnector = async (login) => {
  const client = new ImapFlow({
    host: login.host, port: login.port, secure: login.secure, auth: { user: login.username, pass: login.password },
    logger: false, disableAutoIdle: true, connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 120_000,
  });
  // A dropped connection is reported as an 'error' event; the pending command rejects on its own.
  client.on('error', () => {});
  await client.connect();
  let info: Awaited<ReturnType<ImapFlow['mailboxOpen']>>;
  try {
    info = await client.mailboxOpen(login.mailbox, { readOnly: true });
  } catch (error) {
    await client.logout().catch(() => client.close());
    throw error;
  }
  return {
    uidValidity: String(info.uidValidity),
    exists: info.exists,
    async list(afterUid) {
      if (info.exists === 0 || info.uidNext <= afterUid + 1) return [];
      const out: MailboxMessage[] = [];
      // "n:*" always includes the highest UID even when it is below n, hence the filter.
      for await (const m of client.fetch(`${afterUid + 1}:*`, { uid: true, size: true, internalDate: true }, { uid: true })) {
        if (m.uid > afterUid) out.push({ uid: m.uid, size: m.size ?? 0, internalDate: m.internalDate ? new Date(m.internalDate) : null });
      }
      return out.sort((a, b) => a.uid - b.uid);
    },
    async source(uid) {
      const m = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      return m && m.source ? m.source : null;
    },
    async close() {
      await client.logout().catch(() => client.close());
    },
  };
};
