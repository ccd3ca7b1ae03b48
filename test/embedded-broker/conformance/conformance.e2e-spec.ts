import { externalBrokers } from '../../support';
import { useConformanceContext } from './conformance-context';
import { CONFORMANCE_ROWS } from './conformance-rows';

/**
 * The conformance table of docs/broker-conformance.md: each row sends a request and expects the outcome Apache
 * Kafka gives. Portable rows run against the embedded broker, or against KAFKA_BROKERS when it is set; rows that
 * inject faults always run on an embedded cluster of their own.
 */
describe(`broker conformance (${externalBrokers() ? 'KAFKA_BROKERS' : 'embedded broker'})`, () => {
  const ctx = useConformanceContext();

  for (const row of CONFORMANCE_ROWS) {
    const where = row.embeddedOnly ? ` [embedded: ${row.embeddedOnly}]` : '';
    it(`${row.id} ${row.title} -> ${row.expected}${where}`, () => row.run(ctx), row.timeoutMs ?? 30_000);
  }
});
