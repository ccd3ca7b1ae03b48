import { PRODUCER_DEFAULTS, resolveProducerSettings } from './producer-settings.util';

describe('resolveProducerSettings', () => {
  it('applies the safe defaults to missing or undefined fields', () => {
    expect(resolveProducerSettings(undefined)).toEqual(PRODUCER_DEFAULTS);
    expect(resolveProducerSettings({ acks: undefined, lingerMs: 0 })).toEqual({
      ...PRODUCER_DEFAULTS,
      lingerMs: 0,
    });
  });

  it('takes the id header from the module option unless the producer sets its own', () => {
    expect(resolveProducerSettings({}, 'x-id').messageIdHeader).toBe('x-id');
    expect(resolveProducerSettings({ messageIdHeader: 'p-id' }, 'x-id').messageIdHeader).toBe('p-id');
  });

  it('never lets the largest retry delay fall below the first', () => {
    expect(resolveProducerSettings({ initialRetryTimeMs: 500, maxRetryTimeMs: 100 }).maxRetryTimeMs).toBe(
      500,
    );
  });
});
