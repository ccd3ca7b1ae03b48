import { Socket } from 'node:net';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { decodeStruct, encodeStruct } from '../protocol/schema';
import { readRequestHeader, RequestHeader } from '../protocol/messages/request-header';
import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { ApiDefinition } from './api-definition';
import { RequestContext } from './request-context';
import { BrokerRuntime } from './broker-runtime';

/**
 * One client connection: splits the byte stream into size-prefixed frames, decodes, dispatches and answers.
 * Anything malformed closes this connection only; the broker keeps serving everyone else.
 */
export class Connection {
  private pending: Buffer = Buffer.alloc(0);
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly runtime: BrokerRuntime,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => (this.closed = true));
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (!this.closed && this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (size < 8 || size > this.runtime.cluster.settings.maxRequestBytes) {
        this.close();
        return;
      }
      if (this.pending.length < 4 + size) return;
      const frame = this.pending.subarray(4, 4 + size);
      this.pending = this.pending.subarray(4 + size);
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    let header: RequestHeader;
    let api: ApiDefinition | undefined;
    let body: unknown;
    try {
      const r = new Reader(frame);
      header = readRequestHeader(r);
      api = this.runtime.registry.get(header.apiKey);
      if (!api) return this.close();
      if (header.apiVersion < api.minVersion || header.apiVersion > api.maxVersion) {
        return this.onUnsupportedVersion(header);
      }
      body = decodeStruct(api.request, r, header.apiVersion);
    } catch {
      return this.close();
    }
    void this.dispatch(header, api, body);
  }

  /** ApiVersions gets a v0 error answer listing what we support (clients then retry); others are closed, as Kafka does. */
  private onUnsupportedVersion(header: RequestHeader): void {
    const api = this.runtime.registry.get(ApiKey.ApiVersions);
    if (header.apiKey !== ApiKey.ApiVersions || !api) return this.close();
    this.send(header.correlationId, api, 0, api.errorResponse({}, ErrorCode.UNSUPPORTED_VERSION));
  }

  private async dispatch(header: RequestHeader, api: ApiDefinition, body: unknown): Promise<void> {
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
    if (response === null || this.closed) return;
    this.send(header.correlationId, api, header.apiVersion, response);
  }

  private send(correlationId: number, api: ApiDefinition, version: number, response: unknown): void {
    const w = new Writer(256);
    w.int32(0).int32(correlationId);
    encodeStruct(api.response, w, response as object, version);
    const chunks = w.toChunks();
    chunks[0].writeInt32BE(w.length - 4, 0);
    if (this.closed) return;
    if (chunks.length === 1) this.socket.write(chunks[0]);
    else this.socket.write(Buffer.concat(chunks));
  }
}
