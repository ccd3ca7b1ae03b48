import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/**
 * Progress on stderr: one bar for the whole run (contender runs done) and one for the current step. When stderr
 * is not a terminal (CI logs, pipes) bars would only add noise, so each step prints one line instead.
 */
export class BenchProgress {
  private readonly tty = process.stderr.isTTY === true;
  private readonly bars = new MultiBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {label} | {value}/{total}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    Presets.shades_classic,
  );
  private readonly overall: SingleBar | undefined;
  private current: SingleBar | undefined;
  private done = 0;

  constructor(private readonly totalSteps: number) {
    if (this.tty) this.overall = this.bars.create(totalSteps, 0, { label: 'bench: starting' });
  }

  /** Starts the bar of one step (seeding a topic, one contender run) with `total` messages. */
  step(label: string, total: number): (done: number) => void {
    if (!this.tty) {
      process.stderr.write(`[bench ${this.done}/${this.totalSteps}] ${label}\n`);
      return () => undefined;
    }
    if (this.current) this.bars.remove(this.current);
    const bar = this.bars.create(total, 0, { label });
    this.current = bar;
    this.overall?.update(this.done, { label: `overall: ${this.done}/${this.totalSteps} contender runs` });
    return (done) => bar.update(Math.min(done, total));
  }

  /** A contender run finished. */
  completed(): void {
    this.done++;
    this.overall?.update(this.done, { label: `overall: ${this.done}/${this.totalSteps} contender runs` });
  }

  /** Writes a line above the bars (errors, notes). */
  log(line: string): void {
    if (this.tty) this.bars.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }

  stop(): void {
    if (this.tty) this.bars.stop();
  }
}
