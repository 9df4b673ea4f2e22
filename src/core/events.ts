/**
 * Domain events. Services emit them inside their transaction; subscribers run after the commit.
 * On one node (the embedded database) delivery is in-process. On PostgreSQL the event is also sent with
 * `pg_notify` inside the same transaction (so it leaves only if the write commits) and every other node
 * receives it through LISTEN and publishes it to its own subscribers.
 */
export interface DomainEvent {
  id: string;
  type: string;
  orgId: string;
  at: string;
  actorId: string | null;
  entityType?: string;
  entityId?: string;
  data?: Record<string, unknown>;
}

export type EventHandler = (event: DomainEvent) => void | Promise<void>;

export const EVENTS_CHANNEL = 'pledge_events';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; we stay well below. */
const MAX_PAYLOAD_BYTES = 7000;

/**
 * The NOTIFY payloads of a transaction's events: `{"node":…,"events":[…]}`, as many events per payload as
 * fit (one NOTIFY for a whole registration instead of one per event). An event too large on its own is
 * sent without its `data` (receivers then read what they need from the database).
 */
export function notifyPayloads(node: string, events: readonly DomainEvent[]): string[] {
  const out: string[] = [];
  const head = `{"node":${JSON.stringify(node)},"events":[`;
  let parts: string[] = [];
  let size = head.length + 2;
  for (const event of events) {
    let text = JSON.stringify(event);
    if (Buffer.byteLength(text) + head.length + 2 > MAX_PAYLOAD_BYTES) text = JSON.stringify({ ...event, data: undefined, truncated: true });
    const bytes = Buffer.byteLength(text) + 1;
    if (parts.length > 0 && size + bytes > MAX_PAYLOAD_BYTES) {
      out.push(`${head}${parts.join(',')}]}`);
      parts = [];
      size = head.length + 2;
    }
    parts.push(text);
    size += bytes;
  }
  if (parts.length > 0) out.push(`${head}${parts.join(',')}]}`);
  return out;
}

/** The events of one notification (this format, or one event per notification as older nodes send). */
export function eventsOfNotification(payload: string): { node: string; events: DomainEvent[] } | null {
  try {
    const message = JSON.parse(payload) as { node?: unknown; events?: DomainEvent[]; event?: DomainEvent };
    if (typeof message.node !== 'string') return null;
    if (Array.isArray(message.events)) return { node: message.node, events: message.events };
    if (message.event) return { node: message.node, events: [message.event] };
    return null;
  } catch {
    return null; // a malformed notification is not ours
  }
}

export class EventBus {
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown, event: DomainEvent) => void = () => {}) {}

  /** Subscribes to one event type, or to all with '*'. Returns the unsubscribe function. */
  subscribe(type: string, handler: EventHandler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Delivers an event to this node's subscribers; a failing subscriber never affects the writer. */
  publish(event: DomainEvent): void {
    const targets = [...(this.handlers.get(event.type) ?? []), ...(this.handlers.get('*') ?? [])];
    for (const handler of targets) {
      const run = (async () => {
        try {
          await handler(event);
        } catch (error) {
          this.onError(error, event);
        }
      })();
      this.pending.add(run);
      void run.finally(() => this.pending.delete(run));
    }
  }

  /** Waits until every running subscriber has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
