import { connect, Socket } from 'node:net';
import { AssignerProtocol } from 'kafkajs';
import { ApiKey } from '../../../libs/embedded-broker/src/protocol/api-keys';
import { Reader } from '../../../libs/embedded-broker/src/protocol/reader';
import { Writer } from '../../../libs/embedded-broker/src/protocol/writer';
import { decodeStruct, encodeStruct, StructSpec } from '../../../libs/embedded-broker/src/protocol/schema';
import {
  HeartbeatRequestSchema,
  HeartbeatResponse,
  HeartbeatResponseSchema,
} from '../../../libs/embedded-broker/src/protocol/messages/heartbeat.schema';
import {
  JoinGroupRequest,
  JoinGroupRequestSchema,
  JoinGroupResponse,
  JoinGroupResponseSchema,
} from '../../../libs/embedded-broker/src/protocol/messages/join-group.schema';
import {
  LeaveGroupRequestSchema,
  LeaveGroupResponse,
  LeaveGroupResponseSchema,
} from '../../../libs/embedded-broker/src/protocol/messages/leave-group.schema';
import {
  OffsetCommitRequest,
  OffsetCommitRequestSchema,
  OffsetCommitResponse,
  OffsetCommitResponseSchema,
} from '../../../libs/embedded-broker/src/protocol/messages/offset-commit.schema';
import {
  FindCoordinatorRequestSchema,
  FindCoordinatorResponse,
  FindCoordinatorResponseSchema,
} from '../../../libs/embedded-broker/src/protocol/messages/find-coordinator.schema';
import {
  SyncGroupRequest,
  SyncGroupRequestSchema,
  SyncGroupResponse,
  SyncGroupResponseSchema,
} from '../../../libs/embedded-broker/src/protocol/messages/sync-group.schema';

/** Consumer-protocol subscription metadata for `topics`, as kafkajs' assigners expect it from every member. */
export function subscription(topics: string[]): Buffer {
  return AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) });
}

/** Decodes a consumer-protocol assignment into topic -> partitions. */
export function decodeAssignment(assignment: Buffer): Record<string, number[]> {
  if (assignment.length === 0) return {};
  return AssignerProtocol.MemberAssignment.decode(assignment)?.assignment ?? {};
}

/**
 * A test-only group protocol client on one TCP connection, built from the broker's own Writer/Reader and message
 * schemas: it sends what kafkajs never would (a commit from a stale generation, a member that goes silent).
 * Responses are matched by correlation id, since a parked JoinGroup may be answered after later requests.
 */
export class GroupRawClient {
  private buffered = Buffer.alloc(0);
  private nextCorrelationId = 1;
  private readonly inflight = new Map<
    number,
    { spec: StructSpec; version: number; resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
  ) {
    socket.on('data', (d) => this.onData(d));
    socket.on('close', () => {
      for (const w of this.inflight.values()) w.reject(new Error('connection closed'));
      this.inflight.clear();
    });
    socket.on('error', () => undefined);
  }

  static open(hostPort: string, clientId = 'group-raw-client'): Promise<GroupRawClient> {
    const [host, port] = hostPort.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () =>
        resolve(new GroupRawClient(socket, clientId)),
      );
      socket.once('error', reject);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  call<Res>(
    apiKey: ApiKey,
    version: number,
    request: StructSpec,
    response: StructSpec,
    body: object,
  ): Promise<Res> {
    const correlationId = this.nextCorrelationId++;
    const w = new Writer();
    w.int32(0).int16(apiKey).int16(version).int32(correlationId).nullableString(this.clientId);
    encodeStruct(request, w, body, version);
    const frame = w.toBuffer();
    frame.writeInt32BE(frame.length - 4, 0);
    return new Promise<Res>((resolve, reject) => {
      this.inflight.set(correlationId, {
        spec: response,
        version,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.socket.write(frame);
    });
  }

  findCoordinator(key: string, version = 2): Promise<FindCoordinatorResponse> {
    return this.call(
      ApiKey.FindCoordinator,
      version,
      FindCoordinatorRequestSchema,
      FindCoordinatorResponseSchema,
      { key, keyType: 0 },
    );
  }

  joinGroup(
    version: number,
    req: Partial<JoinGroupRequest> & { groupId: string; protocols: JoinGroupRequest['protocols'] },
  ): Promise<JoinGroupResponse> {
    const body: JoinGroupRequest = {
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      ...req,
    };
    return this.call(ApiKey.JoinGroup, version, JoinGroupRequestSchema, JoinGroupResponseSchema, body);
  }

  syncGroup(
    version: number,
    req: Omit<SyncGroupRequest, 'groupInstanceId'> & { groupInstanceId?: string | null },
  ): Promise<SyncGroupResponse> {
    return this.call(ApiKey.SyncGroup, version, SyncGroupRequestSchema, SyncGroupResponseSchema, {
      groupInstanceId: null,
      ...req,
    });
  }

  heartbeat(
    version: number,
    groupId: string,
    generationId: number,
    memberId: string,
    groupInstanceId: string | null = null,
  ): Promise<HeartbeatResponse> {
    const body = { groupId, generationId, memberId, groupInstanceId };
    return this.call(ApiKey.Heartbeat, version, HeartbeatRequestSchema, HeartbeatResponseSchema, body);
  }

  leaveGroup(version: number, groupId: string, memberIds: string[]): Promise<LeaveGroupResponse> {
    const body = {
      groupId,
      memberId: memberIds[0] ?? '',
      members: memberIds.map((memberId) => ({ memberId, groupInstanceId: null })),
    };
    return this.call(ApiKey.LeaveGroup, version, LeaveGroupRequestSchema, LeaveGroupResponseSchema, body);
  }

  offsetCommit(
    version: number,
    req: Omit<OffsetCommitRequest, 'retentionTimeMs'>,
  ): Promise<OffsetCommitResponse> {
    return this.call(ApiKey.OffsetCommit, version, OffsetCommitRequestSchema, OffsetCommitResponseSchema, {
      retentionTimeMs: -1,
      ...req,
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const r = new Reader(this.buffered.subarray(4, 4 + size));
      this.buffered = this.buffered.subarray(4 + size);
      const correlationId = r.int32();
      const waiter = this.inflight.get(correlationId);
      if (!waiter) continue;
      this.inflight.delete(correlationId);
      try {
        waiter.resolve(decodeStruct(waiter.spec, r, waiter.version));
      } catch (err) {
        waiter.reject(err as Error);
      }
    }
  }
}
