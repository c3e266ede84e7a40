/**
 * My notification choices (issue 12). Mutes and "do not disturb" live on the server, so every tab and device of mine
 * follows them: read at each (re)connect, changed through the server, and applied when `notify:settings` says any
 * tab of mine changed them. The sound stays a choice of this browser. What the earlier version kept in this
 * browser's localStorage is sent to the server once, then dropped.
 */
import type { NotifySettings } from '../../../../shared/schemas/index.js';
import type { SocketPort } from '../socket.js';

/** The key the earlier version kept everything under; now it holds the sound only. */
export const storageKey = (employeeId: string) => `depesza.notify.${employeeId}`;

/** "Do not disturb" lasts until the next 08:00 in this browser's time: a night or an afternoon, never for good. */
export const DND_ENDS_AT_HOUR = 8;

export function nextMorning(now: Date): Date {
  const end = new Date(now);
  end.setHours(DND_ENDS_AT_HOUR, 0, 0, 0);
  if (end.getTime() <= now.getTime()) end.setDate(end.getDate() + 1);
  return end;
}

export interface NotifySettingsDeps {
  socket: SocketPort;
  storage: Storage | null;
  now(): Date;
  report(error: unknown, what: string): void;
}

interface Legacy {
  muted?: unknown;
  doNotDisturb?: unknown;
  sound?: unknown;
}

const NONE: NotifySettings = { doNotDisturbUntil: null, muted: [] };

export class NotifySettingsManager {
  readonly #deps: NotifySettingsDeps;
  #settings = $state.raw<NotifySettings>(NONE);
  #sound = $state(true);
  /** Moves when a mute or DND runs out, so what reads them looks again. */
  #tick = $state(0);
  #expiry: ReturnType<typeof setTimeout> | null = null;
  #employeeId: string | null = null;

  constructor(deps: NotifySettingsDeps) {
    this.#deps = deps;
    deps.socket.on('notify:settings', (settings) => this.#apply(settings));
  }

  get doNotDisturb(): boolean {
    void this.#tick;
    const until = this.#settings.doNotDisturbUntil;
    return until !== null && Date.parse(until) > this.#deps.now().getTime();
  }

  /** ISO, while "do not disturb" is on. */
  get doNotDisturbUntil(): string | null {
    return this.doNotDisturb ? this.#settings.doNotDisturbUntil : null;
  }

  get sound(): boolean {
    return this.#sound;
  }

  isMuted(conversationId: string): boolean {
    void this.#tick;
    const mute = this.#settings.muted.find((m) => m.conversationId === conversationId);
    return mute !== undefined && (mute.until === 'forever' || Date.parse(mute.until) > this.#deps.now().getTime());
  }

  /** After every (re)connect: the server's choices, then (once) what this browser still kept locally. */
  async sync(employeeId: string): Promise<void> {
    this.#employeeId = employeeId;
    const legacy = this.#readLocal(employeeId);
    this.#sound = legacy.sound !== false;
    this.#apply(await this.#deps.socket.request('notify:get', {}));
    if (Array.isArray(legacy.muted) || legacy.doNotDisturb !== undefined) await this.#migrate(legacy);
  }

  async setMuted(conversationId: string, muted: boolean): Promise<void> {
    const before = this.#settings;
    const others = before.muted.filter((m) => m.conversationId !== conversationId);
    this.#settings = { ...before, muted: muted ? [...others, { conversationId, until: 'forever' }] : others };
    await this.#change(before, () => this.#deps.socket.request('notify:mute', { conversationId, until: muted ? 'forever' : null }), 'mute');
  }

  async setDoNotDisturb(on: boolean): Promise<void> {
    const before = this.#settings;
    const until = on ? nextMorning(this.#deps.now()).toISOString() : null;
    this.#settings = { ...before, doNotDisturbUntil: until };
    await this.#change(before, () => this.#deps.socket.request('notify:doNotDisturb', { until }), 'do not disturb');
  }

  setSound(on: boolean): void {
    this.#sound = on;
    if (!this.#employeeId) return;
    try {
      this.#deps.storage?.setItem(storageKey(this.#employeeId), JSON.stringify({ sound: on }));
    } catch {
      // Private mode or a full storage: the choice holds for this page only.
    }
  }

  reset(): void {
    this.#employeeId = null;
    this.#settings = NONE;
    this.#sound = true;
    if (this.#expiry) clearTimeout(this.#expiry);
    this.#expiry = null;
  }

  /** Shown at once; the server's answer (or, on failure, the state before) has the last word. */
  async #change(before: NotifySettings, send: () => Promise<NotifySettings>, what: string): Promise<void> {
    try {
      this.#apply(await send());
    } catch (error) {
      this.#settings = before;
      this.#deps.report(error, what);
    }
  }

  #apply(settings: NotifySettings): void {
    this.#settings = settings;
    this.#scheduleExpiry();
  }

  #scheduleExpiry(): void {
    if (this.#expiry) clearTimeout(this.#expiry);
    this.#expiry = null;
    const now = this.#deps.now().getTime();
    const ends = [this.#settings.doNotDisturbUntil, ...this.#settings.muted.map((m) => (m.until === 'forever' ? null : m.until))]
      .flatMap((until) => (until === null ? [] : [Date.parse(until)]))
      .filter((at) => at > now);
    if (ends.length === 0) return;
    // Timers cap at about 24.8 days; a later end is looked at again then.
    const wait = Math.min(Math.min(...ends) - now, 2 ** 31 - 1);
    this.#expiry = setTimeout(() => {
      this.#tick++;
      this.#scheduleExpiry();
    }, wait);
  }

  #readLocal(employeeId: string): Legacy {
    try {
      const parsed: unknown = JSON.parse(this.#deps.storage?.getItem(storageKey(employeeId)) ?? '{}');
      return parsed !== null && typeof parsed === 'object' ? (parsed as Legacy) : {};
    } catch {
      return {};
    }
  }

  /** The earlier version's mutes (for good) and DND (on, with no end) go to the server, then only the sound stays. */
  async #migrate(legacy: Legacy): Promise<void> {
    const { socket } = this.#deps;
    const muted = Array.isArray(legacy.muted) ? legacy.muted.filter((id): id is string => typeof id === 'string') : [];
    try {
      for (const conversationId of muted) {
        if (this.isMuted(conversationId)) continue;
        try {
          this.#apply(await socket.request('notify:mute', { conversationId, until: 'forever' }));
        } catch (error) {
          // A conversation left since: nothing to carry over. Anything else: try again at the next connect.
          if (!(error instanceof Error && 'code' in error && error.code === 'NOT_FOUND')) throw error;
        }
      }
      if (legacy.doNotDisturb === true && !this.doNotDisturb) {
        this.#apply(await socket.request('notify:doNotDisturb', { until: nextMorning(this.#deps.now()).toISOString() }));
      }
    } catch (error) {
      this.#deps.report(error, 'notification settings from this browser');
      return;
    }
    this.setSound(legacy.sound !== false);
  }
}
