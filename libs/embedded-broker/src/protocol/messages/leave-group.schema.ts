import { arrayOf, field } from '../schema';

/** LeaveGroup v0-3 (apache/kafka LeaveGroupRequest.json / Response.json); v3 leaves a batch of members. */
export const LeaveGroupRequestSchema = [
  field('groupId', 'string'),
  field('memberId', 'string', '0-2'),
  field('members', arrayOf([field('memberId', 'string'), field('groupInstanceId', 'nullableString')]), '3+'),
];

export interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null }>;
}

export const LeaveGroupResponseSchema = [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16'),
  field(
    'members',
    arrayOf([
      field('memberId', 'string'),
      field('groupInstanceId', 'nullableString'),
      field('errorCode', 'int16'),
    ]),
    '3+',
  ),
];

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }>;
}
