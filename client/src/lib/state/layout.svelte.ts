import { MediaQuery } from 'svelte/reactivity';

/**
 * Phones (issue 15): below this width the header is one row whose pages, language and notification switches sit
 * behind a menu button, and a conversation's actions behind an options button. Matches the CSS breakpoint in
 * Header.svelte and ConversationPane.svelte.
 */
export const phone = new MediaQuery('max-width: 560px');
