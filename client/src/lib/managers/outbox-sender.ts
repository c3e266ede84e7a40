/**
 * Delivers the outbox: keeps sending `message:send` until the server acks, one message at a time and oldest first,
 * so each conversation keeps the order it was typed in. Retries are safe because the server stores a message once
 * per (sender, client id) and acks a repeat with the stored copy — which is also what makes two tabs that restored
 * the same stored outbox harmless.
 */
import { uuidv7 } from '../../../../shared/ids.js';
import type { Message } from '../../../../shared/schemas/index.js';
import { toApiError, type ApiError } from '../errors.js';
import { asExpired, decideAfterSend, forRetry, isExpired, nextToSend, retryDelay, type OutboxEntry, type SendExtras } from '../logic/outbox.js';
import type { SocketPort } from '../socket.js';
import type { OutboxStore } from '../state/outbox.svelte.js';

export const SEND_TIMEOUT_MS = 5_000;

export interface OutboxSenderParts {
  socket: SocketPort;
  outbox: OutboxStore;
  /** Whether a session stands that may send (signed in). */
  maySend(): boolean;
  /** The server stored one of our messages (its ack carries the stored copy). */
  stored(message: Message): void;
  /** A message entered the outbox. */
  queued?(entry: OutboxEntry): void;
}

export class OutboxSender {
  readonly #parts: OutboxSenderParts;
  #sending = false;
  #failures = 0;
  #wake: (() => void) | null = null;

  constructor(parts: OutboxSenderParts) {
    this.#parts = parts;
  }

  /** Puts the message in the (persisted) outbox first, then lets the sender deliver it. */
  send(conversationId: string, text: string, notifySms: boolean, extras: SendExtras = {}): boolean {
    const trimmed = text.trim();
    if (!trimmed && !extras.attachments?.length) return false;
    const entry: OutboxEntry = {
      // Time-ordered: the server's (sender, client id) index then grows at its end.
      clientId: uuidv7(),
      conversationId,
      text: trimmed,
      notifySms,
      ...(notifySms && extras.smsIfUnreadMinutes !== undefined ? { smsIfUnreadMinutes: extras.smsIfUnreadMinutes } : {}),
      ...(notifySms && extras.smsIfUnreadMinutes !== undefined && extras.smsIfUnacknowledged && extras.requestAck ? { smsIfUnacknowledged: true } : {}),
      ...(notifySms && extras.smsIgnoreQuietHours ? { smsIgnoreQuietHours: true } : {}),
      ...(notifySms && extras.smsSource !== undefined && extras.smsSource !== 'chat' ? { smsSource: extras.smsSource } : {}),
      ...(extras.requestAck ? { requestAck: true } : {}),
      createdAt: new Date().toISOString(),
      state: 'sending',
      error: null,
      ...(extras.replyToId ? { replyToId: extras.replyToId } : {}),
      ...(extras.mentions?.length ? { mentions: extras.mentions } : {}),
      ...(extras.mentionsAll ? { mentionsAll: true } : {}),
      ...(extras.attachments?.length ? { attachments: extras.attachments } : {}),
    };
    this.#parts.outbox.put(entry);
    this.#parts.queued?.(entry);
    this.kick();
    return true;
  }

  retry(clientId: string): void {
    const entry = this.#parts.outbox.get(clientId);
    if (!entry) return;
    const again = forRetry(entry, Date.now(), uuidv7);
    if (again.clientId !== entry.clientId) this.#parts.outbox.remove(entry.clientId);
    this.#parts.outbox.put(again);
    this.kick(true);
  }

  discard(clientId: string): void {
    this.#parts.outbox.remove(clientId);
  }

  /** Starts the sender, or wakes it from a backoff wait (`fresh` after a reconnect or a Retry: try again now). */
  kick(fresh = false): void {
    if (fresh) this.#failures = 0;
    if (this.#wake) this.#wake();
    else if (!this.#sending) void this.#run();
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    const { socket, outbox, maySend, stored: onStored } = this.#parts;
    this.#sending = true;
    try {
      while (maySend() && socket.isConnected()) {
        const entry = nextToSend(outbox.entries);
        if (!entry) break;
        if (isExpired(entry, Date.now())) {
          outbox.put(asExpired(entry));
          continue;
        }
        let stored: Message | null = null;
        let error: ApiError | null = null;
        try {
          stored = await socket.request(
            'message:send',
            {
              conversationId: entry.conversationId,
              clientId: entry.clientId,
              text: entry.text,
              notifySms: entry.notifySms,
              ...(entry.smsIfUnreadMinutes !== undefined ? { smsIfUnreadMinutes: entry.smsIfUnreadMinutes } : {}),
              ...(entry.smsIfUnacknowledged ? { smsIfUnacknowledged: true } : {}),
              ...(entry.smsIgnoreQuietHours ? { smsIgnoreQuietHours: true } : {}),
              ...(entry.smsSource !== undefined ? { smsSource: entry.smsSource } : {}),
              ...(entry.requestAck ? { requestAck: true } : {}),
              ...(entry.replyToId ? { replyToId: entry.replyToId } : {}),
              ...(entry.mentions ? { mentions: entry.mentions } : {}),
              ...(entry.mentionsAll ? { mentionsAll: true } : {}),
              ...(entry.attachments?.length ? { attachmentIds: entry.attachments.map((a) => a.id) } : {}),
            },
            SEND_TIMEOUT_MS,
          );
        } catch (cause) {
          error = toApiError(cause);
        }
        const decision = stored ? 'stored' : decideAfterSend({ ok: false, code: error?.code ?? 'INTERNAL' });
        if (decision === 'stored' && stored) {
          this.#failures = 0;
          outbox.remove(entry.clientId);
          onStored(stored);
        } else if (decision === 'failed') {
          this.#failures = 0;
          if (outbox.get(entry.clientId)) {
            outbox.put({ ...entry, state: 'failed', error: { code: error?.code ?? 'INTERNAL', message: error?.message ?? '' } });
          }
        } else if (decision === 'hold') {
          return;
        } else {
          this.#failures++;
          await this.#pause(retryDelay(this.#failures));
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  /** Ends a backoff wait (the loop then stops, as the session is gone) and forgets the failure count. */
  reset(): void {
    this.#failures = 0;
    this.#wake?.();
  }
}
