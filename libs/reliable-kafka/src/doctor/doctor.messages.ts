/** Every reason and fix the doctor prints, so wording stays consistent and greppable. */

/** A reason (why it matters) and a fix (what to do), each one line. */
export interface ReasonAndFix {
  readonly reason: string;
  readonly fix: string;
}

const setConfig = (topic: string, name: string, value: string | number): string =>
  `kafka-configs.sh --alter --entity-type topics --entity-name ${topic} --add-config ${name}=${value}`;

export const DOCTOR_MESSAGES = {
  redisWithoutPersistence: (): ReasonAndFix => ({
    reason:
      'Redis keeps the dedup state only in memory (appendonly no, no save points): when it restarts every done id and claim is forgotten, so a record delivered again afterwards (not yet committed at a crash or rebalance, or replayed) is handled a second time',
    fix: "turn on AOF (appendonly yes, appendfsync everysec) in redis.conf or with CONFIG SET appendonly yes, or use dedup store 'postgres'",
  }),
  redisSnapshotsOnly: (): ReasonAndFix => ({
    reason:
      'Redis persists the dedup state only in RDB snapshots: a restart forgets the ids marked done since the last snapshot, and records delivered again afterwards are handled a second time',
    fix: 'turn on AOF (appendonly yes, appendfsync everysec) in redis.conf or with CONFIG SET appendonly yes',
  }),
  redisPersistenceUnknown: (): ReasonAndFix => ({
    reason:
      'Redis did not answer CONFIG GET (managed Redis often withholds it), so it is unknown whether the dedup state survives a restart; if it does not, ids done before a restart are handled again when redelivered',
    fix: 'make sure the Redis service persists with AOF (most managed services: enable persistence / AOF in its settings)',
  }),
  uncheckable: (reason: string): string =>
    `[doctor] could not read the topic and broker configs, so they were not checked (doctor mode 'warn'): ${reason}`,
  topicMissing: (topic: string): ReasonAndFix => ({
    reason:
      'the topic does not exist: consumers get nothing and producers may auto-create it with unsafe broker defaults',
    fix: `create ${topic} (or list it in the module's topics option so it is provisioned with safe defaults)`,
  }),
  singleBrokerRf: (): ReasonAndFix => ({
    reason:
      'replication factor 1 is acceptable only on a single-broker development cluster: one disk or broker loss loses the data',
    fix: 'use replication factor 3 (and min.insync.replicas 2) on any cluster with 3 or more brokers',
  }),
  rfTooLow: (topic: string, rf: number): ReasonAndFix => ({
    reason:
      rf === 1
        ? 'a single copy: losing that broker loses every message of the partition'
        : 'with 2 copies, min.insync.replicas can only be 1 (one broker loss can lose acknowledged writes) or 2 (one broker outage stops writes)',
    fix: `recreate ${topic} with replication factor 3, or add replicas with kafka-reassign-partitions.sh`,
  }),
  smallClusterRf: (brokers: number): ReasonAndFix => ({
    reason: `the cluster has only ${brokers} brokers, so no topic can have the 3 replicas that tolerate one failure without risk`,
    fix: 'run at least 3 brokers in production',
  }),
  minIsrTooLow: (topic: string, recommended: number): ReasonAndFix => ({
    reason:
      'acks=all is then satisfied by the leader alone, so a leader failure can lose acknowledged writes',
    fix: setConfig(topic, 'min.insync.replicas', recommended),
  }),
  minIsrTwoReplicas: (topic: string): ReasonAndFix => ({
    reason:
      'with 2 replicas min.insync.replicas 1 lets the leader alone acknowledge writes, which its failure can lose',
    fix: `recreate ${topic} with replication factor 3 and min.insync.replicas 2`,
  }),
  minIsrEqualsRf: (topic: string, recommended: number): ReasonAndFix => ({
    reason:
      'min.insync.replicas equal to the replication factor means one broker outage stops all acks=all writes',
    fix: setConfig(topic, 'min.insync.replicas', recommended),
  }),
  minIsrAboveRf: (topic: string, recommended: number): ReasonAndFix => ({
    reason:
      'min.insync.replicas above the replication factor makes every acks=all write fail with NOT_ENOUGH_REPLICAS',
    fix: setConfig(topic, 'min.insync.replicas', recommended),
  }),
  uncleanOn: (topic: string): ReasonAndFix => ({
    reason: 'an out-of-sync replica may become leader and silently drop acknowledged messages',
    fix: setConfig(topic, 'unclean.leader.election.enable', 'false'),
  }),
  isrBelowMin: (partitions: string): ReasonAndFix => ({
    reason: `partition(s) ${partitions} have fewer in-sync replicas than min.insync.replicas: acks=all writes fail now`,
    fix: 'bring the stopped or lagging brokers back (check under-replicated partitions)',
  }),
  underReplicated: (partitions: string): ReasonAndFix => ({
    reason: `partition(s) ${partitions} are under-replicated: one more broker failure can stop writes`,
    fix: 'bring the stopped or lagging brokers back',
  }),
  noLeader: (partitions: string): ReasonAndFix => ({
    reason: `partition(s) ${partitions} have no leader: nothing can be written to or read from them`,
    fix: 'restart the brokers that hold their replicas',
  }),
  deadLetterMissing: (source: string, dlt: string): ReasonAndFix => ({
    reason: `failed messages of ${source} cannot be dead-lettered, so the consumer stalls on the first poison message`,
    fix: `create ${dlt} with at least as many partitions as ${source} (or provision ${source} through the topics option)`,
  }),
  deadLetterFewerPartitions: (source: string, dlt: string, count: number): ReasonAndFix => ({
    reason: `${dlt} has fewer partitions than ${source}, so dead letters of several partitions share one and lose their spread`,
    fix: `kafka-topics.sh --alter --topic ${dlt} --partitions ${count}`,
  }),
  autoCreateRf: (rf: string): ReasonAndFix => ({
    reason: `topics a client auto-creates get the broker's default replication factor ${rf}`,
    fix: 'set default.replication.factor=3 and min.insync.replicas=2 on the brokers, or auto.create.topics.enable=false',
  }),
  acksNotAll: (): ReasonAndFix => ({
    reason: 'a write acknowledged before every in-sync replica has it is lost when the leader fails',
    fix: 'remove producer.acks (default -1 = all)',
  }),
  idempotenceOff: (): ReasonAndFix => ({
    reason: 'without idempotence a retried send can write the same message twice or out of order',
    fix: 'remove producer.idempotent (default true)',
  }),
  autoCommitOn: (groupId: string): ReasonAndFix => ({
    reason: `group ${groupId} commits offsets before handlers finish, so a crash skips unprocessed messages`,
    fix: 'turn auto-commit off and commit after the handler succeeded (the reliable handlers do this)',
  }),
  heartbeatTooSlow: (groupId: string, max: number): ReasonAndFix => ({
    reason: `group ${groupId} sends too few heartbeats per session timeout; one late heartbeat evicts the member`,
    fix: `set heartbeatInterval below ${max} ms (a third of sessionTimeout)`,
  }),
  handlerOutlastsRebalance: (groupId: string): ReasonAndFix => ({
    reason: `a handler of group ${groupId} may run longer than the rebalance timeout, so a rebalance evicts it mid-batch and the batch is redone`,
    fix:
      "raise the handler's rebalanceTimeout (or consumer.rebalanceTimeout) above maxProcessingTimeMs, or lower " +
      'maxProcessingTimeMs / callTimeoutMs / maxBatchSize; leaving rebalanceTimeout unset derives it from them',
  }),
};
