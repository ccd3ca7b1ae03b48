import { Socket } from 'node:net';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { decodeStruct, encodeStruct } from '../protocol/schema';
import { readRequestHeader, RequestHeader } from '../protocol/messages/request-header';
import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { ApiDefinition, CLOSE_CONNECTION } from './api-definition';
import { RequestContext } from './request-context';
import { BrokerRuntime } from './broker-runtime';
import { FrameReader } from './frame-reader';

/** The smallest frame holding a request header v1 (api key, version, correlation id, client id length). */
const MIN_FRAME_BYTES = 8;

interface DecodedRequest {
  readonly header: RequestHeader;
  readonly api: ApiDefinition;
  readonly body: unknown;
}

/**
 * One client connection. Like Kafka's SocketServer, it serves one request at a time: while a request is in
 * progress (a long-polling Fetch, a parked JoinGroup, an acks=-1 Produce) the connection is muted, later
 * requests wait, and responses leave in request order, which pipelining clients (librdkafka) rely on.
 * Anything malformed closes this connection only; the broker keeps serving everyone else.
 */
export class Connection {
  private readonly frames: FrameReader;
  private readonly queue: Buffer[] = [];
  private busy = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly runtime: BrokerRuntime,
  ) {
    this.frames = new FrameReader(runtime.cluster.settings.maxRequestBytes, MIN_FRAME_BYTES);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => (this.closed = true));
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      for (const frame of this.frames.push(chunk)) this.queue.push(frame);
    } catch {
      // A size beyond socket.request.max.bytes (or not a size at all, e.g. HTTP): Kafka closes at once.
      return this.close();
    }
    this.next();
  }

  /** Takes the next queued request unless one is in progress; reading is paused until the queue drains. */
  private next(): void {
    if (this.busy || this.closed) return;
    const frame = this.queue.shift();
    if (!frame) {
      this.socket.resume();
      return;
    }
    this.busy = true;
    this.socket.pause();
    void this.serve(frame).finally(() => {
      this.busy = false;
      this.next();
    });
  }

  private decode(frame: Buffer): DecodedRequest | 'unsupported' | null {
    try {
      const r = new Reader(frame);
      const header = readRequestHeader(r);
      const api = this.runtime.registry.get(header.apiKey);
      if (!api) return null;
      if (header.apiVersion < api.minVersion || header.apiVersion > api.maxVersion) {
        return header.apiKey === ApiKey.ApiVersions ? 'unsupported' : null;
      }
      return { header, api, body: decodeStruct(api.request, r, header.apiVersion) };
    } catch {
      return null;
    }
  }

  private async serve(frame: Buffer): Promise<void> {
    const req = this.decode(frame);
    if (req === null) return this.close();
    if (req === 'unsupported') return this.answerUnsupportedVersion(frame);
    const { header, api, body } = req;
    const ctx: RequestContext = {
      cluster: this.runtime.cluster,
      coordinators: this.runtime.coordinators,
      brokerId: this.runtime.brokerId,
      header,
      apiVersion: header.apiVersion,
    };
    const fault = this.runtime.faults.take(ctx.brokerId, header.apiKey);
    let response: unknown;
    try {
      response =
        fault?.kind === 'error' ? api.errorResponse(body, fault.errorCode) : await api.handle(ctx, body);
    } catch (err) {
      this.runtime.log(
        `request ${ApiKey[header.apiKey]} v${header.apiVersion} failed: ${(err as Error).stack}`,
      );
      return this.close();
    }
    if (fault?.kind === 'drop') {
      if (fault.closeConnection) this.close();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (response === CLOSE_CONNECTION) return this.close();
    if (response === null || this.closed) return;
    this.send(header.correlationId, api, header.apiVersion, response);
  }

  /** ApiVersions gets a v0 error answer listing what we support (clients then retry), as Kafka does. */
  private answerUnsupportedVersion(frame: Buffer): void {
    const api = this.runtime.registry.get(ApiKey.ApiVersions);
    if (!api) return this.close();
    const correlationId = frame.readInt32BE(4);
    this.send(correlationId, api, 0, api.errorResponse({}, ErrorCode.UNSUPPORTED_VERSION));
  }

  private send(correlationId: number, api: ApiDefinition, version: number, response: unknown): void {
    const w = new Writer(256);
    w.int32(0).int32(correlationId);
    encodeStruct(api.response, w, response as object, version);
    const chunks = w.toChunks();
    chunks[0].writeInt32BE(w.length - 4, 0);
    if (this.closed) return;
    // Stored batches are written as they are (one writev), never concatenated into one large copy.
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }
}
