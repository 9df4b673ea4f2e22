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
