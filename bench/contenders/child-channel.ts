import type { ChildMessage, ContenderSpec, ParentMessage } from '../support/protocol.interface';

/** The contender side of the IPC channel: the spec it was started with, and how to report back. */
export function readSpec(): ContenderSpec {
  const raw = process.argv[2];
  if (!raw) throw new Error('contender started without a spec argument');
  return JSON.parse(raw) as ContenderSpec;
}

export function report(message: ChildMessage): void {
  process.send?.(message);
}

/** Resolves when the runner asks the contender to stop (or the channel closes). */
export function stopRequested(): Promise<void> {
  return new Promise((resolve) => {
    process.on('message', (m: ParentMessage) => m.type === 'stop' && resolve());
    process.once('disconnect', () => resolve());
  });
}

/** Reports `done()` every 200 ms until stopped; the timer does not keep the process alive. */
export function reportProgress(done: () => number): () => void {
  const timer = setInterval(() => report({ type: 'progress', done: done() }), 200);
  timer.unref();
  return () => clearInterval(timer);
}
