/** What the chaos handler throws for a poison message: no retry can fix it, so it must end in the DLT. */
export class PoisonMessageError extends Error {
  constructor(readonly messageId: string) {
    super(`chaos: poison message ${messageId} (permanent failure)`);
    this.name = 'PoisonMessageError';
  }
}

/** Poison messages: a fixed, known subset (3 keys, every 40th seq from 17), so the verifier knows what must be dead-lettered. */
export function isPoison(key: string, seq: number): boolean {
  return ['key-0', 'key-1', 'key-2'].includes(key) && seq % 40 === 17;
}
