import { describe, expect, it } from 'vitest';
import type { DomainEventName } from '../ports/events.js';
import { createEventBus } from './event-bus.js';

describe('domain event bus', () => {
  it('delivers a published event to every listener of that name, in subscription order, and to no other', () => {
    const seen: string[] = [];
    const bus = createEventBus(() => undefined);
    bus.subscribe('conversation.left', ({ conversationId }) => seen.push(`first:${conversationId}`));
    bus.subscribe('conversation.left', ({ employeeId }) => seen.push(`second:${employeeId}`));
    bus.subscribe('sms.queued', () => seen.push('wrong listener'));
    bus.publish('conversation.left', { conversationId: 'c1', employeeId: 'e1' });
    expect(seen).toEqual(['first:c1', 'second:e1']);
  });

  it('keeps calling the other listeners when one throws, and reports the failure with the event name', () => {
    const failures: Array<{ message: string; event: DomainEventName }> = [];
    const bus = createEventBus((error, event) => failures.push({ message: (error as Error).message, event }));
    let reached = false;
    bus.subscribe('sms.queued', () => {
      throw new Error('listener broke');
    });
    bus.subscribe('sms.queued', () => {
      reached = true;
    });
    expect(() => bus.publish('sms.queued', {})).not.toThrow();
    expect(reached).toBe(true);
    expect(failures).toEqual([{ message: 'listener broke', event: 'sms.queued' }]);
  });

  it('stops delivering to a listener once it unsubscribed', () => {
    let calls = 0;
    const bus = createEventBus(() => undefined);
    const stop = bus.subscribe('sms.queued', () => calls++);
    bus.publish('sms.queued', {});
    stop();
    bus.publish('sms.queued', {});
    expect(calls).toBe(1);
  });
});
