import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { nestLogCreator } from './kafkajs-log-creator.util';

describe('nestLogCreator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps positions and errors but withholds credentials and protocol buffers', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = nestLogCreator(logLevel.DEBUG);
    log({
      namespace: 'Connection',
      level: logLevel.WARN,
      label: 'WARN',
      log: {
        timestamp: 'now',
        message: 'Response timeout',
        broker: 'b1:9092',
        correlationId: 7,
        sasl: { mechanism: 'plain', username: 'u', password: 'hunter2' },
        saslPassword: 'hunter2',
        requestBuffer: '{"card":"4111"}',
        payload: 'order-42',
      },
    });
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0][0]);
    expect(line).toContain('Response timeout');
    expect(line).toContain('b1:9092');
    expect(line).toContain('"correlationId":7');
    for (const secret of ['hunter2', '4111', 'order-42', 'username']) expect(line).not.toContain(secret);
  });
});
