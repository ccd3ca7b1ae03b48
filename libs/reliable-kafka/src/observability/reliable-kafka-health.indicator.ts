import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DEDUP_STORE, type DedupStore } from '../dedup/dedup-store.interface';
import { withTimeout } from '../dedup/with-timeout.util';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { ReliableProducerService } from '../producer/reliable-producer.service';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../reliable-kafka.constants';
import { describeConsumerState, isConsumerHealthy } from './consumer-state.tracker';
import type { StuckCall } from './in-flight-calls.tracker';
import type { StalledPartition } from './partition-progress.tracker';
import { HEALTH_MESSAGES } from './observability.messages';
import { ReliableKafkaStatus } from './reliable-kafka-status.service';

/** How long the dedup store may take to answer a health ping. */
export const DEDUP_PING_TIMEOUT_MS = 1_000;

/** What `ReliableKafkaHealthIndicator.isHealthy` reports besides `status`. */
export interface ReliableKafkaHealthDetails {
  [key: string]: unknown;
  consumers: Array<{
    handler: string;
    groupId: string;
    state: string;
    connected: boolean;
    joined: boolean;
    assigned: Record<string, number[]>;
  }>;
  stuckCalls: StuckCall[];
  /** Partitions with records waiting and no progress for longer than their `stallAfterMs`. */
  stalledPartitions: StalledPartition[];
  dedupStore: { store: string; reachable: boolean; error?: string };
  producer: { connected: boolean };
  /** Why the status is down, one line per failed check (empty when up). */
  problems: string[];
}

/**
 * Terminus health indicator of the module: down when a handler's consumer is not connected or not in its group,
 * a handler call runs past its `maxProcessingTimeMs`, a partition with records waiting has not moved for its
 * `stallAfterMs` (named, with what it waits for), the dedup store does not answer a ping within a second, or
 * the reliable producer is not connected. Provided by `ReliableKafkaHealthModule`.
 *
 * @example
 * \@Get('health') \@HealthCheck()
 * check() { return this.health.check([() => this.kafka.isHealthy('kafka')]); }
 */
@Injectable()
export class ReliableKafkaHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ReliableKafkaStatus) private readonly status: ReliableKafkaStatus,
    @Inject(DEDUP_STORE) private readonly store: DedupStore,
    @Inject(ReliableProducerService) private readonly producer: ReliableProducerService,
    @Inject(RESOLVED_RELIABLE_KAFKA_OPTIONS) private readonly options: ResolvedReliableKafkaOptions,
  ) {}

  async isHealthy<const Key extends string = 'kafka'>(
    key: Key = 'kafka' as Key,
  ): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    const problems: string[] = [];
    const consumers = this.status.consumers().map((state) => {
      const described = describeConsumerState(state);
      if (!isConsumerHealthy(state))
        problems.push(HEALTH_MESSAGES.consumerDown(state.handler, state.groupId, described));
      const { handler, groupId, connected, joined, assigned } = state;
      return { handler, groupId, state: described, connected, joined, assigned: { ...assigned } };
    });
    const stuckCalls = this.status.stuckCalls();
    for (const c of stuckCalls)
      problems.push(
        HEALTH_MESSAGES.stuckCall(c.handler, c.topic, c.partition, c.runningForMs, c.maxProcessingTimeMs),
      );
    const stalledPartitions = this.status.stalledPartitions();
    for (const p of stalledPartitions)
      problems.push(
        HEALTH_MESSAGES.stalledPartition(
          p.groupId,
          p.topic,
          p.partition,
          Math.round(p.sinceProgressMs / 1000),
          p.reason,
          p.lag,
        ),
      );
    const dedupStore = await this.pingStore();
    if (dedupStore.error) problems.push(HEALTH_MESSAGES.dedupUnreachable(dedupStore.error));
    const producer = { connected: this.producer.isConnected() };
    if (!producer.connected) problems.push(HEALTH_MESSAGES.producerDisconnected());
    const details: ReliableKafkaHealthDetails = {
      consumers,
      stuckCalls,
      stalledPartitions,
      dedupStore,
      producer,
      problems,
    };
    return problems.length ? session.down(details) : session.up(details);
  }

  private async pingStore(): Promise<ReliableKafkaHealthDetails['dedupStore']> {
    const store = this.options.dedup.store;
    try {
      await withTimeout(
        this.store.ping(),
        DEDUP_PING_TIMEOUT_MS,
        () => new Error(HEALTH_MESSAGES.dedupTimeout(DEDUP_PING_TIMEOUT_MS)),
      );
      return { store, reachable: true };
    } catch (error) {
      return { store, reachable: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
