import type { Fault } from './model-produce-client.fixtures';
import { checkProperties, runScenario, type Scenario } from './delivery-engine.model.fixtures';

/**
 * Counterexamples the property-based suite shrank to, each while a rule of the engine was broken on purpose
 * (the rule is in the test's name). Kept as named tests so the rule stays covered whatever the random search finds.
 */
const base: Omit<Scenario, 'faults' | 'sends'> = {
  partitions: 1,
  brokerMaxBatchBytes: 100_000,
  lingerMs: 0,
  deliveryTimeoutMs: 150,
  maxBatchBytes: 100_000,
  maxRecords: 2,
  bufferBytes: 1_000_000,
  maxBlockMs: 1_000,
  seed: 0,
};
const one = (gapMs: number): Scenario['sends'][number] => ({ gapMs, messages: [{ key: null, value: '' }] });
const repeat = (fault: Fault, n: number): Fault[] => Array<Fault>(n).fill(fault);
/** Small batches and a broker that refuses more: a write whose answer is lost, then a denial of its retry. */
const lostThenDenied: Pick<
  Scenario,
  'brokerMaxBatchBytes' | 'deliveryTimeoutMs' | 'maxBatchBytes' | 'maxRecords' | 'faults'
> = {
  brokerMaxBatchBytes: 150,
  deliveryTimeoutMs: 300,
  maxBatchBytes: 100,
  maxRecords: 1,
  faults: [
    { kind: 'lost', delayMs: 100 },
    { kind: 'denied', delayMs: 0 },
  ],
};

describe('DeliveryEngine counterexamples (shrunk by fast-check)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('an unknown outcome marks the batch as maybe written (a lost write, then a denial, reports unknown)', async () => {
    const { results, client } = await runScenario({ ...base, ...lostThenDenied, sends: [one(0)] });
    checkProperties(results, client);
    expect(results[0].error?.outcome).toBe('unknown');
  });

  it('a batch that may be written and fails for good renews the session before the next batch', async () => {
    const { results, client } = await runScenario({
      ...base,
      ...lostThenDenied,
      bufferBytes: 1_000,
      maxBlockMs: 0,
      sends: [one(0), one(0)],
    });
    checkProperties(results, client);
    expect(client.renewals).toBe(1);
    expect(results[1].metadata).toEqual([expect.objectContaining({ offset: '1' })]);
  });

  it('a batch whose first sender left while it may be written is resent whole, never its live part alone', async () => {
    const { results, client } = await runScenario({
      ...base,
      faults: [{ kind: 'ack', delayMs: 20 }, ...repeat({ kind: 'lost', delayMs: 20 }, 5)],
      sends: [one(0), one(0), one(1), one(0)],
    });
    checkProperties(results, client);
  });

  it('a batch given up after its senders left (it may be written) renews the session before the next batch', async () => {
    const { results, client } = await runScenario({
      ...base,
      faults: repeat({ kind: 'lost', delayMs: 20 }, 40), // longer than deadline + abandonAfterMs, whatever the jitter
      sends: [one(0), one(29), one(7), one(29), one(19), one(38), one(40), one(0)],
    });
    checkProperties(results, client);
    expect(client.renewals).toBeGreaterThanOrEqual(1);
  });
});
