/**
 * The inbound SMTP endpoint: receives mail for the organizations' inbound addresses the way an MX host
 * does (no authentication), from the internet or, better, from a relay in front of it. Recipients that are
 * no organization's inbound address are refused at RCPT TO (550), so nothing is accepted that could not
 * be stored; messages over the size limit are refused (552); an optional allowlist limits which client
 * IPs may connect at all. A message is acknowledged (250) only after it is committed; a failure that may
 * pass is answered 451 so the sender tries again later (the same Message-ID is stored once).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { App } from '../../core/context.js';
import { isAppError } from '../../core/errors.js';
import { orgForAddress, receiveEmail, type ReceiveOptions } from './email.js';

export interface InboundSmtpOptions {
  port: number;
  host?: string;
  /** Client IPs or CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`) allowed to connect; empty: everyone. */
  allow?: readonly string[];
  /** Largest message accepted, in bytes. */
  maxBytes?: number;
  /** Most recipients in one message. */
  maxRecipients?: number;
  now?: ReceiveOptions['now'];
  onError?: (error: unknown, session: SMTPServerSession | null) => void;
}

export interface InboundSmtp {
  /** The port it listens on (the actual one when started on port 0). */
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/** A predicate for client addresses from allowlist entries (single addresses or CIDR ranges, IPv4 or IPv6). */
export function clientAllowed(entries: readonly string[]): (ip: string) => boolean {
  if (entries.length === 0) return () => true;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    if (!type) throw new Error(`PLEDGE_SMTP_ALLOW: "${entry}" is not an IP address or CIDR range`);
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (ip: string) => {
    // IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d.
    const plain = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
    return isIPv4(plain) ? list.check(plain, 'ipv4') : isIPv6(plain) ? list.check(plain, 'ipv6') : false;
  };
}

async function readAll(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep reading to the end (the client waits for our answer) but stop holding an oversized message.
    if (size <= maxBytes) chunks.push(chunk);
  }
  return stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks);
}

/** Starts the inbound SMTP endpoint; resolves once it listens. */
export async function startInboundSmtp(app: App, options: InboundSmtpOptions): Promise<InboundSmtp> {
  const allowed = clientAllowed(options.allow ?? []);
  const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  const maxRecipients = options.maxRecipients ?? 50;
  const report = (error: unknown, session: SMTPServerSession | null) => options.onError?.(error, session);

  const server = new SMTPServer({
    banner: 'Pledge inbound mail',
    // MX-style delivery: no authentication. TLS is the relay's job (see docs/email.md).
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: maxBytes,
    rejectOversized: true,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onConnect(session, callback) {
      if (allowed(session.remoteAddress)) callback();
      else callback(smtpError(554, '5.7.1 Client host not allowed'));
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= maxRecipients) {
        callback(smtpError(452, '4.5.3 Too many recipients'));
        return;
      }
      orgForAddress(app, address.address).then(
        (orgId) => callback(orgId ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (error: unknown) => {
          report(error, session);
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const handle = async () => {
        const raw = await readAll(stream, maxBytes);
        if (!raw) return callback(smtpError(552, `5.3.4 Message exceeds the size limit of ${maxBytes} bytes`));
        const mailFrom = session.envelope.mailFrom;
        try {
          await receiveEmail(
            app,
            raw,
            { to: session.envelope.rcptTo.map((r) => r.address), from: mailFrom ? mailFrom.address : null },
            { requestId: `smtp-${session.id}`, ip: session.remoteAddress, ...(options.now ? { now: options.now } : {}) },
          );
          callback(null, 'Message accepted');
        } catch (error) {
          report(error, session);
          if (isAppError(error)) callback(smtpError(error.code === 'mail.unknown_recipient' ? 550 : 554, `5.6.0 Message not accepted: ${error.code}`));
          else callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        }
      };
      handle().catch((error: unknown) => {
        report(error, session);
        callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
      });
    },
  });
  server.on('error', (error) => report(error, null));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const address = server.server.address();
  let closed: Promise<void> | null = null;
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close() {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closed;
    },
  };
}
