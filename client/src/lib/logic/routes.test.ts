import { describe, expect, it } from 'vitest';
import { href, parseHash } from './routes.js';

describe('hash routes', () => {
  it('parses every page and falls back to not-found', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/')).toEqual({ name: 'home' });
    expect(parseHash('#/chat/abc')).toEqual({ name: 'chat', conversationId: 'abc' });
    expect(parseHash('#/profile')).toEqual({ name: 'profile' });
    expect(parseHash('#/directory')).toEqual({ name: 'directory' });
    expect(parseHash('#/sms-report')).toEqual({ name: 'sms-report' });
    expect(parseHash('#/notifications')).toEqual({ name: 'notifications' });
    expect(parseHash('#/chat')).toEqual({ name: 'not-found' });
    expect(parseHash('#/chat/a/b')).toEqual({ name: 'not-found' });
    expect(parseHash('#/nope')).toEqual({ name: 'not-found' });
  });

  it('round-trips conversation ids', () => {
    expect(parseHash(href.chat('a b/c'))).toEqual({ name: 'chat', conversationId: 'a b/c' });
  });
});
