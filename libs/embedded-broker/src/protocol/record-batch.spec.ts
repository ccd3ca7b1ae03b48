import {
  buildControlBatch,
  readBatchHeader,
  splitBatches,
  stampBatch,
  InvalidRecordBatchError,
  BatchAttr,
} from './record-batch';

describe('record batch v2', () => {
  const marker = buildControlBatch(42, 3, 'commit', 1_700_000_000_000);

  it('builds control batches with a valid CRC32C that split back into one batch', () => {
    const [b] = splitBatches(marker);
    const h = readBatchHeader(b);
    expect(h).toMatchObject({ producerId: 42, producerEpoch: 3, recordCount: 1, magic: 2 });
    expect(h.attributes & BatchAttr.Control).toBeTruthy();
    expect(h.attributes & BatchAttr.Transactional).toBeTruthy();
  });

  it('splits concatenated batches', () => {
    expect(splitBatches(Buffer.concat([marker, marker]))).toHaveLength(2);
  });

  it('rejects a flipped bit inside the CRC-covered range as corrupt', () => {
    const bad = Buffer.from(marker);
    bad[bad.length - 1] ^= 0x01;
    expect(() => splitBatches(bad)).toThrow(new InvalidRecordBatchError('corrupt'));
  });

  it('rejects truncated batches and other magic values', () => {
    expect(() => splitBatches(marker.subarray(0, 30))).toThrow(new InvalidRecordBatchError('truncated'));
    const old = Buffer.from(marker);
    old.writeInt8(1, 16);
    expect(() => splitBatches(old)).toThrow(new InvalidRecordBatchError('unsupported-magic'));
  });

  it('stamps the base offset outside the CRC range, so the batch stays valid', () => {
    const stamped = stampBatch(marker, 1234, 5);
    expect(readBatchHeader(stamped).baseOffset).toBe(1234);
    expect(() => splitBatches(stamped)).not.toThrow();
    expect(readBatchHeader(marker).baseOffset).toBe(0);
  });
});
