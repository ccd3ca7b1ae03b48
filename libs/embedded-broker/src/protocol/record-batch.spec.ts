import {
  buildControlBatch,
  controlTypeOf,
  hasValidCrc,
  readBatchHeader,
  stampBatch,
  BatchAttr,
} from './record-batch';
import { readBatches } from './record-batch-stream';
import { InvalidRecordBatchError } from './record-batch';

describe('record batch v2', () => {
  const marker = buildControlBatch(42, 3, 'commit', 1_700_000_000_000);

  it('builds control batches with a valid CRC32C and a readable marker type', () => {
    const [b] = readBatches(marker);
    const h = readBatchHeader(b);
    expect(h).toMatchObject({ producerId: 42, producerEpoch: 3, recordCount: 1, magic: 2 });
    expect(h.attributes & BatchAttr.Control).toBeTruthy();
    expect(h.attributes & BatchAttr.Transactional).toBeTruthy();
    expect(hasValidCrc(b)).toBe(true);
    expect(controlTypeOf(b)).toBe('commit');
    expect(controlTypeOf(buildControlBatch(42, 3, 'abort', 0))).toBe('abort');
  });

  it('splits concatenated batches and leaves a trailing partial batch unread, as Kafka does', () => {
    expect(readBatches(Buffer.concat([marker, marker]))).toHaveLength(2);
    expect(readBatches(Buffer.concat([marker, marker.subarray(0, 30)]))).toHaveLength(1);
    expect(readBatches(marker.subarray(0, 30))).toHaveLength(0);
  });

  it('detects a flipped bit inside the CRC-covered range', () => {
    const bad = Buffer.from(marker);
    bad[bad.length - 1] ^= 0x01;
    expect(hasValidCrc(bad)).toBe(false);
  });

  it('calls a size below the minimum record overhead or an unknown magic corrupt', () => {
    const small = Buffer.from(marker);
    small.writeInt32BE(13, 8);
    expect(() => readBatches(small)).toThrow(new InvalidRecordBatchError('corrupt'));
    const future = Buffer.from(marker);
    future.writeInt8(3, 16);
    expect(() => readBatches(future)).toThrow(new InvalidRecordBatchError('corrupt'));
  });

  it('stamps the base offset outside the CRC range, so the batch stays valid', () => {
    const stamped = stampBatch(marker, 1234, 5);
    expect(readBatchHeader(stamped).baseOffset).toBe(1234);
    expect(hasValidCrc(stamped)).toBe(true);
    expect(readBatchHeader(marker).baseOffset).toBe(0);
  });
});
