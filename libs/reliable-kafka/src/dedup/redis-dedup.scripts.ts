import type Redis from 'ioredis';

/**
 * Lua scripts of the Redis dedup store: one EVALSHA per batch instead of one or two commands per id, so a chunk of
 * a few hundred ids costs one round trip, one command object and one timer in ioredis, and Redis parses one
 * request.
 *
 * Every script takes KEYS[1] = the group's key prefix (`<prefix>:<group>:`), ARGV[1] = a separator and ARGV[2] =
 * the ids joined by it (see packIds; separator '' means ARGV[2] is one id), and builds each key as prefix .. id.
 * One packed argument instead of one key argument per id is what keeps the client cheap. On Redis Cluster the
 * prefix must carry a hash tag (e.g. `{dedup}`): KEYS[1] routes the call, and every key built from it then lives
 * in the same slot.
 */
const EACH_ID = `
local function ids(packed, separator)
  if separator == '' then
    local given = false
    return function()
      if given then return nil end
      given = true
      return packed
    end
  end
  return string.gmatch(packed .. separator, '(.-)' .. separator)
end
`;

/**
 * Claims every key that is free (SET NX with the claim TTL). Answers one character per id, in order:
 * `c` claimed, `d` done (a duplicate), `b` busy (another consumer's claim). ARGV[3] = claim TTL in ms.
 */
const CLAIM = `${EACH_ID}
local prefix, ttl, answers, n = KEYS[1], ARGV[3], {}, 0
for id in ids(ARGV[2], ARGV[1]) do
  n = n + 1
  local key = prefix .. id
  if redis.call('SET', key, 'processing', 'PX', ttl, 'NX') then
    answers[n] = 'c'
  elseif redis.call('GET', key) == 'done' then
    answers[n] = 'd'
  else
    answers[n] = 'b'
  end
end
return table.concat(answers)`;

/** Marks every id done for the retention. ARGV[3] = retention in ms. */
const MARK_DONE = `${EACH_ID}
local prefix, ttl, n = KEYS[1], ARGV[3], 0
for id in ids(ARGV[2], ARGV[1]) do
  redis.call('SET', prefix .. id, 'done', 'PX', ttl)
  n = n + 1
end
return n`;

/** Deletes each key only while it still holds a claim, so a release never erases a "done" mark. */
const RELEASE = `${EACH_ID}
local prefix, released = KEYS[1], 0
for id in ids(ARGV[2], ARGV[1]) do
  local key = prefix .. id
  if redis.call('GET', key) == 'processing' then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released`;

/**
 * The commands `defineDedupCommands` adds to a connection. ioredis sends them as EVALSHA and falls back to EVAL
 * (which also loads the script) when the server answers NOSCRIPT, e.g. after a restart.
 */
export interface DedupCommands {
  rkDedupClaim(prefix: string, separator: string, packed: string, claimTtlMs: number): Promise<string>;
  rkDedupMarkDone(prefix: string, separator: string, packed: string, retentionMs: number): Promise<number>;
  rkDedupRelease(prefix: string, separator: string, packed: string): Promise<number>;
}

/** Registers the dedup scripts on `redis` and returns it typed with them. */
export function defineDedupCommands(redis: Redis): Redis & DedupCommands {
  redis.defineCommand('rkDedupClaim', { lua: CLAIM, numberOfKeys: 1 });
  redis.defineCommand('rkDedupMarkDone', { lua: MARK_DONE, numberOfKeys: 1 });
  redis.defineCommand('rkDedupRelease', { lua: RELEASE, numberOfKeys: 1 });
  return redis as Redis & DedupCommands;
}
