import { arrayOf, field } from '../schema';

/** DescribeGroups v0-2 (apache/kafka DescribeGroupsRequest.json / Response.json). */
export const DescribeGroupsRequestSchema = [field('groups', arrayOf('string'))];

export interface DescribeGroupsRequest {
  groups: string[];
}

export interface DescribedGroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: DescribedGroupMember[];
}

export const DescribeGroupsResponseSchema = [
  field('throttleTimeMs', 'int32', '1+'),
  field(
    'groups',
    arrayOf([
      field('errorCode', 'int16'),
      field('groupId', 'string'),
      field('groupState', 'string'),
      field('protocolType', 'string'),
      field('protocolData', 'string'),
      field(
        'members',
        arrayOf([
          field('memberId', 'string'),
          field('clientId', 'string'),
          field('clientHost', 'string'),
          field('memberMetadata', 'bytes'),
          field('memberAssignment', 'bytes'),
        ]),
      ),
    ]),
  ),
];

export interface DescribeGroupsResponse {
  throttleTimeMs: number;
  groups: DescribedGroup[];
}
