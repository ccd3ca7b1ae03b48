import { distinctIds, expandStatuses } from './batch-ids.util';

describe('batch id helpers', () => {
  it('keeps first-seen order of distinct ids', () => {
    expect(distinctIds(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });

  it('maps statuses back to every position; repeats of a claimed or done id are done, of a busy id busy', () => {
    const ids = ['x', 'y', 'x', 'z', 'y', 'z'];
    expect(expandStatuses(ids, ['x', 'y', 'z'], ['claimed', 'busy', 'done'])).toEqual([
      'claimed',
      'busy',
      'done',
      'done',
      'busy',
      'done',
    ]);
  });
});
