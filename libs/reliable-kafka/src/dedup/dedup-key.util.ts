import { createHash } from 'node:crypto';
import type { ReliableMessage } from '../interfaces/reliable-message.interface';

const keys = new WeakMap<ReliableMessage, string>();

/**
 * The key a dedup store keeps for a message id: the SHA-256 of the id's bytes, base64url (43 characters). Fixed
 * size whatever the id (binary, 0x00 bytes, thousands of bytes), so no id's length or content can fail a store
 * write, and two ids share a key only when their bytes are equal (a collision of SHA-256 aside).
 */
export function dedupKey(idBytes: Buffer): string {
  return createHash('sha256').update(idBytes).digest('base64url');
}

/** The dedup keys of `messages`, in order (each computed once per message object). */
export function dedupKeysOf(messages: readonly ReliableMessage[]): string[] {
  return messages.map((m) => {
    let key = keys.get(m);
    if (key === undefined) keys.set(m, (key = dedupKey(m.idBytes)));
    return key;
  });
}
