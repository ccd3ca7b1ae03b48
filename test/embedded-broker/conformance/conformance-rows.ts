import { ACKS_ROWS } from './acks.rows';
import { CONNECTION_ROWS } from './connection.rows';
import type { ConformanceRow } from './conformance-row';
import { GROUP_ROWS } from './group.rows';
import { IDEMPOTENCE_ROWS } from './idempotence.rows';
import { PRODUCE_VALIDATION_ROWS } from './produce-validation.rows';
import { TRANSACTION_ROWS } from './transaction.rows';

/** Every row of the conformance table, in the order of docs/broker-conformance.md. */
export const CONFORMANCE_ROWS: readonly ConformanceRow[] = [
  ...PRODUCE_VALIDATION_ROWS,
  ...IDEMPOTENCE_ROWS,
  ...ACKS_ROWS,
  ...TRANSACTION_ROWS,
  ...GROUP_ROWS,
  ...CONNECTION_ROWS,
];
