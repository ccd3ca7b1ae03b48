import { Injectable, type Type } from '@nestjs/common';
import {
  ReliableBatchHandler,
  type KafkaContext,
  type ReliableBatchHandlerOptions,
  type ReliableMessage,
} from 'nestjs-reliable-kafka';
import type { KafkaTools } from './consumer-test-harness';
import type { CallProbe, CallRecord, KeyedValue } from './ordering-probe';

/** What a probed handler does with one call (settle the messages it handled via `probe.settle`). */
export type CallBody = (messages: ReliableMessage<KeyedValue>[], call: CallRecord) => Promise<void>;

/**
 * A provider class with one `@ReliableBatchHandler(options)` whose every call is tracked by `probe` under the name
 * `app` (so calls of two apps in one group can be told apart) and runs `body`.
 */
export function probedConsumer(
  probe: CallProbe,
  app: string,
  options: ReliableBatchHandlerOptions,
  body: CallBody,
): Type<unknown> {
  @Injectable()
  class ProbedConsumer {
    @ReliableBatchHandler(options)
    async handle(messages: ReliableMessage<KeyedValue>[], context: KafkaContext): Promise<void> {
      await probe.track(app, context.partition, messages, (call) => body(messages, call));
    }
  }
  return ProbedConsumer;
}

/** A body that waits `ms` per call, then settles every message of the call. */
export function slowBody(probe: CallProbe, app: string, ms: number): CallBody {
  return async (messages) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    for (const m of messages) probe.settle(app, m);
  };
}

/**
 * Produces `perKey` messages for each key, interleaved round-robin (k0 s0, k1 s0, ..., k0 s1, ...), to one
 * partition, `perSend` messages per produce request (each request is one record batch in the log). Values are
 * padded to about `valueBytes` so a test can reason about how many records one fetch can return. Returns the
 * values in log order, so offset i holds result[i] (on a fresh partition).
 */
export async function produceKeyed(
  tools: KafkaTools,
  topic: string,
  keys: string[],
  perKey: number,
  opts: { partition?: number; perSend?: number; valueBytes?: number } = {},
): Promise<KeyedValue[]> {
  const values: KeyedValue[] = [];
  for (let seq = 0; seq < perKey; seq++) for (const key of keys) values.push({ key, seq });
  const perSend = opts.perSend ?? values.length;
  const pad = opts.valueBytes ? 'x'.repeat(opts.valueBytes) : undefined;
  for (let i = 0; i < values.length; i += perSend) {
    await tools.producer.send({
      topic,
      acks: -1,
      messages: values.slice(i, i + perSend).map((v) => ({
        key: v.key,
        partition: opts.partition ?? 0,
        value: JSON.stringify(pad ? { ...v, pad } : v),
      })),
    });
  }
  return values;
}

/** 0, 1, ..., n - 1. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise the test opens when it chooses. */
export class Gate {
  private open!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  release(): void {
    this.open();
  }
}
