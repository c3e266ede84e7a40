/** Keeps a message document's `searchText` (see message-search.ts) in step with its `text`. */
import type { Schema } from 'mongoose';
import { searchableWords } from '../../../../../shared/search-text.js';

type UpdateShape = Record<string, unknown> & { $set?: Record<string, unknown> };

/**
 * Every mongoose write that sets `text` sets `searchText` with it, in the same document write (so in the writer's
 * transaction): an edit or a deletion is reflected at once, whichever code path made it. Raw driver calls
 * (`Model.collection`, bulkWrite) bypass mongoose middleware and must set `searchText` themselves.
 */
export function keepSearchTextInStep<T extends { text: string; searchText?: string }>(schema: Schema<T>): void {
  schema.pre(['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'], function () {
    addSearchText(this.getUpdate() as UpdateShape | unknown[] | null);
  });
  schema.pre('save', function () {
    if (!this.isModified('text')) return;
    const doc = this as unknown as { text: string; searchText?: string };
    doc.searchText = searchableWords(doc.text);
  });
}

/** Adds `searchText` next to a `text` an update sets, in place (plain or `$set`; a pipeline is left alone). */
export function addSearchText(update: UpdateShape | unknown[] | null): void {
  if (!update || Array.isArray(update)) return;
  if (typeof update.text === 'string') update.searchText = searchableWords(update.text);
  if (update.$set && typeof update.$set.text === 'string') update.$set.searchText = searchableWords(update.$set.text);
}

