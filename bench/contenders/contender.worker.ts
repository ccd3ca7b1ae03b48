import 'reflect-metadata';
import type { ContenderResult, ContenderSpec } from '../support/protocol.interface';
import { readSpec, report, reportProgress, stopRequested } from './child-channel';

interface Started {
  result: Promise<ContenderResult>;
  handled(): number;
  close(): Promise<void>;
}

/**
 * Contender modules are loaded on demand, so a plain kafkajs contender's RSS does not include Nest, TypeORM or
 * ioredis code it never uses.
 */
async function start(spec: ContenderSpec): Promise<Started> {
  if (spec.scenario === 'consume') {
    const { ConsumeSink } = await import('./consume-sink');
    const sink = new ConsumeSink(spec.backlog, spec.live);
    (await import('./first-fetch.util')).onFirstFetch(() => sink.start());
    const close = spec.contender.startsWith('ours')
      ? await (await import('./reliable-consumer')).startReliableConsumer(spec, sink)
      : spec.contender === 'nest-server-kafka'
        ? await (await import('./nest-consumer')).startNestConsumer(spec, { sink })
        : await (await import('./kafkajs-consumers')).startKafkajsConsumer(spec, sink);
    return { result: sink.finished, handled: () => sink.handled, close };
  }
  if (spec.scenario === 'slow-io') {
    const { DrainClock } = await import('./slow-io.util');
    const clock = new DrainClock(spec.total);
    (await import('./first-fetch.util')).onFirstFetch(() => clock.started());
    const close = spec.contender.startsWith('ours')
      ? await (await import('./reliable-consumer')).startReliableSlowIo(spec, clock)
      : spec.contender === 'nest-server-kafka'
        ? await (await import('./nest-consumer')).startNestConsumer(spec, { clock })
        : await (await import('./kafkajs-consumers')).startKafkajsSlowIo(spec, clock);
    return { result: clock.finished, handled: () => clock.handled, close };
  }
  if (spec.scenario === 'outage') {
    const run = await (await import('./outage-producers')).startOutageProducer(spec);
    return { result: run.result, handled: run.settled, close: () => run.close() };
  }
  const run = await (await import('./producers')).startProducer(spec);
  return { result: run.result, handled: run.sent, close: () => run.close() };
}

/** `--warm`: load every contender module once, so the transpile cache is filled before anything is measured. */
async function warm(): Promise<void> {
  await Promise.all([
    import('./consume-sink'),
    import('./slow-io.util'),
    import('./reliable-consumer'),
    import('./nest-consumer'),
    import('./kafkajs-consumers'),
    import('./producers'),
    import('./outage-producers'),
  ]);
}

/**
 * Entry of one contender child process (forked by bench/support/contender-process.ts): runs the contender named
 * in the spec, reports progress and its result, then shuts down cleanly when told to stop.
 */
async function main(): Promise<void> {
  if (process.argv[2] === '--warm') return warm().then(() => process.exit(0));
  const spec = readSpec();
  const stop = stopRequested();
  const started = await start(spec);
  const stopProgress = reportProgress(started.handled);
  report({ type: 'result', result: await started.result });
  stopProgress();
  await stop;
  await started.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  const message = (err as Error).stack ?? String(err);
  process.stderr.write(`${message}\n`);
  report({ type: 'error', message });
  setTimeout(() => process.exit(1), 100);
});
