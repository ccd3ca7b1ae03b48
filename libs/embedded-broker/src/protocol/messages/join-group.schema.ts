import { arrayOf, field } from '../schema';

/** JoinGroup v0-5 (apache/kafka JoinGroupRequest.json / Response.json). */
export const JoinGroupRequestSchema = [
  field('groupId', 'string'),
  field('sessionTimeoutMs', 'int32'),
  // Absent in v0, where the session timeout doubles as the rebalance timeout.
  field('rebalanceTimeoutMs', 'int32', '1+', { default: -1 }),
  field('memberId', 'string'),
  field('groupInstanceId', 'nullableString', '5+'),
  field('protocolType', 'string'),
  field('protocols', arrayOf([field('name', 'string'), field('metadata', 'bytes')])),
];

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Buffer }>;
}

export const JoinGroupResponseSchema = [
  field('throttleTimeMs', 'int32', '2+'),
  field('errorCode', 'int16'),
  field('generationId', 'int32'),
  field('protocolName', 'string'),
  field('leader', 'string'),
  field('memberId', 'string'),
  field(
    'members',
    arrayOf([
      field('memberId', 'string'),
      field('groupInstanceId', 'nullableString', '5+'),
      field('metadata', 'bytes'),
    ]),
  ),
];

export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}
