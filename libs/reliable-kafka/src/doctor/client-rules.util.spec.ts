import { checkConsumer, checkProducer } from './client-rules.util';
import type { ConsumerFacts } from './doctor-facts.interface';

const good: ConsumerFacts = {
  groupId: 'billing',
  autoCommit: false,
  sessionTimeout: 30000,
  heartbeatInterval: 3000,
  rebalanceTimeout: 60000,
  maxProcessingTimeMs: 20000,
};

describe('client rules', () => {
  it('accepts acks all with idempotence', () => {
    expect(checkProducer({ acks: -1, idempotent: true })).toEqual([]);
  });

  it('errors on acks 1 and 0, warns on idempotence off', () => {
    expect(checkProducer({ acks: 1, idempotent: true })).toEqual([
      expect.objectContaining({ severity: 'error', setting: 'producer.acks', actual: '1' }),
    ]);
    expect(checkProducer({ acks: 0, idempotent: false }).map((f) => [f.severity, f.setting])).toEqual([
      ['error', 'producer.acks'],
      ['warning', 'producer.idempotent'],
    ]);
  });

  it('accepts a consistent consumer', () => {
    expect(checkConsumer(good)).toEqual([]);
  });

  it('errors on auto-commit', () => {
    expect(checkConsumer({ ...good, autoCommit: true })).toEqual([
      expect.objectContaining({
        severity: 'error',
        setting: 'consumer[billing].autoCommit',
        actual: 'true',
        recommended: 'false',
      }),
    ]);
  });

  it('warns when the heartbeat interval is not below a third of the session timeout', () => {
    expect(checkConsumer({ ...good, heartbeatInterval: 10000 })).toEqual([
      expect.objectContaining({
        severity: 'warning',
        setting: 'consumer[billing].heartbeatInterval',
        actual: '10000 ms',
      }),
    ]);
    expect(checkConsumer({ ...good, heartbeatInterval: 9999 })).toEqual([]);
  });

  it('warns when a handler may outlast the rebalance timeout, and skips the check without a handler timeout', () => {
    expect(checkConsumer({ ...good, maxProcessingTimeMs: 60000 })).toEqual([
      expect.objectContaining({
        severity: 'warning',
        setting: 'consumer[billing].rebalanceTimeout',
        recommended: '> 60000 ms (handler timeout)',
      }),
    ]);
    expect(checkConsumer({ ...good, maxProcessingTimeMs: undefined })).toEqual([]);
  });
});
