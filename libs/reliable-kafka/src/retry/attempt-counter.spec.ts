import { AttemptCounter } from './attempt-counter';

describe('AttemptCounter', () => {
  it('counts per topic/partition/offset and forgets a cleared message', () => {
    const counter = new AttemptCounter();
    expect(counter.fail('t', 0, '5')).toBe(1);
    expect(counter.fail('t', 0, '5')).toBe(2);
    expect(counter.fail('t', 1, '5')).toBe(1);
    expect(counter.fail('u', 0, '5')).toBe(1);
    expect(counter.get('t', 0, '5')).toBe(2);
    counter.clear('t', 0, '5');
    expect(counter.get('t', 0, '5')).toBe(0);
    expect(counter.get('t', 1, '5')).toBe(1);
  });

  it('drops the least recently failed entries beyond its limit', () => {
    const counter = new AttemptCounter(2);
    counter.fail('t', 0, '1');
    counter.fail('t', 0, '2');
    counter.fail('t', 0, '1'); // 1 is now the most recent
    counter.fail('t', 0, '3');
    expect(counter.get('t', 0, '2')).toBe(0);
    expect(counter.get('t', 0, '1')).toBe(2);
    expect(counter.get('t', 0, '3')).toBe(1);
  });
});
