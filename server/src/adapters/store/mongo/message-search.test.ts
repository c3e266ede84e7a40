/**
 * Message search on MongoDB: the shared search contract against a real server (MONGODB_URI, skipped otherwise), and
 * without a server the pieces that need none (the declared indexes, the regex of a term, the update hook).
 */
import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../../../shared/search-text.js';
import { runSearchContract } from '../../../../test/store-contract-search.js';
import { connectMongo } from './mongo-connection.js';
import { termRegex } from './message-search.js';
import { addSearchText } from './search-text-hook.js';
import { createModels, messageSchema } from './models.js';
import { openMongoStore } from './mongo-store.js';

const MONGODB_URI = process.env.MONGODB_URI?.trim() || undefined;
if (!MONGODB_URI) console.warn('MongoDB search tests skipped: set MONGODB_URI=mongodb://... to run them');

describe('MongoDB message search (no server needed)', () => {
  it('declares a diacritic-insensitive text index without a language, and the per-conversation time index', () => {
    const indexes = messageSchema.indexes();
    expect(indexes).toContainEqual([{ searchText: 'text' }, expect.objectContaining({ name: 'search_text', default_language: 'none' })]);
    expect(indexes).toContainEqual([{ conversationId: 1, createdAt: -1, _id: -1 }, expect.objectContaining({ name: 'conversation_created' })]);
  });

  it('turns a term into a regex anchored at word starts, whole-word at the end of a closed phrase', () => {
    const [open, phrase] = parseSearchQuery('Łódź "żółty samochód"');
    expect(termRegex(open!)).toBe(' lodz');
    expect(termRegex(phrase!)).toBe(' zolty samochod ');
    expect(new RegExp(termRegex(open!)).test(' jedzie lodzia ')).toBe(true);
    expect(new RegExp(termRegex(phrase!)).test(' zolty samochodem ')).toBe(false);
  });

  it('sets searchText along with text in an update, plain or $set', () => {
    const set = { $set: { text: 'Żółta Łódź', editedAt: 1 } };
    addSearchText(set);
    expect(set).toEqual({ $set: { text: 'Żółta Łódź', editedAt: 1, searchText: ' zolta lodz ' } });
    const plain: Record<string, unknown> = { text: '' };
    addSearchText(plain);
    expect(plain).toEqual({ text: '', searchText: '' });
    const other = { $set: { editedAt: 1 } };
    addSearchText(other);
    expect(other).toEqual({ $set: { editedAt: 1 } });
  });
});

describe.skipIf(!MONGODB_URI)('MongoDB message search against a real server (MONGODB_URI)', () => {
  const uri = MONGODB_URI as string;
  const run = `depesza_search_${Date.now().toString(36)}_${process.pid}`;
  let counter = 0;
  runSearchContract('mongo', async () => {
    const dbName = `${run}_${++counter}`;
    const store = await openMongoStore({ uri, dbName });
    // A separate connection and models, as another code path would use: only the schema's hook can help it.
    const other = await connectMongo(uri, { dbName });
    const { Message } = createModels(other);
    return {
      store,
      async writeText(messageId, text) {
        await Message.updateOne({ _id: messageId }, { $set: { text } }).exec();
      },
      async cleanup() {
        await store.close();
        await other.dropDatabase();
        await other.close();
      },
    };
  });
});
