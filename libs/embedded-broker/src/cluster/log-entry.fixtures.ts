import { BatchHeader } from '../protocol/record-batch';
import type { LogEntry } from './log-entry';

/** Fixtures for unit tests of replica state: batch headers and log entries without real record bytes. */

const TRANSACTIONAL = 0x10;

export interface FakeBatch {
  producerId?: number;
  epoch?: number;
  sequence?: number;
  count?: number;
  transactional?: boolean;
  timestamp?: number;
}

export function fakeHeader(b: FakeBatch = {}): BatchHeader {
  const count = b.count ?? 1;
  return {
    baseOffset: 0,
    batchLength: 0,
    magic: 2,
    attributes: b.transactional ? TRANSACTIONAL : 0,
    lastOffsetDelta: count - 1,
    baseTimestamp: b.timestamp ?? 0,
    maxTimestamp: b.timestamp ?? 0,
    producerId: b.producerId ?? -1,
    producerEpoch: b.epoch ?? -1,
    baseSequence: b.sequence ?? -1,
    recordCount: count,
  };
}

/** A stored data batch at `baseOffset`. */
export function fakeEntry(baseOffset: number, b: FakeBatch = {}): LogEntry {
  const count = b.count ?? 1;
  const sequence = b.sequence ?? -1;
  return {
    baseOffset,
    lastOffset: baseOffset + count - 1,
    maxTimestamp: b.timestamp ?? 0,
    producerId: b.producerId ?? -1,
    producerEpoch: b.epoch ?? -1,
    firstSequence: sequence,
    lastSequence: sequence < 0 ? -1 : sequence + count - 1,
    transactional: b.transactional ?? false,
    control: false,
    controlType: null,
    bytes: Buffer.alloc(10 * count),
    appendedAt: b.timestamp ?? 0,
  };
}

/** A stored transaction marker at `offset`. */
export function fakeMarker(offset: number, producerId: number, epoch: number, commit: boolean): LogEntry {
  return {
    ...fakeEntry(offset, { producerId, epoch, transactional: true }),
    firstSequence: -1,
    lastSequence: -1,
    control: true,
    controlType: commit ? 'commit' : 'abort',
  };
}
