import { Admin, Kafka, logLevel } from 'kafkajs';
import { ApiKey, EmbeddedKafka, ErrorCode } from '@nrk/embedded-broker';
import { uniqueName, waitFor } from '../support';
import { RawConnection } from './support/raw-connection';

const MAX_REQUEST_BYTES = 1024 * 1024;

const frame = (
  apiKey: number,
  apiVersion: number,
  body: Buffer = Buffer.alloc(0),
  correlationId = 7,
): Buffer => RawConnection.frame(apiKey, apiVersion, correlationId, body);

const sizePrefix = (size: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(size, 0);
  return b;
};

describe('embedded broker: bad input never crashes it', () => {
  let cluster: EmbeddedKafka;
  let kafka: Kafka;
  let admin: Admin;
  const logged: string[] = [];

  beforeAll(async () => {
    cluster = await EmbeddedKafka.start({
      brokers: 1,
      settings: { maxRequestBytes: MAX_REQUEST_BYTES },
      log: (m) => logged.push(m),
    });
    kafka = new Kafka({
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
    // A client connected before the garbage arrives must not be affected by it.
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  async function expectClosed(bytes: Buffer): Promise<void> {
    const conn = await RawConnection.open(cluster.bootstrapServers[0]);
    try {
      conn.write(bytes);
      expect(await conn.nextFrame()).toBeNull();
      expect(conn.isClosed).toBe(true);
    } finally {
      conn.close();
    }
  }

  it('closes the connection on an HTTP request (a size prefix of ~1.2 GB)', async () => {
    await expectClosed(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
  });

  it('closes the connection on a size prefix larger than maxRequestBytes, before reading the body', async () => {
    await expectClosed(Buffer.concat([sizePrefix(MAX_REQUEST_BYTES + 1), Buffer.alloc(16)]));
  });

  it('closes the connection on a negative or too small size prefix', async () => {
    await expectClosed(sizePrefix(-1));
    await expectClosed(Buffer.concat([sizePrefix(3), Buffer.alloc(3)]));
  });

  it('closes the connection on random bytes inside a well-sized frame', async () => {
    const junk = Buffer.from('9f1c77e0a3b2d4c6e8f00112233445566778899aabbccddeeff00112233', 'hex');
    await expectClosed(Buffer.concat([sizePrefix(junk.length), junk]));
  });

  it('closes the connection on an unknown api key', async () => {
    await expectClosed(frame(999, 0));
  });

  it('closes the connection on an unsupported version of a non-ApiVersions api', async () => {
    await expectClosed(frame(ApiKey.Metadata, 99));
    await expectClosed(frame(ApiKey.CreateTopics, 42));
  });

  it('closes the connection on a truncated body (an array that claims more elements than sent)', async () => {
    const body = Buffer.alloc(4);
    body.writeInt32BE(5, 0); // Metadata v1: 5 topic names follow... but none do.
    await expectClosed(frame(ApiKey.Metadata, 1, body));
    const string = Buffer.from([0, 1, 0, 0, 0x7f, 0xff]); // one topic whose name claims 32767 bytes
    await expectClosed(frame(ApiKey.Metadata, 1, string));
  });

  it('answers ApiVersions of a version too new with a v0 UNSUPPORTED_VERSION response listing our versions', async () => {
    const conn = await RawConnection.open(cluster.bootstrapServers[0]);
    try {
      conn.write(frame(ApiKey.ApiVersions, 77, Buffer.alloc(0), 4242));
      const res = await conn.nextFrame();
      expect(res).not.toBeNull();
      const r = res as Buffer;
      expect(r.readInt32BE(0)).toBe(4242);
      expect(r.readInt16BE(4)).toBe(ErrorCode.UNSUPPORTED_VERSION);
      const count = r.readInt32BE(6);
      const apis = Array.from({ length: count }, (_, i) => ({
        apiKey: r.readInt16BE(10 + i * 6),
        minVersion: r.readInt16BE(12 + i * 6),
        maxVersion: r.readInt16BE(14 + i * 6),
      }));
      expect(r.length).toBe(10 + count * 6); // v0: no throttle time
      expect(apis).toContainEqual({ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 });
      expect(apis.map((a) => a.apiKey)).toEqual(
        expect.arrayContaining([ApiKey.Produce, ApiKey.Fetch, ApiKey.Metadata, ApiKey.CreateTopics]),
      );
      // The connection stays usable: the client retries with a version we listed.
      const ok = await conn.request<{ errorCode: number }>('ApiVersions', 1, {});
      expect(ok.errorCode).toBe(0);
    } finally {
      conn.close();
    }
  });

  it('answers a produce whose record batch CRC is corrupt with CORRUPT_MESSAGE and stores nothing', async () => {
    const topic = uniqueName('bad-crc');
    await admin.createTopics({ topics: [{ topic }] });
    const conn = await RawConnection.open(cluster.bootstrapServers[0]);
    try {
      const marker = 'corrupt-me-please';
      const body = await RawConnection.encodeBody('Produce', 3, {
        acks: -1,
        timeout: 1000,
        compression: 0,
        topicData: [
          {
            topic,
            partitions: [{ partition: 0, messages: [{ key: 'k', value: marker, timestamp: Date.now() }] }],
          },
        ],
      });
      const at = body.indexOf(marker);
      expect(at).toBeGreaterThan(0);
      body[at] ^= 0x20; // one flipped bit in a record value: the batch CRC no longer matches
      conn.write(frame(ApiKey.Produce, 3, body, 99));
      const res = await conn.nextFrame();
      const r = res as Buffer;
      // v3 response: correlation id, [topic: string, [partition, errorCode, ...]]
      expect(r.readInt32BE(0)).toBe(99);
      const nameLen = r.readInt16BE(8);
      expect(r.toString('utf8', 10, 10 + nameLen)).toBe(topic);
      const partitionsAt = 10 + nameLen;
      expect(r.readInt32BE(partitionsAt)).toBe(1);
      expect(r.readInt32BE(partitionsAt + 4)).toBe(0);
      expect(r.readInt16BE(partitionsAt + 8)).toBe(ErrorCode.CORRUPT_MESSAGE);
      expect((await admin.fetchTopicOffsets(topic))[0].high).toBe('0');
    } finally {
      conn.close();
    }
  });

  it('keeps serving kafkajs normally after all of the above', async () => {
    const conn = await RawConnection.open(cluster.bootstrapServers[0]);
    conn.write(Buffer.from('\u0000\u0000\u0000\u0010garbage-garbage!'));
    await conn.waitClosed();
    const topic = uniqueName('after-garbage');
    await admin.createTopics({ topics: [{ topic }] });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: uniqueName('after-garbage'), maxWaitTimeInMs: 100 });
    await producer.connect();
    await consumer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: 'still alive' }] });
      const seen: string[] = [];
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
      await waitFor(() => seen.length === 1, { message: 'consuming the message produced after the garbage' });
      expect(seen).toEqual(['still alive']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
    expect(logged.filter((m) => /failed/.test(m))).toEqual([]);
  });
});
