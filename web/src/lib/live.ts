/**
 * Live updates: one shared EventSource on /api/v1/stream per tab, reconnecting by itself. Components
 * subscribe with {@link useLiveEvents}; the hook also refreshes TanStack Query caches through the handler.
 */
import { useEffect, useRef } from 'react';

export interface LiveEvent {
  type: string;
  entityType: string | null;
  entityId: string | null;
  data: Record<string, unknown>;
  at: string;
}

type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function ensureSource(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/stream');
  const dispatch = (message: MessageEvent<string>) => {
    let event: LiveEvent;
    try {
      event = JSON.parse(message.data) as LiveEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  };
  source.onmessage = dispatch;
}

function closeIfUnused(): void {
  if (listeners.size === 0 && source) {
    source.close();
    source = null;
  }
}

/** Calls `onEvent` for each live event the signed-in person may see (filtered by `accept`). */
export function useLiveEvents(accept: (event: LiveEvent) => boolean, onEvent: (event: LiveEvent) => void): void {
  const latest = useRef({ accept, onEvent });
  latest.current = { accept, onEvent };
  useEffect(() => {
    const listener: Listener = (event) => {
      if (latest.current.accept(event)) latest.current.onEvent(event);
    };
    listeners.add(listener);
    ensureSource();
    return () => {
      listeners.delete(listener);
      closeIfUnused();
    };
  }, []);
}
