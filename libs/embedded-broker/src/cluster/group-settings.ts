/**
 * Coordinator settings, named after Kafka's broker configs, with Kafka's defaults except one: a new group
 * rebalances at once (docker-compose.yml sets group.initial.rebalance.delay.ms=0 on the real cluster too). The
 * session timeout bounds come from the broker settings (groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs).
 */
export interface GroupSettings {
  /** group.min.session.timeout.ms (Kafka: 6000). */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms (Kafka: 1800000). */
  maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms (Kafka: 3000): how long the first rebalance of an empty group waits for more members. */
  initialRebalanceDelayMs: number;
  /** offsets.retention.minutes in ms (Kafka: 7 days): offsets of an empty group expire this long after it became empty. */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms (Kafka: 600000): how often expired offsets and dead groups are dropped. */
  offsetsRetentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes (Kafka: 4096). */
  maxMetadataBytes: number;
}

export const DEFAULT_GROUP_SETTINGS: GroupSettings = {
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 0,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
  maxMetadataBytes: 4096,
};
