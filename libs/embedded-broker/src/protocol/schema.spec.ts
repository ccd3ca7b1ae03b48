import { Reader } from './reader';
import { Writer } from './writer';
import { arrayOf, decodeStruct, encodeStruct, field } from './schema';

const Spec = [
  field('id', 'int32'),
  field('name', 'nullableString', '1+'),
  field('items', arrayOf([field('n', 'int64'), field('flag', 'bool', '2+')]), '0+', {
    nullableVersions: '1+',
  }),
  field('blob', 'records'),
];

describe('schema codec', () => {
  it('round-trips every field present in a version and defaults the rest', () => {
    const value = { id: 7, name: 'x', items: [{ n: 2 ** 40, flag: true }], blob: Buffer.from('abc') };
    for (const version of [0, 1, 2]) {
      const w = new Writer();
      encodeStruct(Spec, w, value, version);
      const back = decodeStruct<typeof value>(Spec, new Reader(w.toBuffer()), version);
      expect(back.id).toBe(7);
      expect(back.name).toBe(version >= 1 ? 'x' : null);
      expect(back.items[0].n).toBe(2 ** 40);
      expect(back.items[0].flag).toBe(version >= 2);
      expect(back.blob?.toString()).toBe('abc');
    }
  });

  it('writes a Buffer[] records field as one length-prefixed blob without concatenating first', () => {
    const big = Buffer.alloc(2000, 1);
    const w = new Writer();
    encodeStruct(Spec, w, { id: 1, name: null, items: null, blob: [Buffer.from('ab'), big] }, 1);
    const back = decodeStruct<{ items: unknown; blob: Buffer }>(Spec, new Reader(w.toBuffer()), 1);
    expect(back.items).toBeNull();
    expect(back.blob.length).toBe(2002);
  });

  it('throws on truncated input instead of reading past the frame', () => {
    const w = new Writer();
    encodeStruct(Spec, w, { id: 1, name: 'abc', items: [], blob: null }, 1);
    const buf = w.toBuffer();
    expect(() => decodeStruct(Spec, new Reader(buf.subarray(0, buf.length - 3)), 1)).toThrow();
  });

  it('encodes varints as zig-zag like Kafka records', () => {
    for (const v of [0, -1, 1, 63, -64, 64, 300, -300, 2 ** 30]) {
      const b = new Writer().varint(v).toBuffer();
      expect(new Reader(b).varint()).toBe(v);
    }
    expect(new Writer().varint(-1).toBuffer()).toEqual(Buffer.from([1]));
    expect(new Writer().varint(64).toBuffer()).toEqual(Buffer.from([0x80, 0x01]));
  });
});
