/**
 * My notification choices: muted conversations, Do-not-disturb, the sound. Kept per employee in this browser's
 * localStorage (a shared computer keeps each person's apart). Not on the server yet: see the branch report.
 */
const KEY = (employeeId: string) => `depesza.notify.${employeeId}`;

interface Stored {
  muted: string[];
  doNotDisturb: boolean;
  sound: boolean;
}

class NotifySettings {
  #employeeId: string | null = null;
  muted = $state.raw<ReadonlySet<string>>(new Set());
  doNotDisturb = $state(false);
  sound = $state(true);

  #listening = false;

  /** Loads the signed-in employee's choices, and follows changes made in their other tabs. */
  load(employeeId: string): void {
    this.#employeeId = employeeId;
    if (!this.#listening && typeof window !== 'undefined') {
      this.#listening = true;
      window.addEventListener('storage', (event) => {
        if (this.#employeeId && event.key === KEY(this.#employeeId)) this.load(this.#employeeId);
      });
    }
    let stored: Partial<Stored> = {};
    try {
      stored = JSON.parse(localStorage.getItem(KEY(employeeId)) ?? '{}') as Partial<Stored>;
    } catch {
      stored = {};
    }
    this.muted = new Set(Array.isArray(stored.muted) ? stored.muted.filter((id) => typeof id === 'string') : []);
    this.doNotDisturb = stored.doNotDisturb === true;
    this.sound = stored.sound !== false;
  }

  isMuted(conversationId: string): boolean {
    return this.muted.has(conversationId);
  }

  setMuted(conversationId: string, muted: boolean): void {
    const next = new Set(this.muted);
    if (muted) next.add(conversationId);
    else next.delete(conversationId);
    this.muted = next;
    this.#save();
  }

  setDoNotDisturb(on: boolean): void {
    this.doNotDisturb = on;
    this.#save();
  }

  setSound(on: boolean): void {
    this.sound = on;
    this.#save();
  }

  clear(): void {
    this.#employeeId = null;
    this.muted = new Set();
    this.doNotDisturb = false;
    this.sound = true;
  }

  #save(): void {
    if (!this.#employeeId) return;
    const stored: Stored = { muted: [...this.muted], doNotDisturb: this.doNotDisturb, sound: this.sound };
    try {
      localStorage.setItem(KEY(this.#employeeId), JSON.stringify(stored));
    } catch {
      // Private mode or a full storage: the choice holds for this page only.
    }
  }
}

export const notifySettings = new NotifySettings();
