/** Brokers listed in KAFKA_BROKERS (comma separated), or undefined when it is unset or empty. */
export function externalBrokers(): string[] | undefined {
  const list = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  return list.length > 0 ? list : undefined;
}
