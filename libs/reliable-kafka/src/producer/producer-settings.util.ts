import type { ReliableProducerOptions } from '../interfaces/reliable-kafka-options.interface';

/** Producer settings with every default applied (the one place producer defaults live). */
export type ProducerSettings = Required<ReliableProducerOptions>;

export const PRODUCER_DEFAULTS: ProducerSettings = {
  acks: -1,
  idempotent: true,
  deliveryTimeoutMs: 30_000,
  initialRetryTimeMs: 100,
  maxRetryTimeMs: 5_000,
  lingerMs: 2,
  messageIdHeader: 'message-id',
};

/**
 * Fills undefined fields with the defaults. Validation proper is the module's job; this only guards the math.
 * The id header falls back to the module-wide `messageIdHeader`, so producer and consumers agree by default.
 */
export function resolveProducerSettings(
  options: ReliableProducerOptions | undefined,
  moduleMessageIdHeader?: string,
): ProducerSettings {
  const given = Object.fromEntries(
    Object.entries(options ?? {}).filter(([, value]) => value !== undefined),
  ) as ReliableProducerOptions;
  const settings = {
    ...PRODUCER_DEFAULTS,
    messageIdHeader: moduleMessageIdHeader ?? PRODUCER_DEFAULTS.messageIdHeader,
    ...given,
  };
  settings.maxRetryTimeMs = Math.max(settings.maxRetryTimeMs, settings.initialRetryTimeMs);
  return settings;
}
