/**
 * Flood limits in Redis, shared by every process on the same Redis: one Lua script checks and takes the tokens
 * of all of a key's buckets atomically (Redis runs a script alone). Time is Redis's own, so processes whose
 * clocks differ still see one bucket. A bucket idle for a minute is full again, so its record expires then.
 */
import type { FloodBucket, FloodGate } from '../../ports/flood-gate.js';

const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels = {}
for i, key in ipairs(KEYS) do
  local size = tonumber(ARGV[i])
  local level = size
  local kept = redis.call('HMGET', key, 'tokens', 'at')
  if kept[1] then level = math.min(size, tonumber(kept[1]) + (now - tonumber(kept[2])) * size / 60000) end
  if level < 1 then return 0 end
  levels[i] = level
end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'tokens', tostring(levels[i] - 1), 'at', tostring(now))
  redis.call('PEXPIRE', key, 60000)
end
return 1
`;

/** The one command this needs, so that any connected node-redis client (or a test double of it) will do. */
export interface RedisEval {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export function redisFloodGate(client: RedisEval, prefix = 'depesza:flood'): FloodGate {
  return {
    async take(key: string, buckets: readonly FloodBucket[]): Promise<boolean> {
      // The {key} hash tag keeps one key's buckets in one cluster slot, as a multi-key script requires.
      const keys = buckets.map((bucket) => `${prefix}:{${key}}:${bucket.name}`);
      const answer = await client.eval(TAKE, { keys, arguments: buckets.map((bucket) => String(bucket.perMinute)) });
      return answer === 1;
    },
  };
}
