import type { CallOutcome, PartitionRef, PartitionWait, ReliableKafkaTelemetry } from './telemetry.interface';

type EndCall = (outcome: CallOutcome) => void;
const ENDED: EndCall = () => undefined;

/**
 * One telemetry that reports every event to each of `sinks` in turn (health state, metrics). A sink that throws
 * is skipped for that event: telemetry must never fail the data path.
 *
 * The consumer's per-call events (counts, lag, handler calls, commits) are plain loops over the sinks, with no
 * rest arguments and no closure per event: those were a visible share of a short call with thousands of calls
 * per second. The other events go through `each`, which spreads its arguments.
 */
export function combineTelemetry(...sinks: ReliableKafkaTelemetry[]): ReliableKafkaTelemetry {
  const each = <A extends unknown[]>(
    report: (sink: ReliableKafkaTelemetry, ...args: A) => void,
  ): ((...args: A) => void) =>
    function (...args: A): void {
      for (const sink of sinks) {
        try {
          report(sink, ...args);
        } catch {
          // deliberately ignored: a metrics bug must not stop a consumer
        }
      }
    };
  const countEvent = (
    pick: (sink: ReliableKafkaTelemetry) => (ref: PartitionRef, count: number) => void,
  ): ((ref: PartitionRef, count: number) => void) =>
    function (ref, count) {
      for (const sink of sinks) {
        try {
          pick(sink).call(sink, ref, count);
        } catch {
          // deliberately ignored, as above
        }
      }
    };
  return {
    consumerCreated: each((s, handler: string, groupId: string, consumer) =>
      s.consumerCreated(handler, groupId, consumer),
    ),
    messagesProcessed: countEvent((s) => s.messagesProcessed),
    messagesFailed: countEvent((s) => s.messagesFailed),
    messageRetried: each((s, ref: PartitionRef) => s.messageRetried(ref)),
    partitionWaiting: each((s, ref: PartitionRef, reason: PartitionWait) => s.partitionWaiting(ref, reason)),
    messageDeadLettered: each((s, ref: PartitionRef, topic: string) => s.messageDeadLettered(ref, topic)),
    messagesDeduplicated: countEvent((s) => s.messagesDeduplicated),
    handlerCallStarted(ref, handlerName, size) {
      const ends: EndCall[] = new Array<EndCall>(sinks.length);
      for (let i = 0; i < sinks.length; i++) {
        try {
          ends[i] = sinks[i].handlerCallStarted(ref, handlerName, size);
        } catch {
          ends[i] = ENDED;
        }
      }
      return (outcome) => {
        for (const end of ends) {
          try {
            end(outcome);
          } catch {
            // deliberately ignored, as above
          }
        }
      };
    },
    commitObserved(ref, seconds, ok) {
      for (const sink of sinks) {
        try {
          sink.commitObserved(ref, seconds, ok);
        } catch {
          // deliberately ignored, as above
        }
      }
    },
    lagObserved: countEvent((s) => s.lagObserved),
    producerSendObserved: each((s, topic: string, seconds: number, ok: boolean) =>
      s.producerSendObserved(topic, seconds, ok),
    ),
  };
}
