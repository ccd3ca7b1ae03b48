import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';

/** What happens to one request that matched a fault rule. */
export type RequestFaultAction =
  /** Answer with this error code; the request is NOT applied. */
  | { readonly kind: 'error'; readonly errorCode: ErrorCode }
  /** Apply the request, then lose the response ("ack lost"); optionally close the connection as a crash would. */
  | { readonly kind: 'drop'; readonly closeConnection: boolean }
  /** Apply the request and hold the response back for ms. */
  | { readonly kind: 'delay'; readonly ms: number };

export interface RequestFaultRule {
  readonly apiKey: ApiKey;
  /** Only requests received by this broker (default: any broker). */
  readonly brokerId?: number;
  /** How many matching requests the rule applies to (default 1). */
  readonly count?: number;
  readonly action: RequestFaultAction;
}

interface ActiveRule {
  readonly rule: RequestFaultRule;
  remaining: number;
}

/** Request-level faults, consulted by every broker for every request. */
export class RequestFaults {
  private rules: ActiveRule[] = [];

  add(rule: RequestFaultRule): void {
    this.rules.push({ rule, remaining: rule.count ?? 1 });
  }

  /** Consumes and returns the first matching rule's action, if any. */
  take(brokerId: number, apiKey: number): RequestFaultAction | null {
    if (this.rules.length === 0) return null;
    const hit = this.rules.find(
      (r) => r.rule.apiKey === apiKey && (r.rule.brokerId === undefined || r.rule.brokerId === brokerId),
    );
    if (!hit) return null;
    hit.remaining--;
    if (hit.remaining <= 0) this.rules = this.rules.filter((r) => r !== hit);
    return hit.rule.action;
  }

  /** Rules not yet used up (a test can assert its faults were actually hit). */
  pending(): number {
    return this.rules.reduce((n, r) => n + r.remaining, 0);
  }

  clear(): void {
    this.rules = [];
  }
}
