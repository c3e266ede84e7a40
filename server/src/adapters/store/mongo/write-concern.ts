/**
 * Durability settings. An acknowledged message must survive the loss of the primary, so the writes that
 * acknowledge one (and the outbox written with it) wait for a majority of the replica set.
 */
import type { mongo } from 'mongoose';

export const MAJORITY: mongo.WriteConcernSettings = { w: 'majority' };

export const DURABLE_TRANSACTION: mongo.TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: MAJORITY,
  readPreference: 'primary',
};
