import { createInterface } from 'node:readline';
import { EmbeddedKafka } from './embedded-kafka';
import { runCliCommand } from './cli-commands';
import { CLI_HELP, CliUsageError, parseCliArgs } from './cli-options';

/**
 * `npm run broker -- --brokers 3 --port 19092`: runs an embedded cluster until SIGINT/SIGTERM. stdout carries only
 * the bootstrap line and the answers to stdin commands, so scripts can read them; everything else goes to stderr.
 */
async function main(argv: readonly string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`error: ${err.message}\nRun with --help to see the options.\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(`${CLI_HELP}\n`);
    return;
  }
  const log = (m: string): void => void process.stderr.write(`[embedded-kafka] ${m}\n`);
  const kafka = await EmbeddedKafka.start({ ...parsed.options, log });
  const answer = (line: string): void => void process.stdout.write(`${line}\n`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    rl.close();
    await kafka.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // Commands run one at a time, in order, so a script can rely on "kill 1" having happened before its next line.
  const rl = createInterface({ input: process.stdin, terminal: false });
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      if (stopping) return;
      try {
        const result = await runCliCommand(kafka.faults, line);
        if (result) answer(result);
      } catch (err) {
        answer(`error: ${(err as Error).message}`);
      }
    });
  });

  log(`${parsed.options.brokers} broker(s) up; stop with Ctrl-C. Commands on stdin, see --help.`);
  answer(`bootstrap: ${kafka.bootstrapServers.join(',')}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
