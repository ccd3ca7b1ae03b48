import { describeError, logEntry, MAX_ERROR_TEXT } from './log-entry.util';

describe('logEntry', () => {
  it('keeps the event, message and given fields, and drops absent ones', () => {
    const entry = logEntry('dead-lettered', 'moved', { groupId: 'g', topic: 't', partition: 0, offset: '5' });
    expect(entry).toEqual({
      event: 'dead-lettered',
      message: 'moved',
      groupId: 'g',
      topic: 't',
      partition: 0,
      offset: '5',
    });
    expect(Object.keys(logEntry('x', 'y', { messageId: undefined }))).toEqual(['event', 'message']);
  });

  it('summarises the error as class and first line only', () => {
    const error = new TypeError('bad input\n{"card":"4111 1111 1111 1111"}');
    expect(logEntry('attempt-failed', 'm', {}, error).error).toBe('TypeError: bad input');
  });
});

describe('describeError', () => {
  it('truncates long messages so quoted input cannot flood the log', () => {
    const text = describeError(new Error('x'.repeat(MAX_ERROR_TEXT * 2)));
    expect(text.length).toBe(MAX_ERROR_TEXT + 1);
    expect(text.endsWith('…')).toBe(true);
  });

  it('describes non-errors by their string form', () => {
    expect(describeError('plain')).toBe('plain');
  });
});
