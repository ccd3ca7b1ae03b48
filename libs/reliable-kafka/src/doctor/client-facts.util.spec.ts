import { consumerFacts, doctorTargets, KAFKAJS_DEFAULT_REBALANCE_TIMEOUT_MS } from './client-facts.util';

describe('client facts', () => {
  it('defaults auto-commit off and the rebalance timeout to kafkajs default', () => {
    expect(consumerFacts({ groupId: 'g', sessionTimeout: 30000, heartbeatInterval: 3000 })).toEqual({
      groupId: 'g',
      autoCommit: false,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      rebalanceTimeout: KAFKAJS_DEFAULT_REBALANCE_TIMEOUT_MS,
      maxProcessingTimeMs: undefined,
    });
  });

  it('collects consumed topics with their DLT, skips patterns, and adds extra topics once', () => {
    const targets = doctorTargets(
      [
        { topics: ['orders', /^audit\./], deadLetterTopic: 'orders.dlt' },
        { topics: ['payments'], deadLetterTopic: false },
      ],
      ['orders', 'invoices', { topic: 'payments', deadLetterTopic: 'payments.dlt' }],
    );
    expect(targets).toEqual([
      { topic: 'orders', deadLetterTopic: 'orders.dlt' },
      { topic: 'payments', deadLetterTopic: 'payments.dlt' },
      { topic: 'invoices', deadLetterTopic: false },
    ]);
  });
});
