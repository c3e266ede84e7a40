/**
 * The browser side of MessageNotifier: the Notification API, the tab coordinator over Web Locks and
 * BroadcastChannel, and the words of a notification's title.
 */
import type { Message } from '../../../../shared/schemas/index.js';
import { playChime } from '../actions/notify-sound.js';
import { reportError } from '../actions/report-error.js';
import { t } from '../i18n/i18n.svelte.js';
import { conversationTitle } from '../logic/conversation-title.js';
import { href, router } from '../router.svelte.js';
import { appSocket } from '../socket.js';
import { conversations } from '../state/conversations.svelte.js';
import { people } from '../state/people.svelte.js';
import { session } from '../state/session.svelte.js';
import { MessageNotifier } from './message-notifier.js';
import { NotifySettingsManager } from './notify-settings.svelte.js';
import { TabCoordinator, type ChannelPort, type LockPort } from './tab-coordinator.js';

export const notificationsSupported = typeof window !== 'undefined' && 'Notification' in window;

export const tabs = new TabCoordinator({
  tabId: crypto.randomUUID(),
  locks: (navigator as Navigator & { locks?: LockPort }).locks ?? null,
  channel: typeof BroadcastChannel === 'undefined' ? null : (new BroadcastChannel('depesza-tabs') as unknown as ChannelPort),
  lockName: 'depesza-notifier',
});
addEventListener('pagehide', () => tabs.close());

function titleOf(message: Message): string {
  const sender = people.name(message.senderId) ?? t('conversation.unknownSender');
  const summary = conversations.get(message.conversationId);
  if (!summary || summary.kind === 'direct') return sender;
  return `${sender} · ${conversationTitle(summary, session.me?.id, (id) => people.name(id)) ?? ''}`;
}

function storageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export const notifySettings = new NotifySettingsManager({
  socket: appSocket,
  storage: storageOrNull(),
  now: () => new Date(),
  report: reportError,
});

export const notifier = new MessageNotifier({
  socket: appSocket,
  coordinator: tabs,
  myId: () => session.me?.id,
  settings: notifySettings,
  permitted: () => notificationsSupported && Notification.permission === 'granted',
  title: titleOf,
  show({ title, body, tag, conversationId }) {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      window.focus();
      router.go(href.chat(conversationId));
      notification.close();
    };
  },
  playSound: playChime,
});
