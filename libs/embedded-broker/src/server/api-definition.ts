import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { StructSpec } from '../protocol/schema';
import { RequestContext } from './request-context';

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
  /** Returns the response body, or null when the protocol sends none (Produce with acks=0). */
  handle(ctx: RequestContext, request: Req): Res | null | Promise<Res | null>;
  errorResponse(request: Req, code: ErrorCode): Res;
}

/** Erases the request/response types so definitions of every API fit in one registry. */
export function defineApi<Req, Res>(def: ApiDefinition<Req, Res>): ApiDefinition {
  return def as unknown as ApiDefinition;
}
