import { isUtf8 } from 'node:buffer';

/** Prefix of an id shown as hex because its bytes are not valid UTF-8. */
export const HEX_ID_PREFIX = 'hex:';

/**
 * An id's bytes as text for people and logs: the UTF-8 text when the bytes are valid UTF-8, else `hex:` and the
 * bytes in hex, so two different ids never show as the same text (a lossy UTF-8 decode would turn every invalid
 * byte into U+FFFD). Text ids that start with `hex:` are shown as they are; ids are compared as bytes, never as
 * this text.
 */
export function messageIdText(id: Buffer | string): string {
  if (typeof id === 'string') return id;
  return isUtf8(id) ? id.toString('utf8') : HEX_ID_PREFIX + id.toString('hex');
}
