import { FaultInjector } from './faults/fault-injector';
import { ApiKey } from './protocol/api-keys';
import { ErrorCode } from './protocol/error-codes';

export const CLI_COMMANDS_HELP = `Fault injection: while running, the CLI reads one command per line on stdin and answers each with one
line on stdout, "ok" or "error: <reason>". Blank lines and lines starting with # are ignored.
  kill <broker>                          hard-kill a broker (leaders are re-elected after it is gone)
  stop <broker>                          controlled shutdown (leadership moves away first)
  restart <broker>                       bring a killed or stopped broker back on its port
  fail <api> <error> [count] [broker]    the next count (default 1) requests of <api> get <error>, unapplied
  drop <api> [count] [broker]            apply the next requests but lose their responses (connection closed)
  delay <api> <ms> [count] [broker]      hold the next responses back for <ms>
  move-leader <topic> <partition> <broker>   make an in-sync replica the leader
  isolate <topic> <partition> <broker>   the follower stops replicating (leaves the ISR after the lag time)
  reconnect <topic> <partition> <broker> the follower replicates again
  lag <broker> <ms|off>                  followers on <broker> copy new batches after <ms>
  close-connections [broker]             close client connections (all brokers by default)
  clear                                  forget request faults not yet used
<api> is a name (produce, fetch, metadata, join-group, ...) or a number; <error> a code (19) or a name
(NOT_ENOUGH_REPLICAS). Example: fail produce NOT_LEADER_OR_FOLLOWER 3 0`;

/** A command line that cannot be run; its message is what the CLI answers after "error: ". */
export class CliCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliCommandError';
  }
}

const squash = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');

function enumValue(enumObj: Record<string, string | number>, raw: string, what: string): number {
  if (/^-?\d+$/.test(raw)) {
    const n = Number(raw);
    if (typeof enumObj[n] !== 'string') throw new CliCommandError(`unknown ${what} ${raw}`);
    return n;
  }
  const hit = Object.keys(enumObj).find((k) => Number.isNaN(Number(k)) && squash(k) === squash(raw));
  if (hit === undefined) throw new CliCommandError(`unknown ${what} '${raw}'`);
  return enumObj[hit] as number;
}

function num(raw: string | undefined, what: string, min = 0): number {
  if (raw === undefined) throw new CliCommandError(`missing ${what}`);
  if (!/^\d+$/.test(raw)) throw new CliCommandError(`${what} must be a whole number, got '${raw}'`);
  const n = Number(raw);
  if (n < min) throw new CliCommandError(`${what} must be at least ${min}, got ${n}`);
  return n;
}

const optNum = (raw: string | undefined, what: string, min = 0): number | undefined =>
  raw === undefined ? undefined : num(raw, what, min);

function arity(args: readonly string[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new CliCommandError(`usage: ${usage}`);
}

/**
 * Runs one stdin command against the fault injector. Returns null for lines that are not commands (blank,
 * comments); throws CliCommandError for anything it cannot run.
 */
export async function runCliCommand(faults: FaultInjector, line: string): Promise<'ok' | null> {
  const [cmd, ...args] = line.trim().split(/\s+/);
  if (!cmd || cmd.startsWith('#')) return null;
  switch (cmd.toLowerCase()) {
    case 'kill':
      arity(args, 1, 1, 'kill <broker>');
      await faults.killBroker(num(args[0], 'broker'));
      break;
    case 'stop':
      arity(args, 1, 1, 'stop <broker>');
      await faults.stopBroker(num(args[0], 'broker'));
      break;
    case 'restart':
      arity(args, 1, 1, 'restart <broker>');
      await faults.restartBroker(num(args[0], 'broker'));
      break;
    case 'fail':
      arity(args, 2, 4, 'fail <api> <error> [count] [broker]');
      faults.failNext({
        apiKey: enumValue(ApiKey, args[0], 'api'),
        errorCode: enumValue(ErrorCode, args[1], 'error code'),
        count: optNum(args[2], 'count', 1),
        brokerId: optNum(args[3], 'broker'),
      });
      break;
    case 'drop':
      arity(args, 1, 3, 'drop <api> [count] [broker]');
      faults.dropResponses({
        apiKey: enumValue(ApiKey, args[0], 'api'),
        count: optNum(args[1], 'count', 1),
        brokerId: optNum(args[2], 'broker'),
      });
      break;
    case 'delay':
      arity(args, 2, 4, 'delay <api> <ms> [count] [broker]');
      faults.delayResponses({
        apiKey: enumValue(ApiKey, args[0], 'api'),
        ms: num(args[1], 'ms'),
        count: optNum(args[2], 'count', 1),
        brokerId: optNum(args[3], 'broker'),
      });
      break;
    case 'move-leader':
      arity(args, 3, 3, 'move-leader <topic> <partition> <broker>');
      faults.moveLeader(args[0], num(args[1], 'partition'), num(args[2], 'broker'));
      break;
    case 'isolate':
    case 'reconnect': {
      arity(args, 3, 3, `${cmd} <topic> <partition> <broker>`);
      const [topic, partition, broker] = [args[0], num(args[1], 'partition'), num(args[2], 'broker')];
      if (cmd === 'isolate') faults.isolateFollower(topic, partition, broker);
      else faults.reconnectFollower(topic, partition, broker);
      break;
    }
    case 'lag':
      arity(args, 2, 2, 'lag <broker> <ms|off>');
      faults.setReplicationLag(num(args[0], 'broker'), args[1] === 'off' ? null : num(args[1], 'ms'));
      break;
    case 'close-connections':
      arity(args, 0, 1, 'close-connections [broker]');
      faults.closeConnections(optNum(args[0], 'broker'));
      break;
    case 'clear':
      arity(args, 0, 0, 'clear');
      faults.clear();
      break;
    default:
      throw new CliCommandError(`unknown command '${cmd}' (see --help)`);
  }
  return 'ok';
}
