/**
 * What a person does to a message: edit, delete, react, reply — and, after editing an urgent message whose SMS went
 * out, the offer to send the correction by SMS. The composer's mode (replying to or editing a message) is kept per
 * conversation here, so switching conversations keeps each one's. Acks carry the changed message, applied at once
 * like the live `message:updated` event (the same copy may come both ways; the higher rev wins, so never twice).
 */
import type { Message } from '../../../../shared/schemas/index.js';
import { needsSmsCorrection, reactedWith } from '../logic/message-rules.js';
import type { SocketPort } from '../socket.js';

export type ComposerMode = { kind: 'reply'; message: Message } | { kind: 'edit'; message: Message };

export interface MessageActionsParts {
  socket: SocketPort;
  myId(): string | undefined;
  /** A changed message came back in an ack. */
  changed(message: Message): void;
}

export interface MentionFields {
  mentions: string[];
  mentionsAll: boolean;
}

export class MessageActions {
  readonly #parts: MessageActionsParts;
  #modes = $state.raw<Record<string, ComposerMode>>({});
  /** Per conversation: my edited urgent message whose recipients got the old text by SMS. */
  #corrections = $state.raw<Record<string, Message>>({});

  constructor(parts: MessageActionsParts) {
    this.#parts = parts;
  }

  mode(conversationId: string): ComposerMode | null {
    return Object.hasOwn(this.#modes, conversationId) ? this.#modes[conversationId]! : null;
  }

  startReply(message: Message): void {
    this.#setMode(message.conversationId, { kind: 'reply', message });
  }

  startEdit(message: Message): void {
    this.#setMode(message.conversationId, { kind: 'edit', message });
  }

  cancel(conversationId: string): void {
    this.#setMode(conversationId, null);
  }

  #setMode(conversationId: string, mode: ComposerMode | null): void {
    const { [conversationId]: _old, ...rest } = this.#modes;
    this.#modes = mode ? { ...rest, [conversationId]: mode } : rest;
  }

  /** Saves the text of the message being edited; answers the stored message (unchanged text saves nothing). */
  async saveEdit(conversationId: string, text: string, mentions: MentionFields): Promise<Message | null> {
    const mode = this.mode(conversationId);
    if (mode?.kind !== 'edit') return null;
    const original = mode.message;
    const trimmed = text.trim();
    if (trimmed === original.text) {
      this.cancel(conversationId);
      return original;
    }
    const stored = await this.#parts.socket.request('message:edit', {
      conversationId,
      messageId: original.id,
      text: trimmed,
      ...mentions,
    });
    this.#parts.changed(stored);
    if (this.mode(conversationId)?.message.id === original.id) this.cancel(conversationId);
    // The ack may come without the sender's SMS list; what the original had still tells whether SMS went out.
    const seen = { ...stored, sms: stored.sms ?? original.sms };
    const me = this.#parts.myId();
    if (me && needsSmsCorrection(seen, me)) this.#corrections = { ...this.#corrections, [conversationId]: seen };
    return stored;
  }

  correctionOffer(conversationId: string): Message | null {
    return Object.hasOwn(this.#corrections, conversationId) ? this.#corrections[conversationId]! : null;
  }

  dismissCorrection(conversationId: string): void {
    const { [conversationId]: _gone, ...rest } = this.#corrections;
    this.#corrections = rest;
  }

  /** Sends the edited text by SMS to those who got the original; the server sends it once per edited text. */
  async sendSmsCorrection(conversationId: string): Promise<Message | null> {
    const offer = this.correctionOffer(conversationId);
    if (!offer) return null;
    const stored = await this.#parts.socket.request('message:smsCorrection', {
      conversationId,
      messageId: offer.id,
      rev: offer.rev,
    });
    this.dismissCorrection(conversationId);
    this.#parts.changed(stored);
    return stored;
  }

  async remove(message: Message): Promise<Message> {
    const stored = await this.#parts.socket.request('message:delete', {
      conversationId: message.conversationId,
      messageId: message.id,
    });
    this.#parts.changed(stored);
    const mode = this.mode(message.conversationId);
    if (mode?.message.id === message.id) this.cancel(message.conversationId);
    if (this.correctionOffer(message.conversationId)?.id === message.id) this.dismissCorrection(message.conversationId);
    return stored;
  }

  /** Adds my reaction, or takes it back when I already reacted with that emoji. */
  async toggleReaction(message: Message, emoji: string): Promise<Message> {
    const me = this.#parts.myId();
    const stored = await this.#parts.socket.request('message:react', {
      conversationId: message.conversationId,
      messageId: message.id,
      emoji,
      add: !(me && reactedWith(message, emoji, me)),
    });
    this.#parts.changed(stored);
    return stored;
  }

  reset(): void {
    this.#modes = {};
    this.#corrections = {};
  }
}
