import { retryStageGroupId, retryStageMaxWaitMs, retryStageTopics } from './retry-stage-consumer.util';

describe('retry stage consumer settings', () => {
  it('derives the group, the stage topics of every named topic, and a fetch wait bounded by the delays', () => {
    expect(retryStageGroupId('billing')).toBe('billing.retry');
    expect(retryStageTopics({ topics: ['a', 'b'], retryTopicDelaysMs: [100, 2000] })).toEqual([
      'a.retry.100',
      'a.retry.2000',
      'b.retry.100',
      'b.retry.2000',
    ]);
    expect(retryStageTopics({ topics: ['a'], retryTopicDelaysMs: [] })).toEqual([]);
    expect(retryStageMaxWaitMs([1000, 60000])).toBe(500);
    expect(retryStageMaxWaitMs([10])).toBe(100);
    expect(retryStageMaxWaitMs([600000])).toBe(5000);
  });
});
