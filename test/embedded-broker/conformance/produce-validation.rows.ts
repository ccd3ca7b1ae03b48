import type { ConformanceContext, ConformanceRow, RowHead, RowTopic } from './conformance-row';
import { KafkaError } from './kafka-errors';
import {
  corrupt,
  idempotentBatch,
  plainBatch,
  produce,
  sendProduce,
  ProduceResult,
  RawProduce,
} from './raw-produce';

const VALIDATE_RECORDS =
  'clients/.../common/requests/ProduceRequest.java validateRecords; KafkaApis.handleProduceRequest';
const ANALYZE = 'core/.../log/UnifiedLog.scala analyzeAndValidateRecords';
const VALIDATE_BATCH = 'storage/.../log/LogValidator.java validateBatch';

/** Sends `records` to partition 0 of a new topic; returns the result and what the partition then holds. */
async function produceToNewTopic(
  ctx: ConformanceContext,
  records: Buffer | null,
  opts: Partial<RawProduce> = {},
  topicOpts: RowTopic = {},
): Promise<ProduceResult & { stored: number }> {
  const { topic, conn } = await ctx.topicLeader(topicOpts);
  const result = await produce(conn, { topic, records, ...opts });
  const [offsets] = await ctx.admin.fetchTopicOffsets(topic);
  return { ...result, stored: Number(offsets.high) };
}

/** A row whose request is refused with `code` and stores nothing. */
function refused(
  row: Omit<RowHead, 'expected'>,
  code: keyof typeof KafkaError,
  records: () => Buffer | null,
  opts: Partial<RawProduce> = {},
  topicOpts: RowTopic = {},
): ConformanceRow {
  return {
    ...row,
    expected: `${code}, nothing stored`,
    run: async (ctx) => {
      const r = await produceToNewTopic(ctx, records(), opts, topicOpts);
      expect({ errorCode: r.errorCode, stored: r.stored }).toEqual({
        errorCode: KafkaError[code],
        stored: 0,
      });
    },
  };
}

/** A magic v1 message set (LegacyRecord: offset, size, crc, magic, attributes, timestamp, key, value). */
function magicV1Message(): Buffer {
  const b = Buffer.alloc(12 + 22);
  b.writeInt32BE(22, 8);
  b.writeInt8(1, 16);
  b.writeBigInt64BE(BigInt(Date.now()), 18);
  b.writeInt32BE(-1, 26);
  b.writeInt32BE(-1, 30);
  return b;
}

export const PRODUCE_VALIDATION_ROWS: ConformanceRow[] = [
  refused(
    { id: 'P01', title: 'Produce with two record batches for one partition', source: VALIDATE_RECORDS },
    'INVALID_RECORD',
    () => Buffer.concat([plainBatch(['a']), plainBatch(['b'])]),
  ),
  refused(
    { id: 'P02', title: 'Produce v3+ with no record batch for a partition', source: VALIDATE_RECORDS },
    'INVALID_RECORD',
    () => Buffer.alloc(0),
  ),
  refused(
    { id: 'P03', title: 'Produce v3 with a magic v1 message set', source: VALIDATE_RECORDS },
    'INVALID_RECORD',
    magicV1Message,
  ),
  refused(
    { id: 'P04', title: 'Client-written control batch', source: VALIDATE_BATCH },
    'INVALID_RECORD',
    () => plainBatch(['x'], { extraAttributes: 0x20 }),
  ),
  refused(
    { id: 'P05', title: 'Record count disagrees with lastOffsetDelta', source: VALIDATE_BATCH },
    'INVALID_RECORD',
    () => plainBatch(['a', 'b'], { recordCount: 3 }),
  ),
  refused(
    { id: 'P06', title: 'Producer id with base sequence -1', source: VALIDATE_BATCH },
    'INVALID_RECORD',
    () => idempotentBatch(4242, 0, -1, ['x']),
  ),
  refused(
    { id: 'P07', title: 'Batch whose CRC does not match', source: `${ANALYZE} (batch.isValid)` },
    'CORRUPT_MESSAGE',
    () => corrupt(plainBatch(['x'])),
  ),
  refused(
    { id: 'P08', title: 'Batch with a base offset other than 0', source: ANALYZE },
    'INVALID_RECORD',
    () => plainBatch(['x'], { baseOffset: 5 }),
  ),
  refused(
    {
      id: 'P09',
      title: 'Batch above max.message.bytes whose CRC is also wrong (size is checked first)',
      source: `${ANALYZE} (RecordTooLargeException before isValid)`,
    },
    'MESSAGE_TOO_LARGE',
    () => corrupt(plainBatch(['x'.repeat(2048)])),
    {},
    { configs: { 'max.message.bytes': '1024' } },
  ),
  refused(
    {
      id: 'P10',
      title: 'Batch above segment.bytes but within max.message.bytes',
      source: 'core/.../log/UnifiedLog.scala append (RecordBatchTooLargeException)',
    },
    'RECORD_LIST_TOO_LARGE',
    () => plainBatch(['x'.repeat(2048)]),
    {},
    { configs: { 'segment.bytes': '1024' } },
  ),
  refused(
    {
      id: 'P11',
      title: 'Uncompressed batch declaring more records than it holds',
      source:
        'clients/.../common/record/DefaultRecordBatch.java RecordIterator ("Incorrect declared batch size")',
    },
    'INVALID_RECORD',
    () => plainBatch(['a', 'b'], { recordCount: 3, lastOffsetDelta: 2 }),
  ),
  refused(
    {
      id: 'P12',
      title: 'Record timestamp beyond message.timestamp.after.max.ms',
      source: 'storage/.../log/LogValidator.java validateTimestamp; LogConfig (KIP-937)',
    },
    'INVALID_TIMESTAMP',
    () => plainBatch(['x'], { timestamp: Date.now() + 3_600_000 }),
    {},
    { configs: { 'message.timestamp.after.max.ms': '60000' } },
  ),
  refused(
    {
      id: 'P13',
      title: 'Batch with the LogAppendTime attribute on a LogAppendTime topic',
      source: 'storage/.../log/LogValidator.java validateTimestamp',
    },
    'INVALID_TIMESTAMP',
    () => plainBatch(['x'], { extraAttributes: 0x08 }),
    {},
    { configs: { 'message.timestamp.type': 'LogAppendTime' } },
  ),
  refused(
    { id: 'P14', title: 'zstd batch in Produce v3..v6', source: VALIDATE_RECORDS },
    'UNSUPPORTED_COMPRESSION_TYPE',
    () => plainBatch(['x'], { extraAttributes: 4 }),
  ),
  refused(
    {
      id: 'P15',
      title: 'Transactional batch in a Produce without a transactional id',
      source: 'core/.../server/KafkaApis.scala handleProduceRequest (hasTransactionalRecords)',
    },
    'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    () => idempotentBatch(4242, 0, 0, ['x'], { transactional: true }),
  ),
  {
    id: 'P16',
    title: 'acks=0 Produce that fails (corrupt batch)',
    expected: 'connection closed (no response exists to carry the error)',
    source: 'core/.../server/KafkaApis.scala handleProduceRequest (closeConnection when acks == 0)',
    run: async (ctx) => {
      const { topic, conn } = await ctx.topicLeader();
      sendProduce(conn, { topic, acks: 0, records: corrupt(plainBatch(['x'])) });
      expect(await conn.waitClosed(5_000)).toBe(true);
    },
  },
  refused(
    {
      id: 'P17',
      title: 'acks=2',
      source: 'core/.../server/ReplicaManager.scala appendRecords (isValidRequiredAcks)',
    },
    'INVALID_REQUIRED_ACKS',
    () => plainBatch(['x']),
    { acks: 2 },
  ),
];
