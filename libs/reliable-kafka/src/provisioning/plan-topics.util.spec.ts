import { provisionedTargets } from './provisioned-targets.util';
import { planTopics, safeReplicationFactor, safeTopicConfigs } from './plan-topics.util';
import { TopicProvisioningError } from './topic-provisioning.error';
import { isDerivedTopicName } from './topic-names.util';

describe('planTopics', () => {
  it('uses RF min(3, brokers) and min ISR RF - 1 when RF >= 2', () => {
    expect([1, 2, 3, 7].map(safeReplicationFactor)).toEqual([1, 2, 3, 3]);
    expect(safeTopicConfigs(3)).toEqual({
      'min.insync.replicas': '2',
      'unclean.leader.election.enable': 'false',
    });
    expect(safeTopicConfigs(2)['min.insync.replicas']).toBe('1');
    expect(safeTopicConfigs(1)['min.insync.replicas']).toBe('1');
  });

  it('expands a spec into the topic, its DLT and its retry stages, all with the same partitions', () => {
    const plans = planTopics(
      [
        {
          name: 'orders',
          partitions: 6,
          retryDelaysMs: [1000, 30000, 1000],
          configs: { 'retention.ms': '1000' },
        },
      ],
      3,
    );
    expect(plans.map((p) => [p.name, p.role, p.partitions, p.replicationFactor])).toEqual([
      ['orders', 'topic', 6, 3],
      ['orders.dlt', 'dead-letter', 6, 3],
      ['orders.retry.1000', 'retry', 6, 3],
      ['orders.retry.30000', 'retry', 6, 3],
    ]);
    // The spec's own configs stay on the main topic.
    expect(plans[0].explicitConfigs).toEqual({ 'retention.ms': '1000' });
    // Its copies take records larger than it by the room their failure headers need, so any record fits.
    expect(plans[1].explicitConfigs).toEqual({ 'max.message.bytes': String(1_048_588 + 65_536) });
    expect(plans[2].explicitConfigs).toEqual(plans[1].explicitConfigs);
    expect(plans.slice(1).every((p) => isDerivedTopicName(p.name))).toBe(true);
    expect(isDerivedTopicName('orders')).toBe(false);
  });

  it('honours deadLetter: false and an explicit replication factor', () => {
    expect(planTopics([{ name: 'x', partitions: 1, deadLetter: false, replicationFactor: 2 }], 3)).toEqual([
      { name: 'x', role: 'topic', spec: 'x', partitions: 1, replicationFactor: 2, explicitConfigs: {} },
    ]);
  });

  it.each([
    [{ name: '', partitions: 1 }, 'name is empty'],
    [{ name: 'a', partitions: 0 }, 'partitions must be a positive integer'],
    [{ name: 'a', partitions: 1.5 }, 'partitions must be a positive integer'],
    [{ name: 'a', partitions: 1, replicationFactor: -1 }, 'replicationFactor must be'],
    [{ name: 'a', partitions: 1, retryDelaysMs: [0] }, 'retryDelaysMs[] must be'],
  ])('rejects %j', (spec, message) => {
    expect(() => planTopics([spec], 3)).toThrow(TopicProvisioningError);
    expect(() => planTopics([spec], 3)).toThrow(message);
  });

  it('rejects a topic planned twice', () => {
    expect(() =>
      planTopics(
        [
          { name: 'a', partitions: 1 },
          { name: 'a.dlt', partitions: 1 },
        ],
        3,
      ),
    ).toThrow('Cannot provision topic "a.dlt": the topic is planned twice');
  });
});

describe('provisionedTargets', () => {
  it('checks each topic with its DLT and its retry stages without one', () => {
    expect(
      provisionedTargets([
        { name: 'a', partitions: 1, retryDelaysMs: [5, 5] },
        { name: 'b', partitions: 1, deadLetter: false },
      ]),
    ).toEqual([
      { topic: 'a', deadLetterTopic: 'a.dlt' },
      { topic: 'a.retry.5', deadLetterTopic: false },
      { topic: 'b', deadLetterTopic: false },
    ]);
  });
});
