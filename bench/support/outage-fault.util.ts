import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrokerProcess } from './broker-process';

/** The faults of scenario 5 (BENCH_OUTAGE). */
export type OutageKind = 'hold' | 'kill2';
export const OUTAGE_KINDS: readonly OutageKind[] = ['hold', 'kill2'];

/** The broker whose produce responses `hold` holds back. */
const HELD_BROKER = 1;
/** The brokers `kill2` kills: with RF 3 and min ISR 2 no partition can take acks=-1 writes while they are down. */
const KILLED_BROKERS = [1, 2];
/** How often `hold` shortens its delay so that every held response is released when the window ends. */
const HOLD_REFRESH_MS = 200;
/** More produce requests than any client sends in the window: every one of them is held. */
const HOLD_COUNT = 1_000_000_000;

export const describeOutage = (kind: OutageKind, seconds: number): string =>
  kind === 'hold'
    ? `broker ${HELD_BROKER} holds every produce response for ${seconds} s (requests applied, answers held until the window ends)`
    : `brokers ${KILLED_BROKERS.join(' and ')} killed for ${seconds} s, then restarted`;

/** When the fault was in force, epoch ms (performance.timeOrigin + performance.now(), as the contender's clock). */
export interface FaultWindow {
  kind: OutageKind;
  startedAt: number;
  endedAt: number;
  /** The broker commands run, with their times relative to startedAt (ms). */
  commands: string[];
}

const now = (): number => performance.timeOrigin + performance.now();

/** Waits until `at` (epoch ms), applies the fault through the broker's stdin commands, and lifts it `ms` later. */
export async function injectOutage(
  broker: BrokerProcess,
  kind: OutageKind,
  at: number,
  ms: number,
): Promise<FaultWindow> {
  await sleep(Math.max(0, at - now()));
  const startedAt = now();
  const commands: string[] = [];
  const run = async (line: string): Promise<void> => {
    const t = now();
    await broker.command(line);
    commands.push(`+${Math.round(t - startedAt)} ms: ${line}`);
  };
  const end = startedAt + ms;
  if (kind === 'kill2') {
    for (const id of KILLED_BROKERS) await run(`kill ${id}`);
    await sleep(Math.max(0, end - now()));
    for (const id of KILLED_BROKERS) await run(`restart ${id}`);
  } else {
    // `delay produce <ms>` holds each response <ms> after its own request; a request late in the window would be
    // held past its end. Re-arming the rule with the time left makes the window end at the same moment for all.
    while (end - now() > 1) {
      const left = Math.ceil(end - now());
      // Both lines go out at once: the CLI runs them in one go, so no request slips through between them.
      await Promise.all([
        broker.command('clear'),
        broker.command(`delay produce ${left} ${HOLD_COUNT} ${HELD_BROKER}`),
      ]);
      if (commands.length < 4)
        commands.push(`+${Math.round(now() - startedAt)} ms: clear; delay produce ${left} ...`);
      await sleep(Math.min(HOLD_REFRESH_MS, Math.max(0, end - now())));
    }
    await run('clear');
  }
  return { kind, startedAt, endedAt: now(), commands };
}
