import type { ProducerMessage } from './producer-message.interface';

interface Remembered {
  readonly id: string;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
}

/**
 * The id given to each message object, so that sending the same object again (a caller's retry after a
 * DeliveryError) carries the same id and consumer dedup recognises a copy. Only while the object's key and encoded
 * value are unchanged: an object reused for other content gets a new id, else dedup would drop a distinct message.
 * Entries live as long as the caller keeps the object (a WeakMap).
 */
export class MessageIdRegistry {
  private readonly ids = new WeakMap<ProducerMessage, Remembered>();

  idOf(
    message: ProducerMessage,
    key: Buffer | string | null,
    value: Buffer | string | null,
  ): string | undefined {
    const known = this.ids.get(message);
    return known && same(known.key, key) && same(known.value, value) ? known.id : undefined;
  }

  remember(
    message: ProducerMessage,
    id: string,
    key: Buffer | string | null,
    value: Buffer | string | null,
  ): void {
    this.ids.set(message, { id, key, value });
  }
}

function same(a: Buffer | string | null, b: Buffer | string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'string' || typeof b === 'string') return typeof a === typeof b && a === b;
  return a.equals(b);
}
