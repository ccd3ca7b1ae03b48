import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { StructSpec } from '../protocol/schema';
import { RequestContext } from './request-context';

/**
 * A handler's answer that closes the connection instead of responding: Kafka does this for an acks=0 produce that
 * failed, the only way such a client can learn about it (KafkaApis.handleProduceRequest).
 */
export const CLOSE_CONNECTION = Symbol('close-connection');

/**
 * One protocol API as the broker serves it: the versions we advertise, the request/response schemas, the
 * handler, and how to answer with an error without applying the request (for injected faults).
 */
export interface ApiDefinition<Req = unknown, Res = unknown> {
  readonly apiKey: ApiKey;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly request: StructSpec;
  readonly response: StructSpec;
  /** Returns the response body, null when the protocol sends none (Produce with acks=0), or CLOSE_CONNECTION. */
  handle(ctx: RequestContext, request: Req): HandlerResult<Res> | Promise<HandlerResult<Res>>;
  errorResponse(request: Req, code: ErrorCode): Res;
}

export type HandlerResult<Res> = Res | null | typeof CLOSE_CONNECTION;

/** Erases the request/response types so definitions of every API fit in one registry. */
export function defineApi<Req, Res>(def: ApiDefinition<Req, Res>): ApiDefinition {
  return def as unknown as ApiDefinition;
}
