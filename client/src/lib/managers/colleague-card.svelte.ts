/**
 * Issue 13: the colleague's card — whose card is open, and where focus goes back when it closes. The card itself
 * (ColleagueCard.svelte) reads the person from the people list, so it never needs, nor asks for, a phone number.
 */
export interface Focusable {
  focus(): void;
  readonly isConnected?: boolean;
}

export class ColleagueCard {
  #personId = $state<string | null>(null);
  #opener: Focusable | null = null;

  get personId(): string | null {
    return this.#personId;
  }

  /** Shows `personId`'s card; `opener` (the name clicked) gets focus back when it closes. */
  open(personId: string, opener: Focusable | null = null): void {
    this.#personId = personId;
    this.#opener = opener;
  }

  /** Closes the card; `returnFocus` false when the card moved the reader elsewhere (to a conversation). */
  close(returnFocus = true): void {
    if (this.#personId === null) return;
    const opener = this.#opener;
    this.#personId = null;
    this.#opener = null;
    if (returnFocus && opener && opener.isConnected !== false) opener.focus();
  }

  reset(): void {
    this.#personId = null;
    this.#opener = null;
  }
}

/**
 * "Send SMS" from a card opens the direct conversation with the SMS box ticked and the template picker open: the
 * card asks, the conversation's composer takes the request once, when it appears.
 */
export class ComposerRequests {
  /** Reactive, so that a composer already showing the conversation (the card opened from its header) sees it. */
  #smsFromCard = $state<readonly string[]>([]);

  askSmsFromCard(conversationId: string): void {
    if (!this.#smsFromCard.includes(conversationId)) this.#smsFromCard = [...this.#smsFromCard, conversationId];
  }

  /** Whether a request waits for this conversation (read in an effect, it re-runs when one comes). */
  hasSmsFromCard(conversationId: string): boolean {
    return this.#smsFromCard.includes(conversationId);
  }

  /** True once per request: a composer shown again later starts plain. */
  takeSmsFromCard(conversationId: string): boolean {
    if (!this.#smsFromCard.includes(conversationId)) return false;
    this.#smsFromCard = this.#smsFromCard.filter((id) => id !== conversationId);
    return true;
  }

  reset(): void {
    this.#smsFromCard = [];
  }
}
