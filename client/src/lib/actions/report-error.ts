import { i18n } from '../i18n/i18n.svelte.js';
import { notices } from '../state/notices.svelte.js';
import { toApiError } from '../errors.js';

/** The one place background failures reach the user: an error toast in words, and the detail in the console. */
export function reportError(error: unknown, context: string): void {
  const apiError = toApiError(error);
  console.warn(`[depesza] ${context}:`, apiError.code, apiError.message);
  notices.show(i18n.describeError(apiError), 'error');
}
