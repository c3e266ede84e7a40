import { createHash } from 'node:crypto';

/**
 * The integer key under which a (sender, client id) pair is remembered: 52 bits of SHA-256, so the key of a
 * time-ordered id is as random as a random one's and both cost the same (client-id-window.ts). Stored in the
 * database: changing this function orphans every remembered id, so it never changes.
 *
 * 52 bits leave room for the probe range above the key within JavaScript's safe integers. Two pairs may share
 * a key (one in ~10^8 pairs per million remembered); the window compares the full ids and probes onwards.
 */
export function clientKeyOf(senderId: string, clientId: string): number {
  const digest = createHash('sha256').update(senderId).update('\0').update(clientId).digest();
  return digest.readUIntBE(0, 6) * 16 + (digest[6]! >> 4);
}

/** How many keys from a pair's own are tried; a pair is stored under the first one free. */
export const CLIENT_KEY_PROBES = 8;
