import type { DoctorFacts, TopicFacts } from './doctor-facts.interface';
import { evaluateDoctor } from './evaluate-doctor.util';

function topic(name: string, partitions = 2, over: Partial<TopicFacts> = {}): TopicFacts {
  const replicas = [0, 1, 2];
  return {
    name,
    partitions: Array.from({ length: partitions }, (_, partition) => ({
      partition,
      leader: 0,
      replicas,
      isr: replicas,
    })),
    replicationFactor: 3,
    minInsyncReplicas: 2,
    uncleanLeaderElection: false,
    configs: {},
    overrides: {},
    ...over,
  };
}

function facts(topics: TopicFacts[], over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    cluster: { brokerCount: 3, brokerConfigs: {} },
    targets: [{ topic: 'orders', deadLetterTopic: 'orders.dlt' }],
    topics: new Map(topics.map((t) => [t.name, t])),
    consumers: [],
    ...over,
  };
}

describe('evaluateDoctor', () => {
  it('reports nothing for a safe topic with a matching dead-letter topic', () => {
    const report = evaluateDoctor(facts([topic('orders'), topic('orders.dlt')]));
    expect(report.findings).toEqual([]);
    expect(report.hasErrors).toBe(false);
  });

  it('reports a missing topic as an error and does not look for its DLT', () => {
    const report = evaluateDoctor(facts([]));
    expect(report.findings).toEqual([
      expect.objectContaining({ severity: 'error', topic: 'orders', setting: 'topic', actual: 'missing' }),
    ]);
  });

  it('reports a missing dead-letter topic on the DLT, recommending the source partition count', () => {
    const report = evaluateDoctor(facts([topic('orders', 4)]));
    expect(report.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        topic: 'orders.dlt',
        setting: 'dead-letter topic',
        actual: 'missing',
        recommended: '4 partitions',
      }),
    ]);
  });

  it('warns when the DLT has fewer partitions than its source', () => {
    const report = evaluateDoctor(facts([topic('orders', 4), topic('orders.dlt', 2)]));
    expect(report.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        topic: 'orders.dlt',
        setting: 'partitions',
        actual: '2',
        recommended: '>= 4',
      }),
    ]);
  });

  it('checks the DLT with the topic rules too', () => {
    const report = evaluateDoctor(
      facts([topic('orders'), topic('orders.dlt', 2, { uncleanLeaderElection: true })]),
    );
    expect(report.findings).toEqual([
      expect.objectContaining({ topic: 'orders.dlt', setting: 'unclean.leader.election.enable' }),
    ]);
  });

  it('skips the DLT check when the target has none', () => {
    const report = evaluateDoctor(
      facts([topic('orders')], { targets: [{ topic: 'orders', deadLetterTopic: false }] }),
    );
    expect(report.findings).toEqual([]);
  });

  it('reports a DLT shared by two topics once', () => {
    const targets = [
      { topic: 'a', deadLetterTopic: 'shared.dlt' },
      { topic: 'b', deadLetterTopic: 'shared.dlt' },
    ];
    const report = evaluateDoctor(
      facts([topic('a'), topic('b'), topic('shared.dlt', 2, { minInsyncReplicas: 1 })], { targets }),
    );
    expect(report.findings.filter((f) => f.topic === 'shared.dlt')).toHaveLength(1);
  });

  it('adds client and cluster findings', () => {
    const report = evaluateDoctor(
      facts([topic('orders'), topic('orders.dlt')], {
        cluster: {
          brokerCount: 3,
          brokerConfigs: { 'auto.create.topics.enable': 'true', 'default.replication.factor': '1' },
        },
        producer: { acks: 1, idempotent: true },
        consumers: [
          {
            groupId: 'g',
            autoCommit: true,
            sessionTimeout: 30000,
            heartbeatInterval: 3000,
            rebalanceTimeout: 60000,
          },
        ],
      }),
    );
    expect(report.findings.map((f) => f.setting).sort()).toEqual([
      'consumer[g].autoCommit',
      'default.replication.factor',
      'producer.acks',
    ]);
  });

  it('does not flag broker defaults on a cluster too small for RF 3', () => {
    const cluster = {
      brokerCount: 1,
      brokerConfigs: { 'auto.create.topics.enable': 'true', 'default.replication.factor': '1' },
    };
    const oneBroker = (name: string) =>
      topic(name, 2, {
        replicationFactor: 1,
        minInsyncReplicas: 1,
        partitions: [{ partition: 0, leader: 0, replicas: [0], isr: [0] }],
      });
    const report = evaluateDoctor(facts([oneBroker('orders'), oneBroker('orders.dlt')], { cluster }));
    expect(report.findings.map((f) => [f.severity, f.topic, f.setting])).toEqual([
      ['info', 'orders', 'replication.factor'],
      ['info', 'orders.dlt', 'replication.factor'],
    ]);
  });

  it.each([
    ['none', 'warning', /every done id and claim is forgotten/],
    ['snapshots', 'warning', /since the last snapshot/],
    ['unknown', 'info', /CONFIG GET/],
  ] as const)(
    'a Redis dedup store with persistence %s gives a %s naming what a restart forgets',
    (persistence, severity, reason) => {
      const report = evaluateDoctor(
        facts([topic('orders'), topic('orders.dlt')], { dedup: { store: 'redis', persistence } }),
      );
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({ severity, setting: 'dedup.store (redis persistence)' });
      expect(report.findings[0].reason).toMatch(reason);
      expect(report.findings[0].fix).toMatch(/appendonly yes|AOF/);
      expect(report.hasErrors).toBe(false); // a cache-only Redis is a choice; it never stops startup
    },
  );

  it('says nothing of a Redis with AOF, or of other stores', () => {
    for (const dedup of [
      { store: 'redis', persistence: 'durable' },
      { store: 'postgres', persistence: 'unknown' },
    ] as const)
      expect(evaluateDoctor(facts([topic('orders'), topic('orders.dlt')], { dedup })).findings).toEqual([]);
  });
});
