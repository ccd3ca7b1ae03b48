import type { LogEntry } from './log-entry';
import { ProducerStateTable } from './producer-state';
import { TxnIndex } from './txn-index';

/**
 * Everything one replica derives from its own log: producer state (sequences, epochs, open transactions) and the
 * transaction index. Kafka's UnifiedLog keeps both per replica; so do we, so that a new leader knows exactly what
 * its own log holds and nothing more.
 */
export class ReplicaState {
  constructor(
    readonly producers = new ProducerStateTable(),
    readonly txns = new TxnIndex(),
  ) {}

  apply(e: LogEntry): void {
    if (e.producerId < 0) return;
    this.producers.apply(e);
    if (e.control) {
      if (e.controlType !== null) this.txns.complete(e.producerId, e.baseOffset, e.controlType === 'commit');
    } else if (e.transactional) {
      this.txns.onTransactionalAppend(e.producerId, e.baseOffset);
    }
  }

  clone(): ReplicaState {
    return new ReplicaState(this.producers.clone(), this.txns.clone());
  }
}
