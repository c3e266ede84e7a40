import { describe, expect, it } from 'vitest';
import { notifySettingsView } from './notify-settings.js';

describe('notifySettingsView', () => {
  const now = new Date('2026-01-05T10:00:00.000Z');

  it('leaves out a mute or do-not-disturb that has run out, and keeps one for good', () => {
    const view = notifySettingsView(
      {
        doNotDisturbUntil: new Date('2026-01-05T09:59:59.999Z'),
        muted: new Map<string, Date | 'forever'>([
          ['c-expired', new Date('2026-01-05T10:00:00.000Z')],
          ['c-live', new Date('2026-01-05T11:00:00.000Z')],
          ['a-forever', 'forever'],
        ]),
      },
      now,
    );
    expect(view).toEqual({
      doNotDisturbUntil: null,
      muted: [
        { conversationId: 'a-forever', until: 'forever' },
        { conversationId: 'c-live', until: '2026-01-05T11:00:00.000Z' },
      ],
    });
  });

  it('shows a do-not-disturb still running', () => {
    const view = notifySettingsView({ doNotDisturbUntil: new Date('2026-01-05T10:00:00.001Z'), muted: new Map() }, now);
    expect(view.doNotDisturbUntil).toBe('2026-01-05T10:00:00.001Z');
  });
});
