/**
 * The offset of the `n`-th record of a request whose first record landed at `baseOffset` (the broker appends a
 * request's records consecutively). Offsets are 64-bit: plain numbers while exact, bigint beyond. `'-1'` (acks 0,
 * no answer) stays `'-1'`.
 */
export function nthOffset(baseOffset: string, n: number): string {
  if (baseOffset === '-1') return '-1';
  const base = Number(baseOffset);
  return Number.isSafeInteger(base + n) ? String(base + n) : String(BigInt(baseOffset) + BigInt(n));
}
