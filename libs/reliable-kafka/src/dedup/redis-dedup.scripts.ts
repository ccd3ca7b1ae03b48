import type Redis from 'ioredis';

/**
 * Lua scripts of the Redis dedup store: one EVALSHA per batch instead of one or two commands per id, so a chunk of
 * a few hundred ids costs one round trip, one command object and one timer in ioredis, and Redis parses one
 * request. Every script takes the batch's keys as KEYS (on Redis Cluster they must share a slot: give the key
 * prefix a hash tag).
 */

/**
 * Claims every key that is free (SET NX with the claim TTL). Answers one character per key, in KEYS order:
 * `c` claimed, `d` done (a duplicate), `b` busy (another consumer's claim). ARGV[1] = claim TTL in ms.
 */
const CLAIM = `
local answers = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, 'processing', 'PX', ARGV[1], 'NX') then
    answers[i] = 'c'
  elseif redis.call('GET', key) == 'done' then
    answers[i] = 'd'
  else
    answers[i] = 'b'
  end
end
return table.concat(answers)`;

/** Marks every key done for the retention. ARGV[1] = retention in ms. */
const MARK_DONE = `
for _, key in ipairs(KEYS) do
  redis.call('SET', key, 'done', 'PX', ARGV[1])
end
return #KEYS`;

/** Deletes each key only while it still holds a claim, so a release never erases a "done" mark. */
const RELEASE = `
local released = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == 'processing' then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released`;

/**
 * The commands `defineDedupCommands` adds to a connection. ioredis sends them as EVALSHA and falls back to EVAL
 * (which also loads the script) when the server answers NOSCRIPT, e.g. after a restart.
 * Arguments: the number of keys, the keys, then the script's ARGV.
 */
export interface DedupCommands {
  rkDedupClaim(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<string>;
  rkDedupMarkDone(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number>;
  rkDedupRelease(numKeys: number, ...keys: string[]): Promise<number>;
}

/** Registers the dedup scripts on `redis` and returns it typed with them. */
export function defineDedupCommands(redis: Redis): Redis & DedupCommands {
  redis.defineCommand('rkDedupClaim', { lua: CLAIM });
  redis.defineCommand('rkDedupMarkDone', { lua: MARK_DONE });
  redis.defineCommand('rkDedupRelease', { lua: RELEASE });
  return redis as Redis & DedupCommands;
}
