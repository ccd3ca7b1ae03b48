import { arrayOf, field } from '../schema';

/** SyncGroup v0-3 (apache/kafka SyncGroupRequest.json / Response.json). */
export const SyncGroupRequestSchema = [
  field('groupId', 'string'),
  field('generationId', 'int32'),
  field('memberId', 'string'),
  field('groupInstanceId', 'nullableString', '3+'),
  field('assignments', arrayOf([field('memberId', 'string'), field('assignment', 'bytes')])),
];

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: Array<{ memberId: string; assignment: Buffer }>;
}

export const SyncGroupResponseSchema = [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16'),
  field('assignment', 'bytes'),
];

export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}
