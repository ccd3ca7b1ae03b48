import { nthOffset } from './nth-offset.util';

describe('nthOffset', () => {
  it('adds the index to the base offset, exactly beyond 2^53, and keeps -1 (acks 0)', () => {
    expect(nthOffset('41', 1)).toBe('42');
    expect(nthOffset('9007199254740991', 2)).toBe('9007199254740993');
    expect(nthOffset('-1', 5)).toBe('-1');
  });
});
