import { join } from 'node:path';
import { ManagedChild, spawnTs, type ChildExit } from './child-process.util';
import { waitFor } from '../support';

const PRODUCER = join(__dirname, 'chaos-producer.process.ts');

/** The producer's final report (its `done` event). */
export interface ProducerSummary {
  acked: number;
  sendFailures: number;
  /** kafkajs error log entries by message: the evidence that broker faults reached the client. */
  clientErrors: Record<string, number>;
}

/** The producer process and its progress as reported on stdout. */
export class ProducerRunner {
  acked = 0;
  summary?: ProducerSummary;
  readonly sendFailures: string[] = [];
  readonly exited: Promise<ChildExit>;
  private readonly child: ManagedChild;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawnTs('producer', PRODUCER, [], env);
    this.exited = this.child.exited;
    this.child.onLine((line) => {
      let event: { event?: string; acked?: number; error?: string } & Partial<ProducerSummary>;
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        return;
      }
      if (event.event === 'acked') this.acked = event.acked ?? this.acked;
      else if (event.event === 'send-failed') this.sendFailures.push(event.error ?? '');
      else if (event.event === 'done') this.summary = event as ProducerSummary;
    });
  }

  get stderr(): string {
    return this.child.stderr;
  }

  /** Resolves once `count` messages were acked; throws when the producer exited before. */
  async untilAcked(count: number, timeoutMs = 120_000): Promise<void> {
    await waitFor(
      () => {
        if (this.acked >= count || this.summary) return true;
        if (!this.child.running) throw new Error(`producer exited early: ${this.child.stderr}`);
        return false;
      },
      {
        timeoutMs,
        message: () => `${count} acked (have ${this.acked}); producer stderr: ${this.child.stderr}`,
      },
    );
  }

  stop(): Promise<ChildExit> {
    return this.child.stop(5_000);
  }
}
