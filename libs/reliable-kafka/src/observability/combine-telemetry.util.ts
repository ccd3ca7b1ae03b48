import type { CallOutcome, ReliableKafkaTelemetry } from './telemetry.interface';

/**
 * One telemetry that reports every event to each of `sinks` in turn (health state, metrics). A sink that throws
 * is skipped for that event: telemetry must never fail the data path.
 */
export function combineTelemetry(...sinks: ReliableKafkaTelemetry[]): ReliableKafkaTelemetry {
  const each = (report: (sink: ReliableKafkaTelemetry) => void): void => {
    for (const sink of sinks) {
      try {
        report(sink);
      } catch {
        // deliberately ignored: a metrics bug must not stop a consumer
      }
    }
  };
  return {
    consumerCreated: (...args) => each((s) => s.consumerCreated(...args)),
    messagesProcessed: (...args) => each((s) => s.messagesProcessed(...args)),
    messagesFailed: (...args) => each((s) => s.messagesFailed(...args)),
    messageRetried: (...args) => each((s) => s.messageRetried(...args)),
    messageDeadLettered: (...args) => each((s) => s.messageDeadLettered(...args)),
    messagesDeduplicated: (...args) => each((s) => s.messagesDeduplicated(...args)),
    handlerCallStarted: (...args) => {
      const ends: Array<(outcome: CallOutcome) => void> = [];
      each((s) => ends.push(s.handlerCallStarted(...args)));
      return (outcome) => ends.forEach((end) => each(() => end(outcome)));
    },
    commitObserved: (...args) => each((s) => s.commitObserved(...args)),
    lagObserved: (...args) => each((s) => s.lagObserved(...args)),
    producerSendObserved: (...args) => each((s) => s.producerSendObserved(...args)),
  };
}
