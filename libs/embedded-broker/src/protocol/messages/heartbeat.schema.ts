import { field } from '../schema';

/** Heartbeat v0-3 (apache/kafka HeartbeatRequest.json / Response.json). */
export const HeartbeatRequestSchema = [
  field('groupId', 'string'),
  field('generationId', 'int32'),
  field('memberId', 'string'),
  field('groupInstanceId', 'nullableString', '3+'),
];

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export const HeartbeatResponseSchema = [field('throttleTimeMs', 'int32', '1+'), field('errorCode', 'int16')];

export interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
}
