import { RawConnection } from '../support/raw-connection';
import type { ConformanceRow } from './conformance-row';
import { KafkaError } from './kafka-errors';
import { faultCluster } from './fault-cluster';
import { plainBatch, produceBody, sendProduce } from './raw-produce';

const API_VERSIONS = 18;
const FETCH = 1;
const PRODUCE = 0;
const MUTE =
  'core/.../network/SocketServer.scala Processor (mute on request received, unmute on response sent)';

/** Sends `first`, then ApiVersions on the same connection at once; returns the correlation ids in answer order. */
async function answerOrder(
  conn: RawConnection,
  first: () => number,
): Promise<{ sent: number[]; answered: number[] }> {
  const sent = [first(), conn.send(API_VERSIONS, 0, Buffer.alloc(0))];
  const answered: number[] = [];
  for (let i = 0; i < 2; i++) {
    const frame = await conn.nextFrame(15_000);
    if (!frame) throw new Error('connection closed');
    answered.push(frame.readInt32BE(0));
  }
  return { sent, answered };
}

/** A v2 record batch of `size` bytes in all, whose CRC is not even computed: size is checked first. */
function hugeBatch(size: number): Buffer {
  const b = Buffer.alloc(size);
  b.writeInt32BE(size - 12, 8);
  b.writeInt8(2, 16);
  b.writeInt32BE(0, 23);
  b.writeInt32BE(1, 57);
  return b;
}

export const CONNECTION_ROWS: ConformanceRow[] = [
  {
    id: 'C01',
    title: 'acks=-1 Produce still waiting for replication, then ApiVersions pipelined on the same connection',
    expected: 'the Produce response first, then ApiVersions (responses in request order)',
    source: MUTE,
    embeddedOnly: 'holds the Produce with follower lag',
    run: async (ctx) => {
      const f = await faultCluster(ctx);
      f.cluster.faults.setReplicationLag(1, 1_000);
      f.cluster.faults.setReplicationLag(2, 1_000);
      const conn = await f.connect(0);
      const { sent, answered } = await answerOrder(conn, () =>
        sendProduce(conn, { topic: f.topic, records: plainBatch(['x']) }),
      );
      expect(answered).toEqual(sent);
    },
  },
  {
    id: 'C02',
    title: 'Long-polling Fetch on an empty partition, then ApiVersions pipelined on the same connection',
    expected: 'the Fetch response (after its max wait) first, then ApiVersions',
    source: MUTE,
    run: async (ctx) => {
      const { topic, conn } = await ctx.topicLeader();
      const fetch = await RawConnection.encodeBody('Fetch', 4, {
        replicaId: -1,
        maxWaitTime: 1_000,
        minBytes: 1,
        maxBytes: 1_048_576,
        isolationLevel: 0,
        topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1_048_576 }] }],
      });
      const { sent, answered } = await answerOrder(conn, () => conn.send(FETCH, 4, fetch));
      expect(answered).toEqual(sent);
    },
  },
  {
    id: 'C03',
    title: 'Request whose size prefix exceeds socket.request.max.bytes',
    expected: 'connection closed as soon as the size is read, without the body',
    source: 'clients/.../common/network/NetworkReceive.java (InvalidReceiveException); SocketServer.scala',
    run: async (ctx) => {
      const max = Number((await ctx.brokerConfig('socket.request.max.bytes')) ?? 104_857_600);
      const conn = await ctx.connect(ctx.brokers[0]);
      const size = Buffer.alloc(4);
      size.writeInt32BE(max + 1);
      conn.write(Buffer.concat([size, Buffer.alloc(64)]));
      expect(await conn.waitClosed(3_000)).toBe(true);
    },
  },
  {
    id: 'C04',
    title: '99 MB Produce (below socket.request.max.bytes, above max.message.bytes)',
    expected: 'MESSAGE_TOO_LARGE within 10 s; other connections answered within 2 s meanwhile',
    source:
      'core/.../log/UnifiedLog.scala analyzeAndValidateRecords (RecordTooLargeException); SocketServer.scala',
    timeoutMs: 90_000,
    run: async (ctx) => {
      const { topic, conn } = await ctx.topicLeader();
      const other = await ctx.connect(ctx.brokers[0]);
      const body = produceBody({ topic, records: hugeBatch(99 * 1024 * 1024 - 4096) });
      const started = Date.now();
      conn.write(RawConnection.frame(PRODUCE, 3, 99, body));
      await new Promise((r) => setTimeout(r, 100));
      const asked = Date.now();
      await other.call(API_VERSIONS, 0, Buffer.alloc(0));
      const otherLatency = Date.now() - asked;
      const frame = await conn.nextFrame(60_000);
      const elapsed = Date.now() - started;
      if (!frame) throw new Error('connection closed instead of answering');
      const nameLen = frame.readInt16BE(8);
      const errorCode = frame.readInt16BE(8 + 2 + nameLen + 4 + 4);
      expect({ errorCode, answeredWithin10s: elapsed < 10_000, otherWithin2s: otherLatency < 2_000 }).toEqual(
        {
          errorCode: KafkaError.MESSAGE_TOO_LARGE,
          answeredWithin10s: true,
          otherWithin2s: true,
        },
      );
    },
  },
];
