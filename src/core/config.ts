/** Configuration from the environment, read once at the edge (CLI, server, tests) and passed down. */
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Embedded database and generated files live here (PGlite data, secret key, outgoing mail copies). */
  dataDir: string;
  /** A PostgreSQL server instead of the embedded database. */
  databaseUrl: string | undefined;
  /** Secret for personal-data encryption; generated into the data folder when absent on the embedded database. */
  secret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Trust X-Forwarded-* headers (behind a reverse proxy); marks the session cookie Secure on HTTPS. */
  trustProxy: boolean;
  /** Seed the demo organization on first start of an empty database. */
  seedDemo: boolean;
  logLevel: string;
  /** scrypt cost as a power of two (N = 2^cost). */
  passwordCost: number;
  sessionHours: number;
  /** Run the outbox worker and the clock watcher in this process. */
  worker: boolean;
  /** The address people reach Pledge at, for links in e-mails (confirm, unsubscribe, tracking). */
  publicUrl: string;
  /** Port of the inbound SMTP endpoint (mail to the organizations' inbound addresses); undefined: off. */
  smtpPort: number | undefined;
  smtpHost: string;
  /** Client IPs or CIDR ranges allowed to deliver to the inbound SMTP endpoint; empty: anyone. */
  smtpAllow: string[];
  /** Largest inbound message accepted (SMTP and IMAP), in bytes. */
  smtpMaxBytes: number;
  /** How often each IMAP mail account is polled. */
  imapPollSeconds: number;
  /** Allow webhooks to loopback and private addresses (off: refused when saved and when delivered). */
  webhookAllowPrivate: boolean;
  /** HTTP SMS gateway the `sms` outbox messages are POSTed to (see transports.ts); undefined: files under `<data>/sms/`. */
  smsGatewayUrl?: string | undefined;
  /** Bearer token sent to the SMS gateway. */
  smsGatewayToken?: string | undefined;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.PLEDGE_DATA_DIR ?? './data'),
    databaseUrl,
    secret: env.PLEDGE_SECRET || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Pledge <no-reply@pledge.local>',
    trustProxy: bool(env.PLEDGE_TRUST_PROXY, false),
    seedDemo: bool(env.PLEDGE_SEED_DEMO, !databaseUrl),
    logLevel: env.LOG_LEVEL ?? 'info',
    passwordCost: Number(env.PLEDGE_PASSWORD_COST ?? 15),
    sessionHours: Number(env.PLEDGE_SESSION_HOURS ?? 12),
    worker: bool(env.PLEDGE_WORKER, true),
    publicUrl: (env.PLEDGE_PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ''),
    smtpPort: env.PLEDGE_SMTP_PORT ? Number(env.PLEDGE_SMTP_PORT) : undefined,
    smtpHost: env.PLEDGE_SMTP_HOST || (env.HOST ?? '0.0.0.0'),
    smtpAllow: (env.PLEDGE_SMTP_ALLOW ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    smtpMaxBytes: Number(env.PLEDGE_SMTP_MAX_BYTES ?? 25 * 1024 * 1024),
    imapPollSeconds: Number(env.PLEDGE_IMAP_POLL_SECONDS ?? 60),
    webhookAllowPrivate: bool(env.PLEDGE_WEBHOOK_ALLOW_PRIVATE, false),
    smsGatewayUrl: env.SMS_GATEWAY_URL || undefined,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN || undefined,
  };
}
