import { arrayOf, field, StructSpec } from '../schema';

/** ListGroups v0-2 (apache/kafka ListGroupsRequest.json / Response.json): the request has no fields before v4. */
export const ListGroupsRequestSchema: StructSpec = [];

export const ListGroupsResponseSchema = [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16'),
  field('groups', arrayOf([field('groupId', 'string'), field('protocolType', 'string')])),
];

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: Array<{ groupId: string; protocolType: string }>;
}
