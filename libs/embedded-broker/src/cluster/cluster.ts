import { applyRetention } from './retention';
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
import { BrokerSettings, TopicConfig } from './configs';
import { Partition, PartitionHost } from './partition';
import { Topic, isValidTopicName } from './topic';
import { ReplicationFaults } from './replication-faults';

export interface BrokerInfo {
  readonly id: number;
  readonly host: string;
  port: number;
  alive: boolean;
}

export interface CreateTopicSpec {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configs?: Record<string, string>;
  /** Explicit replica assignment per partition (overrides numPartitions / replicationFactor). */
  readonly assignments?: number[][];
}

export type CreateTopicResult =
  | { readonly ok: true; readonly topic: Topic }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/**
 * The state of the whole embedded cluster: brokers, topics, partitions. Group and transaction coordinators hang
 * off it (see coordinators in this folder). All brokers share one process, so there is one copy of the metadata.
 */
export class Cluster implements PartitionHost {
  readonly clusterId = randomBytes(16).toString('base64url').slice(0, 22);
  readonly brokers = new Map<number, BrokerInfo>();
  readonly topics = new Map<string, Topic>();
  readonly replicationFaults = new ReplicationFaults();
  private changeWaiters = new Set<() => void>();
  private tickTimer: NodeJS.Timeout | null = null;
  private lastRetention = 0;
  /** Set by stop(): long-polling fetches answer at once instead of waiting again. */
  stopped = false;

  constructor(readonly settings: BrokerSettings) {}

  get controllerId(): number {
    return this.aliveBrokers()[0]?.id ?? -1;
  }

  aliveBrokers(): BrokerInfo[] {
    return [...this.brokers.values()].filter((b) => b.alive).sort((a, b) => a.id - b.id);
  }

  isAlive(brokerId: number): boolean {
    return this.brokers.get(brokerId)?.alive ?? false;
  }

  isIsolated(topic: string, partition: number, brokerId: number): boolean {
    return this.replicationFaults.isIsolated(topic, partition, brokerId);
  }

  replicationLagMs(brokerId: number): number {
    return this.replicationFaults.lagFor(brokerId) ?? this.settings.replicationLagMs;
  }

  partition(topic: string, index: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[index];
  }

  createTopic(spec: CreateTopicSpec, validateOnly = false): CreateTopicResult {
    if (!isValidTopicName(spec.name))
      return {
        ok: false,
        code: ErrorCode.INVALID_TOPIC_EXCEPTION,
        message: `invalid topic name '${spec.name}'`,
      };
    if (this.topics.has(spec.name))
      return {
        ok: false,
        code: ErrorCode.TOPIC_ALREADY_EXISTS,
        message: `Topic '${spec.name}' already exists.`,
      };
    const alive = this.aliveBrokers().map((b) => b.id);
    const assignments = spec.assignments ?? this.assign(spec.numPartitions, spec.replicationFactor, alive);
    if (!spec.assignments && spec.numPartitions <= 0)
      return {
        ok: false,
        code: ErrorCode.INVALID_PARTITIONS,
        message: 'Number of partitions must be larger than 0.',
      };
    if (!spec.assignments && (spec.replicationFactor <= 0 || spec.replicationFactor > alive.length)) {
      return {
        ok: false,
        code: ErrorCode.INVALID_REPLICATION_FACTOR,
        message: `Replication factor: ${spec.replicationFactor} larger than available brokers: ${alive.length}.`,
      };
    }
    if (validateOnly)
      return { ok: true, topic: new Topic(spec.name, new TopicConfig(new Map(), this.settings)) };
    const topic = new Topic(
      spec.name,
      new TopicConfig(new Map(Object.entries(spec.configs ?? {})), this.settings),
    );
    assignments.forEach((replicas, i) =>
      topic.partitions.push(new Partition(spec.name, i, replicas, topic.config, this)),
    );
    this.topics.set(spec.name, topic);
    this.notifyChange();
    return { ok: true, topic };
  }

  /** Round-robin replica placement over live brokers, shifted per partition like Kafka's rack-unaware assignor. */
  assign(numPartitions: number, replicationFactor: number, brokerIds: number[], startAt = 0): number[][] {
    const out: number[][] = [];
    for (let p = startAt; p < startAt + numPartitions; p++) {
      const replicas: number[] = [];
      for (let r = 0; r < replicationFactor; r++) replicas.push(brokerIds[(p + r) % brokerIds.length]);
      out.push(replicas);
    }
    return out;
  }

  deleteTopic(name: string): ErrorCode {
    const topic = this.topics.get(name);
    if (!topic) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    for (const p of topic.partitions) p.close();
    this.topics.delete(name);
    this.notifyChange();
    return ErrorCode.NONE;
  }

  /** Auto-creation on metadata/produce, when the broker allows it. */
  autoCreate(name: string): Topic | undefined {
    if (!this.settings.autoCreateTopics || !isValidTopicName(name)) return undefined;
    const rf = Math.min(this.settings.defaultReplicationFactor, this.aliveBrokers().length);
    const r = this.createTopic({
      name,
      numPartitions: this.settings.defaultPartitions,
      replicationFactor: Math.max(1, rf),
    });
    return r.ok ? r.topic : undefined;
  }

  setBrokerAlive(id: number, alive: boolean): void {
    const b = this.brokers.get(id);
    if (!b || b.alive === alive) return;
    b.alive = alive;
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        if (alive) p.onBrokerUp(id);
        else p.onBrokerDown(id);
      }
    }
    this.notifyChange();
  }

  /** Wakes every long-polling fetch so it re-checks its partitions. */
  notifyChange(): void {
    if (this.changeWaiters.size === 0) return;
    const waiters = this.changeWaiters;
    this.changeWaiters = new Set();
    for (const w of waiters) w();
  }

  /** Resolves on the next change anywhere in the cluster, or after timeoutMs. */
  waitForChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.changeWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.changeWaiters.add(done);
    });
  }

  /** Periodic maintenance: ISR shrink for lagging followers, retention, producer state expiry. */
  startTicking(intervalMs = 50): void {
    this.tickTimer = setInterval(() => this.tick(Date.now()), intervalMs);
    this.tickTimer.unref();
  }

  tick(now: number): void {
    const retention = now - this.lastRetention >= 1000;
    if (retention) this.lastRetention = now;
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        p.maintain(now);
        if (retention) {
          applyRetention(p, now);
          // Every replica expires idle producers on its own (Kafka checks every 10 min; we check with retention).
          for (const log of p.logs.values()) log.expireProducers(now, this.settings.producerIdExpirationMs);
        }
      }
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
    this.notifyChange();
  }
}
