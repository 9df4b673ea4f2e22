/**
 * The context every service call receives — built alike by HTTP, jobs, the CLI and tests — and the one
 * transaction helper that gives writes their audit log and events.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Config } from './config.js';
import type { Keys } from './crypto.js';
import type { Database, Tx } from './db/client.js';
import { EVENTS_CHANNEL, eventsOfNotification, notifyPayloads, type DomainEvent, type EventBus } from './events.js';
import { DEFAULT_LOCALE, type Locale } from './i18n.js';
import type { Permission, Role, Scope } from './policy.js';

/** The long-lived parts of a running Pledge, shared by every context. */
export interface App {
  database: Database;
  keys: Keys;
  config: Config;
  bus: EventBus;
  /** Identifies this process among app nodes (to skip its own NOTIFY echoes). */
  nodeId: string;
}

export type Actor =
  | {
      kind: 'staff';
      id: string;
      orgId: string;
      name: string;
      role: Role;
      scope: Scope;
      branchId: string;
      /** Set when the call is made with an API token: the token's scopes narrow the role's permissions. */
      tokenScopes?: readonly Permission[];
      tokenId?: string;
      sessionId?: string;
    }
  | { kind: 'system'; orgId: string; name: string }
  /** A member of the public on the public pages (no account): may only do what public services allow. */
  | { kind: 'public'; orgId: string; name: string };

export interface Ctx {
  app: App;
  actor: Actor;
  orgId: string;
  now: () => Date;
  requestId: string | null;
  ip: string | null;
  locale: Locale;
}

export interface TxCtx extends Ctx {
  tx: Tx;
  /** Records a domain event, delivered to subscribers when the transaction commits (orgId defaults to the context's; jobs working across organizations name it). */
  emit(type: string, event?: Omit<Partial<DomainEvent>, 'type' | 'id' | 'at'>): Promise<void>;
  /**
   * A list of rows kept for this transaction under `key` and written by `flush` once, just before the commit
   * (audit entries become one multi-row INSERT instead of one statement each). A rollback drops them.
   */
  buffer<T>(key: symbol, flush: (items: T[], tx: Tx) => Promise<void>): T[];
}

export function actorId(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.id : null;
}

/** A context acting as the system itself within one organization (jobs, seeding, the CLI). */
export function systemCtx(app: App, orgId: string, overrides: Partial<Ctx> = {}): Ctx {
  return {
    app,
    actor: { kind: 'system', orgId, name: 'system' },
    orgId,
    now: () => new Date(),
    requestId: null,
    ip: null,
    locale: DEFAULT_LOCALE,
    ...overrides,
  };
}

/**
 * Runs `fn` in one transaction. Events it emits go out with the commit: NOTIFY inside the transaction for
 * other nodes, this node's subscribers right after the commit. Nothing is published if it rolls back.
 * Buffered rows (audit entries) are written, and the transaction's events sent to other nodes in as few
 * NOTIFYs as their size allows, just before the commit.
 */
export async function transact<T>(ctx: Ctx, fn: (t: TxCtx) => Promise<T>): Promise<T> {
  const { app } = ctx;
  const pending: DomainEvent[] = [];
  const result = await app.database.db.transaction(async (tx) => {
    const buffers = new Map<symbol, { items: unknown[]; flush: (items: never[], tx: Tx) => Promise<void> }>();
    const t: TxCtx = {
      ...ctx,
      tx,
      async emit(type, event = {}) {
        pending.push({
          ...event,
          id: randomUUID(),
          type,
          orgId: event.orgId ?? ctx.orgId,
          at: ctx.now().toISOString(),
          actorId: event.actorId ?? actorId(ctx.actor),
        });
      },
      buffer<R>(key: symbol, flush: (items: R[], tx: Tx) => Promise<void>): R[] {
        let entry = buffers.get(key);
        if (!entry) buffers.set(key, (entry = { items: [], flush: flush }));
        return entry.items as R[];
      },
    };
    const value = await fn(t);
    // Flushing may buffer more (a flush that audits); repeat until everything is written.
    for (let round = 0; round < 10 && [...buffers.values()].some((b) => b.items.length > 0); round++) {
      for (const entry of buffers.values()) {
        if (entry.items.length === 0) continue;
        const items = entry.items.splice(0);
        await entry.flush(items as never[], tx);
      }
    }
    if (app.database.kind === 'postgres' && pending.length > 0) {
      for (const payload of notifyPayloads(app.nodeId, pending)) await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`);
    }
    return value;
  });
  for (const event of pending) app.bus.publish(event);
  return result;
}

/**
 * Relays events from other nodes (PostgreSQL LISTEN) to this node's bus. The embedded database has one
 * node, so there is nothing to relay.
 */
export async function startEventRelay(app: App): Promise<() => Promise<void>> {
  if (app.database.kind !== 'postgres') return async () => {};
  return app.database.listen(EVENTS_CHANNEL, (payload) => {
    const message = eventsOfNotification(payload);
    if (message && message.node !== app.nodeId) for (const event of message.events) app.bus.publish(event);
  });
}
