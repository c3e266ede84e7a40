/**
 * Issue 13: the start page's "Quick SMS". It sends ordinary messages with the SMS box ticked (source 'widget'), so
 * they sit in history: to a person in your direct conversation, to several people in each one, to a group in
 * that group. The preview is the composer's (sms:preview per conversation), merged; the SMS timing (now, if unread
 * or not acknowledged after N min, "send anyway" in quiet hours) is the composer's too (sms/sms-timing.ts).
 */
import type { SmsPreview } from '../../../../shared/schemas/index.js';
import type { SendExtras } from '../logic/outbox.js';
import { isIfUnacknowledged, SMS_NOW, smsTimingExtras, type SmsTiming } from '../sms/sms-timing.js';

export type QuickTarget = { kind: 'person' | 'group'; id: string; name: string };

export interface QuickSmsParts {
  /** The direct conversation with a colleague (opened, the first time). */
  openDirect(employeeId: string): Promise<{ id: string }>;
  preview(conversationId: string): Promise<SmsPreview>;
  /** Puts one message with the SMS box ticked in the outbox; false when there is nothing to send. */
  send(conversationId: string, text: string, extras: SendExtras): boolean;
}

export interface QuickSent {
  conversationId: string;
  name: string;
}

type Recipient = SmsPreview['recipients'][number];

export class QuickSms {
  readonly #parts: QuickSmsParts;
  #targets = $state<QuickTarget[]>([]);
  #preview = $state.raw<Recipient[] | null>(null);
  #checking = $state(false);
  #error = $state<unknown>(null);
  #sent = $state.raw<QuickSent[]>([]);
  #timing = $state<SmsTiming>({ ...SMS_NOW });
  /** Conversation ids of targets, found once. */
  readonly #conversationOf = new Map<string, string>();
  /** Which check is the newest: an older one finishing late must not overwrite it. */
  #round = 0;

  constructor(parts: QuickSmsParts) {
    this.#parts = parts;
  }

  get targets(): readonly QuickTarget[] {
    return this.#targets;
  }
  /** Everyone the SMS would be for, each once; null until checked. */
  get preview(): readonly Recipient[] | null {
    return this.#preview;
  }
  get checking(): boolean {
    return this.#checking;
  }
  get error(): unknown {
    return this.#error;
  }
  get sent(): readonly QuickSent[] {
    return this.#sent;
  }
  get timing(): Readonly<SmsTiming> {
    return this.#timing;
  }
  /** '' (now), 'N' (if unread after N min) or 'ack:N' (if not acknowledged; asks for acknowledgement too). */
  setWhen(when: string): void {
    this.#timing.when = when;
  }
  /** Without it, "if not acknowledged" falls back to "now" (as in the composer). */
  setRequestAck(value: boolean): void {
    this.#timing.requestAck = value;
    if (!value && this.#timing.when.startsWith('ack:')) this.#timing.when = '';
  }
  setSendAnyway(value: boolean): void {
    this.#timing.sendAnyway = value;
  }
  /** The SMS waits for the read mark (or the acknowledgement) rather than going now. */
  get later(): boolean {
    return this.#timing.when !== '' && (!this.#timing.when.startsWith('ack:') || this.#timing.requestAck);
  }
  get ifUnacknowledged(): boolean {
    return isIfUnacknowledged(this.#timing);
  }

  add(target: QuickTarget): void {
    if (this.#targets.some((t) => t.kind === target.kind && t.id === target.id)) return;
    this.#targets = [...this.#targets, target];
    this.#sent = [];
  }

  remove(target: QuickTarget): void {
    this.#targets = this.#targets.filter((t) => !(t.kind === target.kind && t.id === target.id));
    this.#sent = [];
  }

  async #conversationFor(target: QuickTarget): Promise<string> {
    if (target.kind === 'group') return target.id;
    const key = `person:${target.id}`;
    let id = this.#conversationOf.get(key);
    if (id === undefined) {
      id = (await this.#parts.openDirect(target.id)).id;
      this.#conversationOf.set(key, id);
    }
    return id;
  }

  /** Asks who will and won't get the SMS; resolves once the newest answer is shown. */
  async check(): Promise<void> {
    const round = ++this.#round;
    const targets = this.#targets;
    if (targets.length === 0) {
      this.#preview = null;
      this.#checking = false;
      return;
    }
    this.#checking = true;
    this.#error = null;
    try {
      const previews = await Promise.all(targets.map(async (t) => this.#parts.preview(await this.#conversationFor(t))));
      if (round !== this.#round) return;
      const byId = new Map<string, Recipient>();
      for (const recipient of previews.flatMap((p) => p.recipients)) byId.set(recipient.employeeId, recipient);
      this.#preview = [...byId.values()];
    } catch (error) {
      if (round === this.#round) {
        this.#preview = null;
        this.#error = error;
      }
    } finally {
      if (round === this.#round) this.#checking = false;
    }
  }

  /**
   * Sends to every target; `textFor` gives each its own text (a template filled for that person). Resolves with
   * where the messages went, which also stays shown until the recipients change.
   */
  async send(textFor: (target: QuickTarget) => string): Promise<QuickSent[]> {
    const sent: QuickSent[] = [];
    const extras: SendExtras = { ...smsTimingExtras(this.#timing), ...(this.#timing.requestAck ? { requestAck: true } : {}) };
    for (const target of this.#targets) {
      const conversationId = await this.#conversationFor(target);
      if (this.#parts.send(conversationId, textFor(target), extras)) sent.push({ conversationId, name: target.name });
    }
    this.#sent = sent;
    if (sent.length > 0) {
      this.#targets = [];
      this.#timing = { ...SMS_NOW };
      this.#preview = null;
      this.#round++;
    }
    return sent;
  }

  reset(): void {
    this.#targets = [];
    this.#preview = null;
    this.#checking = false;
    this.#error = null;
    this.#sent = [];
    this.#timing = { ...SMS_NOW };
    this.#conversationOf.clear();
    this.#round++;
  }
}
