import { describe, expect, it } from 'vitest';
import { shouldNotify, type NotifyFacts } from './notify-policy.js';

const base: NotifyFacts = { fromMe: false, urgent: false, mentionsMe: false, muted: false, doNotDisturb: false, onScreen: false };

describe('shouldNotify', () => {
  it('notifies an ordinary message off screen, never my own or one on screen', () => {
    expect(shouldNotify(base)).toBe(true);
    expect(shouldNotify({ ...base, fromMe: true })).toBe(false);
    expect(shouldNotify({ ...base, onScreen: true, urgent: true })).toBe(false);
  });

  it('mute silences all but mentions and urgent; Do-not-disturb all but urgent', () => {
    expect(shouldNotify({ ...base, muted: true })).toBe(false);
    expect(shouldNotify({ ...base, muted: true, mentionsMe: true })).toBe(true);
    expect(shouldNotify({ ...base, muted: true, urgent: true })).toBe(true);
    expect(shouldNotify({ ...base, doNotDisturb: true, mentionsMe: true })).toBe(false);
    expect(shouldNotify({ ...base, doNotDisturb: true, muted: true, urgent: true })).toBe(true);
  });
});
