/** Placeholder until the MongoDB adapter lands (issue: MongoDB through mongoose). */
import type { Store } from '../../../ports/store.js';
import { redactUri } from '../../../config.js';

export async function openMongoStore(options: { uri: string }): Promise<Store> {
  throw new Error(`MongoDB support is not built yet; unset MONGODB_URI (${redactUri(options.uri)}) to use SQLite`);
}
