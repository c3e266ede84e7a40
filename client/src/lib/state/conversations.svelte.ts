/**
 * Conversations (summaries from the server) and, for the ones opened in this tab, their messages. Messages are
 * kept per conversation sorted by seq; every insert goes through `mergeMessages`, so a message that arrives by
 * several paths (send ack, live event, catch-up, history) is shown once.
 */
import type { ConversationSummary, Message, SmsDispatchView, MessageAck } from '../../../../shared/schemas/index.js';
import type { ReceiptUpdate } from '../../../../shared/protocol.js';
import { REPLY_EXCERPT_LENGTH } from '../../../../shared/limits.js';
import { classifyArrival, drainPending, highestRev, highestSeq, lowestSeq, mergeMessages, type Arrival } from '../logic/thread.js';
import { roughPreview } from '../markdown/rough-preview.js';

/** Whether a message mentions the reader. */
function mentions(message: Message, myId: string | undefined): boolean {
  return message.mentionsAll || (myId !== undefined && message.mentions.includes(myId));
}

export class Thread {
  readonly conversationId: string;
  messages = $state.raw<Message[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  hasOlder = $state(false);
  loadingOlder = $state(false);
  /** The window was moved back in history (a jump to a replied-to message): newer messages exist beyond it. */
  hasNewer = $state(false);
  loadingNewer = $state(false);
  /** A message the list should scroll to and flash once it is rendered (a jump to the original of a reply). */
  scrollTarget = $state<string | null>(null);
  /** Where the "new messages" marker goes (the first seq I had not read when I opened it), or null. */
  firstUnreadSeq = $state<number | null>(null);
  /** Highest seq up to which this tab holds every message: catch-ups start after it. */
  lastKnownSeq = 0;
  /**
   * Highest rev up to which this tab has every change of the messages in its window: catch-up by rev starts after
   * it. It only moves past a rev it has seen in order, so a change missed while offline is fetched, not skipped.
   */
  lastRev = 0;
  /** Live messages that arrived beyond a hole, held until the catch-up fills it. */
  pending: Message[] = [];
  catchingUp = false;
  catchUpAgain = false;

  constructor(conversationId: string) {
    this.conversationId = conversationId;
  }

  /**
   * The newest page on open. `syncedRev` is the conversation's rev known before asking: the page is a snapshot at
   * least that fresh, so changes up to it are in hand.
   */
  loadNewest(page: Message[], hasOlder: boolean, syncedRev = 0): void {
    this.messages = mergeMessages(this.messages, page);
    this.lastKnownSeq = Math.max(this.lastKnownSeq, highestSeq(this.messages));
    this.lastRev = Math.max(this.lastRev, syncedRev, highestRev(page));
    this.hasOlder = hasOlder;
    this.status = 'ready';
  }

  /**
   * Replaces the window with a page that does not join it (around a message far back, or the newest page again after
   * such a jump). Held-back live messages belong to the old window and go: the newer end is paged or caught up.
   */
  replaceWindow(page: Message[], hasOlder: boolean, hasNewer: boolean, syncedRev: number): void {
    this.messages = mergeMessages([], page);
    this.pending = [];
    this.lastKnownSeq = highestSeq(page);
    this.lastRev = Math.max(syncedRev, highestRev(page));
    this.hasOlder = hasOlder;
    this.hasNewer = hasNewer;
    this.status = 'ready';
  }

  /** The next page after the window (while it does not reach the newest message). */
  addNewer(page: Message[], hasNewer: boolean): void {
    this.messages = mergeMessages(this.messages, page);
    this.lastKnownSeq = Math.max(this.lastKnownSeq, highestSeq(page));
    this.hasNewer = hasNewer;
  }

  /**
   * A catch-up by rev: every message new or changed since `lastRev`, in rev order. Changes of messages older than
   * the window are left for when that page is loaded (fresh from the server); beyond the newest end of a window
   * moved back in history, new messages are left for paging forward.
   */
  addChanges(page: Message[]): void {
    const low = this.hasOlder ? lowestSeq(this.messages) : null;
    const fits = page.filter((m) => (low === null || m.seq >= low) && (!this.hasNewer || m.seq <= this.lastKnownSeq));
    this.messages = mergeMessages(this.messages, fits);
    if (!this.hasNewer) this.lastKnownSeq = Math.max(this.lastKnownSeq, highestSeq(page));
    this.lastRev = Math.max(this.lastRev, highestRev(page));
  }

  /**
   * A live change (edit, deletion, reaction) of a message. One this tab holds is upserted; one it does not hold is
   * outside the window, or beyond a hole the caller fills. Answers whether a catch-up is needed: a rev skipped means
   * a change was missed.
   */
  applyUpdate(message: Message): 'applied' | 'ignored' | 'gap' {
    this.#noteRev(message.rev);
    const held = this.messages.some((m) => m.id === message.id);
    if (held) this.messages = mergeMessages(this.messages, [message]);
    this.#requote(message);
    const pendingAt = this.pending.findIndex((m) => m.id === message.id);
    if (pendingAt >= 0 && (this.pending[pendingAt]!.rev ?? 0) < message.rev) this.pending[pendingAt] = message;
    if (held || pendingAt >= 0) return 'applied';
    return message.seq > this.lastKnownSeq && !this.hasNewer ? 'gap' : 'ignored';
  }

  /**
   * The server makes a reply's quote when it reads the reply and sends no event for the replies when their original
   * changes: the quotes in the window follow the original here (the next read from the server says the same).
   */
  #requote(original: Message): void {
    if (!this.messages.some((m) => m.replyTo?.messageId === original.id)) return;
    const quote = {
      messageId: original.id,
      senderId: original.senderId,
      excerpt: original.deleted ? '' : original.text.slice(0, REPLY_EXCERPT_LENGTH),
      deleted: original.deleted !== null,
    };
    this.messages = this.messages.map((m) => (m.replyTo?.messageId === original.id ? { ...m, replyTo: quote } : m));
  }

  /** Moves `lastRev` only along an unbroken run of revs; catch-up by rev covers anything after a break. */
  #noteRev(rev: number): void {
    if (rev === this.lastRev + 1) this.lastRev = rev;
  }

  addOlder(page: Message[], hasOlder: boolean): void {
    this.messages = mergeMessages(this.messages, page);
    this.hasOlder = hasOlder;
  }

  /** One live message (event or send ack). A gap holds it back and tells the caller to catch up. */
  receive(message: Message): Arrival {
    this.#noteRev(message.rev);
    // Beyond a window moved back in history, new messages are fetched by paging forward, not shown out of order.
    if (this.hasNewer && message.seq > this.lastKnownSeq) return 'known';
    const arrival = classifyArrival(this.lastKnownSeq, message.seq);
    if (arrival === 'gap') {
      if (!this.pending.some((m) => m.id === message.id)) this.pending.push(message);
      return arrival;
    }
    this.messages = mergeMessages(this.messages, [message]);
    if (arrival === 'next') {
      this.lastKnownSeq = message.seq;
      this.drain();
    }
    return arrival;
  }

  /** Moves held messages that now fit in; returns true when some still sit beyond a hole. */
  drain(): boolean {
    if (!this.pending.length) return false;
    const { ready, rest, lastKnownSeq } = drainPending(this.lastKnownSeq, this.pending);
    this.messages = mergeMessages(this.messages, ready);
    this.pending = rest;
    this.lastKnownSeq = lastKnownSeq;
    return rest.length > 0;
  }

  /** Gives up on a hole the server cannot fill (it has nothing there): show what we hold. */
  acceptPending(): void {
    if (this.hasNewer) {
      this.pending = [];
      return;
    }
    this.messages = mergeMessages(this.messages, this.pending);
    this.lastKnownSeq = Math.max(this.lastKnownSeq, highestSeq(this.pending));
    this.pending = [];
  }

  updateSms(messageId: string, dispatch: SmsDispatchView): void {
    const index = this.messages.findIndex((m) => m.id === messageId);
    if (index < 0) return;
    const message = this.messages[index]!;
    const list = message.sms ?? [];
    const at = list.findIndex((d) => d.id === dispatch.id || d.recipientId === dispatch.recipientId);
    const sms = at < 0 ? [...list, dispatch] : list.map((d, i) => (i === at ? dispatch : d));
    const next = [...this.messages];
    next[index] = { ...message, sms };
    this.messages = next;
  }

  /** Who acknowledged a message, as the server last said. */
  updateAck(messageId: string, ack: MessageAck): void {
    const index = this.messages.findIndex((m) => m.id === messageId);
    if (index < 0) return;
    const next = [...this.messages];
    next[index] = { ...this.messages[index]!, ack };
    this.messages = next;
  }
}

function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return b.lastActivityAt.localeCompare(a.lastActivityAt) || a.id.localeCompare(b.id);
}

export class ConversationsState {
  // Replaced, never mutated: plain records keep the runtime small and every change is one assignment.
  summaries = $state.raw<Record<string, ConversationSummary>>({});
  threads = $state.raw<Record<string, Thread>>({});
  listLoaded = $state(false);

  ordered = $derived(Object.values(this.summaries).sort(byActivity));
  totalUnread = $derived(Object.values(this.summaries).reduce((sum, c) => sum + c.unread, 0));
  totalUnreadMentions = $derived(Object.values(this.summaries).reduce((sum, c) => sum + (c.unreadMentions ?? 0), 0));
  /** Plain-text preview of a live message for the list; the app swaps in the Markdown parser once it has loaded. */
  previewOf: (text: string) => string = (text) => roughPreview(text);
  /** The text of the last live message per conversation, so its preview is made again once the parser is in. */
  #liveTexts = $state.raw<Record<string, { id: string; text: string }>>({});

  /** The list's preview of a conversation's last message (the server's, or ours for one that arrived live). */
  lastPreview(summary: ConversationSummary): string {
    const last = summary.lastMessage;
    if (!last) return '';
    const live = Object.hasOwn(this.#liveTexts, summary.id) ? this.#liveTexts[summary.id] : undefined;
    return live && live.id === last.id && !last.deleted ? this.previewOf(live.text) : last.preview;
  }

  get(id: string): ConversationSummary | undefined {
    return Object.hasOwn(this.summaries, id) ? this.summaries[id] : undefined;
  }

  #setSummary(summary: ConversationSummary): void {
    this.summaries = { ...this.summaries, [summary.id]: summary };
  }

  setAll(list: ConversationSummary[]): void {
    const ids = new Set(list.map((c) => c.id));
    for (const id of Object.keys(this.summaries)) if (!ids.has(id)) this.remove(id);
    for (const summary of list) this.upsert(summary);
    this.listLoaded = true;
  }

  upsert(summary: ConversationSummary): void {
    const known = this.get(summary.id);
    // Never let an older summary (e.g. a list answer racing a live message) move lastSeq backwards.
    if (known && known.lastSeq > summary.lastSeq) {
      this.#setSummary({
        ...summary,
        lastSeq: known.lastSeq,
        lastActivityAt: known.lastActivityAt,
        lastMessage: known.lastMessage,
      });
    } else this.#setSummary(summary);
  }

  remove(id: string): void {
    if (this.get(id)) {
      const { [id]: _removed, ...rest } = this.summaries;
      this.summaries = rest;
    }
    this.dropThread(id);
  }

  thread(id: string): Thread | undefined {
    return Object.hasOwn(this.threads, id) ? this.threads[id] : undefined;
  }

  ensureThread(id: string): Thread {
    let thread = this.thread(id);
    if (!thread) {
      thread = new Thread(id);
      this.threads = { ...this.threads, [id]: thread };
    }
    return thread;
  }

  dropThread(id: string): void {
    if (!this.thread(id)) return;
    const { [id]: _dropped, ...rest } = this.threads;
    this.threads = rest;
  }

  patch(id: string, change: (summary: ConversationSummary) => ConversationSummary): void {
    const summary = this.get(id);
    if (!summary) return;
    const next = change(summary);
    if (next !== summary) this.#setSummary(next);
  }

  /**
   * Keeps the sidebar right for a new message: order, lastSeq, (for others' messages) the unread badge, and the
   * sender's receipt marks — the server counts everything up to a member's own message as delivered to and read by
   * them, and sends no receipt update for that, so "read by N of M" learns it here.
   */
  noteMessage(message: Message, countsAsUnread: boolean, myId?: string): void {
    const known = this.get(message.conversationId);
    if (known && (message.seq >= known.lastSeq || !known.lastMessage)) {
      this.#liveTexts = { ...this.#liveTexts, [message.conversationId]: { id: message.id, text: message.text } };
    }
    this.patch(message.conversationId, (s) => {
      const sender = s.members.find((m) => m.employeeId === message.senderId);
      const raiseSender = sender !== undefined && (sender.readSeq < message.seq || sender.deliveredSeq < message.seq);
      if (message.seq <= s.lastSeq && !countsAsUnread && !raiseSender) return s;
      const isNew = message.seq > s.lastSeq;
      return {
        ...s,
        members: raiseSender
          ? s.members.map((m) =>
              m.employeeId === message.senderId
                ? { ...m, deliveredSeq: Math.max(m.deliveredSeq, message.seq), readSeq: Math.max(m.readSeq, message.seq) }
                : m,
            )
          : s.members,
        lastSeq: Math.max(s.lastSeq, message.seq),
        lastActivityAt: isNew && message.createdAt > s.lastActivityAt ? message.createdAt : s.lastActivityAt,
        unread: countsAsUnread && isNew ? s.unread + 1 : s.unread,
        unreadMentions: countsAsUnread && isNew && mentions(message, myId) ? s.unreadMentions + 1 : s.unreadMentions,
        lastMessage:
          message.seq >= s.lastSeq || !s.lastMessage
            ? { id: message.id, senderId: message.senderId, preview: this.previewOf(message.text), at: message.createdAt, deleted: false }
            : s.lastMessage,
      };
    });
  }

  applyReceipt(update: ReceiptUpdate, myId: string | undefined): void {
    this.patch(update.conversationId, (s) => {
      const members = s.members.map((m) =>
        m.employeeId === update.employeeId
          ? { ...m, deliveredSeq: Math.max(m.deliveredSeq, update.deliveredSeq), readSeq: Math.max(m.readSeq, update.readSeq) }
          : m,
      );
      // My own read receipt from another tab or device clears the badge here too.
      const readAll = update.employeeId === myId && update.readSeq >= s.lastSeq;
      return { ...s, members, unread: readAll ? 0 : s.unread, unreadMentions: readAll ? 0 : s.unreadMentions };
    });
  }

  /** A live change of a message: the list's change counter follows, so a reconnect knows what it missed. */
  noteChange(message: Message): void {
    this.patch(message.conversationId, (s) => (message.rev > (s.lastRev ?? 0) ? { ...s, lastRev: message.rev } : s));
  }

  /** Marks my own read position locally right away (the server confirms with a receipt update). */
  markReadLocally(id: string, seq: number, myId: string): void {
    const current = this.get(id);
    const mine = current?.members.find((m) => m.employeeId === myId);
    // Unchanged summaries are not replaced: the read-receipt effect watches them and would otherwise loop.
    if (
      !current ||
      (mine && mine.readSeq >= seq && ((current.unread === 0 && current.unreadMentions === 0) || seq < current.lastSeq))
    )
      return;
    this.patch(id, (s) => ({
      ...s,
      unread: seq >= s.lastSeq ? 0 : s.unread,
      unreadMentions: seq >= s.lastSeq ? 0 : s.unreadMentions,
      members: s.members.map((m) =>
        m.employeeId === myId ? { ...m, readSeq: Math.max(m.readSeq, seq), deliveredSeq: Math.max(m.deliveredSeq, seq) } : m,
      ),
    }));
  }

  clear(): void {
    this.#liveTexts = {};
    this.summaries = {};
    this.threads = {};
    this.listLoaded = false;
  }
}

export const conversations = new ConversationsState();
