/**
 * Live updates: one shared EventSource on /api/v1/stream per tab, reconnecting by itself. Components
 * subscribe with {@link useLiveEvents}; the hook also refreshes TanStack Query caches through the handler.
 * Events sent while the connection was down are not replayed: when it comes back, every subscriber gets one
 * {@link RECONNECTED} event (whatever its filter), so it refreshes what it shows.
 */
import { useEffect, useRef } from 'react';

export interface LiveEvent {
  type: string;
  entityType: string | null;
  entityId: string | null;
  data: Record<string, unknown>;
  at: string;
}

/** The type of the event each subscriber receives when the stream comes back after a break. */
export const RECONNECTED = 'stream.reconnected';

type Listener = (event: LiveEvent, reconnected: boolean) => void;

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
    for (const listener of listeners) listener(event, false);
  };
  source.onmessage = dispatch;
  let broken = false;
  source.onerror = () => {
    broken = true;
  };
  source.onopen = () => {
    if (!broken) return;
    broken = false;
    const event: LiveEvent = { type: RECONNECTED, entityType: null, entityId: null, data: {}, at: new Date().toISOString() };
    for (const listener of listeners) listener(event, true);
  };
}

function closeIfUnused(): void {
  if (listeners.size === 0 && source) {
    source.close();
    source = null;
  }
}

/** Calls `onEvent` for each live event the signed-in person may see (filtered by `accept`), and once with a {@link RECONNECTED} event after each break of the connection. */
export function useLiveEvents(accept: (event: LiveEvent) => boolean, onEvent: (event: LiveEvent) => void): void {
  const latest = useRef({ accept, onEvent });
  latest.current = { accept, onEvent };
  useEffect(() => {
    const listener: Listener = (event, reconnected) => {
      if (reconnected || latest.current.accept(event)) latest.current.onEvent(event);
    };
    listeners.add(listener);
    ensureSource();
    return () => {
      listeners.delete(listener);
      closeIfUnused();
    };
  }, []);
}
