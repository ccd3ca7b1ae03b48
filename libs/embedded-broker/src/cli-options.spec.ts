import { CLI_HELP, CliUsageError, parseCliArgs } from './cli-options';

describe('parseCliArgs', () => {
  it('has defaults: one broker on 9092, auto-creation on', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      options: {
        brokers: 1,
        port: 9092,
        host: '127.0.0.1',
        settings: {
          autoCreateTopics: true,
          defaultPartitions: 1,
          defaultReplicationFactor: 1,
          replicationLagMs: 0,
          replicaLagTimeMaxMs: 2000,
          groupMinSessionTimeoutMs: 6000,
          groupMaxSessionTimeoutMs: 1_800_000,
          topicDefaults: {},
        },
      },
    });
  });

  it('maps every option onto the broker settings', () => {
    const r = parseCliArgs([
      '--brokers',
      '3',
      '--port',
      '19092',
      '--host',
      '0.0.0.0',
      '--partitions',
      '6',
      '--replication-factor',
      '3',
      '--min-insync-replicas',
      '2',
      '--no-auto-create',
      '--replication-lag-ms',
      '50',
      '--replica-lag-time-max-ms',
      '700',
      '--group-min-session-timeout-ms',
      '1000',
      '--group-max-session-timeout-ms',
      '60000',
    ]);
    expect(r).toEqual({
      help: false,
      options: {
        brokers: 3,
        port: 19092,
        host: '0.0.0.0',
        settings: {
          autoCreateTopics: false,
          defaultPartitions: 6,
          defaultReplicationFactor: 3,
          replicationLagMs: 50,
          replicaLagTimeMaxMs: 700,
          groupMinSessionTimeoutMs: 1000,
          groupMaxSessionTimeoutMs: 60000,
          topicDefaults: { 'min.insync.replicas': '2' },
        },
      },
    });
  });

  it('answers --help and -h', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
    expect(parseCliArgs(['-h'])).toEqual({ help: true });
    expect(CLI_HELP).toContain('--replica-lag-time-max-ms');
  });

  it.each([
    [['--brokers', '1.5'], '--brokers must be a whole number'],
    [['--port', '65535', '--brokers', '2'], 'leaves no room for 2 brokers'],
    [['--partitions', '0'], '--partitions must be between 1'],
    [['--host', ''], '--host must not be empty'],
    [['--brokers'], 'argument missing'],
    [['stray'], 'Unexpected argument'],
    [['--group-min-session-timeout-ms', '7000', '--group-max-session-timeout-ms', '6000'], 'is larger than'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
