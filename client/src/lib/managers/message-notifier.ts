/**
 * System notifications and a sound for messages that arrive where the person is not looking. Every tab hears
 * `message:new`; only the leader tab (TabCoordinator) shows anything, so several tabs give one notification.
 */
import type { Message } from '../../../../shared/schemas/index.js';
import type { SocketPort } from '../socket.js';
import { shouldNotify } from './notify-policy.js';

export const NOTIFICATION_TEXT_MAX = 140;

export interface NotifierDeps {
  socket: SocketPort;
  coordinator: { readonly isLeader: boolean; showsAnywhere(conversationId: string): boolean };
  myId(): string | undefined;
  settings: { isMuted(conversationId: string): boolean; readonly doNotDisturb: boolean; readonly sound: boolean };
  /** Whether notifications may be shown (permission granted). */
  permitted(): boolean;
  /** The notification's title: who wrote, and where. */
  title(message: Message): string;
  show(notification: { title: string; body: string; tag: string; conversationId: string }): void;
  playSound(): void;
}

/** Mentions arrive with issue 11's fields; read them when present. */
function mentionsMe(message: Message, myId: string): boolean {
  const extra = message as Message & { mentions?: unknown; mentionsAll?: unknown };
  return extra.mentionsAll === true || (Array.isArray(extra.mentions) && extra.mentions.includes(myId));
}

export function trimForNotification(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= NOTIFICATION_TEXT_MAX) return flat;
  const cut = [...flat].slice(0, NOTIFICATION_TEXT_MAX - 1).join('');
  return `${cut.trimEnd()}…`;
}

export class MessageNotifier {
  readonly #deps: NotifierDeps;
  /** Messages already handled (a send ack and the live event may both deliver one). */
  readonly #seen = new Set<string>();

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
    deps.socket.on('message:new', (message) => this.receive(message));
  }

  receive(message: Message): void {
    const deps = this.#deps;
    const me = deps.myId();
    if (!me || this.#seen.has(message.id) || !deps.coordinator.isLeader) return;
    this.#seen.add(message.id);
    if (this.#seen.size > 500) this.#seen.delete(this.#seen.values().next().value as string);
    const notify = shouldNotify({
      fromMe: message.senderId === me,
      urgent: message.notifySms,
      mentionsMe: mentionsMe(message, me),
      muted: deps.settings.isMuted(message.conversationId),
      doNotDisturb: deps.settings.doNotDisturb,
      onScreen: deps.coordinator.showsAnywhere(message.conversationId),
    });
    if (!notify) return;
    if (deps.permitted()) {
      deps.show({ title: deps.title(message), body: trimForNotification(message.text), tag: message.id, conversationId: message.conversationId });
    }
    if (deps.settings.sound) deps.playSound();
  }

  reset(): void {
    this.#seen.clear();
  }
}
