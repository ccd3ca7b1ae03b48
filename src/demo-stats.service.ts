import { Injectable } from '@nestjs/common';

/** Counters of one demo run (in memory: the database is the source of truth for what was processed). */
@Injectable()
export class DemoStats {
  produced = 0;
  acked = 0;
  deliveryFailures = 0;
  /** Deliberate handler failures (each one makes the batch retry). */
  failuresInjected = 0;
  /** Order ids whose Kafka send was acknowledged: each must end up in the table exactly once. */
  readonly ackedOrderIds = new Set<string>();
  /** Orders that already failed once. */
  readonly failedOnce = new Set<string>();
}
