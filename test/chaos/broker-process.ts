import { join } from 'node:path';
import { ManagedChild, ROOT, spawnTs } from './child-process.util';
import { waitFor } from '../support';

const CLI = join(ROOT, 'libs', 'embedded-broker', 'src', 'cli.ts');

/** The embedded broker CLI in its own process, driven through its stdin fault commands. */
export class BrokerProcess {
  /** Every command sent and its answer, for the report. */
  readonly log: Array<{ command: string; answer: string }> = [];
  private readonly lines: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly child: ManagedChild) {
    child.onLine((line) => this.lines.push(line));
  }

  /** Starts `brokers` brokers on free ports and resolves with their bootstrap servers. */
  static async start(
    brokers: number,
    minInsync: number,
  ): Promise<{ broker: BrokerProcess; bootstrap: string[] }> {
    const args = ['--brokers', `${brokers}`, '--port', '0'];
    args.push('--replication-factor', `${brokers}`, '--min-insync-replicas', `${minInsync}`);
    const broker = new BrokerProcess(spawnTs('broker', CLI, args, {}));
    const line = await waitFor(() => broker.lines.find((l) => l.startsWith('bootstrap:')), {
      timeoutMs: 30_000,
      message: () => `broker CLI bootstrap line; stderr: ${broker.child.stderr}`,
    });
    const bootstrap = line.slice('bootstrap:'.length).trim().split(',');
    return { broker, bootstrap };
  }

  /** Sends one fault command and resolves with its answer (`ok` or `error: ...`); commands run one at a time. */
  command(command: string): Promise<string> {
    const run = async (): Promise<string> => {
      const next = this.lines.length;
      this.child.write(`${command}\n`);
      const answer = await waitFor(() => this.lines[next], {
        timeoutMs: 30_000,
        message: () => `answer to "${command}"; stderr: ${this.child.stderr}`,
      });
      this.log.push({ command, answer });
      return answer;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  stop(): Promise<unknown> {
    return this.child.stop();
  }
}
