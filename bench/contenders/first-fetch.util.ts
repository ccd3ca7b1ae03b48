import { Kafka } from 'kafkajs';

/**
 * Calls `listener` once, when the first kafkajs consumer created in this process sends its first fetch (the group
 * is joined by then). Every contender builds its consumer through kafkajs' `Kafka#consumer` (Nest's ServerKafka
 * and ours included), so patching the prototype gives all of them the same clock start without reaching into
 * their internals.
 */
export function onFirstFetch(listener: () => void): void {
  const original = Kafka.prototype.consumer;
  let fired = false;
  Kafka.prototype.consumer = function (this: Kafka, ...args: Parameters<Kafka['consumer']>) {
    const consumer = original.apply(this, args);
    consumer.on(consumer.events.FETCH_START, () => {
      if (fired) return;
      fired = true;
      listener();
    });
    return consumer;
  };
}
