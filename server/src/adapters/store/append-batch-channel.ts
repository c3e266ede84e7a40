import { channel } from 'node:diagnostics_channel';

/**
 * How many appends one commit carried, published by the store's writer for whoever measures it (the metrics
 * adapter). A diagnostics channel costs nothing while nobody subscribes and keeps the store free of metrics code.
 */
export const APPEND_BATCH_CHANNEL = 'depesza:store:append-batch';
export const appendBatches = channel(APPEND_BATCH_CHANNEL);
