import type { SearchFilters } from '../managers/search-manager.svelte.js';

/** The search box's filter fields as the form holds them ('' = not set); kept by the box while its panel comes and goes. */
export interface SearchForm {
  shown: boolean;
  senderId: string;
  conversationId: string;
  fromDay: string;
  toDay: string;
}

export function emptySearchForm(): SearchForm {
  return { shown: false, senderId: '', conversationId: '', fromDay: '', toDay: '' };
}

/** Only the fields that are set, as the search manager takes them. */
export function searchFilters(filters: SearchForm): SearchFilters {
  return {
    ...(filters.senderId ? { senderId: filters.senderId } : {}),
    ...(filters.conversationId ? { conversationId: filters.conversationId } : {}),
    ...(filters.fromDay ? { fromDay: filters.fromDay } : {}),
    ...(filters.toDay ? { toDay: filters.toDay } : {}),
  };
}
