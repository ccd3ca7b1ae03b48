import type { ClusterFacts, TopicFacts } from './doctor-facts.interface';
import {
  checkInsyncReplicas,
  checkMinInsyncReplicas,
  checkReplicationFactor,
  checkTopic,
  checkUncleanElection,
  recommendedMinIsr,
} from './topic-rules.util';

/** A topic whose partitions all have `rf` replicas, all in sync unless `isr` says otherwise. */
function topic(over: Partial<TopicFacts> & { rf?: number; isr?: number[][] } = {}): TopicFacts {
  const rf = over.rf ?? 3;
  const replicas = Array.from({ length: rf }, (_, i) => i);
  const partitions = (over.isr ?? [replicas, replicas]).map((isr, partition) => ({
    partition,
    leader: isr[0] ?? -1,
    replicas,
    isr,
  }));
  return {
    name: 'orders',
    partitions,
    replicationFactor: rf,
    minInsyncReplicas: 2,
    uncleanLeaderElection: false,
    configs: {},
    overrides: {},
    ...over,
  };
}

const three: ClusterFacts = { brokerCount: 3, brokerConfigs: {} };
const one: ClusterFacts = { brokerCount: 1, brokerConfigs: {} };
const two: ClusterFacts = { brokerCount: 2, brokerConfigs: {} };

describe('topic rules', () => {
  it('finds nothing wrong with RF 3, min ISR 2, unclean off, all in sync', () => {
    expect(checkTopic(topic(), three)).toEqual([]);
  });

  it('reports RF 1 on a 3-broker cluster as an error recommending 3', () => {
    const [f] = checkReplicationFactor(topic({ rf: 1, minInsyncReplicas: 1 }), three);
    expect(f).toMatchObject({
      severity: 'error',
      topic: 'orders',
      setting: 'replication.factor',
      actual: '1',
      recommended: '3',
    });
    expect(f.fix).toContain('replication factor 3');
  });

  it('reports RF 1 on a single-broker cluster as info, explaining it is acceptable only there', () => {
    const [f] = checkReplicationFactor(topic({ rf: 1, minInsyncReplicas: 1 }), one);
    expect(f.severity).toBe('info');
    expect(f.reason).toContain('acceptable only on a single-broker development cluster');
  });

  it('warns about RF 2 when the cluster has only 2 brokers, and errors about RF 2 on 3 brokers', () => {
    expect(checkReplicationFactor(topic({ rf: 2 }), two)[0]).toMatchObject({
      severity: 'warning',
      actual: '2',
    });
    expect(checkReplicationFactor(topic({ rf: 2 }), three)[0]).toMatchObject({
      severity: 'error',
      actual: '2',
    });
  });

  it('flags min.insync.replicas 1 with RF 3 as an error recommending 2', () => {
    expect(checkMinInsyncReplicas(topic({ minInsyncReplicas: 1 }))).toEqual([
      expect.objectContaining({
        severity: 'error',
        setting: 'min.insync.replicas',
        actual: '1',
        recommended: '2',
      }),
    ]);
  });

  it('flags min.insync.replicas equal to RF: one broker outage stops writes', () => {
    const [f] = checkMinInsyncReplicas(topic({ minInsyncReplicas: 3 }));
    expect(f).toMatchObject({ severity: 'warning', actual: '3', recommended: '2' });
    expect(f.reason).toContain('one broker outage stops all acks=all writes');
    expect(f.fix).toContain('min.insync.replicas=2');
  });

  it('flags min.insync.replicas above RF as an error: every acks=all write fails', () => {
    expect(checkMinInsyncReplicas(topic({ rf: 1, minInsyncReplicas: 3, isr: [[0]] }))[0]).toMatchObject({
      severity: 'error',
      actual: '3',
      recommended: '1',
    });
  });

  it('names the trade-off of RF 2 instead of recommending an impossible value', () => {
    expect(checkMinInsyncReplicas(topic({ rf: 2, minInsyncReplicas: 1 }))[0]).toMatchObject({
      severity: 'warning',
      actual: '1',
    });
    expect(checkMinInsyncReplicas(topic({ rf: 2, minInsyncReplicas: 2 }))[0]).toMatchObject({
      severity: 'warning',
      actual: '2',
    });
  });

  it('leaves min ISR to the RF finding when there is one replica', () => {
    expect(checkMinInsyncReplicas(topic({ rf: 1, minInsyncReplicas: 1, isr: [[0]] }))).toEqual([]);
  });

  it('recommends min ISR = RF - 1, at least 1', () => {
    expect([1, 2, 3, 5].map(recommendedMinIsr)).toEqual([1, 1, 2, 4]);
  });

  it('flags unclean leader election as an error', () => {
    expect(checkUncleanElection(topic({ uncleanLeaderElection: true }))).toEqual([
      expect.objectContaining({
        severity: 'error',
        setting: 'unclean.leader.election.enable',
        actual: 'true',
        recommended: 'false',
      }),
    ]);
    expect(checkUncleanElection(topic())).toEqual([]);
  });

  it('reports partitions whose ISR is below min.insync.replicas, naming them', () => {
    const [f] = checkInsyncReplicas(topic({ isr: [[0, 1, 2], [1]] }));
    expect(f).toMatchObject({ severity: 'error', setting: 'isr', actual: '1', recommended: '>= 2' });
    expect(f.reason).toContain('partition(s) 1 ');
  });

  it('warns about under-replicated partitions that still meet min ISR', () => {
    expect(
      checkInsyncReplicas(
        topic({
          isr: [
            [0, 1],
            [0, 1, 2],
          ],
        }),
      ),
    ).toEqual([
      expect.objectContaining({ severity: 'warning', setting: 'isr', actual: '2', recommended: '3' }),
    ]);
  });

  it('reports leaderless partitions', () => {
    const findings = checkInsyncReplicas(topic({ isr: [[], [0, 1, 2]] }));
    expect(findings.map((f) => f.setting)).toEqual(['leader', 'isr']);
  });
});
