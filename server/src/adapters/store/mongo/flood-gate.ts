/**
 * Flood limits in MongoDB, shared by every process on the database: one document per key holds its buckets, and
 * one findOneAndUpdate with an update pipeline refills, checks and takes them atomically (a single-document write
 * is atomic). Time is the server's ($$NOW), so processes whose clocks differ still see one bucket. A bucket idle
 * for a minute is full again, so a TTL index removes its document then. Written with w:1 and outside any
 * transaction: a lost token after a primary failover costs nothing worth a majority round trip per event.
 */
import type { Connection } from 'mongoose';
import type { FloodBucket, FloodGate } from '../../../ports/flood-gate.js';
import { database, isDuplicateKey } from './mongo-connection.js';

export const FLOOD_COLLECTION = 'flood_buckets';
const NOW = { $toLong: '$$NOW' };

interface FloodDoc {
  _id: string;
  taken?: boolean;
}

function level({ name, perMinute }: FloodBucket): object {
  const tokens = { $ifNull: [`$buckets.${name}.tokens`, perMinute] };
  const at = { $ifNull: [`$buckets.${name}.at`, NOW] };
  return { $min: [perMinute, { $add: [tokens, { $multiply: [{ $subtract: [NOW, at] }, perMinute / 60_000] }] }] };
}

export async function createMongoFloodGate(connection: Connection): Promise<FloodGate> {
  const collection = database(connection).collection<FloodDoc>(FLOOD_COLLECTION);
  await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });

  async function takeOnce(key: string, buckets: readonly FloodBucket[]): Promise<boolean> {
    const pipeline = [
      // First decide on the document as it was; the next stage still reads the old buckets.
      { $set: { taken: { $and: buckets.map((bucket) => ({ $gte: [level(bucket), 1] })) } } },
      {
        $set: {
          ...Object.fromEntries(
            buckets.map((bucket) => [
              `buckets.${bucket.name}`,
              { $cond: ['$taken', { tokens: { $subtract: [level(bucket), 1] }, at: NOW }, `$buckets.${bucket.name}`] },
            ]),
          ),
          expiresAt: { $cond: ['$taken', { $add: ['$$NOW', 60_000] }, '$expiresAt'] },
        },
      },
    ];
    const after = await collection.findOneAndUpdate({ _id: key }, pipeline, {
      upsert: true,
      returnDocument: 'after',
      projection: { taken: 1 },
      writeConcern: { w: 1 },
    });
    return after?.taken === true;
  }

  return {
    async take(key, buckets) {
      for (const name of buckets.map((bucket) => bucket.name)) {
        if (!/^[a-z]+$/.test(name)) throw new Error(`flood bucket name ${JSON.stringify(name)} is not a plain field name`);
      }
      try {
        return await takeOnce(key, buckets);
      } catch (error) {
        // Two first takes of one key upserted at once: the loser finds the winner's document on a second try.
        if (!isDuplicateKey(error)) throw error;
        return takeOnce(key, buckets);
      }
    },
  };
}
