import { packIds } from './packed-ids.util';

/** What the Lua side does with a pack (see redis-dedup.scripts.ts): split on the separator, keep empty ids. */
function unpack({ packed, separator }: { packed: string; separator: string }): string[] {
  return separator === '' ? [packed] : packed.split(separator);
}

describe('packIds', () => {
  it('joins ids with a newline into one pack', () => {
    expect(packIds(['a', 'b', 'c'])).toEqual([{ packed: 'a\nb\nc', separator: '\n', count: 3 }]);
  });

  it('picks another separator when an id contains a newline, and keeps empty ids', () => {
    const ids = ['line\none', '', 'x'];
    const packs = packIds(ids);
    expect(packs).toHaveLength(1);
    expect(packs[0].separator).not.toBe('\n');
    expect(unpack(packs[0])).toEqual(ids);
  });

  it('falls back to one pack per id when every separator occurs in some id', () => {
    const every = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('');
    const ids = [`a${every}`, 'b'];
    const packs = packIds(ids);
    expect(packs.map(unpack).flat()).toEqual(ids);
    expect(packs.every((p) => p.count === 1 && p.separator === '')).toBe(true);
  });
});
