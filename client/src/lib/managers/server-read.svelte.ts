/**
 * Something a component reads from the server when it appears (and again when told to): what came, or why nothing
 * did. A newer read overtakes one still under way, so a slow earlier answer never replaces a fresher one, and a
 * successful read clears the error of a failed one before it.
 */
export class ServerRead<T> {
  #value = $state.raw<T | null>(null);
  #error = $state.raw<unknown>(null);
  #latest = 0;

  /** The newest answer; null until one came. */
  get value(): T | null {
    return this.#value;
  }

  /** Why the newest read failed (for i18n.describeError); null when it did not. */
  get error(): unknown {
    return this.#error;
  }

  async load(read: () => Promise<T>): Promise<void> {
    const mine = ++this.#latest;
    try {
      const value = await read();
      if (mine !== this.#latest) return;
      this.#value = value;
      this.#error = null;
    } catch (cause) {
      if (mine === this.#latest) this.#error = cause;
    }
  }

  reset(): void {
    this.#latest++;
    this.#value = null;
    this.#error = null;
  }
}
