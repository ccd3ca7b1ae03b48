import type { Message } from 'kafkajs';

/** A ~100-byte JSON value, so every contender (Nest and ours decode JSON by default) gets a valid payload. */
export function jsonValue(fields: Record<string, number>, size = 100): Buffer {
  const head = JSON.stringify(fields).slice(0, -1);
  const pad = Math.max(0, size - head.length - '"pad":""}'.length - 1);
  return Buffer.from(`${head},"pad":"${'x'.repeat(pad)}"}`);
}

/** Scenario 1/4 messages: ~100-byte value and a `message-id` header (what the dedup store keys on). */
export function throughputMessage(runId: string): (i: number) => Message {
  return (i) => ({ value: jsonValue({ i }), headers: { 'message-id': `${runId}-${i}` } });
}

/** Deterministic pseudo-random integers in [0, max] (mulberry32), so every contender sleeps the same sequence. */
export function randomInts(count: number, max: number, seed = 42): number[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Math.floor(next() * (max + 1)));
}
