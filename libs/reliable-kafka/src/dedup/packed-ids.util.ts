/**
 * Ids packed into one script argument: ioredis encodes every argument on its own, and a chunk's few hundred keys
 * as separate arguments cost the client several times what one joined string does (measured: 200k ids claimed
 * and marked, 500-650 ms of client CPU as keys, 150-240 ms packed; the Redis side is the same).
 */
export interface PackedIds {
  /** The ids, in order, joined by `separator`; a single id when `separator` is ''. */
  packed: string;
  /** A character no id of this pack contains ('' for a pack of one id). */
  separator: string;
  count: number;
}

/** '\n' first; the other control characters only if some id contains it (none is special in a Lua pattern). */
const SEPARATORS = [
  '\n',
  ...Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).filter((c) => c !== '\n'),
];

/**
 * Packs `ids` for the dedup scripts: one pack normally; one pack per id only when every candidate separator
 * occurs in some id, so any id, however odd, still round-trips exactly.
 */
export function packIds(ids: readonly string[]): PackedIds[] {
  for (const separator of SEPARATORS) {
    if (!ids.some((id) => id.includes(separator)))
      return [{ packed: ids.join(separator), separator, count: ids.length }];
  }
  return ids.map((id) => ({ packed: id, separator: '', count: 1 }));
}
