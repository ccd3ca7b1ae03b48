/**
 * What the commit step saw of one handler call: the handler's own result, before any outer enhancer (an
 * interceptor or exception filter of the user's) could change it. Recorded by `runCommitStep`; read by the
 * handler step once Nest's chain returned. Nothing else happens in the chain: completion, dedup marks and commits
 * come after it, in the pipeline's order.
 */
export class CallOutcome {
  state: 'pending' | 'succeeded' | 'failed' = 'pending';
  /** The handler's error when `state` is 'failed'. */
  error: unknown;

  succeeded(): void {
    if (this.state === 'pending') this.state = 'succeeded';
  }

  failed(error: unknown): void {
    if (this.state !== 'pending') return;
    this.state = 'failed';
    this.error = error;
  }
}

/**
 * The commit step, one implementation for the interceptor (`CommitAfterSuccessInterceptor`) and for the shortcut
 * that skips Nest's interceptor chain (`CommitStepInterceptorsConsumer`): waits for the handler's result and
 * records whether it succeeded; an error is recorded and rethrown.
 */
export async function runCommitStep<T>(outcome: CallOutcome | undefined, work: () => Promise<T>): Promise<T> {
  if (!outcome) return work();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    outcome.failed(error);
    throw error;
  }
  outcome.succeeded();
  return result;
}
