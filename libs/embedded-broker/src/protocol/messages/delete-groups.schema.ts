import { arrayOf, field } from '../schema';

/** DeleteGroups v0-1 (apache/kafka DeleteGroupsRequest.json / Response.json). */
export const DeleteGroupsRequestSchema = [field('groupsNames', arrayOf('string'))];

export interface DeleteGroupsRequest {
  groupsNames: string[];
}

export const DeleteGroupsResponseSchema = [
  field('throttleTimeMs', 'int32'),
  field('results', arrayOf([field('groupId', 'string'), field('errorCode', 'int16')])),
];

export interface DeleteGroupsResponse {
  throttleTimeMs: number;
  results: Array<{ groupId: string; errorCode: number }>;
}
