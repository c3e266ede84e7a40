/**
 * One live SMS summary per urgent message, fed by `sms:update` events (and seeded from the message's own `sms`
 * list), and the attention it needs: a failure raises one alert per message, which later updates replace in place
 * instead of stacking a toast per recipient per state. History never raises an alert; only what happens live does.
 */
import type { SmsOutcomeView } from '../contract.js';
import { isFailedOutcome } from '../sms/words.js';

interface Tracked {
  conversationId: string;
  outcomes: readonly SmsOutcomeView[];
}

export interface SmsAlert {
  messageId: string;
  conversationId: string;
  outcomes: readonly SmsOutcomeView[];
}

/** One alert at a time per message, and only a few messages at once: a burst of urgent sends stays one line each. */
export const MAX_ALERTS = 3;

export class SmsOutcomes {
  #messages = $state.raw<ReadonlyMap<string, Tracked>>(new Map());
  /** Messages whose failure the sender has not dismissed yet, oldest first. */
  #alerting = $state.raw<readonly string[]>([]);
  #dismissed = new Set<string>();

  /** What is already known about a message (its `sms` list from history or the send ack); raises nothing. */
  seed(messageId: string, conversationId: string, outcomes: readonly SmsOutcomeView[]): void {
    const known = this.#messages.get(messageId);
    const merged = known ? mergeOutcomes(outcomes, known.outcomes) : [...outcomes];
    this.#store(messageId, { conversationId, outcomes: merged });
  }

  /** A live state change for one recipient. */
  apply(messageId: string, conversationId: string, outcome: SmsOutcomeView): void {
    const known = this.#messages.get(messageId);
    this.#store(messageId, { conversationId, outcomes: mergeOutcomes(known?.outcomes ?? [], [outcome]) });
    if (isFailedOutcome(outcome) && !this.#dismissed.has(messageId) && !this.#alerting.includes(messageId)) {
      this.#alerting = [...this.#alerting, messageId].slice(-MAX_ALERTS);
    }
  }

  outcomes(messageId: string): readonly SmsOutcomeView[] {
    return this.#messages.get(messageId)?.outcomes ?? [];
  }

  /** Newest first: each with every recipient's current state, so its words stay up to date. */
  get alerts(): SmsAlert[] {
    return [...this.#alerting].reverse().map((messageId) => {
      const tracked = this.#messages.get(messageId)!;
      return { messageId, conversationId: tracked.conversationId, outcomes: tracked.outcomes };
    });
  }

  /** The sender has seen it: no alert for this message again, whatever else arrives for it. */
  dismiss(messageId: string): void {
    this.#dismissed.add(messageId);
    this.#alerting = this.#alerting.filter((id) => id !== messageId);
  }

  reset(): void {
    this.#messages = new Map();
    this.#alerting = [];
    this.#dismissed.clear();
  }

  #store(messageId: string, tracked: Tracked): void {
    const next = new Map(this.#messages);
    next.set(messageId, tracked);
    this.#messages = next;
  }
}

/** One entry per recipient; a later state (by `updatedAt`, then arrival) wins over an earlier one. */
function mergeOutcomes(existing: readonly SmsOutcomeView[], incoming: readonly SmsOutcomeView[]): SmsOutcomeView[] {
  const byRecipient = new Map(existing.map((outcome) => [outcome.recipientId, outcome]));
  for (const outcome of incoming) {
    const known = byRecipient.get(outcome.recipientId);
    if (!known || outcome.updatedAt >= known.updatedAt) byRecipient.set(outcome.recipientId, outcome);
  }
  return [...byRecipient.values()];
}

export const smsOutcomes = new SmsOutcomes();
