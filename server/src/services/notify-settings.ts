/**
 * Issue 12: a person's mutes and "do not disturb", kept on the server so that every tab and device of theirs follows
 * them. After each change (committed) their own sockets hear the whole current state, not a delta: a tab that
 * missed one change is right again with the next.
 */
import type { DoNotDisturbRequest, MuteRequest, NotifySettings } from '../../../shared/schemas/index.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { MuteUntil, NotifyPrefs, Store } from '../ports/store.js';

/** The stored choices as they stand at `now`: an expired mute or DND is simply not there. */
export function notifySettingsView(prefs: NotifyPrefs, now: Date): NotifySettings {
  const live = (until: Date | null) => until !== null && until.getTime() > now.getTime();
  return {
    doNotDisturbUntil: live(prefs.doNotDisturbUntil) ? (prefs.doNotDisturbUntil as Date).toISOString() : null,
    muted: [...prefs.muted]
      .filter(([, until]) => until === 'forever' || live(until))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([conversationId, until]) => ({ conversationId, until: until === 'forever' ? 'forever' : until.toISOString() })),
  };
}

/** A moment that has passed would be accepted and mean nothing: refused, naming the field. */
function futureMoment(iso: string, now: Date): Date {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || at.getTime() <= now.getTime()) {
    throw new DomainError('VALIDATION_FAILED', 'until must be a moment in the future', { field: 'until', rule: 'range' });
  }
  return at;
}

export function createNotifySettingsService(deps: { store: Store; clock: Clock; events: DomainEvents }) {
  const { store, clock, events } = deps;

  async function current(employeeId: string): Promise<NotifySettings> {
    return notifySettingsView(await store.notifyPrefs.get(employeeId), clock.now());
  }

  async function changed(employeeId: string): Promise<NotifySettings> {
    const settings = await current(employeeId);
    events.publish('notify.changed', { employeeId, settings });
    return settings;
  }

  return {
    current,

    async mute(employeeId: string, request: MuteRequest): Promise<NotifySettings> {
      const until: MuteUntil | null = request.until === null || request.until === 'forever' ? request.until : futureMoment(request.until, clock.now());
      if (!(await store.notifyPrefs.setMute(request.conversationId, employeeId, until))) throw notFound('No such conversation');
      return changed(employeeId);
    },

    async doNotDisturb(employeeId: string, request: DoNotDisturbRequest): Promise<NotifySettings> {
      const until = request.until === null ? null : futureMoment(request.until, clock.now());
      if (!(await store.notifyPrefs.setDoNotDisturb(employeeId, until))) throw notFound('No such employee');
      return changed(employeeId);
    },
  };
}

export type NotifySettingsService = ReturnType<typeof createNotifySettingsService>;
