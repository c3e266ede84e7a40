/**
 * Message formatting, loaded after the first screen: markdown-it and the emoji table are most of the client's
 * weight, so they live in their own chunk (the build's initial JS stays within its budget, see npm run bench).
 * Until it arrives, messages show as plain text with their links (LinkifiedText).
 */
import { roughPreview } from './rough-preview.js';

type Chunk = typeof import('./lazy.js');

class MarkdownLoader {
  #chunk = $state.raw<Chunk | null>(null);
  #loading: Promise<void> | null = null;

  get ready(): boolean {
    return this.#chunk !== null;
  }

  /** HTML for a message, or null while the chunk is still loading. */
  render(text: string): string | null {
    return this.#chunk ? this.#chunk.renderMarkdown(text) : null;
  }

  preview(text: string): string {
    return this.#chunk ? this.#chunk.messagePreview(text) : roughPreview(text);
  }

  load(): Promise<void> {
    this.#loading ??= import('./lazy.js').then(
      (chunk) => {
        this.#chunk = chunk;
      },
      () => {
        this.#loading = null; // tried again by the next message that needs it
      },
    );
    return this.#loading;
  }
}

export const markdown = new MarkdownLoader();
