import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { startKafkaTarget, type KafkaTarget, type KafkaTargetOptions } from '../../support';

/** What a client-level broker test shares: its target, a kafkajs client, and what to close at the end. */
export interface ClientTestbed {
  readonly target: KafkaTarget;
  readonly kafka: Kafka;
  /** Producers, consumers and raw protocol clients pushed here are closed in `afterAll`. */
  readonly producers: Producer[];
  readonly consumers: Consumer[];
  readonly rawClients: Array<{ close(): void }>;
}

/** Registers the `beforeAll` / `afterAll` of a describe block and returns what they set up. */
export function useClientTestbed(options: KafkaTargetOptions & { retries?: number } = {}): ClientTestbed {
  const bed = { producers: [], consumers: [], rawClients: [] } as unknown as {
    -readonly [K in keyof ClientTestbed]: ClientTestbed[K];
  };
  beforeAll(async () => {
    bed.target = await startKafkaTarget(options);
    bed.kafka = new Kafka({
      brokers: bed.target.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: options.retries ?? 5, initialRetryTime: 50 },
    });
  });
  afterAll(async () => {
    // A fenced or already failed client may refuse to disconnect cleanly; teardown goes on regardless.
    for (const c of bed.consumers) await c.disconnect().catch(() => undefined);
    for (const p of bed.producers) await p.disconnect().catch(() => undefined);
    for (const r of bed.rawClients) r.close();
    await bed.target?.stop();
  });
  return bed;
}
