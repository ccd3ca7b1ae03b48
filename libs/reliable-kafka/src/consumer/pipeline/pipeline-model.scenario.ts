import fc from 'fast-check';
import type { OrderingMode } from '../../interfaces/batch-handler-options.interface';

/**
 * Random scenarios for the pipeline's model-based test (pipeline.model.spec.ts): records with ids as arbitrary
 * bytes (a small pool, so the same id comes back at new offsets and on the other partition), extractor results of
 * every type, handler outcomes, dedup store faults, and sessions ended by a crash or a revocation.
 */

/** How a record's id is given: the header's bytes, or what the extractor returns for it. */
export type IdSource = { kind: 'header'; bytes: number[] } | { kind: 'extractor'; returns: ExtractorResult };

/** What `messageIdExtractor` does for a record without an id header. */
export type ExtractorResult =
  | { type: 'string'; text: string }
  | { type: 'buffer'; bytes: number[] }
  | { type: 'undefined' }
  | { type: 'number' }
  | { type: 'object' }
  | { type: 'empty' }
  | { type: 'throw' };

export interface ModelRecord {
  readonly id: IdSource;
  readonly key: 'a' | 'b' | 'c';
  /** Always fails (BatchFailedError naming it): must end in the dead-letter topic, never block or be skipped. */
  readonly poison: boolean;
}

/** One handler call's fate (taken in order, then 'ok' forever). */
export type CallOutcome =
  { kind: 'ok'; slowMs: number } | { kind: 'throw' } | { kind: 'fail-at'; index: number };

/** One dedup store operation's fate (taken in order, then 'ok' forever). */
export type StoreFault = 'ok' | 'down' | 'refuse' | 'slow';

/** Ends a session after the handler call with this number: a crash (SIGKILL) or a revocation. */
export interface Interruption {
  readonly afterCalls: number;
  readonly kind: 'crash' | 'revoke';
  /** A crash during the call: did its effect land before the process died? */
  readonly effectLanded: boolean;
}

export interface Scenario {
  readonly partitions: ModelRecord[][];
  readonly ordering: OrderingMode;
  readonly concurrency: number;
  readonly maxBatchSize: number;
  readonly calls: CallOutcome[];
  readonly faults: StoreFault[];
  readonly interruptions: Interruption[];
}

/** A pool of ids: valid UTF-8, invalid UTF-8 (three that decode to the same text), a 0x00 byte, long ones. */
const idPool: fc.Arbitrary<number[]> = fc.oneof(
  fc.constantFrom<number[]>(
    [0x9f, 0x01, 0x02],
    [0xa0, 0x01, 0x02],
    [0xfe, 0x01, 0x02],
    [0x00],
    [0x61, 0x00, 0x62],
  ),
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }),
  fc.constant(Array.from({ length: 4000 }, (_, i) => 0x41 + (i % 26))),
);

const extractorResult: fc.Arbitrary<ExtractorResult> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.string({ minLength: 1, maxLength: 4 }).map((text) => ({ type: 'string' as const, text })),
  },
  { weight: 2, arbitrary: idPool.map((bytes) => ({ type: 'buffer' as const, bytes })) },
  { weight: 2, arbitrary: fc.constant({ type: 'undefined' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...(['number', 'object', 'empty', 'throw'] as const))
      .map((type) => ({ type })),
  },
);

const modelRecord: fc.Arbitrary<Omit<ModelRecord, 'poison'>> = fc.record({
  id: fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('header' as const), bytes: idPool }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('extractor' as const), returns: extractorResult }),
    },
  ),
  key: fc.constantFrom('a' as const, 'b' as const, 'c' as const),
});

const callOutcome: fc.Arbitrary<CallOutcome> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 3 }).map((slowMs) => ({ kind: 'ok' as const, slowMs })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'throw' as const }) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 3 }).map((index) => ({ kind: 'fail-at' as const, index })),
  },
);

export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  partitions: fc.array(
    fc.array(
      // one record in ten is poison
      fc
        .tuple(modelRecord, fc.integer({ min: 0, max: 9 }))
        .map(([r, p]): ModelRecord => ({ ...r, poison: p === 0 })),
      { minLength: 1, maxLength: 10 },
    ),
    { minLength: 1, maxLength: 2 },
  ),
  ordering: fc.constantFrom<OrderingMode>('partition', 'key', 'unordered'),
  concurrency: fc.integer({ min: 1, max: 3 }),
  maxBatchSize: fc.integer({ min: 1, max: 4 }),
  calls: fc.array(callOutcome, { maxLength: 20 }),
  faults: fc.array(fc.constantFrom<StoreFault>('ok', 'ok', 'down', 'refuse', 'slow'), { maxLength: 20 }),
  interruptions: fc.array(
    fc.record({
      afterCalls: fc.integer({ min: 1, max: 8 }),
      kind: fc.constantFrom('crash' as const, 'revoke' as const),
      effectLanded: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
});
