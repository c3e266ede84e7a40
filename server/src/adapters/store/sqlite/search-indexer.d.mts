import type Database from 'better-sqlite3';

export declare const INDEX_BATCH: number;
export declare const INDEX_EVERY_MS: number;
/** See search-indexer.mjs. */
export declare function createSearchIndexer(db: Database.Database): (limit?: number) => number;
