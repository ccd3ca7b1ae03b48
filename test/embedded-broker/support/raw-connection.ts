import { connect, Socket } from 'node:net';

/** What kafkajs' request modules look like (kafkajs/src/protocol/requests/<api>/index.js); they have no types. */
interface KafkajsRequestModule {
  protocol(opts: { version: number }): (args: object) => {
    request: { apiKey: number; apiVersion: number; encode(): Promise<{ buffer: Buffer }> };
    response: { decode(raw: Buffer): Promise<unknown> };
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsRequests = require('kafkajs/src/protocol/requests') as {
  requests: Record<string, KafkajsRequestModule>;
};

/**
 * A bare TCP connection to one broker for protocol-level tests: send arbitrary bytes, read size-prefixed response
 * frames, or send one request of a chosen version encoded and decoded by kafkajs' own codec for that version.
 */
export class RawConnection {
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private ended = false;
  private correlationId = 1000;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(hostPort: string): Promise<RawConnection> {
    const [host, port] = hostPort.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame without its size prefix (correlation id first), or null if the broker closed. */
  async nextFrame(timeoutMs = 5000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length >= 4 + size) {
          const frame = this.buffered.subarray(4, 4 + size);
          this.buffered = this.buffered.subarray(4 + size);
          return frame;
        }
      }
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves true once the broker has closed the connection (false if it is still open after timeoutMs). */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.ended;
  }

  /** A full request frame: size, api key, version, correlation id, client id, body. */
  static frame(
    apiKey: number,
    apiVersion: number,
    correlationId: number,
    body: Buffer,
    clientId = 'raw',
  ): Buffer {
    const id = Buffer.from(clientId);
    const header = Buffer.alloc(10 + id.length);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(id.length, 8);
    id.copy(header, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length, 0);
    return Buffer.concat([size, header, body]);
  }

  private static kafkajs(
    apiName: string,
    version: number,
    args: object,
  ): ReturnType<ReturnType<KafkajsRequestModule['protocol']>> {
    const def = kafkajsRequests.requests[apiName];
    if (!def) throw new Error(`kafkajs has no request ${apiName}`);
    return def.protocol({ version })(args);
  }

  /** The request body kafkajs would send for `apiName` v`version` (a copy: tests may corrupt it). */
  static async encodeBody(apiName: string, version: number, args: object): Promise<Buffer> {
    return Buffer.from((await RawConnection.kafkajs(apiName, version, args).request.encode()).buffer);
  }

  /** Writes one request frame without waiting for its answer (to pipeline requests); returns its correlation id. */
  send(apiKey: number, apiVersion: number, body: Buffer): number {
    const correlationId = ++this.correlationId;
    this.write(RawConnection.frame(apiKey, apiVersion, correlationId, body));
    return correlationId;
  }

  /** Sends one request body and resolves with the response body (after the correlation id, which must match). */
  async call(apiKey: number, apiVersion: number, body: Buffer, timeoutMs = 30_000): Promise<Buffer> {
    const correlationId = this.send(apiKey, apiVersion, body);
    const frame = await this.nextFrame(timeoutMs);
    if (!frame)
      throw new Error(`broker closed the connection instead of answering api ${apiKey} v${apiVersion}`);
    if (frame.readInt32BE(0) !== correlationId)
      throw new Error(`correlation id ${frame.readInt32BE(0)} != ${correlationId}`);
    return frame.subarray(4);
  }

  /** Sends one request with kafkajs' encoder for `apiName` v`version` and decodes the answer with its decoder. */
  async request<T>(apiName: string, version: number, args: object): Promise<T> {
    const { request, response } = RawConnection.kafkajs(apiName, version, args);
    const body = (await request.encode()).buffer;
    const correlationId = ++this.correlationId;
    this.write(RawConnection.frame(request.apiKey, request.apiVersion, correlationId, body));
    const frame = await this.nextFrame();
    if (!frame) throw new Error(`broker closed the connection instead of answering ${apiName} v${version}`);
    if (frame.readInt32BE(0) !== correlationId)
      throw new Error(`correlation id ${frame.readInt32BE(0)} != ${correlationId}`);
    return (await response.decode(frame.subarray(4))) as T;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
