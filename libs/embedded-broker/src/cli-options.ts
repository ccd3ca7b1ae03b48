import { parseArgs } from 'node:util';
import { EmbeddedKafkaOptions } from './embedded-kafka';
import { CLI_COMMANDS_HELP } from './cli-commands';

/** A command-line mistake: the CLI prints the message and exits with code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export type CliParseResult =
  { readonly help: true } | { readonly help: false; readonly options: EmbeddedKafkaOptions };

export const CLI_HELP = `Usage: npm run broker -- [options]

Starts an embedded Kafka-compatible cluster for development and tests (not for production: use a real
Kafka cluster there). When ready it prints one line to stdout:
  bootstrap: 127.0.0.1:9092,...
and runs until SIGINT or SIGTERM. Broker i (ids 0..n-1) listens on port + i. Logs go to stderr.

Options:
  --brokers <n>                    number of brokers (default 1)
  --port <port>                    port of broker 0; 0 picks free ports (default 9092)
  --host <host>                    address to listen on and advertise (default 127.0.0.1)
  --partitions <n>                 partitions of auto-created topics and of CreateTopics without a count (default 1)
  --replication-factor <n>         replication factor of such topics (default 1, at most --brokers)
  --min-insync-replicas <n>        cluster-wide min.insync.replicas (default 1)
  --no-auto-create                 do not create topics on metadata requests (auto.create.topics.enable=false)
  --replication-lag-ms <ms>        delay before followers copy new batches (default 0)
  --replica-lag-time-max-ms <ms>   a follower behind for longer leaves the ISR (default 2000)
  --group-min-session-timeout-ms <ms>
                                   shortest JoinGroup session timeout accepted (default 6000, as Kafka)
  --group-max-session-timeout-ms <ms>
                                   longest JoinGroup session timeout accepted (default 1800000, as Kafka)
  -h, --help                       print this help and exit

${CLI_COMMANDS_HELP}`;

const OPTIONS = {
  brokers: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  partitions: { type: 'string' },
  'replication-factor': { type: 'string' },
  'min-insync-replicas': { type: 'string' },
  'no-auto-create': { type: 'boolean' },
  'replication-lag-ms': { type: 'string' },
  'replica-lag-time-max-ms': { type: 'string' },
  'group-min-session-timeout-ms': { type: 'string' },
  'group-max-session-timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function int(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new CliUsageError(`--${name} must be a whole number, got '${raw}'`);
  const n = Number(raw);
  if (n < min || n > max) throw new CliUsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Parses and validates the command line; throws CliUsageError with a message that names the bad option. */
export function parseCliArgs(argv: readonly string[]): CliParseResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values.help) return { help: true };
  const str = (k: keyof typeof OPTIONS): string | undefined => values[k] as string | undefined;
  const brokers = int('brokers', str('brokers'), 1, 1, 100);
  const port = int('port', str('port'), 9092, 0, 65535);
  if (port !== 0 && port + brokers - 1 > 65535)
    throw new CliUsageError(`--port ${port} leaves no room for ${brokers} brokers`);
  const host = str('host') ?? '127.0.0.1';
  if (host.trim() === '') throw new CliUsageError('--host must not be empty');
  const replicationFactor = int('replication-factor', str('replication-factor'), 1, 1);
  if (replicationFactor > brokers)
    throw new CliUsageError(`--replication-factor ${replicationFactor} is larger than --brokers ${brokers}`);
  const minIsr = str('min-insync-replicas');
  const minSession = int('group-min-session-timeout-ms', str('group-min-session-timeout-ms'), 6000, 1);
  const maxSession = int('group-max-session-timeout-ms', str('group-max-session-timeout-ms'), 1_800_000, 1);
  if (minSession > maxSession)
    throw new CliUsageError(
      `--group-min-session-timeout-ms ${minSession} is larger than --group-max-session-timeout-ms ${maxSession}`,
    );
  return {
    help: false,
    options: {
      brokers,
      port,
      host,
      settings: {
        autoCreateTopics: !values['no-auto-create'],
        defaultPartitions: int('partitions', str('partitions'), 1, 1),
        defaultReplicationFactor: replicationFactor,
        replicationLagMs: int('replication-lag-ms', str('replication-lag-ms'), 0, 0),
        replicaLagTimeMaxMs: int('replica-lag-time-max-ms', str('replica-lag-time-max-ms'), 2000, 1),
        groupMinSessionTimeoutMs: minSession,
        groupMaxSessionTimeoutMs: maxSession,
        topicDefaults:
          minIsr === undefined
            ? {}
            : { 'min.insync.replicas': String(int('min-insync-replicas', minIsr, 1, 1)) },
      },
    },
  };
}
