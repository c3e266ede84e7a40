/**
 * The in-process DomainEvents. Other processes learn of events through the socket adapter (Redis/MongoDB) that
 * carries every room emit, and through the store (the SMS outbox is polled), so the bus itself stays local.
 */
import type { DomainEventHandler, DomainEventName, DomainEvents } from '../ports/events.js';

export function createEventBus(onListenerError: (error: unknown, event: DomainEventName) => void): DomainEvents {
  const listeners = new Map<DomainEventName, Set<(payload: never) => void>>();
  return {
    publish(name, payload) {
      for (const handler of listeners.get(name) ?? []) {
        // The write is committed: a failing listener must not fail the command that published, nor starve the rest.
        try {
          (handler as DomainEventHandler<typeof name>)(payload);
        } catch (error) {
          onListenerError(error, name);
        }
      }
    },
    subscribe(name, handler) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const entry = handler as (payload: never) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
  };
}
