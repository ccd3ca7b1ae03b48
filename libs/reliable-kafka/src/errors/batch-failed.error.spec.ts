import { inspect } from 'node:util';
import type { ReliableMessage } from '../interfaces/reliable-message.interface';
import { BatchFailedError } from './batch-failed.error';

describe('BatchFailedError', () => {
  const message: ReliableMessage = {
    id: 'm-1',
    idBytes: Buffer.from('m-1'),
    topic: 'payments',
    partition: 0,
    offset: '7',
    key: null,
    value: { card: '4111 1111 1111 1111' },
    headers: {},
    timestamp: '0',
  };

  it('keeps the failed message for the runtime but out of what loggers print', () => {
    const error = new BatchFailedError(message, new Error('declined'));
    expect(error.failedMessage).toBe(message);
    expect(error.index).toBe(-1);
    expect(error.message).toBe('Batch failed at message offset 7: declined');
    expect(JSON.stringify(error)).not.toContain('4111');
    expect(inspect(error)).not.toContain('4111');
  });
});
