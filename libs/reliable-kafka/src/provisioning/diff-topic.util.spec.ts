import type { TopicFacts } from '../doctor/doctor-facts.interface';
import { diffTopic } from './diff-topic.util';
import type { PlannedTopic } from './topic-spec.interface';

const plan: PlannedTopic = {
  name: 'orders',
  role: 'topic',
  spec: 'orders',
  partitions: 4,
  replicationFactor: 3,
  explicitConfigs: { 'retention.ms': '1000' },
};

function existing(partitions: number, rf: number, configs: Record<string, string>): TopicFacts {
  const replicas = Array.from({ length: rf }, (_, i) => i);
  return {
    name: 'orders',
    partitions: Array.from({ length: partitions }, (_, partition) => ({
      partition,
      leader: 0,
      replicas,
      isr: replicas,
    })),
    replicationFactor: rf,
    minInsyncReplicas: Number(configs['min.insync.replicas']),
    uncleanLeaderElection: configs['unclean.leader.election.enable'] === 'true',
    configs,
    overrides: {},
  };
}

const safe = {
  'min.insync.replicas': '2',
  'unclean.leader.election.enable': 'false',
  'retention.ms': '1000',
};

describe('diffTopic', () => {
  it('finds nothing when the topic matches (values compared as the broker means them)', () => {
    expect(diffTopic(plan, existing(4, 3, { ...safe, 'unclean.leader.election.enable': 'FALSE' }))).toEqual(
      [],
    );
  });

  it('leaves more partitions and more replicas than planned alone', () => {
    expect(diffTopic(plan, existing(8, 4, { ...safe, 'min.insync.replicas': '3' }))).toEqual([]);
  });

  it('lists fewer partitions and differing configs as applicable changes', () => {
    expect(
      diffTopic(
        plan,
        existing(2, 3, {
          ...safe,
          'min.insync.replicas': '1',
          'unclean.leader.election.enable': 'true',
          'retention.ms': '5',
        }),
      ),
    ).toEqual([
      { setting: 'partitions', actual: '2', desired: '4', applicable: true },
      { setting: 'min.insync.replicas', actual: '1', desired: '2', applicable: true },
      { setting: 'unclean.leader.election.enable', actual: 'true', desired: 'false', applicable: true },
      { setting: 'retention.ms', actual: '5', desired: '1000', applicable: true },
    ]);
  });

  it('marks a replication factor increase inapplicable and sizes min ISR for the actual RF', () => {
    expect(diffTopic(plan, existing(4, 1, { ...safe, 'min.insync.replicas': '1' }))).toEqual([
      { setting: 'replication.factor', actual: '1', desired: '3', applicable: false },
    ]);
  });
});
