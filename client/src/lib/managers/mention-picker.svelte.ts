/**
 * The composer's @mention suggestions as an ARIA combobox: which options show for the text and caret, which one is
 * active, and what the keys do. The component renders it and moves the caret; the rules are here, tested.
 */
import { activeMention, applySuggestion, suggest, type MentionCandidate, type Suggestion } from '../logic/mentions.js';

export interface PickerContext {
  members: readonly MentionCandidate[];
  myId: string;
  group: boolean;
  /** The word for everyone in the reader's language. */
  allWord: string;
}

export type KeyOutcome = { handled: false } | { handled: true; text?: string; caret?: number };

export class MentionPicker {
  #options = $state.raw<Suggestion[]>([]);
  #active = $state(0);
  #start = -1;
  #caret = 0;
  /** Escape closes the list until the caret leaves this `@query`. */
  #dismissedAt = -1;

  get options(): readonly Suggestion[] {
    return this.#options;
  }

  get open(): boolean {
    return this.#options.length > 0;
  }

  get active(): number {
    return this.#active;
  }

  /** After every input or caret move. */
  update(text: string, caret: number, context: PickerContext): void {
    const found = activeMention(text, caret);
    if (!found || found.start === this.#dismissedAt) {
      if (!found) this.#dismissedAt = -1;
      this.close();
      return;
    }
    const options = suggest(found.query, context.members, context);
    if (found.start !== this.#start) this.#active = 0;
    this.#start = found.start;
    this.#caret = caret;
    this.#options = options;
    if (this.#active >= options.length) this.#active = 0;
  }

  /** ↓ ↑ move (wrapping), Enter and Tab choose, Escape closes; other keys are the textarea's. */
  key(key: string, text: string): KeyOutcome {
    if (!this.open) return { handled: false };
    const n = this.#options.length;
    if (key === 'ArrowDown') this.#active = (this.#active + 1) % n;
    else if (key === 'ArrowUp') this.#active = (this.#active - 1 + n) % n;
    else if (key === 'Enter' || key === 'Tab') return { handled: true, ...this.choose(this.#active, text) };
    else if (key === 'Escape') {
      this.#dismissedAt = this.#start;
      this.close();
    } else return { handled: false };
    return { handled: true };
  }

  /** Puts option `index` into the text; answers the new text and caret. */
  choose(index: number, text: string): { text: string; caret: number } {
    const option = this.#options[index];
    if (!option) return { text, caret: this.#caret };
    const result = applySuggestion(text, this.#caret, this.#start, option);
    this.close();
    return result;
  }

  close(): void {
    this.#options = [];
    this.#active = 0;
    this.#start = -1;
  }
}
