/**
 * The transactional outbox: everything that leaves the system (e-mail, webhooks, later SMS) is written as a
 * row in the same transaction as the change that caused it, then delivered by a worker. Workers on several
 * app nodes claim rows with `FOR UPDATE SKIP LOCKED` and a lease, so each message is delivered once; a
 * failure is retried with exponential backoff and, after the last attempt, shown to administrators.
 */
import { sql } from 'drizzle-orm';
import type { App, TxCtx } from './context.js';
import { rowsOf } from './db/client.js';
import { Drainer } from './drain.js';
import { outbox } from './db/schema.js';

export type OutboxKind = 'email' | 'webhook' | 'sms';
export type OutboxRow = typeof outbox.$inferSelect;

export interface EmailPayload {
  /** The sender; omitted: MAIL_FROM (e-mail replies to customers go out from the organization's inbound address). */
  from?: string;
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Files sent with the message (the monthly report's workbook); the content is base64, as the outbox row is JSON. */
  attachments?: EmailAttachment[];
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** The file's bytes, base64-encoded. */
  content: string;
}

export interface WebhookPayload {
  url: string;
  /** The JSON text sent, exactly as signed (a JSON object would come back from jsonb with its keys reordered). */
  bodyText?: string;
  body?: unknown;
  /** `sha256=<hex>` HMAC of bodyText, computed when queued so the secret never sits in the outbox. */
  signature?: string;
  secret?: string;
}

/** A text message to a phone number (delivered by the SMS gateway, or written under `<data>/sms/`). */
export interface SmsPayload {
  to: string;
  text: string;
}

export interface Enqueue {
  kind: OutboxKind;
  payload: EmailPayload | WebhookPayload | SmsPayload | Record<string, unknown>;
  maxAttempts?: number;
  /** Delay the first attempt (e.g. until a recipient's duty hours start). */
  notBefore?: Date;
  dedupeKey?: string;
}

/** Queues a message inside the caller's transaction; it leaves only if the transaction commits. */
export async function enqueue(t: TxCtx, message: Enqueue): Promise<number> {
  const now = t.now();
  const [row] = await t.tx
    .insert(outbox)
    .values({
      orgId: t.orgId,
      kind: message.kind,
      payload: message.payload,
      maxAttempts: message.maxAttempts ?? 8,
      nextAttemptAt: message.notBefore ?? now,
      createdAt: now,
      dedupeKey: message.dedupeKey ?? null,
    })
    .returning({ id: outbox.id });
  await t.emit('outbox.enqueued', { entityType: 'outbox', entityId: String(row!.id) });
  return row!.id;
}

/** Queues a text message inside the caller's transaction (like an e-mail, the address sits in the outbox row in clear). */
export async function enqueueSms(t: TxCtx, sms: SmsPayload, options: { notBefore?: Date; dedupeKey?: string } = {}): Promise<number> {
  return enqueue(t, { kind: 'sms', payload: { to: sms.to, text: sms.text }, ...options });
}

/**
 * Delay before attempt `attempt + 1` after `attempt` failures: 30 s doubling each time, capped at 6 hours,
 * with up to 20 % random spread (`random` in [0, 1)) so failed batches do not retry in lockstep.
 */
export function backoffMs(attempt: number, random = 0): number {
  const base = 30_000 * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, 6 * 3600_000);
  return Math.round(capped * (1 + 0.2 * random));
}

export type Transport = (row: OutboxRow) => Promise<void>;

export interface WorkerOptions {
  batchSize?: number;
  leaseMs?: number;
  pollMs?: number;
  now?: () => Date;
  random?: () => number;
  onError?: (error: unknown) => void;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private readonly drainer = new Drainer(async () => {
    const batch = await this.claim();
    await Promise.all(batch.map((row) => this.deliver(row)));
    return { handled: batch.length, more: batch.length > 0 };
  });
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(
    private readonly app: App,
    private readonly transports: Partial<Record<string, Transport>>,
    private readonly options: WorkerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.pollMs = options.pollMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /** Claims up to one batch of due messages (or messages whose lease ran out) for this worker. */
  async claim(): Promise<OutboxRow[]> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const result = await this.app.database.db.execute(sql`
      UPDATE outbox SET status = 'sending', lease_until = ${leaseUntil.toISOString()}::timestamptz, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox
        WHERE (status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz)
           OR (status = 'sending' AND lease_until < ${now.toISOString()}::timestamptz)
        ORDER BY id
        LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id`);
    const ids = rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
    if (ids.length === 0) return [];
    const rows = await this.app.database.db.query.outbox.findMany({ where: (o, { inArray }) => inArray(o.id, ids), orderBy: (o, { asc }) => asc(o.id) });
    return rows;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const db = this.app.database.db;
    const transport = this.transports[row.kind];
    try {
      if (!transport) throw new Error(`no transport configured for "${row.kind}"`);
      await transport(row);
      await db.execute(sql`UPDATE outbox SET status = 'delivered', delivered_at = ${this.now().toISOString()}::timestamptz, lease_until = NULL, last_error = NULL WHERE id = ${row.id} AND status = 'sending'`);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      const final = row.attempts >= row.maxAttempts;
      const next = new Date(this.now().getTime() + backoffMs(row.attempts, this.random()));
      await db.execute(sql`
        UPDATE outbox SET status = ${final ? 'failed' : 'pending'}, last_error = ${message}, lease_until = NULL,
          next_attempt_at = ${next.toISOString()}::timestamptz
        WHERE id = ${row.id} AND status = 'sending'`);
    }
  }

  /** Claims and delivers batches until nothing is due; returns how many messages it handled. */
  runOnce(): Promise<number> {
    return this.drainer.run();
  }

  /** Runs on a poll timer and whenever a message is queued on this node or, by NOTIFY, on another. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.runOnce()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
        });
    };
    this.unsubscribe = this.app.bus.subscribe('outbox.enqueued', () => {
      if (this.stopped) return;
      this.runOnce().catch((error: unknown) => this.options.onError?.(error));
    });
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.drainer.current?.catch(() => 0);
  }
}
